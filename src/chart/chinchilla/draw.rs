//! Draws the Chinchilla chart from its plain data (what it shows: the module above).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::ChinchillaData;
use crate::chart::{Axis, Geometry, Placed, Style, decade_ticks, distance_to_box, err};
use crate::estimate::units::format_count;

/// The legend's name for the answers to the data questions (a compute budget's optimum, the
/// cheapest model once serving counts, and the latter's path as the tokens served grow).
pub const ASKED_LEGEND: &str = "Budget / serving optima";

/// A token-axis tick in the units of the ticks below it: "100T", then "1,000T" and "10,000T"
/// rather than "1e+15" beside "100T" (exponents only from 10¹⁸ up, where the axis reaches only
/// when the `tokens` key asks for that many).
pub fn token_tick(v: f64) -> String {
    if (1e15..1e18).contains(&v) {
        format!("{}T", crate::estimate::units::format_int(v / 1e12))
    } else {
        format_count(v)
    }
}

/// A label's anchor and side (true: the label ends at the anchor).
type Spot = ((i32, i32), bool);
/// A label's box (x0, y0, x1, y1) in pixels.
type PxBox = (i32, i32, i32, i32);

/// True when, at `spot`, the label `text` is nearer its own dot `own` than any other dot: a
/// name beside two dots reads as the nearer one's (Chinchilla's dot is 2–6 px from LLaMA 65B's).
fn names_its_dot(dots: &[(i32, i32)], own: (i32, i32), text: &str, size: f64, (at, right): Spot) -> bool {
    let bx = Placed::box_of(text, size, at, right);
    let mine = distance_to_box(own, bx);
    dots.iter().all(|&o| o == own || distance_to_box(o, bx) > mine)
}

/// Places `text` at `spot` on a plate of the background colour (lines may pass under it);
/// records the plate.
fn on_plate(
    placed: &mut Placed,
    plates: &mut Vec<PxBox>,
    text: &str,
    size: f64,
    (at, right): Spot,
    bounds: PxBox,
) -> bool {
    match placed.try_place_on_plate(text, size, at, right, bounds) {
        Some(bx) => {
            plates.push(bx);
            true
        }
        None => false,
    }
}

/// What every name is placed against: the boxes and lines taken, the plates to draw, every
/// dot's pixel and the plot's bounds.
struct Room<'a> {
    placed: &'a mut Placed,
    plates: &'a mut Vec<PxBox>,
    dots: &'a [(i32, i32)],
    bounds: PxBox,
}

/// Where a dot's name goes: beside it where its own dot is the nearest one and no line crosses;
/// else, if `set_apart`, one to seven lines away (or centred over or under it) where no line
/// crosses, with a leader line (its end returned) that crosses no other label or dot; else on a
/// plate, beside it or set apart; last, on a plate with a leader that may pass beside another
/// dot but never over a name.
fn place_name(
    room: &mut Room,
    dot: (i32, i32),
    (text, size): (&str, f64),
    line: i32,
    set_apart: bool,
) -> Option<(Spot, Option<(i32, i32)>)> {
    let Room {
        placed,
        plates,
        dots,
        bounds,
    } = room;
    let bounds = *bounds;
    let mut near: Vec<Spot> = Vec::new();
    for (k, right) in [(0, false), (0, true), (-1, false), (-1, true), (1, false), (1, true)] {
        let spot = ((if right { dot.0 - 7 } else { dot.0 + 7 }, dot.1 + k * line), right);
        if names_its_dot(dots, dot, text, size, spot) {
            near.push(spot);
        }
    }
    for &(at, right) in &near {
        if placed.try_place(text, size, at, right, bounds) {
            return Some(((at, right), None));
        }
    }
    if !set_apart {
        return None;
    }
    let mut far: Vec<Spot> = Vec::new();
    for k in [2, -2, 3, -3, 1, -1, 4, -4, 5, -5, 6, -6, 7, -7] {
        for dx in [7, 30, 60, 90] {
            far.push(((dot.0 + dx, dot.1 + k * line), false));
            far.push(((dot.0 - dx, dot.1 + k * line), true));
        }
    }
    // Last, centred over or under the dot, slid sideways to stay inside the plot: a long name
    // on a narrow chart fits neither beside it.
    let w = crate::chart::record::text_size(text, size).0 as i32;
    let centred_x = (dot.0 - w / 2).clamp(bounds.0, (bounds.2 - w).max(bounds.0));
    for k in [2, -2, 3, -3, 4, -4, 5, -5, 6, -6] {
        far.push(((centred_x, dot.1 + k * line), false));
    }
    let leader_end = |(at, right): Spot| {
        let bx = Placed::box_of(text, size, at, right);
        (dot.0.clamp(bx.0, bx.2), dot.1.clamp(bx.1, bx.3))
    };
    let led =
        |spot: Spot| (distance_to_box(dot, Placed::box_of(text, size, spot.0, spot.1)) > 6.0).then(|| leader_end(spot));
    for &spot in &far {
        if placed.segment_clear(dot, leader_end(spot)) && placed.try_place(text, size, spot.0, spot.1, bounds) {
            return Some((spot, led(spot)));
        }
    }
    for &spot in near.iter().chain(&far) {
        if placed.segment_clear(dot, leader_end(spot)) && on_plate(placed, plates, text, size, spot, bounds) {
            return Some((spot, led(spot)));
        }
    }
    // Where dots crowd a narrow chart (an embed in a phone's column), the leader may pass
    // beside another dot, never over a name.
    for &spot in &far {
        if placed.segment_clears_names(dot, leader_end(spot)) && on_plate(placed, plates, text, size, spot, bounds) {
            return Some((spot, led(spot)));
        }
    }
    None
}

/// Where this model's name goes: beside its dot or up to three lines above or below it, then
/// centred over or under it slid inside the plot — first where its own dot is the nearest, on
/// clear ground, then on a plate — and last set apart with a leader ([`place_name`]).
fn place_current(
    room: &mut Room,
    dot: (i32, i32),
    (text, size): (&str, f64),
    line: i32,
) -> Option<(Spot, Option<(i32, i32)>)> {
    let bounds = room.bounds;
    let mut candidates: Vec<Spot> = Vec::new();
    for k in [0, -1, 1, -2, 2, -3, 3] {
        candidates.push(((dot.0 + 10, dot.1 + k * line), false));
        candidates.push(((dot.0 - 10, dot.1 + k * line), true));
    }
    let w = crate::chart::record::text_size(text, size).0 as i32;
    let centred_x = (dot.0 - w / 2).clamp(bounds.0, (bounds.2 - w).max(bounds.0));
    for k in [-1, 1, -2, 2] {
        candidates.push(((centred_x, dot.1 + k * line), false));
    }
    let mut ordered: Vec<Spot> = Vec::with_capacity(candidates.len());
    for pass in [true, false] {
        ordered.extend(
            candidates
                .iter()
                .filter(|&&c| names_its_dot(room.dots, dot, text, size, c) == pass),
        );
    }
    if let Some(&spot) = ordered
        .iter()
        .find(|&&(at, right)| room.placed.try_place(text, size, at, right, bounds))
    {
        return Some((spot, None));
    }
    if let Some(&spot) = ordered
        .iter()
        .find(|&&spot| on_plate(room.placed, room.plates, text, size, spot, bounds))
    {
        return Some((spot, None));
    }
    place_name(room, dot, (text, size), line, true)
}

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
    let mut series = vec![
        (frontier_label.as_str(), p.weights),
        ("This model", p.kv),
        ("Other fits", p.muted),
    ];
    if !d.asked.is_empty() {
        series.push((ASKED_LEGEND, p.activations));
    }
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
        .y_label_formatter(&|v| token_tick(*v))
        .draw()
        .map_err(err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let bounds = (xr.start + 2, yr.start + 2, xr.end - 2, yr.end - 2);
    // Where plotters draws each point, so a label is placed against the very pixel its dot is
    // drawn at.
    let geometry = Geometry::of((xr.clone(), yr.clone()), Axis::log(n0, n1), Axis::log(t0, t1));
    let px = |at: (f64, f64)| geometry.drawn_at(at);
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
    placed.avoid(&pixels(&clip(&d.serving_path)));
    placed.avoid(&[px((cur.params, cur.tokens)), px((opt.params, opt.tokens))]);
    // Every dot's box is taken before any label is placed.
    for m in d.famous.iter().chain(&d.asked) {
        let at = px((m.params, m.tokens));
        placed.reserve((at.0 - 5, at.1 - 5, at.0 + 5, at.1 + 5));
    }
    // The current model first: its label must win.
    let cur_px = px((cur.params, cur.tokens));
    placed.reserve((cur_px.0 - 8, cur_px.1 - 8, cur_px.0 + 8, cur_px.1 + 8));
    let opt_px = px((opt.params, opt.tokens));
    placed.reserve((opt_px.0 - 7, opt_px.1 - 7, opt_px.0 + 7, opt_px.1 + 7));
    // A label goes only where its own dot is the nearest dot to it: a name beside two dots
    // reads as the nearer one's (Chinchilla's dot is 6 px from LLaMA 65B's on a desktop).
    let dots: Vec<(i32, i32)> = d
        .famous
        .iter()
        .chain(&d.asked)
        .map(|m| px((m.params, m.tokens)))
        .chain([cur_px, opt_px])
        .collect();
    let cur_size = st.label_size() * 0.9;
    let line = (cur_size * 1.1) as i32 + 2;
    // Where every spot near the dot is crossed (narrow charts), the label goes beside it on a
    // plate of the background colour drawn over the lines: this label is never dropped.
    let mut plates = Vec::new();
    // Leader lines from a crowded dot to its label: (dot, label edge, colour).
    type Leader = ((i32, i32), (i32, i32), RGBColor);
    let mut leaders: Vec<Leader> = Vec::new();
    // Its name with its tokens; where that is wider than a narrow plot, the name's first
    // clause ("Llama-3.1-8B at 7B", without ", shape assumed").
    let tokens = format_count(cur.tokens);
    let short = cur.label.split(", ").next().unwrap_or(&cur.label);
    for cur_label in [format!("{} ({tokens})", cur.label), format!("{short} ({tokens})")] {
        let mut room = Room {
            placed: &mut placed,
            plates: &mut plates,
            dots: &dots,
            bounds,
        };
        if let Some(spot) = place_current(&mut room, cur_px, (&cur_label, cur_size), line) {
            let ((at, right), leader) = spot;
            if let Some(end) = leader {
                placed.avoid(&[cur_px, end]);
                leaders.push((cur_px, end, p.kv));
            }
            labels.push((cur_label, at, right, p.kv, cur_size));
            break;
        }
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
    // Where the cheapest model moves as the tokens served grow (from Chinchilla's optimum of
    // this loss to the asked demand's).
    chart
        .draw_series(LineSeries::new(clip(&d.serving_path), p.activations.stroke_width(2)))
        .map_err(err)?;
    // Famous models: dots always, labels where they fit (the table lists them all); the
    // answers to the data questions in their own colour, a size larger.
    for m in &d.famous {
        chart
            .draw_series(std::iter::once(Circle::new((m.params, m.tokens), 4, p.text.filled())))
            .map_err(err)?;
    }
    for m in &d.asked {
        chart
            .draw_series(std::iter::once(Circle::new(
                (m.params, m.tokens),
                5,
                p.activations.filled(),
            )))
            .map_err(err)?;
    }
    // Names (`place_name`): the asked answers and the pair the chart exists to show first,
    // while there is room; the others may go unlabelled on a phone (a tap names them, and the
    // table lists them all).
    let named = d
        .asked
        .iter()
        .map(|m| (m, p.activations))
        .chain(d.famous.iter().filter(|m| m.always_labelled).map(|m| (m, p.text)))
        .chain(d.famous.iter().filter(|m| !m.always_labelled).map(|m| (m, p.text)));
    for (m, colour) in named {
        let dot = px((m.params, m.tokens));
        // Set apart (on a plate over the lines, or lines away with a leader): on a phone only
        // the names that must show, so the lines stay readable; wider, every name.
        let set_apart = m.always_labelled || st.width >= 480;
        let mut room = Room {
            placed: &mut placed,
            plates: &mut plates,
            dots: &dots,
            bounds,
        };
        let placed_at = place_name(&mut room, dot, (&m.label, small), small_line, set_apart);
        if let Some(((at, right), leader)) = placed_at {
            if let Some(end) = leader {
                placed.avoid(&[dot, end]);
                leaders.push((dot, end, colour));
            }
            labels.push((m.label.clone(), at, right, colour, small));
        }
    }
    for (a, b, colour) in leaders {
        area.draw(&PathElement::new(vec![a, b], colour.stroke_width(1)))
            .map_err(err)?;
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
    Ok(geometry)
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_ticks_keep_one_unit() {
        assert_eq!(super::token_tick(1e14), "100T");
        assert_eq!(super::token_tick(1e15), "1,000T");
        assert_eq!(super::token_tick(1e17), "100,000T");
        assert_eq!(super::token_tick(1e9), "1B");
    }
}
