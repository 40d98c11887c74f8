//! Collection functions: `chunklist`, `coalescelist`, `index`, `matchkeys`, the set functions,
//! `slice`, `transpose`.

use std::collections::BTreeMap;

use attest_core::Value;

use super::{arity, err, list, object, set_of, string, unknown_in, FnCtx};
use crate::terraform::hcl::eval::EvalError;
use crate::terraform::hcl::ops::{equal, to_i64};

pub(super) fn chunklist(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("chunklist", a, 2, 2)?;
    let items = list("chunklist", &a[0])?;
    let size = to_i64(&a[1], "chunklist")?;
    if size < 0 {
        return Err(err("chunklist: the size must not be negative"));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.to_vec())]));
    }
    Ok(Value::List(
        items
            .chunks(size as usize)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

pub(super) fn coalescelist(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    if a.is_empty() {
        return Err(err("coalescelist: at least one argument is required"));
    }
    for v in a {
        match v {
            Value::Null => continue,
            Value::Unknown(_) => {
                return Ok(Value::unknown(
                    "result of coalescelist() depends on an unknown value",
                ))
            }
            Value::List(items) if items.is_empty() => continue,
            Value::List(_) => return Ok(v.clone()),
            other => {
                return Err(err(format!(
                    "coalescelist: a list is required, got {}",
                    other.kind()
                )))
            }
        }
    }
    Err(err("coalescelist: no non-null, non-empty argument"))
}

pub(super) fn index(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("index", a, 2, 2)?;
    if let Some(u) = a.iter().find_map(|v| unknown_in("index", v)) {
        return Ok(u);
    }
    let items = list("index", &a[0])?;
    match items.iter().position(|v| equal(v, &a[1])) {
        Some(i) => Ok(Value::from(i as i64)),
        None => Err(err("index: item not found")),
    }
}

pub(super) fn matchkeys(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("matchkeys", a, 3, 3)?;
    if let Some(u) = a[1..].iter().find_map(|v| unknown_in("matchkeys", v)) {
        return Ok(u);
    }
    let values = list("matchkeys", &a[0])?;
    let keys = list("matchkeys", &a[1])?;
    let search = list("matchkeys", &a[2])?;
    if values.len() != keys.len() {
        return Err(err(
            "matchkeys: the values and keys lists must have the same length",
        ));
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.iter().any(|s| equal(s, k)))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

fn sets<'v>(name: &str, a: &'v [Value]) -> Result<Result<Vec<&'v [Value]>, Value>, EvalError> {
    if a.is_empty() {
        return Err(err(format!("{name}: at least one argument is required")));
    }
    if let Some(u) = a.iter().find_map(|v| unknown_in(name, v)) {
        return Ok(Err(u));
    }
    Ok(Ok(a.iter().map(|v| list(name, v)).collect::<Result<_, _>>()?))
}

pub(super) fn setunion(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    Ok(match sets("setunion", a)? {
        Ok(s) => Value::List(set_of(&s.concat())),
        Err(u) => u,
    })
}

pub(super) fn setintersection(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    Ok(match sets("setintersection", a)? {
        Ok(s) => {
            let kept: Vec<Value> = s[0]
                .iter()
                .filter(|v| s[1..].iter().all(|o| o.iter().any(|x| equal(x, v))))
                .cloned()
                .collect();
            Value::List(set_of(&kept))
        }
        Err(u) => u,
    })
}

pub(super) fn setsubtract(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("setsubtract", a, 2, 2)?;
    Ok(match sets("setsubtract", a)? {
        Ok(s) => {
            let kept: Vec<Value> = s[0]
                .iter()
                .filter(|v| !s[1].iter().any(|x| equal(x, v)))
                .cloned()
                .collect();
            Value::List(set_of(&kept))
        }
        Err(u) => u,
    })
}

pub(super) fn setproduct(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    if a.len() < 2 {
        return Err(err("setproduct: at least two arguments are required"));
    }
    Ok(match sets("setproduct", a)? {
        Ok(s) => {
            let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
            for set in s {
                let mut next = Vec::with_capacity(rows.len() * set.len());
                for row in &rows {
                    for item in set {
                        let mut r = row.clone();
                        r.push(item.clone());
                        next.push(r);
                    }
                }
                rows = next;
            }
            Value::List(rows.into_iter().map(Value::List).collect())
        }
        Err(u) => u,
    })
}

pub(super) fn slice(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("slice", a, 3, 3)?;
    let items = list("slice", &a[0])?;
    let start = to_i64(&a[1], "slice")?;
    let end = to_i64(&a[2], "slice")?;
    if start < 0 || end > items.len() as i64 || start > end {
        return Err(err(format!(
            "slice: invalid range {start}..{end} for a list of {} elements",
            items.len()
        )));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

pub(super) fn transpose(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("transpose", a, 1, 1)?;
    if let Some(u) = unknown_in("transpose", &a[0]) {
        return Ok(u);
    }
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (k, vs) in object("transpose", &a[0])? {
        for v in list("transpose", vs)? {
            out.entry(string("transpose", v)?)
                .or_default()
                .push(Value::String(k.clone()));
        }
    }
    Ok(Value::Object(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}
