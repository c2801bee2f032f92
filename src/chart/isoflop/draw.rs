//! Draws the iso-FLOP chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::IsoflopData;
use crate::chart::{Axis, Geometry, Style, decade_ticks, err};
use crate::estimate::units::format_count;

/// Draws the chart and returns its geometry (x: parameters, logarithmic).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &IsoflopData,
    st: &Style,
) -> Result<Geometry, String> {
    let p = st.palette;
    let (n0, n1) = d.params_range;
    let all = d
        .curve
        .1
        .iter()
        .chain(d.other.1.iter())
        .map(|x| x.1)
        .filter(|l| l.is_finite());
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for l in all {
        lo = lo.min(l);
        hi = hi.max(l);
    }
    // Keep the interesting part: from just under the minimum to a bit above the current point.
    let top = (d.current.1.max(d.optimum.1) + (hi - lo).min(1.0) * 0.25).min(hi);
    let (y0, y1) = ((lo - 0.05).max(0.0), top.max(lo + 0.1));
    let text = |size: f64| crate::chart::font(size).color(&p.text);
    let series = [(d.curve.0.as_str(), p.weights), (d.other.0.as_str(), p.muted)];
    let items = crate::chart::LegendItems::swatches(&series);
    let legend_h = items.height(st);
    let mut chart = crate::chart::frame(area, st, legend_h)
        .build_cartesian_2d((n0..n1).log_scale().with_key_points(decade_ticks(n0, n1)), y0..y1)
        .map_err(err)?;
    crate::chart::themed(&mut chart.configure_mesh(), st)
        .x_desc(format!("Parameters (compute fixed at {:.1e} FLOPs)", d.flops))
        .y_desc("Predicted loss (nats/token)")
        .x_label_formatter(&|v| format_count(*v))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .y_labels(6)
        .draw()
        .map_err(err)?;
    let in_range = |pts: &[(f64, f64)]| {
        pts.iter()
            .filter(|(_, l)| *l <= y1 && *l >= y0)
            .copied()
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(DashedLineSeries::new(
            in_range(&d.other.1),
            6,
            4,
            p.muted.stroke_width(2),
        ))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(in_range(&d.curve.1), p.weights.stroke_width(3)))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Circle::new(d.optimum, 6, p.weights.filled())))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("optimum {}", format_count(d.optimum.0)),
            (d.optimum.0, d.optimum.1 - (y1 - y0) * 0.02),
            text(st.label_size() * 0.9)
                .color(&p.weights)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        )))
        .map_err(err)?;
    if d.current.1 <= y1 {
        chart
            .draw_series(std::iter::once(Circle::new(d.current, 6, p.kv.filled())))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("this model {}", format_count(d.current.0)),
                (d.current.0, d.current.1 + (y1 - y0) * 0.02),
                text(st.label_size() * 0.9)
                    .color(&p.kv)
                    .pos(Pos::new(HPos::Center, VPos::Bottom)),
            )))
            .map_err(err)?;
    }
    let pixels = chart.plotting_area().get_pixel_range();
    crate::chart::legend(area, st, &items)?;
    Ok(Geometry::of(pixels, Axis::log(n0, n1), Axis::linear(y0, y1)))
}
