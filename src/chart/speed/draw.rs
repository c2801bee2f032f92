//! Draws the decode-speed chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::SpeedData;
use crate::chart::{Axis, Geometry, Style, axis_number, context_ticks, err, nice_ceiling};
use crate::estimate::units::{format_context, format_seconds};

/// The legend's words: the band under the floor, the expected curve, the bound.
pub const LEGEND: [&str; 3] = [
    "Every token: the weights and fixed costs",
    "Expected time per token",
    "At best (memory bandwidth)",
];

/// Draws the chart and returns its geometry.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &SpeedData, st: &Style) -> Result<Geometry, String> {
    let p = st.palette;
    let ms = |s: f64| s * 1e3;
    // Scaled to the curves up to the trained context length; beyond it they run off the top.
    let peak = crate::chart::peak_within_trained(d.samples.iter().map(|s| (s.ctx, s.seconds)), d.model_max);
    let cpeak = d.compare.as_ref().map_or(0.0, |(_, c)| {
        crate::chart::peak_within_trained(c.iter().copied(), d.model_max)
    });
    let y_max = nice_ceiling(ms(peak.max(cpeak)) * 1.05);
    let x_max = d.x_max.max(2.0);
    let series = [(LEGEND[0], p.weights), (LEGEND[1], p.kv)];
    let off_top = d
        .samples
        .last()
        .filter(|s| ms(s.seconds) > y_max)
        .map(|s| crate::chart::off_the_top(&format_seconds(s.seconds), x_max));
    let items = crate::chart::LegendItems {
        series: &series,
        compare: d.compare.as_ref().map(|(l, _)| l.as_str()),
        capacity: Some(LEGEND[2]),
        note: off_top.as_deref(),
    };
    let legend_h = items.height(st);
    let mut chart = crate::chart::frame(area, st, legend_h)
        .build_cartesian_2d(
            (1f64..x_max)
                .log_scale()
                .with_key_points(context_ticks(x_max, if st.narrow() { 5 } else { 9 })),
            0f64..y_max,
        )
        .map_err(err)?;
    crate::chart::themed(&mut chart.configure_mesh(), st)
        .x_desc("Context length (tokens)")
        .y_desc("Time per token (ms)")
        .x_label_formatter(&|v| format_context(*v))
        .y_label_formatter(&|v| axis_number(*v, y_max))
        .y_labels(6)
        .draw()
        .map_err(err)?;
    crate::chart::beyond_trained(&mut chart, d.model_max, (x_max, y_max), st, None)?;
    // What a one-token context takes: reading the weights and the engine's fixed costs.
    chart
        .draw_series(std::iter::once(Polygon::new(
            vec![(1.0, 0.0), (1.0, ms(d.floor)), (x_max, ms(d.floor)), (x_max, 0.0)],
            p.weights.mix(0.25).filled(),
        )))
        .map_err(err)?;
    // The bound, dashed in the capacity colour like the other charts' limits.
    chart
        .draw_series(DashedLineSeries::new(
            d.samples.iter().map(|s| (s.ctx, ms(s.bound).min(y_max))),
            7,
            5,
            p.capacity.stroke_width(2),
        ))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            d.samples.iter().map(|s| (s.ctx, ms(s.seconds).min(y_max))),
            p.kv.stroke_width(3),
        ))
        .map_err(err)?;
    if let Some((_, pts)) = &d.compare {
        crate::chart::compare_line(&mut chart, pts.iter().map(|(c, s)| (*c, ms(*s))), y_max, st)?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    crate::chart::legend(area, st, &items)?;
    Ok(Geometry::of(
        (xr, yr),
        Axis::log(1.0, x_max),
        Axis::linear(0.0, y_max / 1e3),
    ))
}
