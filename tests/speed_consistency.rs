//! One definition per figure, checked where readers see it: for many random valid scenarios
//! (every engine, one and several GPUs and both ways to split them, llama.cpp's GPU / RAM
//! split, MLA, sliding windows, mixtures of experts, training), each speed figure is the same
//! on the card, the chart's marker, its read-out, table and sentence, in the CLI's table and in
//! its JSON (and a report evaluated after a context move is the report of that scenario).
//! Before the estimator owned these figures, the decode card and the speed chart's
//! marker disagreed in 746 of 2,162 fitting scenarios of such a draw (744 with llama.cpp, whose
//! placement the chart ignored; 2 with transformers' expanded MLA cache).

use llm_memviz::chart::{Chart, Sources, cards, serving, speed};
use llm_memviz::cli;
use llm_memviz::estimate::engine::Engine;
use llm_memviz::estimate::precision::WeightFormat;
use llm_memviz::estimate::scenario::{Mode, Scenario};
use llm_memviz::estimate::speed::Split;
use llm_memviz::estimate::units::{ByteUnits, format_rate, format_seconds};
use llm_memviz::estimate::{hardware, presets};
use llm_memviz::share;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn scenario() -> impl Strategy<Value = Scenario> {
    let models: Vec<String> = presets::all().iter().map(|p| p.id.to_string()).collect();
    let gpus: Vec<String> = hardware::all().iter().map(|g| g.id.to_string()).collect();
    (
        prop::sample::select(models),
        prop::sample::select(WeightFormat::ALL.to_vec()),
        prop::sample::select(vec![1u64, 512, 4096, 8192, 32_768, 131_072, 1_000_000]),
        prop::sample::select(vec![1u64, 1, 4, 32, 256]),
        prop::sample::select(gpus),
        prop::sample::select(vec![1u32, 1, 2, 8, 16]),
        prop::sample::select(Engine::ALL.to_vec()),
        prop::sample::select(Split::ALL.to_vec()),
        prop::option::of(0u32..100),
        prop::sample::select(vec![Mode::Infer, Mode::Infer, Mode::Train]),
    )
        .prop_map(|(model, weights, ctx, batch, gpu, gpus, engine, split, ngl, mode)| {
            let s = Scenario {
                model,
                weights,
                ctx,
                batch,
                gpu,
                gpus,
                engine,
                split,
                gpu_layers: ngl,
                mode,
                ..Scenario::default()
            };
            share::normalize(&s).0
        })
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    let src = Sources::of(s, ByteUnits::Gib);
    let r = &src.now.report;
    let i = &r.inference;
    let query = share::encode(&share::State {
        scenario: s.clone(),
        ..share::State::default()
    });
    // The estimator's own figures, as the report has them.
    let (seconds, tps, throughput) = (
        i.decode_seconds_per_token,
        i.decode_tokens_per_s,
        i.throughput_tokens_per_s,
    );
    prop_assert_eq!(seconds, i.decode.seconds);
    prop_assert!(seconds.is_finite() && seconds > 0.0 && i.decode_seconds_per_token_bound <= seconds * (1.0 + 1e-12));

    // The speed chart: marker, read-out at the marker, the table's current row, the sentence.
    let (si, now) = (speed::Speed::input(&src), speed::Speed::now(&src));
    let sd = speed::Speed::data(&si);
    let m = speed::Speed::marker(&si, &now, &sd).ok_or_else(|| TestCaseError::fail("a marker"))?;
    prop_assert_eq!((m.x, m.y), (s.ctx as f64, Some(seconds)), "speed marker, {}", query);
    let said = speed::Speed::readout(&si, &now, &sd, m.x);
    prop_assert!(
        said.contains(&format!("about {} per token", format_seconds(seconds))),
        "{} / {}",
        said,
        query
    );
    let t = speed::Speed::table(&si, &now, &sd);
    let row = t.rows.iter().find(|r| r.last().is_some_and(|c| c.text == "current"));
    prop_assert_eq!(row.and_then(|r| r[1].raw), Some(seconds), "speed table, {}", query);
    let sentence = speed::Speed::summary(&si, &now, &sd);
    prop_assert!(
        sentence.contains(&format!("about {} per token", format_seconds(seconds))),
        "{} / {}",
        sentence,
        query
    );

    // The serving chart: its marker is the report's throughput.
    let (vi, vnow) = (serving::Serving::input(&src), serving::Serving::now(&src));
    let vd = serving::Serving::data(&vi);
    let vm = serving::Serving::marker(&vi, &vnow, &vd).ok_or_else(|| TestCaseError::fail("a marker"))?;
    prop_assert_eq!(vm.x, s.batch as f64, "serving marker, {}", query);
    prop_assert!(
        vm.label.ends_with(&format!("{} in all", format_rate(throughput))),
        "{} / {}",
        vm.label,
        query
    );
    prop_assert_eq!(vd.capacity, i.max_concurrency, "serving capacity, {}", query);

    // The cards and the CLI's table.
    let k = cards::key_numbers(s, r, ByteUnits::Gib, None);
    let table = cli::table(s, r, ByteUnits::Gib, &query);
    if s.mode == Mode::Train {
        let time = format_seconds(r.training.time.seconds);
        prop_assert!(
            k.cards.iter().any(|c| c.value == time),
            "training card {}: {:?}",
            time,
            query
        );
        prop_assert!(table.contains(&time), "CLI training time {}", query);
        prop_assert_eq!(r.chinchilla.training_seconds, r.training.time.seconds);
    } else if let Some(card) = k.cards.iter().find(|c| c.value.starts_with('≈')) {
        prop_assert!(
            card.value.starts_with(&format!("≈ {}", format_rate(tps))),
            "{} / {}",
            card.value,
            query
        );
    }
    prop_assert!(
        table.contains(&format!(
            "{} per sequence ({} per step;",
            format_rate(tps),
            format_seconds(seconds)
        )),
        "CLI {}",
        query
    );

    // The offload sentence under the memory chart says the same time.
    if let Some(o) = i.offload.filter(|o| o.gpu_layers < o.slots) {
        let words = llm_memviz::chart::words::offload_sentence(&o, &i.decode, ByteUnits::Gib);
        prop_assert!(
            words.contains(&format!("about {}", format_seconds(seconds))),
            "{}",
            words
        );
    }

    // The JSON: the same numbers, serialised from the same report.
    let out = cli::run(&["--json".to_string(), query.clone()]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).map_err(|e| TestCaseError::fail(e.to_string()))?;
    // serde_json reads a float back to within one unit in the last place.
    let same = |p: &str, want: f64| {
        json.pointer(p)
            .and_then(serde_json::Value::as_f64)
            .is_some_and(|got| (got - want).abs() <= want.abs() * 1e-15)
    };
    prop_assert!(same("/inference/decode_tokens_per_s", tps), "{}", query);
    prop_assert!(same("/inference/decode_seconds_per_token", seconds), "{}", query);
    prop_assert!(same("/inference/throughput_tokens_per_s", throughput), "{}", query);
    prop_assert!(same("/inference/prefill_seconds", i.prefill_seconds), "{}", query);
    prop_assert!(same("/training/time/seconds", r.training.time.seconds), "{}", query);
    Ok(())
}

#[test]
fn each_speed_figure_is_the_same_wherever_it_is_shown() {
    let cases = std::env::var("LLM_MEMVIZ_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(300, |n| n.min(5000));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&scenario(), |s| check(&s)) {
        panic!("{e}");
    }
}

#[test]
fn the_offloaded_example_agrees_on_card_chart_and_sentence() {
    // The scenario the issue found split: gpt-oss-120b (llama.cpp's MXFP4 MoE GGUF) on one RTX
    // 3090 at 16k tokens, as many layers on the GPU as fit.
    let s = share::decode("model=gpt-oss-120b&weights=mxfp4_moe&gpu=rtx-3090-24gb&engine=llamacpp&ctx=16k")
        .state
        .scenario;
    check(&s).unwrap_or_else(|e| panic!("{e}"));
    let r = s.evaluate();
    let o = r
        .inference
        .offload
        .unwrap_or_else(|| panic!("llama.cpp places the layers"));
    assert!(o.gpu_layers < o.slots && r.inference.decode.ram_bytes > 0.0, "{o:?}");
}

#[test]
fn a_report_after_a_context_move_is_the_report_of_that_scenario() {
    // The page evaluates a context move with `evaluate_after`, which takes the largest context
    // that fits from the report before the move: the same report as evaluating afresh.
    let mut runner = TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    });
    let moves = (
        scenario(),
        prop::sample::select(vec![1u64, 700, 8192, 65_536, 2_000_000]),
    );
    if let Err(e) = runner.run(&moves, |(s, ctx)| {
        let before = s.evaluate();
        let moved = share::normalize(&Scenario { ctx, ..s.clone() }).0;
        let after = moved.evaluate_after(Some((&s, &before)));
        prop_assert_eq!(
            &after,
            &moved.evaluate(),
            "{}",
            share::encode(&share::State {
                scenario: moved.clone(),
                ..Default::default()
            })
        );
        Ok(())
    }) {
        panic!("{e}");
    }
}
