//! Encoding functions: `csvdecode`, `urlencode`, `yamlencode`, `textencodebase64`,
//! `textdecodebase64`.

use std::collections::BTreeMap;

use attest_core::Value;
use base64::Engine as _;

use super::{arity, err, string, unknown_in, FnCtx};
use crate::terraform::hcl::eval::EvalError;
use crate::terraform::hcl::ops::format_number;

/// Splits CSV text into records (RFC 4180: quoted fields, `""` escapes, CRLF or LF).
fn csv_records(text: &str) -> Result<Vec<Vec<String>>, EvalError> {
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_field_start = true;
    let mut line = 1;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c)
                }
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => {
                return Err(err(format!(
                    "csvdecode: bare \" in non-quoted field on line {line}"
                )))
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].is_empty()) {
                    records.push(std::mem::take(&mut record));
                }
                record.clear();
                at_field_start = true;
            }
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(err("csvdecode: extraneous or missing \" in quoted field"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

pub(super) fn csvdecode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("csvdecode", a, 1, 1)?;
    let text = string("csvdecode", &a[0])?;
    let mut records = csv_records(&text)?.into_iter();
    let Some(header) = records.next() else {
        return Err(err("csvdecode: missing header line"));
    };
    let mut out = Vec::new();
    for (i, rec) in records.enumerate() {
        if rec.len() != header.len() {
            return Err(err(format!(
                "csvdecode: record on line {} has the wrong number of fields",
                i + 2
            )));
        }
        let row: BTreeMap<String, Value> = header
            .iter()
            .cloned()
            .zip(rec.into_iter().map(Value::String))
            .collect();
        out.push(Value::Object(row));
    }
    Ok(Value::List(out))
}

pub(super) fn urlencode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("urlencode", a, 1, 1)?;
    let s = string("urlencode", &a[0])?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    Ok(Value::String(out))
}

fn yaml_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A string with line breaks as a literal block scalar (`|-`, `|`, `|+`), its lines indented.
fn yaml_literal(s: &str, indent: usize, out: &mut String) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    let pad = " ".repeat(indent);
    for line in s
        .split('\n')
        .take(body.split('\n').count() + trailing.saturating_sub(1))
    {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
}

/// A double-quoted scalar, folded at spaces past column 80 as YAML emitters do.
fn yaml_folded(s: &str, indent: usize, out: &mut String) {
    let mut quoted = String::new();
    yaml_quote(s, &mut quoted);
    let line_start = out.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mut column = out[line_start..].chars().count();
    let chars: Vec<char> = quoted.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1) == Some(&' ');
        let prev_is_space = i > 0 && chars[i - 1] == ' ';
        if *c == ' ' && column > 80 && i > 1 && i + 2 < chars.len() && !next_is_space && !prev_is_space {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            column = indent;
            continue;
        }
        out.push(*c);
        column += 1;
    }
}

fn yaml_scalar_at(v: &Value, indent: usize, out: &mut String) -> Result<(), EvalError> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(n)),
        Value::String(s) if s.contains('\n') => yaml_literal(s, indent + 2, out),
        Value::String(s) => yaml_folded(s, indent + 2, out),
        Value::List(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Unknown(why) => return Err(err(why.clone())),
        _ => return Err(err("yamlencode: not a scalar")),
    }
    Ok(())
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::List(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => false,
    }
}

/// Writes a block collection; the first line continues the current line (after `- `) when
/// `inline` is set, other lines start with `indent` spaces.
fn yaml_block(v: &Value, indent: usize, inline: bool, out: &mut String) -> Result<(), EvalError> {
    let pad = " ".repeat(indent);
    let mut first = true;
    let mut start = |out: &mut String| {
        if !(first && inline) {
            out.push_str(&pad);
        }
        first = false;
    };
    match v {
        Value::List(items) => {
            for item in items {
                start(out);
                out.push_str("- ");
                if is_block(item) {
                    yaml_block(item, indent + 2, true, out)?;
                } else {
                    yaml_scalar_at(item, indent, out)?;
                    out.push('\n');
                }
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                start(out);
                yaml_quote(k, out);
                out.push(':');
                match item {
                    Value::List(items) if !items.is_empty() => {
                        out.push('\n');
                        yaml_block(item, indent, false, out)?;
                    }
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        yaml_block(item, indent + 2, false, out)?;
                    }
                    _ => {
                        out.push(' ');
                        yaml_scalar_at(item, indent, out)?;
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            yaml_scalar_at(other, indent, out)?;
            out.push('\n');
        }
    }
    Ok(())
}

pub(super) fn yamlencode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("yamlencode", a, 1, 1)?;
    if let Some(u) = unknown_in("yamlencode", &a[0]) {
        return Ok(u);
    }
    let mut out = String::new();
    if is_block(&a[0]) {
        yaml_block(&a[0], 0, false, &mut out)?;
    } else {
        yaml_scalar_at(&a[0], 0, &mut out)?;
        out.push('\n');
        // A plain scalar document ends with an explicit end marker.
        if !matches!(&a[0], Value::List(_) | Value::Object(_) | Value::String(_)) {
            out.push_str("...\n");
        }
    }
    Ok(Value::String(out))
}

fn encoding_name(v: &Value) -> Result<String, EvalError> {
    Ok(string("textencodebase64", v)?
        .to_ascii_uppercase()
        .replace('_', "-"))
}

pub(super) fn textencodebase64(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("textencodebase64", a, 2, 2)?;
    let s = string("textencodebase64", &a[0])?;
    let bytes: Vec<u8> = match encoding_name(&a[1])?.as_str() {
        "UTF-8" | "UTF8" => s.into_bytes(),
        "UTF-16LE" => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        "UTF-16BE" => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        other => {
            return Ok(Value::unknown(format!(
                "textencodebase64: the encoding {other} is not supported by attest"
            )))
        }
    };
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}

pub(super) fn textdecodebase64(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("textdecodebase64", a, 2, 2)?;
    let s = string("textdecodebase64", &a[0])?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(|e| err(format!("textdecodebase64: {e}")))?;
    let units = |be: bool| -> Vec<u16> {
        bytes
            .chunks(2)
            .map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if be {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect()
    };
    let text = match encoding_name(&a[1])?.as_str() {
        "UTF-8" | "UTF8" => String::from_utf8(bytes).map_err(|_| err("textdecodebase64: invalid UTF-8"))?,
        "UTF-16LE" => String::from_utf16_lossy(&units(false)),
        "UTF-16BE" => String::from_utf16_lossy(&units(true)),
        other => {
            return Ok(Value::unknown(format!(
                "textdecodebase64: the encoding {other} is not supported by attest"
            )))
        }
    };
    Ok(Value::String(text))
}
