//! Units: parsing numbers people type ("128k", "7B", "1.5T") and printing bytes, counts and
//! times with explicit units (GB = 10⁹ bytes, GiB = 2³⁰ bytes; the label always says which).

use serde::Serialize;

/// Which byte unit family to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
pub enum ByteUnits {
    /// Powers of 1000: kB, MB, GB, TB.
    Gb,
    /// Powers of 1024: KiB, MiB, GiB, TiB.
    #[default]
    Gib,
}

impl ByteUnits {
    /// Share-link id.
    pub fn id(self) -> &'static str {
        match self {
            ByteUnits::Gb => "gb",
            ByteUnits::Gib => "gib",
        }
    }
    /// Parse an id.
    pub fn from_id(s: &str) -> Option<ByteUnits> {
        match s.to_ascii_lowercase().as_str() {
            "gb" => Some(ByteUnits::Gb),
            "gib" => Some(ByteUnits::Gib),
            _ => None,
        }
    }
    /// The unit of one "giga" step, for axis labels.
    pub fn giga_label(self) -> &'static str {
        match self {
            ByteUnits::Gb => "GB",
            ByteUnits::Gib => "GiB",
        }
    }
    /// Bytes in one giga step.
    pub fn giga(self) -> f64 {
        match self {
            ByteUnits::Gb => 1e9,
            ByteUnits::Gib => 1_073_741_824.0,
        }
    }
}

/// Why a typed number was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing typed.
    Empty,
    /// Not a number.
    NotANumber(String),
    /// NaN or infinite.
    NotFinite,
    /// Negative.
    Negative,
    /// Unknown suffix.
    BadSuffix(String),
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumberError::Empty => write!(f, "empty value"),
            NumberError::NotANumber(s) => write!(f, "'{}' is not a number", clip(s)),
            NumberError::NotFinite => write!(f, "the value must be finite"),
            NumberError::Negative => write!(f, "the value cannot be negative"),
            NumberError::BadSuffix(s) => write!(f, "unknown suffix '{}'", clip(s)),
        }
    }
}

/// Shortens user text quoted in a message to 40 characters.
pub fn clip(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

/// Longest custom-model name kept.
pub const MAX_NAME_CHARS: usize = 80;

/// Makes a model name safe to keep: control characters removed, at most 80 characters.
/// (Names are always rendered as text, never as markup.)
pub fn clean_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The suffix family a number is read with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suffixes {
    /// k = 10³, M = 10⁶, B/G = 10⁹, T = 10¹² (parameters, tokens, FLOPs).
    Decimal,
    /// k = 2¹⁰, M = 2²⁰ (context lengths: "128k" = 131,072 tokens, as model cards use it).
    Binary,
    /// Memory sizes in bytes: `GB` = 10⁹, `GiB` = 2³⁰ (likewise MB/MiB, TB/TiB); a bare number
    /// is GiB, the unit memory is sold in (a "24 GB" card and a "32 GB" kit of RAM hold 24 and
    /// 32 GiB).
    Bytes,
}

/// Parses "7B", "1.5T", "128k", "7e9", "131,072", "1_000" into a non-negative finite number.
pub fn parse_number(raw: &str, suffixes: Suffixes) -> Result<f64, NumberError> {
    let s: String = raw.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    let lower = s.to_ascii_lowercase();
    if lower.contains("nan") || lower.contains("inf") {
        return Err(NumberError::NotFinite);
    }
    let split = s
        .char_indices()
        .find(|&(i, c)| c.is_ascii_alphabetic() && !is_exponent(&s, i))
        .map_or(s.len(), |(i, _)| i);
    let (num, suffix) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| NumberError::NotANumber(raw.trim().to_string()))?;
    let mult = match (suffix.to_ascii_lowercase().as_str(), suffixes) {
        ("" | "gib" | "g", Suffixes::Bytes) => 1_073_741_824.0,
        ("gb", Suffixes::Bytes) => 1e9,
        ("mib", Suffixes::Bytes) => 1_048_576.0,
        ("mb", Suffixes::Bytes) => 1e6,
        ("tib" | "t", Suffixes::Bytes) => 1_099_511_627_776.0,
        ("tb", Suffixes::Bytes) => 1e12,
        ("b", Suffixes::Bytes) => 1.0,
        ("", _) => 1.0,
        ("k", Suffixes::Decimal) => 1e3,
        ("m", Suffixes::Decimal) => 1e6,
        ("b" | "g", Suffixes::Decimal) => 1e9,
        ("t", Suffixes::Decimal) => 1e12,
        ("k", Suffixes::Binary) => 1024.0,
        ("m", Suffixes::Binary) => 1_048_576.0,
        _ => return Err(NumberError::BadSuffix(suffix.to_string())),
    };
    let v = value * mult;
    if !v.is_finite() {
        return Err(NumberError::NotFinite);
    }
    if v < 0.0 {
        return Err(NumberError::Negative);
    }
    Ok(v)
}

/// True when the 'e' at byte `i` is a scientific exponent ("7e9"), not a suffix.
fn is_exponent(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    matches!(b.get(i), Some(b'e' | b'E'))
        && i > 0
        && matches!(b[i - 1], b'0'..=b'9' | b'.')
        && matches!(b.get(i + 1), Some(c) if c.is_ascii_digit() || *c == b'-' || *c == b'+')
}

/// Prints bytes with an adaptive prefix: "16.06 GB" or "14.96 GiB".
pub fn format_bytes(bytes: f64, units: ByteUnits) -> String {
    if !bytes.is_finite() {
        return "—".to_string();
    }
    let (base, names): (f64, [&str; 6]) = match units {
        ByteUnits::Gb => (1000.0, ["B", "kB", "MB", "GB", "TB", "PB"]),
        ByteUnits::Gib => (1024.0, ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]),
    };
    let mut v = bytes;
    let mut i = 0;
    while v.abs() >= base && i < names.len() - 1 {
        v /= base;
        i += 1;
    }
    if i == 0 {
        format!("{} B", v.round())
    } else {
        format!("{} {}", sig3(v), names[i])
    }
}

/// Bytes in giga units with two decimals and the unit, for tables: "16.06 GB".
pub fn format_giga(bytes: f64, units: ByteUnits) -> String {
    format!("{:.2} {}", bytes / units.giga(), units.giga_label())
}

/// Three significant figures, trailing zeros kept only to one decimal: 16.1, 1.50, 131.
fn sig3(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Prints a count with a decimal suffix: 8.03B, 1.4T, 131k, 950.
pub fn format_count(n: f64) -> String {
    if !n.is_finite() {
        return "—".to_string();
    }
    if n.abs() >= 1e15 {
        return format!("{n:.1e}").replace("e", "e+").replace(".0e", "e");
    }
    let units = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")];
    for (scale, name) in units {
        if n.abs() >= scale {
            return format!("{}{name}", trim_zeros(&sig3(n / scale)));
        }
    }
    trim_zeros(&sig3(n))
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// "token" for exactly one, else "tokens": "1 token", "8,192 tokens".
pub fn tokens_word(n: f64) -> &'static str {
    if n == 1.0 { "token" } else { "tokens" }
}

/// Integer with thousands separators: 131,072.
pub fn format_int(n: f64) -> String {
    if !n.is_finite() {
        return "—".to_string();
    }
    let s = format!("{:.0}", n.abs());
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 { format!("-{out}") } else { out }
}

/// A context length the way model cards write it: 131072 → "128k", 8192 → "8k", 1000 → "1000".
pub fn format_context(tokens: f64) -> String {
    let t = tokens.round();
    if t >= 1024.0 && t % 1_048_576.0 == 0.0 {
        format!("{}M", t / 1_048_576.0)
    } else if t >= 1024.0 && t % 1024.0 == 0.0 {
        format!("{}k", t / 1024.0)
    } else {
        format_int(t)
    }
}

/// Seconds with a human unit: "3.2 ms", "41 s", "2.5 h", "12 days", "3.1 years".
pub fn format_seconds(s: f64) -> String {
    if !s.is_finite() {
        return "—".to_string();
    }
    let steps = [
        (365.25 * 86400.0, "years"),
        (86400.0, "days"),
        (3600.0, "h"),
        (60.0, "min"),
        (1.0, "s"),
        (1e-3, "ms"),
        (1e-6, "µs"),
    ];
    for (scale, name) in steps {
        if s >= scale {
            return format!("{} {name}", sig3(s / scale));
        }
    }
    format!("{} ns", sig3(s * 1e9))
}

/// "1 GPU", "8 GPUs": a whole count with its noun, plural when not one.
pub fn count_noun(n: f64, noun: &str) -> String {
    format!("{} {noun}{}", format_int(n), if n == 1.0 { "" } else { "s" })
}

/// Tokens per second as readers compare them: whole numbers from 100 up ("112 tok/s"), three
/// significant digits below ("18.5 tok/s", "0.84 tok/s").
pub fn format_rate(tokens_per_s: f64) -> String {
    if !tokens_per_s.is_finite() {
        return "—".to_string();
    }
    if tokens_per_s >= 100.0 {
        format!("{} tok/s", format_int(tokens_per_s.round()))
    } else {
        format!("{} tok/s", sig3(tokens_per_s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_their_plural() {
        assert_eq!(count_noun(1.0, "GPU"), "1 GPU");
        assert_eq!(count_noun(1024.0, "GPU"), "1,024 GPUs");
    }

    #[test]
    fn rates_read_as_readers_compare_them() {
        assert_eq!(format_rate(112.4), "112 tok/s");
        assert_eq!(format_rate(1234.5), "1,235 tok/s");
        assert_eq!(format_rate(18.46), "18.5 tok/s");
        assert_eq!(format_rate(0.8421), "0.84 tok/s");
        assert_eq!(format_rate(f64::INFINITY), "—");
    }

    #[test]
    fn units_round_trip_through_their_link_ids() {
        for u in [ByteUnits::Gb, ByteUnits::Gib] {
            assert_eq!(ByteUnits::from_id(u.id()), Some(u));
            assert_eq!(ByteUnits::from_id(&u.id().to_ascii_uppercase()), Some(u));
        }
        assert_eq!(ByteUnits::from_id("gigabytes"), None);
    }

    #[test]
    fn parses_what_people_type() {
        let rows: [(&str, Suffixes, f64); 18] = [
            // Memory: GB is 10⁹, GiB 2³⁰, and a bare number is GiB, as cards and RAM are sold.
            ("20GB", Suffixes::Bytes, 20e9),
            ("24GiB", Suffixes::Bytes, 24.0 * 1_073_741_824.0),
            ("24", Suffixes::Bytes, 24.0 * 1_073_741_824.0),
            ("1.5 TB", Suffixes::Bytes, 1.5e12),
            ("512MiB", Suffixes::Bytes, 512.0 * 1_048_576.0),
            ("7B", Suffixes::Decimal, 7e9),
            ("1.5T", Suffixes::Decimal, 1.5e12),
            ("7e9", Suffixes::Decimal, 7e9),
            // An exponent after a point, and a signed one: still a number, not a suffix "e".
            ("7.e9", Suffixes::Decimal, 7e9),
            ("2e+3", Suffixes::Decimal, 2000.0),
            ("5e-1k", Suffixes::Binary, 512.0),
            ("70m", Suffixes::Decimal, 70e6),
            ("128k", Suffixes::Binary, 131_072.0),
            ("1M", Suffixes::Binary, 1_048_576.0),
            ("131,072", Suffixes::Binary, 131_072.0),
            (" 4096 ", Suffixes::Binary, 4096.0),
            ("2.5e-3k", Suffixes::Decimal, 2.5),
            ("1_000", Suffixes::Decimal, 1000.0),
        ];
        for (s, sfx, want) in rows {
            assert_eq!(parse_number(s, sfx), Ok(want), "{s}");
        }
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        assert_eq!(parse_number("", Suffixes::Decimal), Err(NumberError::Empty));
        assert_eq!(parse_number("NaN", Suffixes::Decimal), Err(NumberError::NotFinite));
        assert_eq!(parse_number("inf", Suffixes::Decimal), Err(NumberError::NotFinite));
        assert_eq!(parse_number("1e999", Suffixes::Decimal), Err(NumberError::NotFinite));
        assert_eq!(parse_number("-5", Suffixes::Decimal), Err(NumberError::Negative));
        assert_eq!(
            parse_number("7Q", Suffixes::Decimal),
            Err(NumberError::BadSuffix("Q".into()))
        );
        // A suffix with digits after it is an unknown suffix (only an "e" can be an exponent).
        assert_eq!(
            parse_number("1k5", Suffixes::Decimal),
            Err(NumberError::BadSuffix("k5".into()))
        );
        assert!(matches!(
            parse_number("abc", Suffixes::Decimal),
            Err(NumberError::NotANumber(_))
        ));
        assert!(matches!(
            parse_number("1.2.3", Suffixes::Decimal),
            Err(NumberError::NotANumber(_))
        ));
    }

    #[test]
    fn prints_units_that_say_what_they_are() {
        // 8,030,261,248 params × 2 bytes = 16,060,522,496 B = 16.06 GB = 14.96 GiB.
        assert_eq!(format_bytes(16_060_522_496.0, ByteUnits::Gb), "16.1 GB");
        assert_eq!(format_bytes(16_060_522_496.0, ByteUnits::Gib), "15.0 GiB");
        assert_eq!(format_giga(16_060_522_496.0, ByteUnits::Gb), "16.06 GB");
        assert_eq!(format_giga(16_060_522_496.0, ByteUnits::Gib), "14.96 GiB");
        assert_eq!(format_bytes(17_179_869_184.0, ByteUnits::Gib), "16.0 GiB");
        assert_eq!(format_bytes(512.0, ByteUnits::Gib), "512 B");
        assert_eq!(format_count(8_030_261_248.0), "8.03B");
        assert_eq!(format_count(1.4e12), "1.4T");
        assert_eq!(format_int(131_072.0), "131,072");
        assert_eq!(format_context(131_072.0), "128k");
        assert_eq!(format_context(1000.0), "1,000");
        assert_eq!(format_context(1_048_576.0), "1M");
        assert_eq!(format_context(3_145_728.0), "3M");
        assert_eq!(format_context(1_572_864.0), "1536k");
        assert_eq!(format_context(0.0), "0");
        // Past the largest prefix the number grows instead: 5 × 10¹⁸ B = 5,000 PB.
        assert_eq!(format_bytes(5e18, ByteUnits::Gb), "5000 PB");
        assert_eq!(format_bytes(2f64.powi(60), ByteUnits::Gib), "1024 PiB");
        assert_eq!(format_seconds(0.0125), "12.5 ms");
        assert_eq!(format_seconds(86400.0 * 12.0), "12.0 days");
    }
}
