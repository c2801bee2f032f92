//! Share links: malformed queries give the right warnings and keep every valid field;
//! decode(encode(state)) == state for reachable states; encode(decode(q)) is canonical; and
//! no input makes the decoder panic.

use llm_memviz::estimate::arch_field::ArchField;
use llm_memviz::estimate::chinchilla::Fit;
use llm_memviz::estimate::engine::Engine;
use llm_memviz::estimate::hardware;
use llm_memviz::estimate::precision::{KvDtype, WeightFormat};
use llm_memviz::estimate::presets;
use llm_memviz::estimate::scenario::{Mode, Scenario};
use llm_memviz::estimate::speed::Split;
use llm_memviz::estimate::training::{Optimizer, Recompute, TrainingKnobs};
use llm_memviz::estimate::units::ByteUnits;
use llm_memviz::share::{self, ChartId, ControlId, State, Theme, View};
use proptest::prelude::*;

/// GiB in bytes.
const GIB: f64 = 1_073_741_824.0;

/// One malformed-link case: the query, the warning keys expected, and a check on the state.
fn check(query: &str, warn_keys: &[&str], ok: impl Fn(&State) -> bool) {
    let d = share::decode(query);
    let keys: Vec<&str> = d.warnings.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(keys, warn_keys, "{query}: {:?}", d.warnings);
    assert!(ok(&d.state), "{query}: {:?}", d.state);
}

#[test]
fn malformed_links_warn_and_keep_the_rest() {
    // Garbage values fall back to defaults; valid neighbours survive.
    check("model=llama-9&ctx=32k", &["model"], |s| {
        s.scenario.model == "llama-3.1-8b" && s.scenario.ctx == 32_768
    });
    check("ctx=abc&batch=4", &["ctx"], |s| {
        s.scenario.ctx == 8192 && s.scenario.batch == 4
    });
    check("ctx=1e9", &["ctx"], |s| s.scenario.ctx == 10_000_000);
    check("ctx=0", &["ctx"], |s| s.scenario.ctx == 1);
    check("ctx=100.5", &["ctx"], |s| s.scenario.ctx == 101);
    check("ctx=NaN&kv=fp8", &["ctx"], |s| s.scenario.kv == KvDtype::Fp8);
    check("ctx=-5", &["ctx"], |s| s.scenario.ctx == 8192);
    check("weights=q4&kv=int8", &["weights"], |s| {
        s.scenario.weights == WeightFormat::Bf16 && s.scenario.kv == KvDtype::Int8
    });
    check("bogus=1&batch=2", &["bogus"], |s| s.scenario.batch == 2);
    check("batch=2&batch=3", &["batch"], |s| s.scenario.batch == 3);
    check("gpu=tpu-v5&gpus=8", &["gpu"], |s| {
        s.scenario.gpu == hardware::DEFAULT_ID && s.scenario.gpus == 8
    });
    check("mode=sleep", &["mode"], |s| s.scenario.mode == Mode::Infer);
    check("zero=7", &["zero"], |s| s.scenario.training.zero == 3);
    check("sp=maybe&flash=0", &["sp"], |s| !s.scenario.training.flash);
    check("kv_heads=5", &["kv_heads"], |s| s.scenario.resolve().arch.kv_heads == 8);
    check("layers=1e15", &["layers"], |s| s.scenario.resolve().arch.layers == 1000);
    check("experts_active=4", &["experts_active"], |s| s.scenario.arch.is_empty());
    check("v=3", &["v"], |s| *s == State::default());
    check("view=memory,pie", &["view"], |s| s.view.charts == vec![ChartId::Memory]);
    check("controls=ctx,batch", &[], |s| {
        s.view.controls == Some(vec![ControlId::Ctx, ControlId::Batch])
    });
    check("theme=sepia&units=gb", &["theme"], |s| {
        s.view.theme == Theme::Auto && s.view.units == ByteUnits::Gb
    });
    check("a.ctx=zzz&a.batch=4", &["a.ctx"], |s| {
        s.compare.as_ref().is_some_and(|a| a.batch == 4)
    });
    check("%zz=1", &["%zz"], |s| *s == State::default());
    check("", &[], |s| *s == State::default());
}

#[test]
fn a_model_opens_in_the_precision_it_ships_in_and_old_links_as_they_were() {
    // gpt-oss ships its experts in MXFP4, DeepSeek-V3 in FP8; llama.cpp runs gpt-oss as its
    // "MXFP4 MoE" GGUF. The link leaves the shipped format out.
    let open = |q: &str| share::decode(q).state.scenario;
    assert_eq!(open("model=gpt-oss-120b").weights, WeightFormat::Mxfp4);
    assert_eq!(open("model=deepseek-v3").weights, WeightFormat::Fp8);
    assert_eq!(
        open("model=gpt-oss-120b&engine=llamacpp").weights,
        WeightFormat::Mxfp4Moe
    );
    assert_eq!(
        share::encode(&share::decode("model=gpt-oss-120b&engine=llamacpp").state),
        "v=2&model=gpt-oss-120b&engine=llamacpp"
    );
    // A chosen format stays, and is written.
    let bf16 = share::decode("model=gpt-oss-120b&weights=bf16").state;
    assert_eq!(bf16.scenario.weights, WeightFormat::Bf16);
    assert_eq!(share::encode(&bf16), "v=2&model=gpt-oss-120b&weights=bf16");
    // A version 1 link opened every model in BF16 unless it said otherwise: it still does,
    // without a warning.
    let old = share::decode("v=1&model=gpt-oss-120b");
    assert!(old.warnings.is_empty(), "{:?}", old.warnings);
    assert_eq!(old.state.scenario.weights, WeightFormat::Bf16);
    assert_eq!(
        open("v=1&model=gpt-oss-120b&weights=q4_k_m").weights,
        WeightFormat::Q4KM
    );
    // Weights chosen on a model stay when the model changes; the shipped ones follow it.
    let mut s = open("model=gpt-oss-120b");
    assert_eq!(
        (share::keys::MODEL.apply)(&mut s, &share::keys::Value::Text("llama-3.1-8b".into())),
        None
    );
    assert_eq!(s.weights, WeightFormat::Bf16);
    s.weights = WeightFormat::Q4KM;
    assert_eq!(
        (share::keys::MODEL.apply)(&mut s, &share::keys::Value::Text("deepseek-v3".into())),
        None
    );
    assert_eq!(s.weights, WeightFormat::Q4KM);
}

#[test]
fn script_in_a_name_is_kept_as_text() {
    let d = share::decode("model=custom&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(d.state.scenario.name.as_deref(), Some("<script>alert(1)</script>"));
    // Encoding escapes it again.
    assert!(share::encode(&d.state).contains("name=%3Cscript%3Ealert%281%29%3C%2Fscript%3E"));
    // Control characters and overlong names are trimmed with a warning.
    let long = format!("name={}", "x".repeat(200));
    let d = share::decode(&long);
    assert_eq!(d.state.scenario.name.as_ref().map(|n| n.len()), Some(80));
    assert_eq!(d.warnings.len(), 1);
}

#[test]
fn canonical_examples() {
    assert_eq!(share::encode(&State::default()), "v=2");
    let d = share::decode("ctx=131072&model=llama-3.1-70b&weights=Q4_K_M&gpus=2&tokens=15000000000000");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(
        share::encode(&d.state),
        "v=2&model=llama-3.1-70b&weights=q4_k_m&ctx=128k&gpus=2&tokens=15T"
    );
    // A full URL works the same.
    let u = share::decode("https://wiki.example/tools/llm-memviz/?ctx=4096&params=7B#x");
    assert_eq!(share::encode(&u.state), "v=2&params=7B&ctx=4k");
    // Redundant overrides vanish: layers=32 is Llama-3.1-8B's own value.
    assert_eq!(share::encode(&share::decode("layers=32").state), "v=2");
}

fn scenario_strategy() -> impl Strategy<Value = Scenario> {
    let models: Vec<String> = presets::all()
        .iter()
        .map(|p| p.id.to_string())
        .chain(["custom".to_string()])
        .collect();
    let mut gpus: Vec<String> = hardware::all().iter().map(|g| g.id.to_string()).collect();
    gpus.push(hardware::CUSTOM_ID.to_string());
    (
        (
            prop::sample::select(models),
            prop::option::of("[a-zA-Z0-9 <>&\"'/]{1,20}"),
            prop::option::of(1_000u64..1_000_000_000_000_000u64),
            prop::collection::vec((prop::sample::select(ArchField::ALL.to_vec()), 1u64..200_000), 0..4),
            prop::sample::select(WeightFormat::ALL.to_vec()),
            prop::sample::select(KvDtype::ALL.to_vec()),
            1u64..=10_000_000,
            1u64..=10_000,
        ),
        (
            prop::sample::select(vec![Mode::Infer, Mode::Train]),
            prop::sample::select(Optimizer::ALL.to_vec()),
            prop::sample::select(Recompute::ALL.to_vec()),
            0u8..=3,
            (
                1u32..=1000,
                1u32..=1024,
                1u32..=1024,
                any::<bool>(),
                any::<bool>(),
                0u32..=65536,
                any::<bool>(),
            ),
            prop::sample::select(gpus),
            1u32..=65536,
            (
                prop::option::of(1_000_000u64..100_000_000_000_000_000u64),
                prop::sample::select(Fit::ALL.to_vec()),
                prop::sample::select(Engine::ALL.to_vec()),
                prop::sample::select(vec![0.5, 0.8, 0.9, 0.95, 1.0]),
                prop::option::of(0u32..=1000),
                prop::sample::select(vec![51.2, 89.6, 102.4, 307.2]),
                (
                    prop::sample::select(Split::ALL.to_vec()),
                    prop::sample::select(vec![0.2, 0.35, 0.4, 0.55]),
                    prop::sample::select(vec![16.0 * GIB, 32.0 * GIB, 64e9, 192.0 * GIB]),
                    0u32..=100,
                    prop::option::of(prop::sample::select(vec![
                        12.0 * GIB,
                        20e9,
                        64.0 * GIB,
                        1_500_000_000.0,
                    ])),
                    prop::option::of(prop::sample::select(vec![272.0, 936.2, 4000.0])),
                    prop::option::of(prop::sample::select(vec![29.0, 71.2, 989.4])),
                    prop::option::of(prop::sample::select(vec![1e23, 3.8e25, 1.234e21])),
                    prop::sample::select(vec![0.0, 2e12, 15e12]),
                ),
            ),
        ),
    )
        .prop_map(
            |(
                (model, name, params, arch, weights, kv, ctx, batch),
                (
                    mode,
                    optimizer,
                    recompute,
                    zero,
                    (dp, tp, pp, sp, flash, lora_rank, master),
                    gpu,
                    gpus,
                    (
                        tokens,
                        fit,
                        engine,
                        gpu_util,
                        gpu_layers,
                        ram_bw_gb_s,
                        (split, mfu, ram_bytes, cpu_moe, gpu_mem, gpu_bw, gpu_tflops, compute, inference_tokens),
                    ),
                ),
            )| {
                let s = Scenario {
                    model,
                    name: name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
                    params: params.map(|p| p as f64),
                    arch: arch
                        .into_iter()
                        .map(|(k, v)| {
                            let max = k.range().1;
                            (k, v.min(max as u64))
                        })
                        .collect(),
                    weights,
                    kv,
                    ctx,
                    batch,
                    mode,
                    training: TrainingKnobs {
                        optimizer,
                        recompute,
                        zero,
                        dp,
                        tp,
                        pp,
                        sp,
                        flash,
                        lora_rank,
                        master,
                    },
                    gpu,
                    gpus,
                    tokens: tokens.map(|t| t as f64),
                    fit,
                    engine,
                    gpu_util,
                    gpu_layers,
                    ram_bw_gb_s,
                    split,
                    mfu,
                    ram_bytes,
                    cpu_moe,
                    gpu_mem,
                    gpu_bw,
                    gpu_tflops,
                    compute,
                    inference_tokens,
                };
                share::normalize(&s).0
            },
        )
}

fn view_strategy() -> impl Strategy<Value = View> {
    (
        prop::sample::subsequence(ChartId::ALL.to_vec(), 1..=ChartId::ALL.len()),
        prop::option::of(prop::sample::subsequence(
            ControlId::ALL.to_vec(),
            0..=ControlId::ALL.len(),
        )),
        (any::<bool>(), any::<bool>()),
        prop::sample::select(vec![Theme::Auto, Theme::Light, Theme::Dark]),
        prop::sample::select(vec![ByteUnits::Gb, ByteUnits::Gib]),
        prop::option::of((
            prop::sample::select(ChartId::ALL.to_vec()),
            prop::option::of(prop::sample::select(vec![1.0, 8192.0, 70e9, 1.4e12, 3.5])),
        )),
    )
        .prop_map(|(charts, controls, (embed, chart_only), theme, units, focus)| View {
            charts,
            controls,
            embed,
            chart_only,
            theme,
            units,
            focus: focus.map(|f| f.0),
            at: focus.and_then(|f| f.1),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn round_trip(scenario in scenario_strategy(), compare in prop::option::of(scenario_strategy()), view in view_strategy()) {
        let state = State { scenario, compare, view };
        let q = share::encode(&state);
        let d = share::decode(&q);
        prop_assert!(d.warnings.is_empty(), "{q}: {:?}", d.warnings);
        prop_assert_eq!(&d.state, &state, "{}", q);
    }

    #[test]
    fn canonical_is_a_fixed_point(q in "[a-z_.=&%0-9kKbBtT,-]{0,80}") {
        let once = share::encode(&share::decode(&q).state);
        let twice = share::encode(&share::decode(&once).state);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn arbitrary_text_never_panics(q in any::<String>()) {
        let d = share::decode(&q);
        let _ = share::encode(&d.state);
        let r = d.state.scenario.evaluate();
        prop_assert!(r.inference.total_bytes.is_finite());
    }
}

#[test]
fn an_overridden_architecture_is_checked_as_a_whole_in_any_order() {
    // GPT-3's preset has 96 heads of 128 with 96 KV heads. 64 heads and 64 KV heads of 96 are a
    // valid multi-head shape together, though either change alone is inconsistent with the
    // preset's other value.
    let a = "model=gpt-3-175b&layers=48&hidden=6144&heads=64&kv_heads=64&head_dim=96&ffn=24576";
    let b = "model=gpt-3-175b&ffn=24576&head_dim=96&kv_heads=64&heads=64&hidden=6144&layers=48";
    let (da, db) = (share::decode(a), share::decode(b));
    assert!(da.warnings.is_empty(), "{:?}", da.warnings);
    assert!(db.warnings.is_empty(), "{:?}", db.warnings);
    assert_eq!(share::encode(&da.state), share::encode(&db.state));
    let arch = da.state.scenario.resolve().arch;
    assert_eq!(
        (arch.heads, arch.kv_heads, arch.head_dim, arch.layers),
        (64, 64, 96, 48)
    );
    // An inconsistent set still falls back key by key, with a message.
    let bad = share::decode("model=gpt-3-175b&kv_heads=64");
    assert_eq!(bad.warnings.len(), 1, "{:?}", bad.warnings);
}

#[test]
fn the_readme_link_table_names_every_value_a_link_accepts() {
    // The README's link-key table is the documentation readers copy from: every preset, GPU,
    // weight format, KV format, engine and architecture key the parser accepts must be in it.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap_or_default();
    let table: String = readme
        .lines()
        .filter(|l| l.starts_with("| `"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut missing = Vec::new();
    let mut want = |id: &str| {
        if !table.contains(&format!("`{id}`")) {
            missing.push(id.to_string());
        }
    };
    presets::all().iter().for_each(|p| want(&p.id));
    hardware::all().iter().for_each(|g| want(&g.id));
    WeightFormat::ALL.iter().for_each(|f| want(f.id()));
    KvDtype::ALL.iter().for_each(|k| want(k.id()));
    Engine::ALL.iter().for_each(|e| want(e.id()));
    ArchField::ALL.iter().for_each(|f| want(f.key()));
    llm_memviz::share::low::VIEW_KEYS.iter().for_each(|k| want(k));
    assert!(missing.is_empty(), "README link table lacks {missing:?}");
}

#[test]
fn the_readme_rows_are_the_key_definitions() {
    // Each scenario key's README row is generated from its one definition (share::keys): a key
    // whose meaning, values or default changes fails here until the README says the same.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap_or_default();
    let stale: Vec<String> = share::keys::SCENARIO
        .iter()
        .map(|k| (k, k.readme_row()))
        // A row names its key first (an empty row would match any blank README line).
        .filter(|(k, row)| !row.starts_with(&format!("| `{}` | ", k.name)) || !readme.lines().any(|l| l == row))
        .map(|(_, row)| row)
        .collect();
    assert!(stale.is_empty(), "README rows to paste:\n{}", stale.join("\n"));
}

/// An embed shows the control groups its link names, and a page without `controls=` shows all;
/// `controls=none` shows none.
#[test]
fn a_view_shows_the_controls_its_link_names() {
    use llm_memviz::share::ControlId;
    let all = share::decode("").state.view;
    assert!(ControlId::ALL.iter().all(|c| all.shows(*c)));
    let embed = share::decode("embed=1&controls=ctx,batch").state.view;
    assert!(embed.shows(ControlId::Ctx) && embed.shows(ControlId::Batch));
    assert!(!embed.shows(ControlId::Model) && !embed.shows(ControlId::Weights));
    let none = share::decode("embed=1&controls=none").state.view;
    assert!(ControlId::ALL.iter().all(|c| !none.shows(*c)));
}

/// Counts in links keep a suffix only while it stays short and exact.
#[test]
fn counts_are_written_short_and_exact() {
    use llm_memviz::share::encode_count;
    assert_eq!(encode_count(7e9), "7B");
    assert_eq!(encode_count(15e12), "15T");
    assert_eq!(encode_count(1.5e6), "1.5M");
    // 1,015,625 = 1.015625M exactly (1 + 1/64), but eight characters: longer than the plain
    // number's seven, so the plain number.
    assert_eq!(encode_count(1_015_625.0), "1015625");
    // 8,030,261,248 has no exact short form.
    assert_eq!(encode_count(8_030_261_248.0), "8030261248");
}

/// A link is read up to 16 KiB (16,384 bytes), cut before a character the limit would split,
/// and longer links say so; 256 parameters at most.
#[test]
fn long_links_are_cut_at_16_kib_on_a_character_boundary() {
    use share::low::{MAX_PAIRS, MAX_QUERY_BYTES, pairs};
    assert_eq!(MAX_QUERY_BYTES, 16_384);
    let said = |w: &[share::Warning]| w.iter().any(|w| w.to_string().contains("longer than 16384 bytes"));
    // Exactly 16,384 bytes: read whole, nothing said.
    let exact = format!("name={}", "a".repeat(16_384 - 5));
    let mut w = Vec::new();
    assert_eq!(pairs(&exact, &mut w)[0].1.len(), 16_379);
    assert!(!said(&w), "{w:?}");
    // "name=" then 2-byte "é"s: byte 16,384 falls inside one (each starts at an odd offset),
    // so the cut is at 16,383: 16,378 bytes of value, 8,189 whole "é".
    let long = format!("name={}", "é".repeat(9000));
    let mut w = Vec::new();
    let p = pairs(&long, &mut w);
    assert_eq!(p[0].1.chars().count(), 8189);
    assert!(p[0].1.chars().all(|c| c == 'é'));
    assert!(said(&w), "{w:?}");
    // 257 parameters: the first 256 are read.
    let many = (0..=MAX_PAIRS).map(|i| format!("k{i}=1")).collect::<Vec<_>>().join("&");
    let mut w = Vec::new();
    assert_eq!(pairs(&many, &mut w).len(), 256);
    assert!(w.iter().any(|w| w.to_string().contains("more than 256 parameters")));
}

/// Percent escapes in either case decode; a broken one stays as typed.
#[test]
fn percent_escapes_decode_in_either_case() {
    use share::low::percent_decode;
    assert_eq!(percent_decode("%c3%a9t%C3%A9"), "été");
    assert_eq!(percent_decode("a%2bb+c"), "a+b c");
    assert_eq!(
        percent_decode("%fa%FA"),
        "\u{FFFD}\u{FFFD}",
        "invalid UTF-8 is replaced"
    );
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz"), "%zz");
}

/// A list names each chart once, in its own order.
#[test]
fn a_chart_named_twice_is_shown_once() {
    use llm_memviz::share::ChartId;
    let view = share::decode("view=speed,memory,speed,memory").state.view;
    assert_eq!(view.charts, [ChartId::Speed, ChartId::Memory]);
}

/// Clamped values are named in the reader's terms: small numbers in full, huge ones as powers of
/// ten.
#[test]
fn clamp_messages_write_numbers_as_readers_do() {
    let w: Vec<String> = share::decode("batch=0&ctx=20000000")
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert!(
        w.contains(&"ctx: 2e7 is above the maximum 1e7; using 1e7".to_string()),
        "{w:?}"
    );
    assert!(
        w.contains(&"batch: 0 is below the minimum 1; using 1".to_string()),
        "{w:?}"
    );
}

#[test]
fn a_size_typed_back_to_the_presets_own_is_the_preset() {
    // Chinchilla 70B at 140B is resized (its shape assumed); typed back to 70B it is Chinchilla
    // again, not "(modified)".
    let big = share::decode("model=chinchilla-70b&params=140B").state.scenario;
    assert_eq!(big.resolve().name, "Chinchilla 70B at 140B, shape assumed");
    let back = share::decode("model=chinchilla-70b&params=70B").state;
    assert_eq!(back.scenario.params, None);
    assert_eq!(back.scenario.resolve().name, "Chinchilla 70B");
    assert_eq!(share::encode(&back), "v=2&model=chinchilla-70b");
}

#[test]
fn every_view_key_is_parsed_and_chart_only_round_trips() {
    // Each view key, with a value it accepts, is known to the parser (no warning).
    let sample = |k: &str| match k {
        "v" => "2",
        "view" => "memory",
        "controls" => "ctx",
        "theme" => "dark",
        "units" => "gb",
        "focus" => "memory",
        "at" => "4096",
        _ => "1",
    };
    for k in llm_memviz::share::low::VIEW_KEYS {
        let q = if k == "at" {
            "focus=memory&at=4096".to_string()
        } else {
            format!("{k}={}", sample(k))
        };
        let d = share::decode(&q);
        assert!(d.warnings.is_empty(), "{q}: {:?}", d.warnings);
    }
    let d = share::decode("view=memory&embed=1&chart_only=1");
    assert!(d.state.view.chart_only && d.state.view.embed);
    let again = share::decode(&share::encode(&d.state));
    assert_eq!(again.state, d.state);
    assert!(!share::decode("chart_only=0").state.view.chart_only);
    assert_eq!(share::decode("chart_only=maybe").warnings.len(), 1);
}
