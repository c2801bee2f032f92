//! Draws the memory chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::MemoryData;
use crate::chart::{Axis, Geometry, Style, axis_number, context_ticks, err, nice_ceiling};
use crate::estimate::units::{format_bytes, format_context};

/// The KV cache's legend entry, in the article's terms: what the growing band is.
pub const KV_LEGEND: &str = "KV cache (activations kept for past tokens)";

/// Draws the chart and returns its geometry.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, d: &MemoryData, st: &Style) -> Result<Geometry, String> {
    let p = st.palette;
    let giga = d.units.giga();
    let g = |b: f64| b / giga;
    // The y axis fits the curves up to the trained context length (and the GPU line); beyond it
    // they run off the top: the x axis reaches 10⁷ tokens, where the cache dwarfs everything.
    let peak = crate::chart::peak_within_trained(d.samples.iter().map(|s| (s.ctx, s.total())), d.model_max);
    let compare_peak = d.compare.as_ref().map_or(0.0, |(_, pts)| {
        crate::chart::peak_within_trained(pts.iter().copied(), d.model_max)
    });
    let cap = d.capacity.as_ref().map_or(0.0, |c| c.0);
    let y_max = nice_ceiling(g(peak.max(compare_peak).max(cap * 1.08)).max(1e-9));
    let x_max = d.x_max.max(2.0);
    let ticks = context_ticks(x_max, if st.narrow() { 5 } else { 9 });
    let text = |size: f64| crate::chart::font(size).color(&p.text);
    let compare_label = d.compare.as_ref().map(|(l, _)| l.as_str());
    // The engine's own memory (runtime, start-up reservations) is a fourth band, shown only
    // when an engine is chosen.
    let with_engine = d.samples.iter().any(|s| s.engine > 0.0);
    let all_series = [
        ("Weights", p.weights),
        (KV_LEGEND, p.kv),
        ("Transient activations", p.activations),
        ("Engine", p.marker),
    ];
    let series = &all_series[..if with_engine { 4 } else { 3 }];
    let off_top = d
        .samples
        .last()
        .filter(|s| g(s.total()) > y_max)
        .map(|s| crate::chart::off_the_top(&format_bytes(s.total(), d.units), x_max));
    let items = crate::chart::LegendItems {
        series,
        compare: compare_label,
        capacity: d.capacity.as_ref().map(|_| "GPU memory"),
        note: off_top.as_deref(),
    };
    let legend_h = items.height(st);
    let mut chart = crate::chart::frame(area, st, legend_h)
        .build_cartesian_2d((1f64..x_max).log_scale().with_key_points(ticks), 0f64..y_max)
        .map_err(err)?;
    crate::chart::themed(&mut chart.configure_mesh(), st)
        .x_desc("Context length (tokens)")
        .y_desc(format!("Memory ({})", d.units.giga_label()))
        .x_label_formatter(&|v| crate::estimate::units::format_context(*v))
        .y_label_formatter(&|v| axis_number(*v, y_max))
        .y_labels(6)
        .draw()
        .map_err(err)?;

    // Stacked bands: weights, then KV, then activations.
    let xs: Vec<f64> = d.samples.iter().map(|s| s.ctx).collect();
    let w: Vec<f64> = d.samples.iter().map(|s| g(s.weights)).collect();
    let wk: Vec<f64> = d.samples.iter().map(|s| g(s.weights + s.kv)).collect();
    let wka: Vec<f64> = d.samples.iter().map(|s| g(s.weights + s.kv + s.activations)).collect();
    let all: Vec<f64> = d.samples.iter().map(|s| g(s.total())).collect();
    // The band edges as drawn (clipped at the top), in pixels: labels keep clear of them.
    let curves: Vec<crate::chart::Segment> = [&w, &wk, &wka, &all]
        .into_iter()
        .take(series.len())
        .flat_map(|ys| {
            let px: Vec<(i32, i32)> = xs
                .iter()
                .zip(ys.iter())
                .map(|(x, y)| chart.backend_coord(&(*x, y.min(y_max))))
                .collect();
            px.windows(2).map(|p| (p[0], p[1])).collect::<Vec<_>>()
        })
        .collect();

    // Beyond the trained context length: shaded, labelled.
    crate::chart::beyond_trained(&mut chart, d.model_max, (x_max, y_max), st, Some(&curves))?;
    let zero = vec![0.0; xs.len()];
    let bands = [
        (&zero, &w, p.weights),
        (&w, &wk, p.kv),
        (&wk, &wka, p.activations),
        (&wka, &all, p.marker),
    ];
    for (lower, upper, colour) in bands.into_iter().take(series.len()) {
        let mut poly: Vec<(f64, f64)> = xs.iter().zip(upper.iter()).map(|(x, y)| (*x, y.min(y_max))).collect();
        poly.extend(xs.iter().zip(lower.iter()).rev().map(|(x, y)| (*x, y.min(y_max))));
        chart
            .draw_series(std::iter::once(Polygon::new(poly, colour.mix(0.55).filled())))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                xs.iter()
                    .zip(upper.iter())
                    .map(|(x, y)| (*x, y.min(y_max)))
                    .collect::<Vec<_>>(),
                colour.stroke_width(2),
            )))
            .map_err(err)?;
    }

    // The pinned scenario's total, dashed.
    if let Some((_, pts)) = &d.compare {
        crate::chart::compare_line(&mut chart, pts.iter().map(|(x, y)| (*x, g(*y))), y_max, st)?;
    }

    let label = |size: f64, h: HPos, v: VPos| text(size).pos(Pos::new(h, v));
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let inside = |b: &(i32, i32, i32, i32)| b.0 >= xr.start && b.2 <= xr.end && b.1 >= yr.start && b.3 <= yr.end;
    let off_curves = |b: &(i32, i32, i32, i32)| curves.iter().all(|&(p, q)| !crate::chart::segment_hits_box(p, q, *b));
    // GPU capacity: the line, and its label just above it at the left (else just below, else
    // the short label) where no curve runs through it.
    let mut capacity_box = None;
    if let Some((bytes, name, brief)) = &d.capacity {
        let y = g(*bytes);
        if y <= y_max {
            chart
                .draw_series(DashedLineSeries::new(
                    [(1.0, y), (x_max, y)],
                    9,
                    5,
                    p.capacity.stroke_width(2),
                ))
                .map_err(err)?;
            let size = st.label_size() * 0.85;
            let place = |text: &str, above: bool| {
                let (w, h) = crate::chart::record::text_size(text, size);
                let (w, h) = (w as i32, h as i32);
                let at = (1.3, if above { y + y_max * 0.015 } else { y - y_max * 0.015 });
                let (px, py) = chart.backend_coord(&at);
                let b = if above {
                    (px, py - h, px + w, py)
                } else {
                    (px, py, px + w, py + h)
                };
                (text.to_string(), above, at, b)
            };
            let options = [
                place(name, true),
                place(name, false),
                place(brief, true),
                place(brief, false),
            ];
            let (text_, above, at, b) = options
                .iter()
                .find(|o| inside(&o.3) && off_curves(&o.3))
                .unwrap_or(&options[2])
                .clone();
            capacity_box = Some(b);
            let v = if above { VPos::Bottom } else { VPos::Top };
            chart
                .draw_series(std::iter::once(Text::new(
                    text_,
                    at,
                    label(size, HPos::Left, v).color(&p.capacity),
                )))
                .map_err(err)?;
        }
    }
    // Label boxes the context marker (an overlay) must leave clear.
    let mut label_boxes = [None; 2];
    label_boxes[1] = crate::chart::beyond_label_box(&chart, d.model_max, (x_max, y_max), st, &curves);
    // Crossover: where the KV cache equals the weights. Its label takes the first corner around
    // the dot where no reference line, other label or plot edge crosses it.
    if let Some(c) = d.crossover {
        let wy = d.samples.first().map_or(0.0, |s| g(s.weights));
        let y = (2.0 * wy).min(y_max);
        chart
            .draw_series(std::iter::once(Circle::new((c, y), 5, p.marker.filled())))
            .map_err(err)?;
        if !st.narrow() || d.max_fit.is_none() {
            let text = format!("KV = weights at {}", format_context(c.ceil()));
            let size = st.label_size() * 0.85;
            let (w, h) = crate::chart::record::text_size(&text, size);
            let (w, h) = (w as i32, h as i32);
            let (px, py) = chart.backend_coord(&(c, y));
            let mut obstacles: Vec<(i32, i32, i32, i32)> = Vec::new();
            if let Some((bytes, _, _)) = &d.capacity {
                let cy = chart.backend_coord(&(1.0, g(*bytes))).1;
                obstacles.push((xr.start, cy - 1, xr.end, cy + 1));
            }
            obstacles.extend(capacity_box);
            obstacles.extend(crate::chart::beyond_label_box(
                &chart,
                d.model_max,
                (x_max, y_max),
                st,
                &curves,
            ));
            // The "longest context that fits" cross, drawn on the GPU line.
            if let (Some(mf), Some((bytes, _, _))) = (d.max_fit, &d.capacity) {
                let (x, y) = chart.backend_coord(&(mf, g(*bytes).min(y_max)));
                obstacles.push((x - 8, y - 8, x + 8, y + 8));
            }
            // (anchor, offset from the dot, box) for above-left, below-left, above-right, below-right.
            let gap = 6;
            let candidates = [
                (
                    HPos::Right,
                    VPos::Bottom,
                    (-gap, -gap),
                    (px - gap - w, py - gap - h, px - gap, py - gap),
                ),
                (
                    HPos::Right,
                    VPos::Top,
                    (-gap, gap),
                    (px - gap - w, py + gap, px - gap, py + gap + h),
                ),
                (
                    HPos::Left,
                    VPos::Bottom,
                    (gap, -gap),
                    (px + gap, py - gap - h, px + gap + w, py - gap),
                ),
                (
                    HPos::Left,
                    VPos::Top,
                    (gap, gap),
                    (px + gap, py + gap, px + gap + w, py + gap + h),
                ),
            ];
            let clear = |b: &(i32, i32, i32, i32)| {
                b.0 >= xr.start
                    && b.2 <= xr.end
                    && b.1 >= yr.start
                    && b.3 <= yr.end
                    && obstacles
                        .iter()
                        .all(|o| b.2 < o.0 || b.0 > o.2 || b.3 < o.1 || b.1 > o.3)
                    && curves.iter().all(|&(p, q)| !crate::chart::segment_hits_box(p, q, *b))
            };
            // Then lower down on either side, a line at a time (a dot on the top edge with the
            // "beyond the trained" label beside it has no clear corner).
            let lower = (1..=10).flat_map(|k| {
                let dy = gap + k * (h + gap);
                [
                    (
                        HPos::Right,
                        VPos::Top,
                        (-gap, dy),
                        (px - gap - w, py + dy, px - gap, py + dy + h),
                    ),
                    (
                        HPos::Left,
                        VPos::Top,
                        (gap, dy),
                        (px + gap, py + dy, px + gap + w, py + dy + h),
                    ),
                ]
            });
            let (hpos, vpos, offset, placed) = candidates
                .iter()
                .copied()
                .chain(lower)
                .find(|cand| clear(&cand.3))
                .unwrap_or(candidates[0]);
            label_boxes[0] = Some(placed);
            chart
                .plotting_area()
                .draw(&(EmptyElement::at((c, y)) + Text::new(text, offset, label(size, hpos, vpos).color(&p.marker))))
                .map_err(err)?;
        }
    }
    // Longest context that fits.
    if let (Some(c), Some((bytes, _, _))) = (d.max_fit, &d.capacity) {
        let y = g(*bytes).min(y_max);
        chart
            .draw_series(std::iter::once(Cross::new((c, y), 6, p.capacity.stroke_width(2))))
            .map_err(err)?;
    }
    crate::chart::legend(area, st, &items)?;
    let geometry = Geometry::of((xr, yr), Axis::log(1.0, x_max), Axis::linear(0.0, y_max * giga));
    Ok(Geometry {
        label_boxes,
        ..geometry
    })
}
