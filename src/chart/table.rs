//! A chart's data as a table: the text alternative every chart has, and its CSV export.

/// One table cell: its text, and the exact number behind it for CSV export.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Display text.
    pub text: String,
    /// Exact value (bytes, tokens, seconds…), if numeric.
    pub raw: Option<f64>,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            raw: None,
        }
    }
    /// A number cell: its text and exact value.
    pub fn num(text: String, raw: f64) -> Cell {
        Cell { text, raw: Some(raw) }
    }
}

/// A chart's data as a table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Caption.
    pub caption: String,
    /// Column headers (CSV headers say the raw unit).
    pub headers: Vec<String>,
    /// Raw-unit header for each column (CSV).
    pub csv_headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// CSV with exact numbers (bytes, tokens, seconds), RFC 4180 quoting.
    pub fn csv(&self) -> String {
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let mut out = self.csv_headers.iter().map(|h| quote(h)).collect::<Vec<_>>().join(",");
        out.push('\n');
        for r in &self.rows {
            let line: Vec<String> = r
                .iter()
                .map(|c| c.raw.map_or_else(|| quote(&c.text), |v| format!("{v}")))
                .collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }
}
