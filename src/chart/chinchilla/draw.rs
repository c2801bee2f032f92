//! Draws the Chinchilla chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::ChinchillaData;
use crate::chart::{Axis, Geometry, Placed, Style, decade_ticks, err};
use crate::estimate::units::format_count;

/// Draws the chart and returns its geometry (x: parameters, logarithmic).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &ChinchillaData,
    st: &Style,
) -> Result<Geometry, String> {
    let p = st.palette;
    let (n0, n1) = d.params_range;
    let (t0, t1) = d.tokens_range;
    let text = |size: f64| crate::chart::font(size).color(&p.text);
    let frontier_label = format!("Optimal: {}", d.frontier.0);
    let series = [
        (frontier_label.as_str(), p.weights),
        ("This model", p.kv),
        ("Other fits", p.muted),
    ];
    let items = crate::chart::LegendItems::swatches(&series);
    let legend_h = items.height(st);
    let mut chart = crate::chart::frame(area, st, legend_h)
        .build_cartesian_2d(
            (n0..n1).log_scale().with_key_points(decade_ticks(n0, n1)),
            (t0..t1).log_scale().with_key_points(decade_ticks(t0, t1)),
        )
        .map_err(err)?;
    crate::chart::themed(&mut chart.configure_mesh(), st)
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
    let (cur, opt) = (&d.current, &d.optimal);
    // Every line of the plot, in pixels, before any label is placed: no label may cross one.
    let iso_lines: Vec<(f64, Vec<(f64, f64)>)> = d
        .iso_flops
        .iter()
        .map(|&c| {
            let pts: Vec<(f64, f64)> = (0..=48)
                .map(|i| (n0.ln() + (n1 / n0).ln() * f64::from(i) / 48.0).exp())
                .map(|n| (n, crate::estimate::chinchilla::tokens_for_compute(c, n)))
                .collect();
            (c, clip(&pts))
        })
        .collect();
    let pixels = |pts: &[(f64, f64)]| pts.iter().map(|&q| px(q)).collect::<Vec<_>>();
    for (_, pts) in &iso_lines {
        placed.avoid(&pixels(pts));
    }
    for (_, pts) in &d.others {
        placed.avoid(&pixels(&clip(pts)));
    }
    placed.avoid(&pixels(&clip(&d.frontier.1)));
    placed.avoid(&[px((cur.params, cur.tokens)), px((opt.params, opt.tokens))]);
    // Beside a point: right, left, then the same a line higher and a line lower.
    let beside = |at: (i32, i32), gap: i32, line: i32| {
        [
            ((at.0 + gap, at.1), false),
            ((at.0 - gap, at.1), true),
            ((at.0 + gap, at.1 - line), false),
            ((at.0 - gap, at.1 - line), true),
            ((at.0 + gap, at.1 + line), false),
            ((at.0 - gap, at.1 + line), true),
        ]
    };
    // Every dot's box is taken before any label is placed.
    for m in &d.famous {
        let at = px((m.params, m.tokens));
        placed.reserve((at.0 - 5, at.1 - 5, at.0 + 5, at.1 + 5));
    }
    // The current model first: its label must win.
    let cur_px = px((cur.params, cur.tokens));
    placed.reserve((cur_px.0 - 8, cur_px.1 - 8, cur_px.0 + 8, cur_px.1 + 8));
    let opt_px = px((opt.params, opt.tokens));
    placed.reserve((opt_px.0 - 7, opt_px.1 - 7, opt_px.0 + 7, opt_px.1 + 7));
    let cur_label = format!("{} ({})", cur.label, format_count(cur.tokens));
    let cur_size = st.label_size() * 0.9;
    let line = (cur_size * 1.1) as i32 + 2;
    // Beside the dot, or up to three lines above or below it when lines pass there.
    let candidates = [0, -1, 1, -2, 2, -3, 3].into_iter().flat_map(|k| {
        [
            ((cur_px.0 + 10, cur_px.1 + k * line), false),
            ((cur_px.0 - 10, cur_px.1 + k * line), true),
        ]
    });
    // Then centred over or under it, slid sideways to stay inside the plot (long names on
    // narrow charts fit neither beside it).
    let (label_w, _) = crate::chart::record::text_size(&cur_label, cur_size);
    let centred_x = (cur_px.0 - label_w as i32 / 2).clamp(bounds.0, (bounds.2 - label_w as i32).max(bounds.0));
    let candidates: Vec<_> = candidates
        .chain(
            [-1, 1, -2, 2]
                .into_iter()
                .map(|k| ((centred_x, cur_px.1 + k * line), false)),
        )
        .collect();
    // Where every spot near the dot is crossed (narrow charts), the label goes beside it on a
    // plate of the background colour drawn over the lines: this label is never dropped.
    let mut plates = Vec::new();
    if let Some(&(at, right)) = candidates
        .iter()
        .find(|&&(at, right)| placed.try_place(&cur_label, cur_size, at, right, bounds))
    {
        labels.push((cur_label, at, right, p.kv, cur_size));
    } else if let Some((at, right, bx)) = candidates.iter().find_map(|&(at, right)| {
        placed
            .try_place_on_plate(&cur_label, cur_size, at, right, bounds)
            .map(|bx| (at, right, bx))
    }) {
        plates.push(bx);
        labels.push((cur_label, at, right, p.kv, cur_size));
    }
    // Iso-FLOP lines: D = C / 6N, labelled just above their own line (which falls to the
    // right, so the label's box stays clear of it), at the first of a few points that fits.
    let small_line = (small * 1.1) as i32 + 2;
    for (c, pts) in &iso_lines {
        chart
            .draw_series(DashedLineSeries::new(pts.clone(), 3, 5, p.muted.stroke_width(1)))
            .map_err(err)?;
        let label = format!("1e{} FLOPs", c.log10().round());
        let n = pts.len();
        for at in [n / 5, n / 3, n / 2, 2 * n / 3, n / 8]
            .into_iter()
            .filter_map(|i| pts.get(i))
        {
            let at = px(*at);
            let anchor = (at.0 + 3, at.1 - small_line / 2 - 2);
            if placed.try_place(&label, small, anchor, false, bounds) {
                labels.push((label, anchor, false, p.muted, small));
                break;
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
    }
    // A clear spot beside the dot; else, for the pair the chart exists to show, one that only
    // lines cross, on a plate (Chinchilla sits on the frontier it defined). Others may go
    // unlabelled: the table lists them all.
    for m in &d.famous {
        let spots = beside(px((m.params, m.tokens)), 7, small_line);
        if let Some(&(at, right)) = spots
            .iter()
            .find(|&&(at, right)| placed.try_place(&m.label, small, at, right, bounds))
        {
            labels.push((m.label.clone(), at, right, p.text, small));
        } else if let Some((at, right, bx)) = spots.iter().filter(|_| m.always_labelled).find_map(|&(at, right)| {
            placed
                .try_place_on_plate(&m.label, small, at, right, bounds)
                .map(|bx| (at, right, bx))
        }) {
            plates.push(bx);
            labels.push((m.label.clone(), at, right, p.text, small));
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
    for (x0, y0, x1, y1) in plates {
        area.draw(&Rectangle::new(
            [(x0 - 2, y0 - 1), (x1 + 2, y1 + 1)],
            p.background.filled(),
        ))
        .map_err(err)?;
    }
    for (label, at, right, colour, size) in labels {
        let h = if right { HPos::Right } else { HPos::Left };
        area.draw(&Text::new(
            label,
            at,
            text(size).color(&colour).pos(Pos::new(h, VPos::Center)),
        ))
        .map_err(err)?;
    }
    crate::chart::legend(area, st, &items)?;
    Ok(Geometry::of((xr, yr), Axis::log(n0, n1), Axis::log(t0, t1)))
}
