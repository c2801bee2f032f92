//! Every chart renders to SVG natively with its axis labels, series names and markers, for
//! representative and extreme scenarios (1 token, 10⁷ tokens, 10¹⁴ parameters). The SVGs are
//! also written to `target/chart-previews/` to be looked at.

use llm_memviz::chart::{self, Chart, DARK, LIGHT, Style, breakdown, chinchilla, memory, speed};
use llm_memviz::estimate;
use llm_memviz::estimate::units::ByteUnits;
use llm_memviz::share;

/// Draws one chart through the trait the page and the prerender use.
struct Svg<'a> {
    src: &'a chart::Sources,
    st: &'a Style,
    query: &'a str,
}

impl chart::ForChart for Svg<'_> {
    type Out = (&'static str, String);
    fn run<C: Chart>(self) -> Self::Out {
        let (svg, _, g) = chart::svg_of::<C>(self.src, self.st).unwrap_or_else(|e| panic!("{}: {e}", self.query));
        assert!(g.right > g.left && g.bottom > g.top, "{}: {g:?}", self.query);
        (C::ID.id(), svg)
    }
}

/// The sources of a link's state, in GiB.
fn sources(query: &str) -> chart::Sources {
    let state = share::decode(query).state;
    chart::Sources {
        now: chart::Evaluated::of(&state.scenario),
        compare: state.compare.as_ref().map(chart::Evaluated::of),
        units: ByteUnits::Gib,
    }
}

fn render_all(query: &str, width: u32, dark: bool) -> Vec<(&'static str, String)> {
    let src = sources(query);
    let st = Style {
        width,
        height: if width < 480 { 320 } else { 380 },
        palette: if dark { DARK } else { LIGHT },
    };
    share::ChartId::ALL
        .iter()
        .map(|id| {
            chart::for_chart(
                *id,
                Svg {
                    src: &src,
                    st: &st,
                    query,
                },
            )
        })
        .collect()
}

fn preview(name: &str, charts: &[(&str, String)]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-previews");
    let _ = std::fs::create_dir_all(&dir);
    for (chart, svg) in charts {
        let _ = std::fs::write(dir.join(format!("{name}-{chart}.svg")), svg);
    }
}

fn has(svg: &str, needles: &[&str]) {
    for n in needles {
        assert!(svg.contains(n), "missing {n:?}");
    }
}

/// Nothing is drawn that cannot be seen: no line in the chart's own background colour (plotters'
/// light grid lines were, 0.8 KB of the memory chart's SVG until stop 16).
#[test]
fn no_chart_draws_a_line_in_its_background_colour() {
    for dark in [false, true] {
        let bg = if dark { DARK } else { LIGHT }.background;
        let invisible = format!("stroke=\"#{:02X}{:02X}{:02X}\"", bg.0, bg.1, bg.2);
        for q in ["", "mode=train", "model=deepseek-v3&ctx=128k&a.model=llama-3.1-70b"] {
            for (id, svg) in render_all(q, 760, dark) {
                assert!(svg.contains("stroke=\""), "{q} {id}: no lines at all");
                assert!(
                    !svg.contains(&invisible),
                    "{q} {id} (dark {dark}): a line in the background colour"
                );
            }
        }
    }
}

#[test]
fn default_scenario_charts_have_labels_series_and_markers() {
    let charts = render_all("", 760, false);
    preview("default", &charts);
    let get = |n: &str| charts.iter().find(|c| c.0 == n).map(|c| c.1.as_str()).unwrap_or("");
    has(
        get("memory"),
        &[
            "Context length (tokens)",
            "Memory (GiB)",
            "Weights",
            // The article's terms: the growing band is the activations kept for past tokens.
            "KV cache (activations kept for past tokens)",
            "Transient activations",
            "GPU memory",
            "KV = weights at",
            "128k",
            "beyond the trained 128k",
            // Off the top at 10⁷ tokens: KV 10⁷ × 131,072 B = 1.192 TiB, plus 15.0 GiB of
            // weights and 0.78 GiB of activations = 1.207 TiB.
            "↑ 1.21 TiB at 10M tokens",
        ],
    );
    // 10⁷ tokens, expected: each step reads 15.01 GB of weights (all but the input embedding)
    // and 1.31 TB of cache at 0.70 × 3.35 TB/s (vLLM's fitted share) = 565.3 ms, beside 13 ms of
    // FLOPs, plus vLLM's 3.15 ms per step: 568 ms.
    has(get("speed"), &["↑ 568 ms at 10M tokens"]);
    has(
        get("breakdown"),
        &["Memory (GiB)", "Inference", "Training", "Optimizer states", "Gradients"],
    );
    has(
        get("speed"),
        &[
            "Time per token",
            "Every token: the weights and fixed costs",
            "Expected time per token",
            "At best (memory bandwidth)",
        ],
    );
    has(
        get("chinchilla"),
        &[
            "Parameters",
            "Training tokens",
            "Chinchilla",
            "Gopher",
            "Llama-3.1-8B",
            "FLOPs",
        ],
    );
    has(get("isoflop"), &["Predicted loss", "optimum", "this model"]);
}

#[test]
fn extreme_scenarios_still_draw() {
    for (name, q) in [
        ("one-token", "ctx=1"),
        ("ten-million", "ctx=10000000&batch=10000"),
        ("huge-model", "model=custom&params=1e14"),
        ("tiny-model", "model=custom&params=1000&ctx=1"),
        ("sliding", "model=mistral-7b-v0.1&ctx=1M"),
        ("mla", "model=deepseek-v3&gpus=8&gpu=h200-141gb"),
        (
            "moe-mxfp4-vllm",
            "model=gpt-oss-120b&weights=mxfp4&engine=vllm&ctx=128k",
        ),
        (
            "train",
            "model=llama-3.1-70b&mode=train&zero=3&dp=64&tp=8&recompute=full",
        ),
    ] {
        let charts = render_all(q, 760, false);
        preview(name, &charts);
        for (chart, svg) in &charts {
            assert!(svg.starts_with("<svg"), "{name}/{chart}");
            assert!(
                !svg.contains("NaN") && !svg.contains("inf"),
                "{name}/{chart} has NaN/inf"
            );
        }
    }
}

#[test]
fn narrow_dark_and_compare() {
    let charts = render_all("model=llama-3.1-70b&weights=q4_k_m&a.model=llama-3.1-8b", 360, true);
    preview("narrow-dark-compare", &charts);
    let mem = &charts[0].1;
    has(mem, &["A: Llama-3.1-8B"]);
    // Dark background colour is used.
    assert!(mem.contains("#181A1F"), "dark background missing");
}

#[test]
fn current_context_marker_is_an_overlay() {
    let s = share::decode("").state.scenario;
    let r = s.evaluate();
    let st = Style {
        width: 760,
        height: 380,
        palette: LIGHT,
    };
    let d = memory::data(&memory::MemoryInput::of(&s, &r, None, ByteUnits::Gib));
    let (ops, g) = chart::render(&st, |a| chart::memory::draw(a, &d, &st)).unwrap_or_else(|e| panic!("{e}"));
    // Moving the context does not change the chart, anywhere on the slider (the x axis is the
    // slider's range, 1 … 10⁷ tokens; the y axis is scaled to the trained 128k)…
    for ctx in ["1", "16k", "1M", "10M"] {
        let moved = share::decode(&format!("ctx={ctx}")).state.scenario;
        let d2 = memory::data(&memory::MemoryInput::of(
            &moved,
            &moved.evaluate(),
            None,
            ByteUnits::Gib,
        ));
        let (ops2, _) = chart::render(&st, |a| chart::memory::draw(a, &d2, &st)).unwrap_or_else(|e| panic!("{e}"));
        assert!(ops == ops2, "the memory chart changed at ctx={ctx}");
        let sp = speed::data(&speed::SpeedInput::of(&s, None));
        let sp2 = speed::data(&speed::SpeedInput::of(&moved, None));
        let (a, _) = chart::render(&st, |x| chart::speed::draw(x, &sp, &st)).unwrap_or_else(|e| panic!("{e}"));
        let (b, _) = chart::render(&st, |x| chart::speed::draw(x, &sp2, &st)).unwrap_or_else(|e| panic!("{e}"));
        assert!(a == b, "the speed chart changed at ctx={ctx}");
    }
    assert_eq!((g.x_min, g.x_max), (1.0, 1e7));
    // Llama-3.1-8B at its trained 131,072 tokens in bf16 needs 16 GiB of KV cache besides 15 GiB
    // of weights: the y axis reaches past the H100's 80 GiB (79.6 GiB × 1.08 → the next nice
    // value, 90), not the 1.2 TiB the cache would need at 10⁷ tokens.
    assert!(g.y_max / f64::from(1u32 << 30) <= 100.0, "y axis to {} bytes", g.y_max);
    // …only the marker: a vertical line at x = 8192 with its label.
    let m = chart::marker(&g, &st, 8192.0, None, "8k tokens");
    let svg = chart::record::to_svg(&m, (760, 380));
    assert!(svg.contains(">8k tokens</text>"), "{svg}");
    let x = g.px_of(8192.0).round() as i32;
    // Top to bottom, broken only where it would cross a label of the chart (the "KV = weights"
    // label spans x = 8,192 at this width).
    assert!(svg.contains(&format!(r#"d="M{x},{} "#, g.top)), "{svg}");
    assert!(svg.contains(&format!(r#" {x},{}""#, g.bottom)), "{svg}");
    let gap = g.label_boxes.iter().flatten().find(|b| x >= b.0 && x <= b.2).copied();
    if let Some(b) = gap {
        assert!(svg.contains(&format!("{x},{}M{x},{}", b.1 - 2, b.3 + 2)), "{svg}");
    }
}

#[test]
fn tables_and_csv() {
    let state = share::decode("").state;
    let s = &state.scenario;
    let r = s.evaluate();
    let t = memory::table(
        &memory::data(&memory::MemoryInput::of(s, &r, None, ByteUnits::Gib)),
        &memory::sample(s, s.ctx as f64),
    );
    let csv = t.csv();
    assert!(csv.starts_with("context_tokens,weights_bytes,kv_cache_bytes,activation_bytes,total_bytes,note\n"));
    // The current context's row carries exact bytes: 8192 tokens → KV 1,073,741,824 B.
    assert!(csv.contains("8192,16060522496,1073741824,"), "{csv}");
    assert!(
        t.rows
            .iter()
            .any(|r| r.last().is_some_and(|c| c.text.contains("current")))
    );
    let summary = memory::summary(s, &r, ByteUnits::Gib);
    assert!(
        summary.starts_with("At 8,192 tokens the KV cache (the activations kept for past tokens) is 1.00 GiB"),
        "{summary}"
    );
    // At 128k tokens the cache is 16 GiB, more than the 15.0 GiB of weights.
    let long = share::decode("ctx=128k").state.scenario;
    let lr = long.evaluate();
    let ls = memory::summary(&long, &lr, ByteUnits::Gib);
    assert!(
        ls.starts_with(
            "At 131,072 tokens the KV cache (the activations kept for past tokens) is 16.0 GiB, more than the 15.0 GiB of weights"
        ),
        "{ls}"
    );
    assert!(!chart::working::working(s, &r, ByteUnits::Gib).is_empty());
    // The page keeps the curves' data from one context (they do not depend on it) and builds the
    // table at another: the "current" row is the context asked for, 100,000 tokens (KV = 100,000 ×
    // 131,072 B = 13,107,200,000 B), not the one the curves were computed at.
    let moved = share::decode("ctx=100000").state.scenario;
    let t = memory::table(
        &memory::data(&memory::MemoryInput::of(s, &r, None, ByteUnits::Gib)),
        &memory::sample(&moved, 100_000.0),
    );
    let current: Vec<&Vec<chart::Cell>> = t
        .rows
        .iter()
        .filter(|r| r.last().is_some_and(|c| c.text.contains("current")))
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0][0].text, "100,000");
    assert!(t.csv().contains("100000,16060522496,13107200000,"), "{}", t.csv());
    // Past the trained length the current context is the long one: said once.
    let far = share::decode("ctx=3M").state.scenario;
    let fs = speed::summary(&far, &far.evaluate());
    assert_eq!(fs.matches("3,145,728 tokens").count(), 1, "{fs}");
    assert!(!fs.contains("131,072"), "{fs}");
    let near = speed::summary(s, &r);
    assert!(
        near.contains("at 8,192 tokens") && near.contains("at 131,072 tokens"),
        "{near}"
    );
    let sp = speed::data(&speed::SpeedInput::of(s, None));
    let st = speed::table(&sp, &speed::sample(&moved, 100_000.0));
    assert!(
        st.rows
            .iter()
            .any(|r| r[0].text == "100,000" && r.last().is_some_and(|c| c.text == "current"))
    );
}

#[test]
fn sentences_say_where_numbers_pass_the_limit_and_what_would_fit() {
    // One rounding rule: 16,060,522,496 B of weights / 131,072 B per token = 122,532.9 tokens;
    // every view shows the first whole context at which the cache is at least the weights.
    let s = share::decode("").state.scenario;
    let r = s.evaluate();
    assert_eq!(chart::words::crossover_tokens(&r), Some(122_533.0));
    let d = memory::data(&memory::MemoryInput::of(&s, &r, None, ByteUnits::Gib));
    assert_eq!(d.crossover, Some(122_533.0));
    // The trained context is 131,072 tokens: equal is within it, one more is beyond.
    assert_eq!(chart::words::beyond_limit(131_072.0, &r), "");
    assert_eq!(
        chart::words::beyond_limit(131_073.0, &r),
        " — beyond the 128k-token context Llama-3.1-8B supports"
    );
    // Llama-3.1-70B bf16 at 32k on one H100: 141,107,412,992 B of weights + 10,737,418,240 B of
    // KV + 1,677,721,600 B of activations = 153,522,552,832 B; one GPU holds 80 × 2³⁰ =
    // 85,899,345,920 B, so 153,522,552,832 / 85,899,345,920 = 1.79 → 2 GPUs.
    let big = share::decode("model=llama-3.1-70b&ctx=32k").state.scenario;
    let br = big.evaluate();
    assert!((br.inference.total_bytes - 153_522_552_832.0).abs() < 1.0);
    let a = br.inference.advice.clone().expect("does not fit");
    assert_eq!(a.gpus, Some(2));
    // The suggested format fits, and every format with more weight bytes than it does not.
    let f = a.weights.expect("a smaller format fits");
    let with = |w| estimate::Scenario {
        weights: w,
        ..big.clone()
    };
    let chosen = with(f).evaluate();
    assert!(chosen.inference.fits);
    for g in estimate::precision::WeightFormat::ALL {
        let t = with(g).evaluate();
        if t.inference.weights_bytes > chosen.inference.weights_bytes && g != big.weights {
            assert!(!t.inference.fits, "{g:?} has more bytes and fits too");
        }
    }
    let sentence = memory::summary(&big, &br, ByteUnits::Gib);
    assert!(
        sentence.contains("It does not fit: even the weights do not fit in 80.0 GiB."),
        "{sentence}"
    );
    assert!(sentence.ends_with("or unchanged on 2 × H100 SXM 80GB."), "{sentence}");
    assert_eq!(r.inference.advice, None, "the default fits: no advice");
    // Training that does not fit: each suggested change, applied alone, fits.
    let t = share::decode("model=llama-3.1-70b&mode=train&ctx=4k&dp=8")
        .state
        .scenario;
    let tr = t.evaluate();
    let ta = tr.training.advice.clone().expect("does not fit");
    if let Some((dp, rec)) = ta.dp_zero3 {
        let mut k = t.training;
        k.zero = 3;
        k.dp = dp;
        if rec {
            k.recompute = estimate::training::Recompute::Full;
        }
        let fixed = estimate::Scenario {
            training: k,
            ..t.clone()
        }
        .evaluate();
        assert!(fixed.training.fits);
        // And half as many GPUs would not.
        k.dp = dp / 2;
        assert!(
            dp / 2 < 8
                || !estimate::Scenario {
                    training: k,
                    ..t.clone()
                }
                .evaluate()
                .training
                .fits
        );
    } else {
        panic!("ZeRO-3 over enough GPUs fits a 70B model: {ta:?}");
    }
    let bs = breakdown::summary(&t, &tr, ByteUnits::Gib);
    assert!(
        bs.contains("Training does not fit one H100 SXM 80GB. It would fit with"),
        "{bs}"
    );
}

#[test]
fn the_breakdown_sentence_reads_true_both_ways() {
    // 64-way ZeRO-3 with full recomputation: each GPU holds less than serving needs.
    let q = "model=llama-3.1-70b&weights=q4_k_m&mode=train&zero=3&dp=64&recompute=full&ctx=4k";
    let s = share::decode(q).state.scenario;
    let r = s.evaluate();
    assert!(r.training.memory.total_bytes < r.inference.total_bytes);
    let bs = breakdown::summary(&s, &r, ByteUnits::Gib);
    assert!(bs.contains("on each of its 64 GPUs, 0."), "{bs}");
    assert!(
        bs.contains("only because parallelism splits it: in all it holds"),
        "{bs}"
    );
    // One GPU, full training: more, and says why.
    let one = share::decode("mode=train").state.scenario;
    let or = one.evaluate();
    let os = breakdown::summary(&one, &or, ByteUnits::Gib);
    assert!(
        os.starts_with("Serving needs 16.7 GiB in all (on 1 GPU); training on 1 GPU needs"),
        "{os}"
    );
    assert!(
        os.contains("× as much, because gradients and optimizer states add"),
        "{os}"
    );
}

#[test]
fn a_resized_preset_is_not_credited_with_the_published_tokens() {
    // Llama-3.1-8B was published on 15T tokens; a 7B resize of it was not: 20 × 7e9 = 1.4e11.
    let s = share::decode("params=7B").state.scenario;
    assert_eq!(s.evaluate().chinchilla.training_tokens, 1.4e11);
    assert_eq!(
        share::decode("").state.scenario.evaluate().chinchilla.training_tokens,
        15e12
    );
}

#[test]
fn one_token_is_a_token() {
    // The slider's minimum: "1 token", never "1 tokens" (sentences and read-out labels).
    let s = share::decode("ctx=1").state.scenario;
    let r = s.evaluate();
    let m = memory::summary(&s, &r, ByteUnits::Gib);
    assert!(m.starts_with("At 1 token the KV cache"), "{m}");
    let sp = speed::summary(&s, &r);
    assert!(sp.contains(" at 1 token, "), "{sp}");
    assert!(!m.contains("1 tokens") && !sp.contains("1 tokens"));
    assert_eq!(estimate::units::tokens_word(1.0), "token");
    assert_eq!(estimate::units::tokens_word(2.0), "tokens");
}

/// Whether the segment from `a` to `b` passes through the box (x0, y0, x1, y1) (axis-aligned
/// segments, as reference lines and markers are; others are checked by their bounding box).
fn crosses(a: (i32, i32), b: (i32, i32), bx: (i32, i32, i32, i32)) -> bool {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    x1 >= bx.0 && x0 <= bx.2 && y1 >= bx.1 && y0 <= bx.3
}

/// A pixel box (x0, y0, x1, y1).
type PxBox = (i32, i32, i32, i32);

/// The text of a text op and the pixel box it covers (width from the renderer's advance, the
/// height of its size, placed by its own horizontal and vertical anchor).
fn text_box(op: &chart::record::Op) -> Option<(&str, PxBox)> {
    use chart::record::{Align, Baseline, Op};
    let Op::Text {
        text,
        at,
        px,
        align,
        baseline,
        ..
    } = op
    else {
        return None;
    };
    let w = (text.chars().count() as f64 * px * chart::record::EM_ADVANCE) as i32;
    let h = *px as i32;
    let x0 = match align {
        Align::End => at.0 - w,
        Align::Middle => at.0 - w / 2,
        Align::Start => at.0,
    };
    let y0 = match baseline {
        Baseline::Top => at.1,
        Baseline::Middle => at.1 - h / 2,
        Baseline::Bottom => at.1 - h,
    };
    Some((text, (x0, y0, x0 + w, y0 + h)))
}

/// No two horizontal texts of a drawing overlap.
fn no_two_texts_overlap(ops: &[chart::record::Op], case: &str) {
    use chart::record::Op;
    let all: Vec<(&str, PxBox)> = ops
        .iter()
        .filter(|op| matches!(op, Op::Text { rotate: 0, .. }))
        .filter_map(text_box)
        .collect();
    for (i, (t1, b1)) in all.iter().enumerate() {
        for (t2, b2) in &all[i + 1..] {
            let apart = b1.2 <= b2.0 || b2.2 <= b1.0 || b1.3 <= b2.1 || b2.3 <= b1.1;
            assert!(apart, "{case}: \"{t1}\" {b1:?} overlaps \"{t2}\" {b2:?}");
        }
    }
}

#[test]
fn no_reference_line_or_marker_crosses_a_label_on_the_memory_chart() {
    use chart::record::Op;
    // Short and long contexts, small and huge models, 1 and 8 GPUs, narrow and wide layouts —
    // including the README's screenshot (Llama-3.1-70B Q4_K_M, whose crossover sits on the
    // H100's 80 GiB line) and models whose crossover is beyond their trained context.
    let scenarios = [
        "",
        "model=llama-3.1-70b&weights=q4_k_m&ctx=32k",
        "model=gpt-3-175b&gpus=8",
        "model=mixtral-8x7b&gpus=2",
        "model=deepseek-v3&gpus=8&gpu=h200-141gb",
        "model=deepseek-v3&gpus=8&gpu=h200-141gb&engine=vllm",
        "model=llama-3.2-1b&gpu=rtx-4090-24gb",
        "model=llama-3.1-8b&weights=q4_k_m&gpu=rtx-4090-24gb",
        // The crossover is beyond the trained 128k and off the top: its dot sits on the top
        // edge beside the "beyond the trained" label.
        "model=gpt-oss-120b&weights=mxfp4&engine=vllm&ctx=128k",
    ];
    for q in scenarios {
        for width in [340u32, 380, 760, 1100] {
            let s = share::decode(q).state.scenario;
            let r = s.evaluate();
            let st = Style::for_width(width, LIGHT);
            let d = memory::data(&memory::MemoryInput::of(&s, &r, None, ByteUnits::Gib));
            let (ops, g) = chart::render(&st, |a| chart::memory::draw(a, &d, &st)).unwrap_or_else(|e| panic!("{e}"));
            let boxes: Vec<(i32, i32, i32, i32)> = g.label_boxes.iter().flatten().copied().collect();
            let cap = LIGHT.capacity;
            let capacity_segments = ops.iter().filter_map(|op| match op {
                Op::Line { from, to, paint, .. } if paint.rgb == (cap.0, cap.1, cap.2) => Some((*from, *to)),
                _ => None,
            });
            for (a, b) in capacity_segments {
                for bx in &boxes {
                    assert!(
                        !crosses(a, b, *bx),
                        "{q} at {width}px: the GPU line crosses a label at {bx:?}"
                    );
                }
            }
            // No band edge (the curves) runs through a label: the two placed labels, and every
            // text drawn inside the plot (the GPU line's label too).
            let band_paints = [LIGHT.weights, LIGHT.kv, LIGHT.activations, LIGHT.marker].map(|c| (c.0, c.1, c.2));
            let mut texts: Vec<(String, (i32, i32, i32, i32))> =
                boxes.iter().map(|b| ("placed label".to_string(), *b)).collect();
            for op in &ops {
                let in_plot = matches!(op, Op::Text { at, .. }
                    if at.0 > g.left && at.0 < g.right && at.1 > g.top && at.1 < g.bottom);
                if let Some((text, bx)) = text_box(op).filter(|_| in_plot) {
                    texts.push((text.to_string(), bx));
                }
            }
            for op in &ops {
                if let Op::Path { points, paint, .. } = op
                    && band_paints.contains(&paint.rgb)
                {
                    for seg in points.windows(2) {
                        for (text, bx) in &texts {
                            assert!(
                                !chart::segment_hits_box(seg[0], seg[1], *bx),
                                "{q} at {width}px: a curve crosses \"{text}\" at {bx:?}"
                            );
                        }
                    }
                }
            }
            // Labels stay inside the plot (clear of the legend and its notes above it).
            for bx in &boxes {
                assert!(
                    bx.0 >= g.left && bx.2 <= g.right && bx.1 >= g.top && bx.3 <= g.bottom,
                    "{q} at {width}px: a label at {bx:?} leaves the plot {g:?}"
                );
            }
            // Labels do not overlap each other.
            if let [Some(x), Some(y)] = g.label_boxes {
                assert!(!crosses((x.0, x.1), (x.2, x.3), y), "{q} at {width}px: labels overlap");
            }
            // No two texts anywhere on the chart overlap (issue 25: the top corner's "↑ 1.25 TiB
            // at 10M tokens" printed over "KV = weights at 9,576,891").
            no_two_texts_overlap(&ops, &format!("{q} at {width}px"));
            // The context marker, anywhere on the slider, leaves them clear.
            for ctx in [16.0, 1024.0, 20_000.0, 65_536.0, 131_072.0, 1e6] {
                for op in chart::marker(&g, &st, ctx, None, "64k tokens") {
                    if let Op::Line { from, to, .. } = op {
                        for bx in &boxes {
                            assert!(
                                !crosses(from, to, *bx),
                                "{q} at {width}px: the marker at {ctx} crosses {bx:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The Chinchilla chart's data for a link's scenario.
fn chinchilla_data(q: &str) -> chinchilla::ChinchillaData {
    let s = share::decode(q).state.scenario;
    chinchilla::data(&chinchilla::TrainingDataInput::of(&s, &s.evaluate()))
}

#[test]
fn no_line_crosses_a_label_on_the_chinchilla_chart() {
    use chart::record::Op;
    // Small, mid-size and huge models, under-, over- and optimally trained, each fit, at the
    // narrow, embed and desktop widths, light and dark (the same geometry, different paints).
    let scenarios = [
        "mode=train",
        "model=chinchilla-70b",
        "model=llama-3.1-70b&mode=train",
        "model=gpt-3-175b&mode=train",
        "model=llama-3.2-1b&mode=train",
        "model=deepseek-v3&mode=train",
        "params=7B&mode=train",
        "mode=train&fit=epoch",
        "model=llama-3.1-70b&mode=train&fit=approach1",
        "model=mixtral-8x7b&mode=train&fit=approach2",
    ];
    for q in scenarios {
        let d = chinchilla_data(q);
        let label_texts: Vec<String> = d.famous.iter().map(|m| m.label.clone()).collect();
        for width in [320u32, 340, 360, 380, 560, 760, 1100] {
            for palette in [LIGHT, DARK] {
                let st = Style::for_width(width, palette);
                let (ops, _) =
                    chart::render(&st, |a| chart::chinchilla::draw(a, &d, &st)).unwrap_or_else(|e| panic!("{e}"));
                let line_paints = [palette.weights, palette.kv, palette.muted].map(|c| (c.0, c.1, c.2));
                // (op index, from, to): a line drawn before a plate of the background colour
                // that covers the label is hidden by it.
                let mut segments = Vec::new();
                for (i, op) in ops.iter().enumerate() {
                    match op {
                        Op::Line { from, to, paint, .. } if line_paints.contains(&paint.rgb) => {
                            segments.push((i, *from, *to))
                        }
                        Op::Path { points, paint, .. } if line_paints.contains(&paint.rgb) => {
                            segments.extend(points.windows(2).map(|w| (i, w[0], w[1])))
                        }
                        _ => {}
                    }
                }
                let bg = (palette.background.0, palette.background.1, palette.background.2);
                let hidden_under_plate = |i: usize, bx: (i32, i32, i32, i32)| {
                    ops.iter().skip(i + 1).any(|op| {
                        matches!(op, Op::Rect { from, to, paint, fill: true, .. }
                            if paint.rgb == bg && from.0 <= bx.0 && from.1 <= bx.1 && to.0 >= bx.2 && to.1 >= bx.3)
                    })
                };
                let mut shown = 0;
                // Its name, or on a narrow plot the name's first clause, with its tokens.
                let current = d.current.label.split(", ").next().unwrap_or_default().to_string();
                assert!(
                    ops.iter()
                        .any(|op| matches!(op, Op::Text { text, .. } if text.starts_with(&current))),
                    "{q} at {width}px: the current model's label is missing"
                );
                for name in chinchilla::ALWAYS_LABELLED {
                    assert!(
                        ops.iter().any(|op| matches!(op, Op::Text { text, .. } if text == name)),
                        "{q} at {width}px: the label {name} is missing"
                    );
                }
                for op in &ops {
                    let Some((text, bx)) = text_box(op) else {
                        continue;
                    };
                    let text = &text.to_string();
                    let is_label = label_texts.contains(text) || text.ends_with(" FLOPs") || text.starts_with(&current);
                    if !is_label {
                        continue;
                    }
                    shown += 1;
                    for &(i, a, b) in &segments {
                        assert!(
                            !chart::segment_hits_box(a, b, bx) || hidden_under_plate(i, bx),
                            "{q} at {width}px: a line {a:?}–{b:?} crosses the label \"{text}\" at {bx:?}"
                        );
                    }
                }
                // Labels are not all dropped to pass: the current model's and some others show.
                assert!(shown >= 2, "{q} at {width}px: only {shown} labels");
                no_two_texts_overlap(&ops, &format!("{q} at {width}px"));
            }
        }
    }
}

/// What a reader sees where they look: the read-out with the pointer on the current-context
/// marker says the same numbers as the table's "current" row and the marker's own label, for
/// both context charts, through the trait the page uses.
/// Every name on the Chinchilla chart is nearer its own dot than any other dot, at the phone,
/// tablet and desktop widths: a label beside two dots reads as the nearer one's (issue 26:
/// "Chinchilla" next to Llama 2 70B's dot, "GPT-3" under Gopher's at 390 px). The famous dots
/// that go unlabelled are few, and Chinchilla's and Gopher's are always named.
#[test]
fn each_label_on_the_chinchilla_chart_names_its_own_dot() {
    use chart::record::Op;
    let scenarios = [
        "mode=train",
        "model=chinchilla-70b&mode=train",
        "model=llama-3.1-70b&mode=train",
        "model=deepseek-v3&mode=train",
        "model=llama-3.2-1b&mode=train",
        "mode=train&compute=1e23",
        "mode=train&inference_tokens=2T",
        "model=chinchilla-70b&mode=train&compute=3.8e25&inference_tokens=20T",
    ];
    for q in scenarios {
        let d = chinchilla_data(q);
        let points: Vec<&chinchilla::LabelledPoint> = d.famous.iter().chain(&d.asked).collect();
        for width in [320u32, 360, 390, 560, 768, 1100, 1280] {
            let st = Style::for_width(width, LIGHT);
            let (ops, g) =
                chart::render(&st, |a| chart::chinchilla::draw(a, &d, &st)).unwrap_or_else(|e| panic!("{e}"));
            let px = |n: f64, t: f64| g.drawn_at((n, t));
            // Every dot drawn, by its centre (the famous, the asked, this model, its optimum).
            let dots: Vec<(i32, i32)> = ops
                .iter()
                .filter_map(|op| match op {
                    Op::Circle { center, fill: true, .. } => Some(*center),
                    _ => None,
                })
                .collect();
            let mut unnamed = Vec::new();
            for m in &points {
                let near = px(m.params, m.tokens);
                let own = dots
                    .iter()
                    .copied()
                    .min_by_key(|c| (c.0 - near.0).pow(2) + (c.1 - near.1).pow(2))
                    .unwrap_or(near);
                assert!(
                    (own.0 - near.0).abs() <= 1 && (own.1 - near.1).abs() <= 1,
                    "{q} at {width}px: no dot drawn for {} at {near:?} ({dots:?})",
                    m.label
                );
                let Some(bx) = ops
                    .iter()
                    .filter_map(text_box)
                    .find(|(t, _)| *t == m.label)
                    .map(|(_, b)| b)
                else {
                    unnamed.push(m.label.clone());
                    continue;
                };
                // A label set apart where dots crowd is tied to its dot by a leader line.
                let segments = ops.iter().flat_map(|op| match op {
                    Op::Line { from, to, .. } => vec![(*from, *to)],
                    Op::Path { points, .. } => points.windows(2).map(|w| (w[0], w[1])).collect(),
                    _ => Vec::new(),
                });
                let close = |a: (i32, i32), b: (i32, i32)| (a.0 - b.0).abs() <= 1 && (a.1 - b.1).abs() <= 1;
                let led = segments
                    .clone()
                    .any(|(a, b)| close(a, own) && chart::distance_to_box(b, bx) <= 4.0);
                if led {
                    continue;
                }
                let mine = chart::distance_to_box(own, bx);
                for &c in dots.iter().filter(|&&c| c != own) {
                    assert!(
                        chart::distance_to_box(c, bx) > mine,
                        "{q} at {width}px: the label \"{}\" at {bx:?} is nearer the dot at {c:?} than its own at {own:?}",
                        m.label
                    );
                }
            }
            for name in chinchilla::ALWAYS_LABELLED {
                assert!(!unnamed.iter().any(|u| u == name), "{q} at {width}px: {name} unnamed");
            }
            // On a phone the asked answers may be known by their colour (the legend's "Budget /
            // serving optima") and the sentence under the chart; wider, they are named.
            assert!(
                width < 480 || !d.asked.iter().any(|a| unnamed.contains(&a.label)),
                "{q} at {width}px: an asked point is unnamed ({unnamed:?})"
            );
            // A desktop names nearly every dot; a phone at least half (the table lists them all).
            let most = if width >= 1100 { points.len() - 2 } else { 0 };
            assert!(
                points.len() - unnamed.len() >= most,
                "{q} at {width}px: {} of {} dots named; unnamed: {unnamed:?}",
                points.len() - unnamed.len(),
                points.len()
            );
        }
    }
}

#[test]
fn the_read_out_at_the_marker_says_the_tables_current_row() {
    for q in [
        "",
        "model=llama-3.1-70b&weights=q4_k_m&ctx=32k&batch=4&gpu=h100-sxm&gpus=2",
        "ctx=1",
    ] {
        let src = sources(q);
        let (i, now) = (memory::Memory::input(&src), memory::Memory::now(&src));
        let d = memory::Memory::data(&i);
        let m = memory::Memory::marker(&i, &now, &d).unwrap_or_else(|| panic!("{q}: the memory chart has a marker"));
        let said = memory::Memory::readout(&i, &now, &d, m.x);
        let t = memory::Memory::table(&i, &now, &d);
        let row = t
            .rows
            .iter()
            .find(|r| r.last().is_some_and(|c| c.text.contains("current")))
            .unwrap_or_else(|| panic!("{q}: a current row"));
        // "At 8,192 tokens: weights … + KV cache … + activations … = <total>"
        assert!(
            said.starts_with(&format!("At {} ", row[0].text)),
            "{q}: {said} / {}",
            row[0].text
        );
        for (col, cell) in row.iter().enumerate().take(5).skip(1) {
            assert!(
                said.contains(&cell.text),
                "{q}: column {col} {} not in {said}",
                cell.text
            );
        }
        // … and the verdict there, in the words the card and the sentence use.
        let e = &src.now;
        let v =
            llm_memviz::chart::words::verdict(e.report.inference.verdict, e.scenario.gpus, e.scenario.unified_memory());
        assert!(said.ends_with(&format!("= {}; {v}", row[4].text)), "{q}: {said}");
        assert_eq!(m.x, src.now.scenario.ctx as f64);

        let (i, now) = (speed::Speed::input(&src), speed::Speed::now(&src));
        let d = speed::Speed::data(&i);
        let m = speed::Speed::marker(&i, &now, &d).unwrap_or_else(|| panic!("{q}: the speed chart has a marker"));
        let said = speed::Speed::readout(&i, &now, &d, m.x);
        let t = speed::Speed::table(&i, &now, &d);
        let row = t
            .rows
            .iter()
            .find(|r| r.last().is_some_and(|c| c.text == "current"))
            .unwrap_or_else(|| panic!("{q}: a current row"));
        assert!(
            said.contains(&format!("about {} per token", row[1].text)),
            "{q}: {said} / {}",
            row[1].text
        );
        // The marker's dot is on the curve at the same time: label in ms, y in seconds.
        let y = m.y.unwrap_or(f64::NAN);
        assert_eq!(row[1].raw, Some(y), "{q}");
        assert!(m.label.ends_with(&format!("{:.2} ms", y * 1e3)), "{q}: {}", m.label);
    }
}

/// Comparing draws four bars (A's and B's inference, then A's and B's training); the read-out
/// names the bar under the pointer. It once indexed the two bars of the uncompared scenario.
#[test]
fn hovering_a_compared_bar_reads_that_bar() {
    let src = sources("model=llama-3.1-8b&ctx=8k&a.model=llama-3.1-70b");
    assert!(src.compare.is_some(), "the link pins a scenario to compare");
    let i = breakdown::Breakdown::input(&src);
    let d = breakdown::Breakdown::data(&i);
    assert_eq!(d.bars.len(), 4);
    let at = |x: f64| breakdown::Breakdown::readout(&i, &(), &d, x);
    // Bar k spans x ∈ [k, k + 1).
    assert!(at(0.5).starts_with("A: Inference"), "{}", at(0.5));
    assert!(at(1.5).starts_with("B: Inference"), "{}", at(1.5));
    assert!(at(2.5).starts_with("A: Training"), "{}", at(2.5));
    assert!(at(3.5).starts_with("B: Training"), "{}", at(3.5));
    // A's training bar is the 70B's: its total is A's report's per-GPU total.
    let a = src
        .compare
        .as_ref()
        .map_or(0.0, |c| c.report.training.memory.total_bytes);
    assert!(
        at(2.5).contains(&format!(
            "= {} ",
            llm_memviz::estimate::units::format_bytes(a, ByteUnits::Gib)
        )),
        "{}",
        at(2.5)
    );
}

/// The embed builder's ready embeds each show their claim within their controls' range.
#[test]
fn each_ready_embed_shows_its_claim() {
    use llm_memviz::chart::words::READY_EMBEDS;
    use llm_memviz::estimate::chinchilla::{self, Fit};
    let at = |q: &str, extra: &str| share::decode(&format!("{q}&{extra}")).state.scenario.evaluate();
    let claim = |i: usize| READY_EMBEDS[i].1;
    // Weights fixed, the KV cache grows: the weights are the same at 1k and 128k, the cache is not.
    let (short, long) = (at(claim(0), "ctx=1k"), at(claim(0), "ctx=128k"));
    assert_eq!(short.inference.weights_bytes, long.inference.weights_bytes);
    assert!(long.inference.kv_cache_bytes > 100.0 * short.inference.kv_cache_bytes);
    // 16 conversations: the cache equals the weights within the context slider's range.
    let c = at(claim(1), "")
        .inference
        .kv_equals_weights_at_context
        .unwrap_or(f64::INFINITY);
    assert!(c < 131_072.0, "{c}");
    // A 24 GB card: it fits at its default context and not at the longest one it supports.
    assert!(at(claim(2), "").inference.fits);
    assert!(!at(claim(2), "ctx=128k").inference.fits);
    // Slower as it grows.
    assert!(
        at(claim(3), "ctx=128k").inference.decode_seconds_per_token
            > 1.5 * at(claim(3), "ctx=1k").inference.decode_seconds_per_token
    );
    // Chinchilla beat Gopher: a lower loss (Hoffmann's fit) with about the same compute.
    let p = Fit::Hoffmann.loss_params().expect("Approach 3 has a loss");
    let (chin, gopher) = (chinchilla::loss(&p, 70e9, 1.4e12), chinchilla::loss(&p, 280e9, 300e9));
    assert!(chin < gopher, "{chin} vs {gopher}");
    let ratio = chinchilla::training_flops(70e9, 1.4e12) / chinchilla::training_flops(280e9, 300e9);
    assert!((ratio - 1.0).abs() < 0.2, "{ratio}");
    assert!(claim(4).contains("model=chinchilla-70b") && claim(4).contains("view=chinchilla"));
    // Double the model, double the tokens (the 20-per-parameter rule the chart draws).
    let (n1, n2) = (Fit::Rule20.optimal_tokens(70e9), Fit::Rule20.optimal_tokens(140e9));
    assert_eq!(n2, 2.0 * n1);
    assert!(claim(5).contains("controls=params"));
}

/// No line crosses a label inside the breakdown chart's plot (issue 25: the "633 GiB" bar
/// label was crossed by the dashed GPU line), for serving and training cases, one GPU and
/// eight, comparing, at the phone, embed and desktop widths.
#[test]
fn no_line_crosses_a_label_on_the_breakdown_chart() {
    use chart::record::Op;
    let scenarios = [
        "",
        "model=deepseek-v3&gpu=h200-141gb&gpus=8&engine=vllm",
        "model=deepseek-v3&gpu=h200-141gb&gpus=8&mode=train",
        "model=llama-3.1-70b&gpu=rtx-4090-24gb&engine=llamacpp",
        "model=llama-3.1-70b&mode=train&zero=3&dp=64&recompute=selective",
        "model=gpt-oss-120b&gpu=rtx-3090-24gb&engine=llamacpp&ram=64",
        "a.model=llama-3.1-8b&model=llama-3.1-70b",
    ];
    for q in scenarios {
        let src = sources(q);
        for width in [340u32, 390, 760, 1100, 1280] {
            let st = Style::for_width(width, LIGHT);
            type B = breakdown::Breakdown;
            let d = <B as Chart>::data(&<B as Chart>::input(&src));
            let (ops, g) =
                chart::render(&st, |a| <B as Chart>::draw(a, &d, &st)).unwrap_or_else(|e| panic!("{q}: {e}"));
            // Segments inside the plot (the axes on its edge are not lines across it).
            let on_edge = |a: (i32, i32), b: (i32, i32)| {
                (a.0 == b.0 && (a.0 <= g.left + 1 || a.0 >= g.right - 1))
                    || (a.1 == b.1 && (a.1 >= g.bottom - 1 || a.1 <= g.top + 1))
            };
            let mut segments = Vec::new();
            for op in &ops {
                match op {
                    Op::Line { from, to, .. } if !on_edge(*from, *to) => segments.push((*from, *to)),
                    Op::Path { points, .. } => segments.extend(
                        points
                            .windows(2)
                            .map(|w| (w[0], w[1]))
                            .filter(|(a, b)| !on_edge(*a, *b)),
                    ),
                    _ => {}
                }
            }
            let mut checked = 0;
            for (text, bx) in ops.iter().filter_map(text_box) {
                let inside = bx.0 >= g.left && bx.2 <= g.right && bx.1 >= g.top && bx.3 <= g.bottom;
                if !inside {
                    continue;
                }
                checked += 1;
                for &(a, b) in &segments {
                    assert!(
                        !chart::segment_hits_box(a, b, bx),
                        "{q} at {width}px: a line {a:?}–{b:?} crosses the label \"{text}\" at {bx:?}"
                    );
                }
            }
            assert!(checked >= 1, "{q} at {width}px: no label inside the plot");
            // Nor do two texts overlap (bar labels, the GPU line's, the bars' names).
            no_two_texts_overlap(&ops, &format!("{q} at {width}px"));
        }
    }
}
