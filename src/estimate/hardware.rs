//! Accelerator catalog: memory, bandwidth and dense BF16 throughput, from vendor datasheets.
//!
//! Capacities are the vendor's "GB" figure read as GiB (2³⁰ bytes), which is what the memory
//! stacks hold (an "80GB" H100 reports 81,559 MiB to `nvidia-smi`, 99.6 % of 80 GiB); bandwidth
//! is in vendor GB/s (10⁹ bytes per second); throughput is dense (no 2:4 sparsity).

use std::borrow::Cow;

pub use super::catalog::Gpu;

impl Gpu {
    /// Memory in bytes.
    pub fn memory_bytes(&self) -> f64 {
        self.memory_gib * 1_073_741_824.0
    }
    /// Memory an engine sees, in bytes: the measured `nvidia-smi` total where quoted, else the
    /// catalog figure.
    pub fn engine_memory_bytes(&self) -> f64 {
        self.engine_mib.map_or_else(|| self.memory_bytes(), |m| m * 1_048_576.0)
    }
    /// Bandwidth in bytes per second.
    pub fn bandwidth_bytes_per_s(&self) -> f64 {
        self.bandwidth_gb_s * 1e9
    }
    /// Dense BF16 FLOP/s.
    pub fn flops(&self) -> f64 {
        self.bf16_tflops * 1e12
    }
}

// `GPUS`: `data/gpus.json` as Rust, written by `build.rs`, which fails the build when the file
// does not match the types.
include!(concat!(env!("OUT_DIR"), "/gpus.rs"));

/// The default GPU's id.
pub const DEFAULT_ID: &str = "h100-sxm-80gb";

/// Every GPU in the catalog.
pub fn all() -> &'static [Gpu] {
    GPUS
}

/// The GPU with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static Gpu> {
    all().iter().find(|g| g.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_parses_and_has_the_required_gpus() {
        for id in [
            "h100-sxm-80gb",
            "h200-141gb",
            "a100-80gb",
            "a100-40gb",
            "l40s-48gb",
            "rtx-4090-24gb",
            "rtx-3090-24gb",
            "b200-192gb",
            "m2-ultra-192gb",
        ] {
            let g = find(id);
            assert!(g.is_some(), "{id} missing");
        }
        let h100 = find(DEFAULT_ID).map(Gpu::memory_bytes);
        assert_eq!(h100, Some(80.0 * 1_073_741_824.0));
    }

    #[test]
    fn datasheet_rates_in_si_units() {
        // H100 SXM datasheet: 3.35 TB/s and 989.4 dense BF16 TFLOP/s; B200: 2.25 PFLOP/s dense.
        let h100 = find("h100-sxm-80gb").map(|g| (g.bandwidth_bytes_per_s(), g.flops()));
        assert_eq!(h100, Some((3.35e12, 989.4e12)));
        assert_eq!(find("b200-192gb").map(Gpu::flops), Some(2.25e15));
    }

    #[test]
    fn every_card_says_what_an_engine_sees_and_where_that_was_read() {
        // What nvidia-smi (or Metal) reports is at most the marketing GiB and not far below it
        // (H100: 81,559 MiB of 81,920; M2 Ultra: 75 % of 192 GiB).
        for g in all() {
            let seen = g.engine_mib.map(|m| m * 1_048_576.0);
            let source = g.engine_source.as_deref().unwrap_or("");
            assert!(
                seen.is_some() && !source.is_empty(),
                "{}: no engine total or source",
                g.id
            );
            let ratio = seen.unwrap_or(0.0) / g.memory_bytes();
            assert!(
                (0.74..=1.0).contains(&ratio),
                "{}: engine sees {ratio} of the card",
                g.id
            );
        }
    }
}
