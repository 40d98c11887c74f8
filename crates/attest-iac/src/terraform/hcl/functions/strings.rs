//! String functions: `formatlist`, `indent`, `regex`, `regexall`, `strcontains`, `strrev`,
//! `title`, `trim`.

use std::collections::BTreeMap;

use attest_core::Value;

use super::{arity, err, format_values, string, unknown_in, FnCtx};
use crate::terraform::hcl::eval::EvalError;
use crate::terraform::hcl::ops::to_i64;

pub(super) fn formatlist(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    if a.is_empty() {
        return Err(err("formatlist: a format string is required"));
    }
    if let Some(u) = a.iter().find_map(|v| unknown_in("formatlist", v)) {
        return Ok(u);
    }
    let spec = string("formatlist", &a[0])?;
    let mut len: Option<usize> = None;
    for v in &a[1..] {
        if let Value::List(items) = v {
            match len {
                Some(n) if n != items.len() => {
                    return Err(err("formatlist: all list arguments must have the same length"))
                }
                _ => len = Some(items.len()),
            }
        }
    }
    let n = len.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row: Vec<Value> = a[1..]
            .iter()
            .map(|v| match v {
                Value::List(items) => items[i].clone(),
                other => other.clone(),
            })
            .collect();
        out.push(Value::String(format_values(&spec, &row)?));
    }
    Ok(Value::List(out))
}

pub(super) fn indent(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("indent", a, 2, 2)?;
    let n = to_i64(&a[0], "indent")?.max(0) as usize;
    let s = string("indent", &a[1])?;
    let pad = " ".repeat(n);
    Ok(Value::String(s.replace('\n', &format!("\n{pad}"))))
}

fn compile(name: &str, pattern: &str) -> Result<regex::Regex, EvalError> {
    regex::Regex::new(pattern).map_err(|e| err(format!("{name}: invalid regular expression: {e}")))
}

/// The result of one match: the match itself without groups, a list of the groups, or an object
/// of the named groups.
fn match_value(re: &regex::Regex, caps: &regex::Captures<'_>) -> Value {
    let group = |m: Option<regex::Match<'_>>| match m {
        Some(m) => Value::String(m.as_str().to_string()),
        None => Value::Null,
    };
    if re.captures_len() == 1 {
        return group(caps.get(0));
    }
    let names: Vec<Option<&str>> = re.capture_names().collect();
    if names.iter().skip(1).any(Option::is_some) {
        let mut map = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            if let Some(name) = name {
                map.insert((*name).to_string(), group(caps.get(i)));
            }
        }
        return Value::Object(map);
    }
    Value::List((1..re.captures_len()).map(|i| group(caps.get(i))).collect())
}

pub(super) fn regex(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("regex", a, 2, 2)?;
    let re = compile("regex", &string("regex", &a[0])?)?;
    let s = string("regex", &a[1])?;
    match re.captures(&s) {
        Some(caps) => Ok(match_value(&re, &caps)),
        None => Err(err("regex: pattern did not match any part of the given string")),
    }
}

pub(super) fn regexall(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("regexall", a, 2, 2)?;
    let re = compile("regexall", &string("regexall", &a[0])?)?;
    let s = string("regexall", &a[1])?;
    Ok(Value::List(
        re.captures_iter(&s).map(|caps| match_value(&re, &caps)).collect(),
    ))
}

pub(super) fn strcontains(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("strcontains", a, 2, 2)?;
    let s = string("strcontains", &a[0])?;
    let sub = string("strcontains", &a[1])?;
    Ok(Value::Bool(s.contains(&sub)))
}

/// Combining marks stay after the character they modify.
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

pub(super) fn strrev(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("strrev", a, 1, 1)?;
    let s = string("strrev", &a[0])?;
    let mut clusters: Vec<String> = Vec::new();
    for c in s.chars() {
        match clusters.last_mut() {
            Some(last) if is_combining(c) => last.push(c),
            _ => clusters.push(c.to_string()),
        }
    }
    clusters.reverse();
    Ok(Value::String(clusters.concat()))
}

/// Word boundaries as Terraform's `title` sees them.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

pub(super) fn title(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("title", a, 1, 1)?;
    let s = string("title", &a[0])?;
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if is_separator(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    Ok(Value::String(out))
}

pub(super) fn trim(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("trim", a, 2, 2)?;
    let s = string("trim", &a[0])?;
    let cutset: Vec<char> = string("trim", &a[1])?.chars().collect();
    Ok(Value::String(s.trim_matches(|c| cutset.contains(&c)).to_string()))
}
