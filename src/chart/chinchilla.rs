//! Chart 4: training tokens vs parameters (log–log) — the 20× line, the selected fit's
//! compute-optimal frontier and the other fits, iso-FLOP lines, famous models, and the current
//! model as trained and as it would be compute-optimal.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::ChinchillaData;
use super::{Axis, Geometry, Placed, Style, decade_ticks, err};
use crate::estimate::units::format_count;

/// Draws the chart and returns its geometry (x: parameters, logarithmic).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &ChinchillaData,
    st: &Style,
) -> Result<Geometry, String> {
    let p = st.palette;
    area.fill(&p.background).map_err(err)?;
    let (n0, n1) = d.params_range;
    let (t0, t1) = d.tokens_range;
    let text = |size: f64| super::font(size).color(&p.text);
    let frontier_label = format!("Optimal: {}", d.frontier.0);
    let series = [
        (frontier_label.as_str(), p.weights),
        ("This model", p.kv),
        ("Other fits", p.muted),
    ];
    let items = super::LegendItems {
        series: &series,
        compare: None,
        capacity: None,
        note: None,
    };
    let legend_h = items.height(st);
    let mut chart = super::frame(area, st, legend_h)
        .build_cartesian_2d(
            (n0..n1).log_scale().with_key_points(decade_ticks(n0, n1)),
            (t0..t1).log_scale().with_key_points(decade_ticks(t0, t1)),
        )
        .map_err(err)?;
    super::themed(&mut chart.configure_mesh(), st)
        .x_desc("Parameters")
        .y_desc("Training tokens")
        .x_label_formatter(&|v| format_count(*v))
        .y_label_formatter(&|v| format_count(*v))
        .draw()
        .map_err(err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let bounds = (xr.start + 2, yr.start + 2, xr.end - 2, yr.end - 2);
    let (xs, ys) = (f64::from(xr.end - xr.start), f64::from(yr.end - yr.start));
    let px = |(n, t): (f64, f64)| {
        let fx = (n / n0).ln() / (n1 / n0).ln();
        let fy = (t / t0).ln() / (t1 / t0).ln();
        (xr.start + (fx * xs) as i32, yr.end - (fy * ys) as i32)
    };
    let mut placed = Placed::default();
    let small = st.tick_size() * 0.85;
    let clip = |pts: &[(f64, f64)]| {
        pts.iter()
            .filter(|(_, t)| *t >= t0 && *t <= t1)
            .copied()
            .collect::<Vec<_>>()
    };
    // (text, pixel anchor, right-aligned, colour, size)
    type Label = (String, (i32, i32), bool, RGBColor, f64);
    let mut labels: Vec<Label> = Vec::new();
    // The current model first: its label must win.
    let (cur, opt) = (&d.current, &d.optimal);
    let cur_px = px((cur.params, cur.tokens));
    placed.reserve((cur_px.0 - 8, cur_px.1 - 8, cur_px.0 + 8, cur_px.1 + 8));
    let cur_label = format!("{} ({})", cur.label, format_count(cur.tokens));
    let cur_size = st.label_size() * 0.9;
    if placed.try_place(&cur_label, cur_size, (cur_px.0 - 10, cur_px.1), true, bounds)
        || placed.try_place(&cur_label, cur_size, (cur_px.0 + 10, cur_px.1), false, bounds)
    {
        let right = placed.0.last().is_some_and(|r| r.2 <= cur_px.0);
        labels.push((
            cur_label,
            (if right { cur_px.0 - 10 } else { cur_px.0 + 10 }, cur_px.1),
            right,
            p.kv,
            cur_size,
        ));
    }
    // Iso-FLOP lines: D = C / 6N, labelled where they enter the plot away from the axes.
    for &c in &d.iso_flops {
        let pts: Vec<(f64, f64)> = (0..=48)
            .map(|i| (n0.ln() + (n1 / n0).ln() * f64::from(i) / 48.0).exp())
            .map(|n| (n, c / (6.0 * n)))
            .collect();
        let pts = clip(&pts);
        chart
            .draw_series(DashedLineSeries::new(pts.clone(), 3, 5, p.muted.stroke_width(1)))
            .map_err(err)?;
        let label = format!("1e{} FLOPs", c.log10().round());
        if let Some(&pt) = pts.get(pts.len() / 5) {
            let at = px(pt);
            if placed.try_place(&label, small, (at.0 + 4, at.1), false, bounds) {
                labels.push((label, (at.0 + 4, at.1), false, p.muted, small));
            }
        }
    }
    for (_, pts) in &d.others {
        chart
            .draw_series(LineSeries::new(clip(pts), p.muted.stroke_width(1)))
            .map_err(err)?;
    }
    chart
        .draw_series(LineSeries::new(clip(&d.frontier.1), p.weights.stroke_width(3)))
        .map_err(err)?;
    // Famous models: dots always, labels where they fit (the table lists them all).
    for m in &d.famous {
        chart
            .draw_series(std::iter::once(Circle::new((m.params, m.tokens), 4, p.text.filled())))
            .map_err(err)?;
        let at = px((m.params, m.tokens));
        placed.reserve((at.0 - 4, at.1 - 4, at.0 + 4, at.1 + 4));
    }
    for m in &d.famous {
        let at = px((m.params, m.tokens));
        if placed.try_place(&m.label, small, (at.0 + 7, at.1), false, bounds) {
            labels.push((m.label.clone(), (at.0 + 7, at.1), false, p.text, small));
        } else if placed.try_place(&m.label, small, (at.0 - 7, at.1), true, bounds) {
            labels.push((m.label.clone(), (at.0 - 7, at.1), true, p.text, small));
        }
    }
    // The current model: as trained, and compute-optimal.
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(cur.params, cur.tokens), (opt.params, opt.tokens)],
            p.kv.stroke_width(2),
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Circle::new(
            (opt.params, opt.tokens),
            6,
            p.weights.filled(),
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Circle::new((cur.params, cur.tokens), 7, p.kv.filled())))
        .map_err(err)?;
    for (label, at, right, colour, size) in labels {
        let h = if right { HPos::Right } else { HPos::Left };
        area.draw(&Text::new(
            label,
            at,
            text(size).color(&colour).pos(Pos::new(h, VPos::Center)),
        ))
        .map_err(err)?;
    }
    super::legend(area, st, &items)?;
    Ok(Geometry::of(
        (xr, yr),
        Axis {
            min: n0,
            max: n1,
            log: true,
        },
        Axis {
            min: t0,
            max: t1,
            log: true,
        },
    ))
}
