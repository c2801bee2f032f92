//! Compiles the catalogs in: `src/estimate/data/models.json` and `gpus.json` are deserialized
//! into the crate's own types (`src/estimate/catalog.rs` and `arch.rs`, included by path), so a
//! malformed catalog fails the build with the file, line and column instead of becoming an
//! empty menu at run time. The values are then written out as Rust statics
//! (`$OUT_DIR/models.rs`, `$OUT_DIR/gpus.rs`) by `RustLiteral`, a serde serializer whose output
//! is a Rust expression, so the module parses no JSON at start-up and carries no deserializer
//! for it. The compiler checks the generated literals against the same types.

use std::fmt::Write as _;

use serde::ser::{self, Impossible, Serialize};

#[allow(dead_code)]
#[path = "src/estimate/arch.rs"]
mod arch;
#[allow(dead_code)]
#[path = "src/estimate/catalog.rs"]
mod catalog;

fn check<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, String> {
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// Why a value cannot be written as a Rust literal (a shape the catalogs do not use).
#[derive(Debug)]
struct LiteralError(String);

impl std::fmt::Display for LiteralError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LiteralError {}

impl ser::Error for LiteralError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// Writes a serde value as a Rust expression: a struct as `Name { field: value, … }`, text as
/// `Cow::Borrowed("…")`, a sequence as `Cow::Borrowed(&[…])`, an option as `Some(…)`/`None`, a
/// unit variant as `Enum::VARIANTS[i]` (serde's index is the declaration index), numbers by
/// `Debug` (the shortest text that reads back as the same `f64`).
#[derive(Default)]
struct RustLiteral {
    out: String,
}

type Done = Result<(), LiteralError>;

fn unsupported(what: &str) -> LiteralError {
    LiteralError(format!("a catalog holds a {what}, which build.rs cannot write as Rust"))
}

/// `fn serialize_i8(self, v: i8) -> Done { self.serialize_i64(v.into()) }` and the like.
macro_rules! widen {
    ($($method:ident($ty:ty) => $wide:ident),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Done {
            self.$wide(v.into())
        })*
    };
}

impl<'a> ser::Serializer for &'a mut RustLiteral {
    type Ok = ();
    type Error = LiteralError;
    type SerializeSeq = &'a mut RustLiteral;
    type SerializeTuple = Impossible<(), LiteralError>;
    type SerializeTupleStruct = Impossible<(), LiteralError>;
    type SerializeTupleVariant = Impossible<(), LiteralError>;
    type SerializeMap = Impossible<(), LiteralError>;
    type SerializeStruct = &'a mut RustLiteral;
    type SerializeStructVariant = Impossible<(), LiteralError>;

    fn serialize_bool(self, v: bool) -> Done {
        write!(self.out, "{v}").map_err(ser::Error::custom)
    }
    // Every integer and float width is written as its widest kind.
    widen! {
        serialize_i8(i8) => serialize_i64,
        serialize_i16(i16) => serialize_i64,
        serialize_i32(i32) => serialize_i64,
        serialize_u8(u8) => serialize_u64,
        serialize_u16(u16) => serialize_u64,
        serialize_u32(u32) => serialize_u64,
        serialize_f32(f32) => serialize_f64,
    }
    fn serialize_i64(self, v: i64) -> Done {
        write!(self.out, "{v}").map_err(ser::Error::custom)
    }
    fn serialize_u64(self, v: u64) -> Done {
        write!(self.out, "{v}").map_err(ser::Error::custom)
    }
    fn serialize_f64(self, v: f64) -> Done {
        if !v.is_finite() {
            return Err(LiteralError(format!("a catalog number is {v}")));
        }
        // `Debug` writes `8.0` or `1e20`: both are f64 literals that read back exactly.
        write!(self.out, "{v:?}").map_err(ser::Error::custom)
    }
    fn serialize_char(self, _: char) -> Done {
        Err(unsupported("char"))
    }
    fn serialize_str(self, v: &str) -> Done {
        // `Debug` of a str is a Rust string literal with Rust escapes.
        write!(self.out, "Cow::Borrowed({v:?})").map_err(ser::Error::custom)
    }
    fn serialize_bytes(self, _: &[u8]) -> Done {
        Err(unsupported("byte string"))
    }
    fn serialize_none(self) -> Done {
        self.out.push_str("None");
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        self.out.push_str("Some(");
        value.serialize(&mut *self)?;
        self.out.push(')');
        Ok(())
    }
    fn serialize_unit(self) -> Done {
        Err(unsupported("unit"))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        Err(unsupported(name))
    }
    fn serialize_unit_variant(self, name: &'static str, index: u32, _: &'static str) -> Done {
        write!(self.out, "{name}::VARIANTS[{index}]").map_err(ser::Error::custom)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, _: &T) -> Done {
        Err(unsupported(name))
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Done {
        Err(unsupported(name))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, LiteralError> {
        self.out.push_str("Cow::Borrowed(&[");
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, LiteralError> {
        Err(unsupported("tuple"))
    }
    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, LiteralError> {
        Err(unsupported(name))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, LiteralError> {
        Err(unsupported(name))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, LiteralError> {
        Err(unsupported("map"))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self::SerializeStruct, LiteralError> {
        write!(self.out, "{name} {{ ").map_err(ser::Error::custom)?;
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, LiteralError> {
        Err(unsupported(name))
    }
}

impl ser::SerializeSeq for &mut RustLiteral {
    type Ok = ();
    type Error = LiteralError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)?;
        self.out.push_str(", ");
        Ok(())
    }
    fn end(self) -> Done {
        self.out.push_str("])");
        Ok(())
    }
}

impl ser::SerializeStruct for &mut RustLiteral {
    type Ok = ();
    type Error = LiteralError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Done {
        write!(self.out, "{key}: ").map_err(ser::Error::custom)?;
        value.serialize(&mut **self)?;
        self.out.push_str(", ");
        Ok(())
    }
    fn end(self) -> Done {
        self.out.push('}');
        Ok(())
    }
}

/// `pub static NAME: &[Type] = &[…];` for the values, one per line.
fn statics<T: Serialize>(name: &str, ty: &str, values: &[T]) -> Result<String, String> {
    let mut lit = RustLiteral::default();
    for v in values {
        lit.out.push_str("    ");
        v.serialize(&mut lit).map_err(|e| format!("{name}: {e}"))?;
        lit.out.push_str(",\n");
    }
    Ok(format!("pub static {name}: &[{ty}] = &[\n{}];\n", lit.out))
}

fn write_out(file: &str, code: Result<String, String>) -> Result<(), String> {
    let dir = std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    let path = std::path::Path::new(&dir).join(file);
    let code = code?;
    std::fs::write(
        &path,
        format!("// Generated by build.rs from src/estimate/data/*.json.\n{code}"),
    )
    .map_err(|e| format!("{}: {e}", path.display()))
}

fn main() {
    for f in ["build.rs", "src/estimate/arch.rs", "src/estimate/catalog.rs"] {
        println!("cargo:rerun-if-changed={f}");
    }
    let mut models = check::<catalog::ModelsFile>("src/estimate/data/models.json");
    let mut gpus = check::<catalog::GpusFile>("src/estimate/data/gpus.json");
    // The page never shows the quotes behind a GPU's figures (its datasheet's and the engine
    // total's), their addresses or where a preset's counts were published (the README and the
    // native tests read them): the module leaves them out, about 17 KB of its gzip.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        for g in gpus.iter_mut().flat_map(|f| f.gpus.iter_mut()) {
            g.source = catalog::Text::Borrowed("");
            g.url = catalog::Text::Borrowed("");
            g.engine_source = None;
        }
        for p in models.iter_mut().flat_map(|f| f.presets.iter_mut()) {
            p.params_source = catalog::Text::Borrowed("");
            p.tokens_source = catalog::Text::Borrowed("");
        }
    }
    let mut errors = Vec::new();
    match models {
        Ok(m) if m.presets.is_empty() => errors.push("src/estimate/data/models.json: no presets".to_string()),
        Ok(m) => {
            let code = statics("PRESETS", "Preset", &m.presets)
                .and_then(|p| Ok(p + &statics("TRAINED", "TrainedModel", &m.trained)?));
            errors.extend(write_out("models.rs", code).err());
        }
        Err(e) => errors.push(e),
    }
    match gpus {
        Ok(g) if g.gpus.is_empty() => errors.push("src/estimate/data/gpus.json: no GPUs".to_string()),
        Ok(g) => errors.extend(write_out("gpus.rs", statics("GPUS", "Gpu", &g.gpus)).err()),
        Err(e) => errors.push(e),
    }
    if !errors.is_empty() {
        for e in &errors {
            println!("cargo:warning=catalog: {e}");
        }
        eprintln!("the catalogs do not match their types:\n{}", errors.join("\n"));
        std::process::exit(1);
    }
}
