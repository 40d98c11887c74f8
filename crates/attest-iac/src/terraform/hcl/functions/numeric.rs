//! Numeric functions not covered by the registry module: `log`, `parseint`, `pow`, `signum`.

use attest_core::Value;

use super::{arity, err, num, string, FnCtx};
use crate::terraform::hcl::eval::EvalError;
use crate::terraform::hcl::ops::{to_f64, to_i64};

pub(super) fn log(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("log", a, 2, 2)?;
    let x = to_f64(&a[0], "log")?;
    let base = to_f64(&a[1], "log")?;
    num(x.ln() / base.ln())
}

pub(super) fn pow(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("pow", a, 2, 2)?;
    num(to_f64(&a[0], "pow")?.powf(to_f64(&a[1], "pow")?))
}

pub(super) fn signum(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("signum", a, 1, 1)?;
    let x = to_f64(&a[0], "signum")?;
    Ok(Value::from(if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }))
}

/// `parseint(string, base)`: bases 2 to 62; letters are digits 10-35 (either case up to base 36,
/// then lower case 10-35 and upper case 36-61).
pub(super) fn parseint(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("parseint", a, 2, 2)?;
    let text = string("parseint", &a[0])?;
    let base = to_i64(&a[1], "parseint")?;
    if !(2..=62).contains(&base) {
        return Err(err("parseint: the base must be between 2 and 62"));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if digits.is_empty() {
        return Err(err(format!(
            "parseint: cannot parse \"{text}\" as a base {base} integer"
        )));
    }
    let mut acc: i128 = 0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => base,
        };
        if d >= base {
            return Err(err(format!(
                "parseint: cannot parse \"{text}\" as a base {base} integer"
            )));
        }
        acc = acc
            .checked_mul(i128::from(base))
            .and_then(|x| x.checked_add(i128::from(d)))
            .ok_or_else(|| err("parseint: the number is too large"))?;
    }
    if negative {
        acc = -acc;
    }
    if let Ok(i) = i64::try_from(acc) {
        return Ok(Value::from(i));
    }
    if let Ok(u) = u64::try_from(acc) {
        return Ok(Value::Number(serde_json::Number::from(u)));
    }
    num(acc as f64)
}
