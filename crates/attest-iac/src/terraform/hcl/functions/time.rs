//! Date and time functions. `timestamp`, `plantimestamp`, `uuid` and `bcrypt` give a different
//! result on every run: they are unknown, as in a plan.

use attest_core::Value;
use chrono::{DateTime, FixedOffset, SecondsFormat};

use super::{arity, err, string, FnCtx};
use crate::terraform::hcl::eval::EvalError;

pub(super) fn timestamp(_: &FnCtx<'_>, _: &[Value]) -> Result<Value, EvalError> {
    Ok(Value::unknown(
        "timestamp() is known only when the configuration is applied",
    ))
}

pub(super) fn plantimestamp(_: &FnCtx<'_>, _: &[Value]) -> Result<Value, EvalError> {
    Ok(Value::unknown(
        "plantimestamp() is known only when a plan is made",
    ))
}

pub(super) fn uuid(_: &FnCtx<'_>, _: &[Value]) -> Result<Value, EvalError> {
    Ok(Value::unknown("uuid() gives a new value on every run"))
}

pub(super) fn bcrypt(_: &FnCtx<'_>, _: &[Value]) -> Result<Value, EvalError> {
    Ok(Value::unknown("bcrypt() gives a new value on every run"))
}

fn parse_ts(name: &str, v: &Value) -> Result<DateTime<FixedOffset>, EvalError> {
    let s = string(name, v)?;
    DateTime::parse_from_rfc3339(&s)
        .map_err(|e| err(format!("{name}: \"{s}\" is not a valid RFC 3339 timestamp: {e}")))
}

/// `formatdate(spec, timestamp)` with Terraform's format sequences (`YYYY`, `MMM`, `DD`, `EEEE`,
/// `hh`, `mm`, `ss`, `ZZZZZ`, `'literal'` …).
pub(super) fn formatdate(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("formatdate", a, 2, 2)?;
    let spec = string("formatdate", &a[0])?;
    let t = parse_ts("formatdate", &a[1])?;
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut j = i + 1;
            if chars.get(j) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut lit = String::new();
            loop {
                match chars.get(j) {
                    None => return Err(err("formatdate: unterminated literal '")),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        lit.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(&ch) => {
                        lit.push(ch);
                        j += 1;
                    }
                }
            }
            out.push_str(&lit);
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        let seq: String = std::iter::repeat_n(c, n).collect();
        let text = match seq.as_str() {
            "YYYY" => format!("{:04}", t.format("%Y")),
            "YY" => t.format("%y").to_string(),
            "MMMM" => t.format("%B").to_string(),
            "MMM" => t.format("%b").to_string(),
            "MM" => t.format("%m").to_string(),
            "M" => t.format("%-m").to_string(),
            "DD" => t.format("%d").to_string(),
            "D" => t.format("%-d").to_string(),
            "EEEE" => t.format("%A").to_string(),
            "EEE" => t.format("%a").to_string(),
            "hh" => t.format("%H").to_string(),
            "h" => t.format("%-H").to_string(),
            "HH" => t.format("%I").to_string(),
            "H" => t.format("%-I").to_string(),
            "AA" => t.format("%p").to_string(),
            "aa" => t.format("%P").to_string(),
            "mm" => t.format("%M").to_string(),
            "m" => t.format("%-M").to_string(),
            "ss" => t.format("%S").to_string(),
            "s" => t.format("%-S").to_string(),
            "ZZZZZ" => t.format("%:z").to_string(),
            "ZZZZ" => t.format("%z").to_string(),
            "ZZZ" | "Z" if t.offset().local_minus_utc() == 0 => {
                if n == 1 {
                    "Z".to_string()
                } else {
                    "UTC".to_string()
                }
            }
            "ZZZ" => t.format("%z").to_string(),
            "Z" => t.format("%:z").to_string(),
            _ => return Err(err(format!("formatdate: invalid date format sequence \"{seq}\""))),
        };
        out.push_str(&text);
        i += n;
    }
    Ok(Value::String(out))
}

/// A Go duration (`1h30m`, `-10s`, `1.5h`, `300ms`) in nanoseconds.
fn parse_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let value: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    let ns = total.round() as i64;
    Some(if neg { -ns } else { ns })
}

fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn timeadd(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("timeadd", a, 2, 2)?;
    let t = parse_ts("timeadd", &a[0])?;
    let d = string("timeadd", &a[1])?;
    let ns = parse_duration(&d).ok_or_else(|| err(format!("timeadd: invalid duration \"{d}\"")))?;
    let sum = t
        .checked_add_signed(chrono::Duration::nanoseconds(ns))
        .ok_or_else(|| err("timeadd: the result is out of range"))?;
    Ok(Value::String(rfc3339(&sum)))
}

pub(super) fn timecmp(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("timecmp", a, 2, 2)?;
    let x = parse_ts("timecmp", &a[0])?;
    let y = parse_ts("timecmp", &a[1])?;
    Ok(Value::from(match x.cmp(&y) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }))
}
