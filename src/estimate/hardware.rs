//! Accelerator catalog: memory, bandwidth and dense BF16 throughput, from vendor datasheets.
//!
//! Capacities are the vendor's "GB" figure read as GiB (2³⁰ bytes), which is what the memory
//! stacks hold (an "80GB" H100 reports 81,559 MiB to `nvidia-smi`, 99.6 % of 80 GiB); bandwidth
//! is in vendor GB/s (10⁹ bytes per second); throughput is dense (no 2:4 sparsity).

use std::borrow::Cow;

pub use super::catalog::Gpu;
use super::catalog::{MemoryKind, Vendor};

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
    /// The fastest dense matrix rate the chip has, FLOP/s (or OP/s): what no kernel can beat,
    /// for the speed bounds. Its FP8 rate where listed; else twice the BF16 figure for a GPU
    /// with tensor cores — every NVIDIA, AMD and Intel part here multiplies INT8 (what
    /// llama.cpp's quantised kernels use) at least twice as fast as BF16, and GeForce cards list
    /// BF16 with FP32 accumulation, half their FP16-accumulate rate (NVIDIA Ampere GA102 and Ada
    /// whitepapers, appendix tables). Apple GPUs have no faster path than FP32: their figure.
    pub fn peak_flops(&self) -> f64 {
        let doubled = if self.vendor == Vendor::Apple { 1.0 } else { 2.0 };
        self.fp8_tflops.unwrap_or(0.0).max(doubled * self.bf16_tflops) * 1e12
    }
}

// `GPUS`: `data/gpus.json` as Rust, written by `build.rs`, which fails the build when the file
// does not match the types.
include!(concat!(env!("OUT_DIR"), "/gpus.rs"));

/// The id of the GPU a reader describes (`gpu=custom`).
pub const CUSTOM_ID: &str = "custom";

/// Where `gpu=custom` starts before its memory, bandwidth and FLOP/s are typed: a 24 GiB card
/// at 1,000 GB/s and 100 dense BF16 TFLOP/s (about an RTX 3090's memory and a 4090's speed).
pub static CUSTOM: Gpu = Gpu {
    id: Cow::Borrowed(CUSTOM_ID),
    name: Cow::Borrowed("Your GPU"),
    memory_gib: 24.0,
    bandwidth_gb_s: 1000.0,
    bf16_tflops: 100.0,
    fp8_tflops: None,
    vendor: Vendor::Nvidia,
    memory: MemoryKind::Discrete,
    sm_count: None,
    boost_mhz: None,
    source: Cow::Borrowed("typed in"),
    url: Cow::Borrowed(""),
    note: None,
    engine_mib: None,
    engine_source: None,
};

/// The share of a Mac's unified memory Metal lets the GPU keep resident by default
/// (`recommendedMaxWorkingSetSize`): two thirds up to 32 GB, three quarters above — M1 16 GB:
/// 10,922.67 MiB; M2 Ultra 192 GB: 147,456 MiB (the catalog's `engine_source` quotes both).
pub fn metal_share(memory_bytes: f64) -> f64 {
    if memory_bytes <= 32.0 * GIB { 2.0 / 3.0 } else { 0.75 }
}

const GIB: f64 = 1_073_741_824.0;

impl Gpu {
    /// This GPU with another memory size (bytes), bandwidth (GB/s) or dense BF16 TFLOP/s, where
    /// given: a Mac with more memory than the catalog's, or a card typed in. What an engine sees
    /// scales with the memory as the catalog's card does (a Mac: Metal's share of the new size);
    /// the FP8 rate scales with the BF16 one.
    pub fn with(&self, memory_bytes: Option<f64>, bandwidth_gb_s: Option<f64>, bf16_tflops: Option<f64>) -> Gpu {
        let memory = memory_bytes.unwrap_or_else(|| self.memory_bytes());
        let engine_mib = if self.vendor == Vendor::Apple {
            Some(memory * metal_share(memory) / 1_048_576.0)
        } else {
            self.engine_mib
                .map(|m| m * 1_048_576.0 / self.memory_bytes() * memory / 1_048_576.0)
        };
        let bf16 = bf16_tflops.unwrap_or(self.bf16_tflops);
        let same = memory_bytes.is_none() && bandwidth_gb_s.is_none() && bf16_tflops.is_none();
        let name = if same {
            self.name.clone()
        } else {
            // "Apple M4 Max (128GB)" with 64 GiB is "Apple M4 Max (64 GiB)".
            let base = match self.name.rfind(" (") {
                Some(i) if memory_bytes.is_some() && self.name.ends_with("GB)") => &self.name[..i],
                _ => &self.name,
            };
            let size = memory_bytes.map_or(String::new(), |m| {
                format!(" ({} GiB)", (m / GIB * 100.0).round() / 100.0)
            });
            let other = if bandwidth_gb_s.is_some() || bf16_tflops.is_some() {
                " (modified)"
            } else {
                ""
            };
            Cow::Owned(format!("{base}{size}{}", if self.id == CUSTOM_ID { "" } else { other }))
        };
        Gpu {
            name,
            memory_gib: memory / GIB,
            bandwidth_gb_s: bandwidth_gb_s.unwrap_or(self.bandwidth_gb_s),
            bf16_tflops: bf16,
            fp8_tflops: self.fp8_tflops.map(|f| f * bf16 / self.bf16_tflops),
            engine_mib,
            // A card's SM count and clock say nothing about a different card's.
            sm_count: if bandwidth_gb_s.is_some() { None } else { self.sm_count },
            ..self.clone()
        }
    }
}

/// The menu group a GPU is listed under.
pub fn group(g: &Gpu) -> &'static str {
    let id = &*g.id;
    match (g.vendor, g.memory) {
        (Vendor::Apple, _) => "Apple silicon (unified memory)",
        (_, MemoryKind::Unified) => "Unified memory (DGX Spark, Ryzen AI Max)",
        (Vendor::Nvidia, _)
            if id.starts_with("rtx-") && id[4..].starts_with(|c: char| c.is_ascii_digit()) && !id.contains("-ada") =>
        {
            "NVIDIA GeForce"
        }
        (Vendor::Nvidia, _) if id.starts_with("rtx-") => "NVIDIA workstation",
        (Vendor::Nvidia, _) => "NVIDIA data centre",
        (Vendor::Amd, _) if id.starts_with("mi") => "AMD Instinct",
        (Vendor::Amd, _) => "AMD Radeon",
        (Vendor::Intel, _) => "Intel Arc",
    }
}

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
        // The hardware readers asked about: NVIDIA consumer, workstation and data-centre, AMD,
        // Apple M1–M4, Intel Arc, DGX Spark and Ryzen AI Max; at least 40 in all.
        for id in [
            "h100-sxm-80gb",
            "h100-pcie-80gb",
            "h100-nvl-94gb",
            "h200-141gb",
            "b200-192gb",
            "gb200-186gb",
            "a100-80gb",
            "a100-40gb",
            "l40s-48gb",
            "l4-24gb",
            "a10-24gb",
            "rtx-a6000-48gb",
            "rtx-6000-ada-48gb",
            "rtx-3060-12gb",
            "rtx-3090-24gb",
            "rtx-4060-ti-16gb",
            "rtx-4090-24gb",
            "rtx-5070-12gb",
            "rtx-5080-16gb",
            "rtx-5090-32gb",
            "mi300x-192gb",
            "mi325x-256gb",
            "rx-7900-xtx-24gb",
            "rx-7900-xt-20gb",
            "rx-9070-xt-16gb",
            "arc-a770-16gb",
            "arc-b580-12gb",
            "m1-16gb",
            "m2-ultra-192gb",
            "m3-max-128gb",
            "m4-max-128gb",
            "dgx-spark-128gb",
            "ryzen-ai-max-395-128gb",
        ] {
            assert!(find(id).is_some(), "{id} missing");
        }
        assert!(all().len() >= 40, "{} GPUs", all().len());
        let h100 = find(DEFAULT_ID).map(Gpu::memory_bytes);
        assert_eq!(h100, Some(80.0 * 1_073_741_824.0));
        // The GPU cores of Apple chips, the memory of the Mac it is: unified.
        assert!(find("m4-max-128gb").is_some_and(|g| g.memory == MemoryKind::Unified && g.vendor == Vendor::Apple));
        assert!(find("rtx-3060-12gb").is_some_and(|g| g.memory == MemoryKind::Discrete));
    }

    #[test]
    fn the_menu_groups_cards_by_kind() {
        let g = |id: &str| find(id).map(group);
        assert_eq!(g("rtx-3090-24gb"), Some("NVIDIA GeForce"));
        assert_eq!(g("rtx-4000-ada-20gb"), Some("NVIDIA workstation"));
        assert_eq!(g("rtx-a6000-48gb"), Some("NVIDIA workstation"));
        assert_eq!(g("rtx-pro-6000-blackwell-96gb"), Some("NVIDIA workstation"));
        assert_eq!(g("h200-141gb"), Some("NVIDIA data centre"));
        assert_eq!(g("mi300x-192gb"), Some("AMD Instinct"));
        assert_eq!(g("rx-7900-xt-20gb"), Some("AMD Radeon"));
        assert_eq!(g("m4-max-128gb"), Some("Apple silicon (unified memory)"));
        assert_eq!(g("dgx-spark-128gb"), Some("Unified memory (DGX Spark, Ryzen AI Max)"));
    }

    #[test]
    fn a_card_typed_in_or_resized_keeps_what_an_engine_sees_in_proportion() {
        // A Mac with 64 GiB instead of the catalog's 128: Metal's share, 3/4 above 32 GiB.
        let m4 = find("m4-max-128gb").map(|g| g.with(Some(64.0 * GIB), None, None));
        assert_eq!(m4.as_ref().map(Gpu::engine_memory_bytes), Some(48.0 * GIB));
        assert_eq!(m4.map(|g| g.name.to_string()).as_deref(), Some("Apple M4 Max (64 GiB)"));
        // 24 GiB or less: two thirds.
        assert_eq!(metal_share(16.0 * GIB), 2.0 / 3.0);
        // An H100 with another bandwidth keeps nvidia-smi's 81,559 / 81,920 of its memory; its
        // FP8 rate follows a new BF16 rate.
        let h = find("h100-sxm-80gb").map(|g| g.with(Some(40.0 * GIB), Some(2000.0), Some(494.7)));
        assert_eq!(
            h.as_ref().map(Gpu::engine_memory_bytes),
            Some(81_559.0 / 2.0 * 1_048_576.0)
        );
        assert_eq!(h.as_ref().and_then(|g| g.fp8_tflops), Some(989.45));
        assert_eq!(h.as_ref().map(|g| g.bandwidth_gb_s), Some(2000.0));
        // Your own card: the memory as typed.
        assert_eq!(CUSTOM.with(Some(20e9), None, None).engine_memory_bytes(), 20e9);
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
        // What nvidia-smi (or rocm-smi, or Metal) reports is at most the marketing GiB and not
        // far below it (H100: 81,559 MiB of 81,920). Metal lets a Mac's GPU wire 2/3 of its
        // memory up to 32 GB and 3/4 above (M1 16 GB: 10,922.67 MiB; M2 Ultra: 75 % of 192
        // GiB); Ryzen AI Max gives its GPU 96 of 128 GB by default.
        for g in all() {
            let range = if g.memory == MemoryKind::Unified {
                0.66..=0.94
            } else {
                0.74..=1.0
            };
            let seen = g.engine_mib.map(|m| m * 1_048_576.0);
            let source = g.engine_source.as_deref().unwrap_or("");
            assert!(
                seen.is_some() && !source.is_empty(),
                "{}: no engine total or source",
                g.id
            );
            let ratio = seen.unwrap_or(0.0) / g.memory_bytes();
            assert!(range.contains(&ratio), "{}: engine sees {ratio} of the card", g.id);
        }
    }
}
