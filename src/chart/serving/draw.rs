//! Draws the serving chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ServingData;
use crate::chart::{Axis, Geometry, Style, decade_ticks, err};
use crate::estimate::units::{format_context, format_count};

/// The legend's words for the two curves and the compute-bound region.
pub const LEGEND: [&str; 3] = ["All sequences", "Each sequence", "Bound by compute"];

/// The capacity line's legend: "29 concurrent 8k conversations fit" (or "none fits").
pub fn capacity_label(capacity: Option<f64>, ctx: f64) -> String {
    match capacity {
        Some(c) if c >= 1.0 => format!(
            "{} concurrent {} conversations fit",
            format_count(c.floor()),
            format_context(ctx)
        ),
        _ => format!("not one {} conversation fits", format_context(ctx)),
    }
}

/// Draws the chart and returns its geometry (x: concurrent sequences, y: tokens per second,
/// both logarithmic).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &ServingData,
    st: &Style,
) -> Result<Geometry, String> {
    let p = st.palette;
    let x_max = d.x_max.max(2.0);
    let lo = d.samples.iter().map(|s| s.per_sequence).fold(f64::INFINITY, f64::min);
    let hi = d
        .samples
        .iter()
        .map(|s| s.throughput_bound.max(s.throughput))
        .chain(d.compare.iter().flat_map(|(_, c)| c.iter().map(|p| p.1)))
        .fold(0.0, f64::max);
    let y0 = 10f64.powf((lo.max(1e-3) / 2.0).log10().floor());
    let y1 = 10f64.powf((hi.max(y0 * 10.0) * 1.5).log10().ceil());
    let all = [(LEGEND[0], p.kv), (LEGEND[1], p.weights), (LEGEND[2], p.optimizer)];
    // The compute-bound swatch only where the chart shades such a region.
    let series = &all[..if d.ridge.is_some() { 3 } else { 2 }];
    let capacity = capacity_label(d.capacity, d.ctx);
    let items = crate::chart::LegendItems {
        series,
        compare: d.compare.as_ref().map(|(l, _)| l.as_str()),
        capacity: Some(&capacity),
        note: None,
    };
    let legend_h = items.height(st);
    let mut chart = crate::chart::frame(area, st, legend_h)
        .build_cartesian_2d(
            (1f64..x_max).log_scale().with_key_points(decade_ticks(1.0, x_max)),
            (y0..y1).log_scale().with_key_points(decade_ticks(y0, y1)),
        )
        .map_err(err)?;
    crate::chart::themed(&mut chart.configure_mesh(), st)
        .x_desc("Sequences decoded at once")
        .y_desc("Tokens per second")
        .x_label_formatter(&|v| format_count(*v))
        .y_label_formatter(&|v| format_count(*v))
        .draw()
        .map_err(err)?;
    // Beyond the KV cache's room an engine queues (vLLM pre-empts) the rest: shaded.
    let room = d.capacity.unwrap_or(0.0).max(1.0);
    if room < x_max {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(room, y0), (x_max, y1)],
                p.grid.mix(0.6).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                [(room, y0), (room, y1)],
                7,
                5,
                p.capacity.stroke_width(2),
            ))
            .map_err(err)?;
    }
    if let Some(r) = d.ridge {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(r, y0), (x_max, y1)],
                p.optimizer.mix(0.2).filled(),
            )))
            .map_err(err)?;
    }
    let clip = |v: f64| v.clamp(y0, y1);
    chart
        .draw_series(LineSeries::new(
            d.samples.iter().map(|s| (s.batch, clip(s.throughput))),
            p.kv.stroke_width(3),
        ))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            d.samples.iter().map(|s| (s.batch, clip(s.per_sequence))),
            p.weights.stroke_width(3),
        ))
        .map_err(err)?;
    if let Some((_, pts)) = &d.compare {
        chart
            .draw_series(DashedLineSeries::new(
                pts.iter().map(|(b, t)| (*b, clip(*t))),
                7,
                5,
                p.text.stroke_width(2),
            ))
            .map_err(err)?;
    }
    let pixels = chart.plotting_area().get_pixel_range();
    crate::chart::legend(area, st, &items)?;
    Ok(Geometry::of(pixels, Axis::log(1.0, x_max), Axis::log(y0, y1)))
}
