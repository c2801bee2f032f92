//! Stages 1 and 2 of decoding: a query string → raw (key, value) pairs → syntax-checked fields.
//!
//! Nothing here knows which presets exist or what ranges are allowed; it only checks that a
//! number is a number and an enum value is one of its spellings. Each problem becomes a
//! [`Warning`] and the field stays unset, so every other field survives.

use crate::estimate::arch_field::ArchField;
use crate::estimate::units::{ByteUnits, Suffixes, clip, parse_number};

use super::keys::{self, Key, Syntax, Value};
use super::{ChartId, ControlId, Theme, Warning};

/// Longest query accepted; the rest is dropped with a warning.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Most pairs read.
pub const MAX_PAIRS: usize = 256;

/// Splits a query string (or a whole URL) into percent-decoded pairs.
///
/// Accepts `https://host/path?a=1&b=2#frag`, `?a=1&b=2` and `a=1&b=2`. `+` is a space.
pub fn pairs(input: &str, warnings: &mut Vec<Warning>) -> Vec<(String, String)> {
    let mut q = input.trim();
    if let Some(i) = q.find('?') {
        q = &q[i + 1..];
    } else if q.contains("://") {
        q = "";
    }
    if let Some(i) = q.find('#') {
        q = &q[..i];
    }
    if q.len() > MAX_QUERY_BYTES {
        warnings.push(Warning::new(
            "",
            format!("the link is longer than {MAX_QUERY_BYTES} bytes; the rest was ignored"),
        ));
        let mut end = MAX_QUERY_BYTES;
        while !q.is_char_boundary(end) {
            end -= 1;
        }
        q = &q[..end];
    }
    let mut out = Vec::new();
    for part in q.split(['&', ';']).filter(|p| !p.is_empty()) {
        if out.len() == MAX_PAIRS {
            warnings.push(Warning::new(
                "",
                format!("more than {MAX_PAIRS} parameters; the rest were ignored"),
            ));
            break;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        out.push((percent_decode(k), percent_decode(v)));
    }
    out
}

/// Decodes `%XX` escapes and `+`; invalid escapes are kept literally, invalid UTF-8 replaced.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() && hex(b[i + 1]).is_some() && hex(b[i + 2]).is_some() => {
                out.push(hex(b[i + 1]).unwrap_or(0) * 16 + hex(b[i + 2]).unwrap_or(0));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes a value for a query string (unreserved characters and `,` `:` kept).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~' | b',' | b':') {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Syntax-checked scenario keys: only those the link gave with a well-formed value (a
/// malformed one is left out with a warning).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LowScenario {
    /// Scenario keys ([`keys::SCENARIO`]) and their values, in the order given; a repeat
    /// replaces the earlier value.
    pub values: Vec<(&'static Key, Value)>,
    /// Architecture keys, in the order given.
    pub arch: Vec<(ArchField, f64)>,
}

/// Syntax-checked presentation fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LowView {
    /// `view`.
    pub charts: Option<Vec<ChartId>>,
    /// `controls`.
    pub controls: Option<Vec<ControlId>>,
    /// `embed`.
    pub embed: Option<bool>,
    /// `chart_only`.
    pub chart_only: Option<bool>,
    /// `theme`.
    pub theme: Option<Theme>,
    /// `units`.
    pub units: Option<ByteUnits>,
    /// `focus`.
    pub focus: Option<ChartId>,
    /// `at`.
    pub at: Option<f64>,
}

/// Everything a link says, syntax-checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LowArgs {
    /// `v`.
    pub version: Option<f64>,
    /// The live scenario (B when comparing).
    pub scenario: LowScenario,
    /// The pinned scenario A (`a.` keys), if any were given.
    pub compare: Option<LowScenario>,
    /// Presentation.
    pub view: LowView,
}

/// Parses every pair; unknown keys, repeats and malformed values become warnings.
pub fn parse(input: &str) -> (LowArgs, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut args = LowArgs::default();
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in pairs(input, &mut warnings) {
        let key_lc = key.trim().to_ascii_lowercase();
        if seen.contains(&key_lc) {
            warnings.push(Warning::new(
                &key_lc,
                "given more than once; the last value is used".to_string(),
            ));
        } else {
            seen.push(key_lc.clone());
        }
        let value = value.trim();
        let result = if let Some(rest) = key_lc.strip_prefix("a.") {
            set_scenario(args.compare.get_or_insert_with(LowScenario::default), rest, value)
        } else {
            match set_scenario(&mut args.scenario, &key_lc, value) {
                Err(SetError::UnknownKey) => set_other(&mut args, &key_lc, value),
                other => other,
            }
        };
        match result {
            Ok(()) => {}
            Err(SetError::UnknownKey) => {
                warnings.push(Warning::new(&key_lc, "is not a known parameter; ignored".to_string()))
            }
            Err(SetError::Bad(msg)) => warnings.push(Warning::new(&key_lc, msg)),
        }
    }
    (args, warnings)
}

enum SetError {
    UnknownKey,
    Bad(String),
}

fn number(value: &str, suffixes: Suffixes) -> Result<f64, SetError> {
    parse_number(value, suffixes).map_err(|e| SetError::Bad(format!("{e}; ignored")))
}

fn flag(value: &str) -> Result<bool, SetError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(SetError::Bad(format!("'{}' is not 0 or 1; ignored", clip(value)))),
    }
}

fn choice<T: Copy>(
    value: &str,
    all: &[T],
    id: impl Fn(T) -> &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, SetError> {
    parse(value).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|&t| id(t)).collect();
        SetError::Bad(format!("'{}' is not one of {}; ignored", clip(value), names.join(", ")))
    })
}

fn text(value: &str) -> Result<String, SetError> {
    if value.is_empty() {
        return Err(SetError::Bad("is empty; ignored".to_string()));
    }
    Ok(value.to_string())
}

fn set_scenario(s: &mut LowScenario, key: &str, value: &str) -> Result<(), SetError> {
    if let Some(k) = keys::find(key) {
        let v = match k.syntax {
            Syntax::Number { suffixes, .. } => Value::Number(number(value, suffixes)?),
            Syntax::Flag => Value::Flag(flag(value)?),
            Syntax::Choice { ids, accepts } => {
                let lc = value.to_ascii_lowercase();
                if !accepts(&lc) {
                    return Err(SetError::Bad(format!(
                        "'{}' is not one of {}; ignored",
                        clip(value),
                        ids().join(", ")
                    )));
                }
                Value::Text(lc)
            }
            Syntax::Text => Value::Text(text(value)?),
        };
        s.values.retain(|(o, _)| o.name != k.name);
        s.values.push((k, v));
        return Ok(());
    }
    let Some(f) = ArchField::from_key(key) else {
        return Err(SetError::UnknownKey);
    };
    let v = number(value, Suffixes::Decimal)?;
    s.arch.retain(|(g, _)| *g != f);
    s.arch.push((f, v));
    Ok(())
}

/// A comma-separated list of names: the known ones, in order and without repeats, and what to
/// say about the rest.
struct Listed<T> {
    known: Vec<T>,
    /// A message when some (or all) names were unknown.
    problem: Option<String>,
}

fn list<T: Copy + PartialEq>(value: &str, parse: impl Fn(&str) -> Option<T>, names: &str) -> Listed<T> {
    let mut known = Vec::new();
    let mut bad = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match parse(part) {
            Some(t) if !known.contains(&t) => known.push(t),
            Some(_) => {}
            None => bad.push(clip(part)),
        }
    }
    let problem = if known.is_empty() {
        Some(format!("names none of {names}; ignored"))
    } else if !bad.is_empty() {
        // The valid names are kept; the rest are reported.
        Some(format!("unknown {} ignored (known: {names})", bad.join(", ")))
    } else {
        None
    };
    Listed { known, problem }
}

/// Keeps the known names of a list (none: leaves the field unset) and reports the rest.
fn set_list<T>(field: &mut Option<Vec<T>>, listed: Listed<T>) -> Result<(), SetError> {
    if !listed.known.is_empty() {
        *field = Some(listed.known);
    }
    match listed.problem {
        Some(msg) => Err(SetError::Bad(msg)),
        None => Ok(()),
    }
}

/// The keys of the view (how a link is shown, not what it computes), as `set_other` parses
/// them; the README's link table has a row for each (tests/share.rs).
pub const VIEW_KEYS: [&str; 9] = [
    "v",
    "view",
    "controls",
    "embed",
    "chart_only",
    "theme",
    "units",
    "focus",
    "at",
];

fn set_other(a: &mut LowArgs, key: &str, value: &str) -> Result<(), SetError> {
    match key {
        "v" => a.version = Some(number(value, Suffixes::Decimal)?),
        "view" => {
            let names = ChartId::ALL.iter().map(|c| c.id()).collect::<Vec<_>>().join(", ");
            return set_list(&mut a.view.charts, list(value, ChartId::from_id, &names));
        }
        "controls" => {
            let names = ControlId::ALL.iter().map(|c| c.id()).collect::<Vec<_>>().join(", ");
            if value.trim().eq_ignore_ascii_case("none") {
                a.view.controls = Some(Vec::new());
                return Ok(());
            }
            return set_list(&mut a.view.controls, list(value, ControlId::from_id, &names));
        }
        "embed" => a.view.embed = Some(flag(value)?),
        "chart_only" => a.view.chart_only = Some(flag(value)?),
        "theme" => {
            a.view.theme = Some(choice(
                value,
                &[Theme::Auto, Theme::Light, Theme::Dark],
                Theme::id,
                Theme::from_id,
            )?)
        }
        "units" => {
            a.view.units = Some(choice(
                value,
                &[ByteUnits::Gb, ByteUnits::Gib],
                ByteUnits::id,
                ByteUnits::from_id,
            )?)
        }
        "focus" => {
            a.view.focus = Some(choice(value, ChartId::ALL, ChartId::id, ChartId::from_id)?);
        }
        "at" => a.view.at = Some(number(value, Suffixes::Decimal)?),
        _ => return Err(SetError::UnknownKey),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_and_queries() {
        let mut w = Vec::new();
        let p = pairs("https://x.org/tools/m/?model=llama-3.1-8b&ctx=128k#top", &mut w);
        assert_eq!(
            p,
            vec![("model".into(), "llama-3.1-8b".into()), ("ctx".into(), "128k".into())]
        );
        assert_eq!(pairs("?a=1", &mut w), vec![("a".into(), "1".into())]);
        assert_eq!(
            pairs("name=My+model%21", &mut w),
            vec![("name".into(), "My model!".into())]
        );
        assert!(pairs("https://x.org/", &mut w).is_empty());
        assert!(w.is_empty());
    }

    #[test]
    fn percent_decoding_never_fails() {
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_encode("<b> x&y"), "%3Cb%3E%20x%26y");
    }
}
