//! Fits the speed model's constants (`src/estimate/speed.rs`) to the published measurements in
//! `tests/speed_rows`: for each engine's constants, the values that minimise the sum of squared
//! log ratios of expected to measured over the rows that use them (Nelder–Mead on the logs of
//! the constants). Prints the fitted values and each row's ratio; the constants in the source
//! are these values, rounded. `cargo run --release --example fit_speed [name-prefix]`;
//! `FIT_FREEZE=compute_efficiency,…` keeps the named constants as they are (the transformers
//! constants were fitted with `FIT_FREEZE=compute_efficiency,step_overhead_s`: no row pins its
//! prefill), `FIT_ALL=1` prints every row's ratio.

#[path = "../tests/speed_rows/mod.rs"]
mod speed_rows;

use llm_memviz::estimate::speed::{Constants, LLAMACPP_CUDA, LLAMACPP_METAL, TRANSFORMERS, VLLM};

/// The constants a fit may move: (name, getter, setter).
type Knob = (&'static str, fn(&Constants) -> f64, fn(&mut Constants, f64));

const KNOBS: [Knob; 9] = [
    (
        "bandwidth_efficiency",
        |c| c.bandwidth_efficiency,
        |c, v| c.bandwidth_efficiency = v.min(1.0),
    ),
    (
        "bytes_per_sm_clock",
        |c| c.bytes_per_sm_clock.unwrap_or(0.0),
        |c, v| {
            if c.bytes_per_sm_clock.is_some() {
                c.bytes_per_sm_clock = Some(v)
            }
        },
    ),
    (
        "layer_overhead_s",
        |c| c.layer_overhead_s,
        |c, v| c.layer_overhead_s = v,
    ),
    ("step_overhead_s", |c| c.step_overhead_s, |c, v| c.step_overhead_s = v),
    (
        "compute_efficiency",
        |c| c.compute_efficiency,
        |c, v| c.compute_efficiency = v.min(1.0),
    ),
    (
        "flops_per_sm_clock",
        |c| c.flops_per_sm_clock.unwrap_or(0.0),
        |c, v| {
            if c.flops_per_sm_clock.is_some() {
                c.flops_per_sm_clock = Some(v)
            }
        },
    ),
    ("allreduce_s", |c| c.allreduce_s, |c, v| c.allreduce_s = v),
    ("hop_s", |c| c.hop_s, |c, v| c.hop_s = v),
    (
        "kv_passes",
        |c| c.kv_passes,
        |c, v| {
            if c.kv_passes > 1.0 {
                c.kv_passes = v.max(1.0)
            }
        },
    ),
];

fn loss(c: &Constants, rows: &[&speed_rows::Row]) -> f64 {
    rows.iter()
        .map(|r| {
            let x = r.compare(Some(c));
            (x.expected / x.measured).ln().powi(2)
        })
        .sum()
}

fn with(base: &Constants, knobs: &[usize], logs: &[f64]) -> Constants {
    let mut c = *base;
    for (k, l) in knobs.iter().zip(logs) {
        (KNOBS[*k].2)(&mut c, l.exp());
    }
    c
}

/// Nelder–Mead minimisation of `f` from `x0` (standard coefficients 1, 2, 0.5, 0.5).
fn nelder_mead(f: impl Fn(&[f64]) -> f64, x0: &[f64], iterations: usize) -> Vec<f64> {
    let n = x0.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=n)
        .map(|i| {
            let mut x = x0.to_vec();
            if i > 0 {
                x[i - 1] += 0.3;
            }
            let v = f(&x);
            (x, v)
        })
        .collect();
    for _ in 0..iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|p| p.0[j]).sum::<f64>() / n as f64)
            .collect();
        let worst = simplex[n].clone();
        let at = |t: f64| -> Vec<f64> { (0..n).map(|j| centroid[j] + t * (worst.0[j] - centroid[j])).collect() };
        let r = at(-1.0);
        let fr = f(&r);
        if fr < simplex[0].1 {
            let e = at(-2.0);
            let fe = f(&e);
            simplex[n] = if fe < fr { (e, fe) } else { (r, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (r, fr);
        } else {
            let c = at(0.5);
            let fc = f(&c);
            if fc < worst.1 {
                simplex[n] = (c, fc);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 = (0..n).map(|j| best[j] + 0.5 * (p.0[j] - best[j])).collect();
                    p.1 = f(&p.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex[0].0.clone()
}

fn main() {
    let only = std::env::args().nth(1).unwrap_or_default();
    for base in [LLAMACPP_CUDA, LLAMACPP_METAL, VLLM, TRANSFORMERS] {
        if !base.name.starts_with(only.as_str()) {
            continue;
        }
        let rows: Vec<&speed_rows::Row> = speed_rows::ROWS
            .iter()
            .filter(|r| r.compare(None).constants == base.name)
            .collect();
        println!("\n== {} ({} rows)", base.name, rows.len());
        if rows.is_empty() {
            continue;
        }
        // Move only the constants some row depends on.
        let frozen = std::env::var("FIT_FREEZE").unwrap_or_default();
        let frozen: Vec<&str> = frozen.split(',').collect();
        let knobs: Vec<usize> = (0..KNOBS.len())
            .filter(|&k| !frozen.contains(&KNOBS[k].0))
            .filter(|&k| {
                let v = (KNOBS[k].1)(&base);
                if v <= 0.0 {
                    return false;
                }
                let mut c = base;
                (KNOBS[k].2)(&mut c, v * 1.5);
                (loss(&c, &rows) - loss(&base, &rows)).abs() > 1e-12
            })
            .collect();
        let x0: Vec<f64> = knobs.iter().map(|&k| (KNOBS[k].1)(&base).ln()).collect();
        let best = nelder_mead(|x| loss(&with(&base, &knobs, x), &rows), &x0, 600);
        let fitted = with(&base, &knobs, &best);
        for &k in &knobs {
            println!(
                "  {:22} {:.6e}  (was {:.6e})",
                KNOBS[k].0,
                (KNOBS[k].1)(&fitted),
                (KNOBS[k].1)(&base)
            );
        }
        let mut within = 0;
        let mut errs = Vec::new();
        let (prefill, rows): (Vec<&speed_rows::Row>, Vec<&speed_rows::Row>) = rows.iter().partition(|r| {
            matches!(
                r.measured,
                speed_rows::Measured::Prefill(_) | speed_rows::Measured::Ttft(_)
            )
        });
        let mut pre = Vec::new();
        for r in &prefill {
            let x = r.compare(Some(&fitted));
            pre.push((x.expected / x.measured - 1.0).abs());
        }
        pre.sort_by(f64::total_cmp);
        if !pre.is_empty() {
            println!(
                "  prefill rows: {} of {} within ±25 %, {} within ±50 %; median |error| {:.1} %",
                pre.iter().filter(|e| **e <= 0.25).count(),
                pre.len(),
                pre.iter().filter(|e| **e <= 0.5).count(),
                100.0 * pre[pre.len() / 2]
            );
        }
        for r in &rows {
            let x = r.compare(Some(&fitted));
            let ratio = x.expected / x.measured;
            errs.push((ratio - 1.0).abs());
            if std::env::var("FIT_ALL").is_ok() {
                println!("  {:5.2}× (bound {:5.2}×)  {}", ratio, x.bound / x.measured, r.query);
            }
            if (ratio - 1.0).abs() <= 0.25 {
                within += 1;
            } else {
                println!(
                    "  off: {:5.2}× (bound {:5.2}×)  {}",
                    ratio,
                    x.bound / x.measured,
                    r.query
                );
            }
        }
        errs.sort_by(f64::total_cmp);
        println!(
            "  within ±25 %: {within} of {}; median |error| {:.1} %",
            rows.len(),
            100.0 * errs[errs.len() / 2]
        );
    }
}
