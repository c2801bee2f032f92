//! Draws the iso-FLOP chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::IsoflopData;
use crate::chart::{Axis, Geometry, Style, decade_ticks, err};
use crate::estimate::units::format_count;

/// This model's label: "this model 8.03B", or "this model: Chinchilla 1.974" when it is one of
/// the pair.
fn current_label(d: &IsoflopData) -> String {
    match d.pair.iter().find(|q| q.is_current) {
        Some(q) => format!("this model: {} {:.3}", q.name, q.loss),
        None => format!("this model {}", format_count(d.current.0)),
    }
}

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
    // Chinchilla's and Gopher's dots, where drawn, inside with room for their names.
    let pair_lo = d.pair.iter().map(|q| q.loss).fold(lo, f64::min);
    let pair_hi = d.pair.iter().map(|q| q.loss + 0.02).fold(top, f64::max);
    let (y0, y1) = ((pair_lo - 0.05).max(0.0), pair_hi.max(lo + 0.1));
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
    // The optimum's name under its dot and this model's over its own, each on a plate of the
    // background colour: near the bottom of the curve a name cannot always clear it. Each
    // returns the box it took, which the pair's names below then leave clear.
    let size = st.label_size() * 0.9;
    let gap_px = ((0.02 * f64::from(chart.plotting_area().get_pixel_range().1.len() as i32)) as i32).max(8);
    let plate_text = |name: String, at: (i32, i32), below: bool, colour: RGBColor| {
        let (w, h) = crate::chart::record::text_size(&name, size);
        let (w, h) = (w as i32, h as i32);
        let top = if below { at.1 + gap_px } else { at.1 - gap_px - h };
        area.draw(&Rectangle::new(
            [(at.0 - w / 2 - 2, top), (at.0 + w / 2 + 2, top + h)],
            p.background.filled(),
        ))
        .map_err(err)?;
        let vpos = if below { VPos::Top } else { VPos::Bottom };
        let y = if below { top } else { top + h };
        area.draw(&Text::new(
            name,
            (at.0, y),
            text(size).color(&colour).pos(Pos::new(HPos::Center, vpos)),
        ))
        .map_err(err)?;
        Ok::<_, String>((at.0 - w / 2 - 2, top, at.0 + w / 2 + 2, top + h))
    };
    let mut taken = vec![plate_text(
        format!("optimum {}", format_count(d.optimum.0)),
        chart.backend_coord(&d.optimum),
        true,
        p.weights,
    )?];
    if d.current.1 <= y1 {
        chart
            .draw_series(std::iter::once(Circle::new(d.current, 6, p.kv.filled())))
            .map_err(err)?;
        taken.push(plate_text(
            current_label(d),
            chart.backend_coord(&d.current),
            false,
            p.kv,
        )?);
    }
    // Chinchilla and Gopher at their own tokens: rings in the text colour (a ring stays
    // visible around this model's dot when this model is Chinchilla), each named at the first
    // spot around it that no curve crosses and no other name or dot takes (Chinchilla sits by
    // the optimum, whose name is below it).
    if !d.pair.is_empty() {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let bounds = (xr.start + 2, yr.start + 2, xr.end - 2, yr.end - 2);
        let to_px = |at: (f64, f64)| chart.backend_coord(&at);
        let mut placed = crate::chart::Placed::default();
        let curve_px = |pts: &[(f64, f64)]| in_range(pts).into_iter().map(&to_px).collect::<Vec<_>>();
        placed.avoid(&curve_px(&d.curve.1));
        placed.avoid(&curve_px(&d.other.1));
        let (_, h) = crate::chart::record::text_size("0", size);
        // The optimum's and this model's names and dots.
        for bx in taken {
            placed.reserve(bx);
        }
        for at in [Some(d.optimum), (d.current.1 <= y1).then_some(d.current)]
            .into_iter()
            .flatten()
        {
            let c = to_px(at);
            placed.reserve((c.0 - 7, c.1 - 7, c.0 + 7, c.1 + 7));
        }
        let rings: Vec<(i32, i32)> = d.pair.iter().map(|q| to_px((q.params, q.loss))).collect();
        for &r in &rings {
            placed.reserve((r.0 - 9, r.1 - 9, r.0 + 9, r.1 + 9));
        }
        let line = h as i32 + 2;
        let mut names = Vec::new();
        let mut leaders = Vec::new();
        for (q, &at) in d.pair.iter().zip(&rings).filter(|(q, _)| !q.is_current) {
            let name = format!("{} {:.3}", q.name, q.loss);
            let spots = [0, 1, -1, 2, -2, 3, -3].into_iter().flat_map(|k| {
                [
                    ((at.0 + 12, at.1 + k * line), false),
                    ((at.0 - 12, at.1 + k * line), true),
                ]
            });
            // A spot whose leader (where it needs one) would cross another name is no spot.
            let leader_clear = |placed: &crate::chart::Placed, spot: (i32, i32), right: bool| {
                let bx = crate::chart::Placed::box_of(&name, size, spot, right);
                crate::chart::distance_to_box(at, bx) <= 12.0
                    || placed.segment_clear(at, (at.0.clamp(bx.0, bx.2), at.1.clamp(bx.1, bx.3)))
            };
            if let Some((spot, right)) = spots
                .clone()
                .find(|&(spot, right)| {
                    leader_clear(&placed, spot, right) && placed.try_place(&name, size, spot, right, bounds)
                })
                .or_else(|| {
                    spots.clone().find(|&(spot, right)| {
                        leader_clear(&placed, spot, right)
                            && placed.try_place_on_plate(&name, size, spot, right, bounds).is_some()
                    })
                })
            {
                // Set a line or more away from its ring, a name is tied to it by a leader.
                let bx = crate::chart::Placed::box_of(&name, size, spot, right);
                let end = (at.0.clamp(bx.0, bx.2), at.1.clamp(bx.1, bx.3));
                if crate::chart::distance_to_box(at, bx) > 12.0 {
                    leaders.push((at, end));
                }
                names.push((name, spot, right));
            }
        }
        for (a, b) in leaders {
            area.draw(&PathElement::new(vec![a, b], p.text.stroke_width(1)))
                .map_err(err)?;
        }
        for (x, y) in &rings {
            area.draw(&Circle::new((*x, *y), 8, p.text.stroke_width(2)))
                .map_err(err)?;
        }
        for (name, spot, right) in names {
            let bx = crate::chart::Placed::box_of(&name, size, spot, right);
            area.draw(&Rectangle::new(
                [(bx.0 - 2, bx.1), (bx.2 + 2, bx.3)],
                p.background.filled(),
            ))
            .map_err(err)?;
            let hpos = if right { HPos::Right } else { HPos::Left };
            area.draw(&Text::new(name, spot, text(size).pos(Pos::new(hpos, VPos::Center))))
                .map_err(err)?;
        }
    }
    let pixels = chart.plotting_area().get_pixel_range();
    crate::chart::legend(area, st, &items)?;
    Ok(Geometry::of(pixels, Axis::log(n0, n1), Axis::linear(y0, y1)))
}
