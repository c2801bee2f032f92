//! Draws the breakdown chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{BreakdownData, Segment};
use crate::chart::{Axis, Geometry, Palette, Style, axis_number, err, nice_ceiling};
use crate::estimate::units::format_bytes;

/// The colour of a segment kind.
pub fn colour(p: &Palette, s: Segment) -> RGBColor {
    match s {
        Segment::Weights => p.weights,
        Segment::Kv => p.kv,
        Segment::Activations => p.activations,
        Segment::Gradients => p.gradients,
        Segment::Optimizer => p.optimizer,
        Segment::Engine => p.marker,
    }
}

/// Draws the chart and returns its geometry (x in bar units: bar i spans [i, i + 1)).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &BreakdownData,
    st: &Style,
) -> Result<Geometry, String> {
    let p = st.palette;
    let giga = d.units.giga();
    let g = |b: f64| b / giga;
    let n = d.bars.len().max(1) as f64;
    let peak = d.bars.iter().map(|b| b.total().max(b.capacity)).fold(0.0, f64::max);
    let y_max = nice_ceiling(g(peak) * 1.12);
    let text = |size: f64| crate::chart::font(size).color(&p.text);
    let series: Vec<(&str, RGBColor)> = d.segments().iter().map(|k| (k.label(), colour(&p, *k))).collect();
    let items = crate::chart::LegendItems {
        series: &series,
        compare: None,
        capacity: Some("GPU memory"),
        note: None,
    };
    let legend_h = items.height(st);
    let mut chart = crate::chart::frame(area, st, legend_h)
        // Bar labels take two lines.
        .x_label_area_size(if n > 2.0 || st.narrow() { 52 } else { 36 })
        .build_cartesian_2d(0f64..n, 0f64..y_max)
        .map_err(err)?;
    crate::chart::themed(&mut chart.configure_mesh(), st)
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc(format!("Memory ({})", d.units.giga_label()))
        .y_label_formatter(&|v| axis_number(*v, y_max))
        .y_labels(6)
        .draw()
        .map_err(err)?;
    let pad = if n > 2.0 { 0.16 } else { 0.22 };
    for (i, bar) in d.bars.iter().enumerate() {
        let (x0, x1) = (i as f64 + pad, i as f64 + 1.0 - pad);
        let mut base = 0.0;
        for (kind, bytes) in &bar.segments {
            let top = base + g(*bytes);
            if *bytes > 0.0 {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, base.min(y_max)), (x1, top.min(y_max))],
                        colour(&p, *kind).mix(0.8).filled(),
                    )))
                    .map_err(err)?;
            }
            base = top;
        }
        let cap = g(bar.capacity);
        if cap > 0.0 && cap <= y_max {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x0 - pad * 0.6, cap), (x1 + pad * 0.6, cap)],
                    6,
                    4,
                    p.capacity.stroke_width(2),
                ))
                .map_err(err)?;
        }
        let fits = bar.fits;
        // The total above its bar, or above the GPU line where the line would cross it.
        let size = st.label_size() * 0.9;
        let label = format!("{}{}", format_bytes(bar.total(), d.units), if fits { "" } else { " ✗" });
        let h = crate::chart::record::text_size(&label, size).1 as i32;
        let (lx, ly) = chart.backend_coord(&(i as f64 + 0.5, base.min(y_max)));
        let cap_y = (cap > 0.0 && cap <= y_max).then(|| chart.backend_coord(&(i as f64 + 0.5, cap)).1);
        let ly = match cap_y {
            Some(cy) if cy >= ly - h - 3 && cy <= ly + 3 => cy - 4,
            _ => ly,
        };
        area.draw(&Text::new(
            label,
            (lx, ly),
            text(size).pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))
        .map_err(err)?;
        // Bar label under the axis, split before a parenthesis to keep it narrow.
        let (first, second) = match bar.label.find(" (") {
            Some(k) => (&bar.label[..k], bar.label[k + 1..].to_string()),
            None => (bar.label.as_str(), String::new()),
        };
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let px = xr.start + ((i as f64 + 0.5) / n * f64::from(xr.end - xr.start)) as i32;
        // Each line fits its bar's slot (four bars on a phone when comparing): a smaller
        // font where the tick size would reach the neighbour's name.
        let slot = f64::from(xr.end - xr.start) / n - 6.0;
        let fit = |line: &str| {
            let w = f64::from(crate::chart::record::text_size(line, st.tick_size()).0);
            let size = if w > slot {
                st.tick_size() * (slot / w).max(0.6)
            } else {
                st.tick_size()
            };
            text(size).pos(Pos::new(HPos::Center, VPos::Top))
        };
        area.draw(&Text::new(first.to_string(), (px, yr.end + 6), fit(first)))
            .map_err(err)?;
        if !second.is_empty() {
            let font = fit(&second);
            area.draw(&Text::new(second, (px, yr.end + 24), font)).map_err(err)?;
        }
    }
    crate::chart::legend(area, st, &items)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    Ok(Geometry::of(
        (xr, yr),
        Axis::linear(0.0, n),
        Axis::linear(0.0, y_max * giga),
    ))
}
