//! Operations on evaluated values: numbers, conversions to strings, equality, and Terraform's
//! JSON encoding.

use std::collections::BTreeMap;

use attest_core::Value;

use super::eval::EvalError;

/// A number value from an `f64`: integral values in the exact range of an `f64` become integers.
pub(crate) fn number(f: f64) -> Result<Value, EvalError> {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return Ok(Value::Number(serde_json::Number::from(f as i64)));
    }
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| EvalError::new(format!("{f} is not a valid number")))
}

/// Converts an hcl number into a value.
pub(crate) fn from_hcl_number(n: &hcl::Number) -> Result<Value, EvalError> {
    if let Some(i) = n.as_i64() {
        return Ok(Value::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Ok(Value::Number(serde_json::Number::from(u)));
    }
    number(n.as_f64().unwrap_or(f64::NAN))
}

/// The number in a value, converting strings the way Terraform does.
pub(crate) fn to_f64(v: &Value, what: &str) -> Result<f64, EvalError> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| EvalError::new("invalid number")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| EvalError::new(format!("{what}: cannot convert \"{s}\" to a number"))),
        other => Err(EvalError::new(format!(
            "{what}: a number is required, got {}",
            other.kind()
        ))),
    }
}

/// An integer argument.
pub(crate) fn to_i64(v: &Value, what: &str) -> Result<i64, EvalError> {
    let f = to_f64(v, what)?;
    if f.fract() != 0.0 {
        return Err(EvalError::new(format!(
            "{what}: a whole number is required, got {f}"
        )));
    }
    Ok(f as i64)
}

/// A boolean, converting `"true"`/`"false"` strings.
pub(crate) fn to_bool(v: &Value, what: &str) -> Result<bool, EvalError> {
    v.as_bool()
        .ok_or_else(|| EvalError::new(format!("{what}: a bool is required, got {}", v.kind())))
}

/// Terraform's canonical text for a number.
pub(crate) fn format_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    // Terraform computes with arbitrary precision (0.1 + 0.2 is 0.3); rounding to 15 significant
    // digits hides the binary floating point error of the same computation.
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{rounded}")
}

/// A primitive value as a string (template interpolation, `tostring`, `join`).
pub(crate) fn to_string(v: &Value, what: &str) -> Result<String, EvalError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err(EvalError::new(format!("{what}: the value is null"))),
        other => Err(EvalError::new(format!(
            "{what}: cannot convert a {} to a string",
            other.kind()
        ))),
    }
}

/// Equality of two known values (numbers compare numerically).
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && equal(va, vb))
        }
        _ => a == b,
    }
}

/// Plain JSON into a value (no unknown markers: a decoded document is data).
pub(crate) fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.clone()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Encodes a known value as Terraform's `jsonencode` does: compact, keys sorted, HTML-sensitive
/// characters escaped.
pub(crate) fn json_encode(v: &Value, out: &mut String) -> Result<(), EvalError> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(n)),
        Value::String(s) => json_quote(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_encode(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_quote(k, out);
                out.push(':');
                json_encode(item, out)?;
            }
            out.push('}');
        }
        Value::Unknown(reason) => return Err(EvalError::new(reason.clone())),
    }
    Ok(())
}

/// A JSON string literal with Go's escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes).
pub(crate) fn json_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The reason carried by the first unknown value found in `v`, if any.
pub(crate) fn first_unknown(v: &Value) -> Option<&str> {
    match v {
        Value::Unknown(r) => Some(r),
        Value::List(items) => items.iter().find_map(first_unknown),
        Value::Object(map) => map.values().find_map(first_unknown),
        _ => None,
    }
}
