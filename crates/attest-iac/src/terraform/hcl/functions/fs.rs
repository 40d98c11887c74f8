//! Filesystem functions: `abspath`, `basename`, `dirname`, `pathexpand`, `filebase64`,
//! `fileset`. Paths are cleaned the way Terraform (Go's `filepath`) does.

use std::path::Path;

use attest_core::Value;
use base64::Engine as _;

use super::{arity, err, set_of, string, FnCtx};
use crate::terraform::hcl::eval::EvalError;

/// Lexical path cleaning: `.` and `..` elements and repeated or trailing slashes removed.
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

pub(super) fn basename(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("basename", a, 1, 1)?;
    let p = string("basename", &a[0])?;
    if p.is_empty() {
        return Ok(Value::from("."));
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::from("/"));
    }
    Ok(Value::from(trimmed.rsplit('/').next().unwrap_or(trimmed)))
}

pub(super) fn dirname(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("dirname", a, 1, 1)?;
    let p = string("dirname", &a[0])?;
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    Ok(Value::String(clean(dir)))
}

pub(super) fn abspath(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("abspath", a, 1, 1)?;
    let p = string("abspath", &a[0])?;
    if p.starts_with('/') {
        return Ok(Value::String(clean(&p)));
    }
    let cwd = std::env::current_dir().map_err(|e| err(format!("abspath: {e}")))?;
    Ok(Value::String(clean(&format!("{}/{p}", cwd.display()))))
}

pub(super) fn pathexpand(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("pathexpand", a, 1, 1)?;
    let p = string("pathexpand", &a[0])?;
    if p != "~" && !p.starts_with("~/") {
        return Ok(Value::String(p));
    }
    match std::env::var("HOME") {
        Ok(home) => Ok(Value::String(format!("{home}{}", &p[1..]))),
        Err(_) => Ok(Value::unknown("pathexpand: the home directory is not known")),
    }
}

pub(super) fn filebase64(ctx: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("filebase64", a, 1, 1)?;
    let p = string("filebase64", &a[0])?;
    let bytes =
        std::fs::read(ctx.resolve(&p)).map_err(|e| err(format!("filebase64: cannot read \"{p}\": {e}")))?;
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}

fn walk(root: &Path, rel: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(root, &path, out, depth + 1),
            Ok(_) => out.push(path),
            Err(_) => {}
        }
    }
}

/// `fileset(path, pattern)`: the files under `path` matching the pattern (`*`, `**`, `?`,
/// `[...]`, `{a,b}`), relative to `path`, sorted.
pub(super) fn fileset(ctx: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("fileset", a, 2, 2)?;
    let base = string("fileset", &a[0])?;
    let pattern = string("fileset", &a[1])?;
    let matcher = globset::GlobBuilder::new(&clean(&pattern))
        .literal_separator(true)
        .build()
        .map_err(|e| err(format!("fileset: invalid pattern \"{pattern}\": {e}")))?
        .compile_matcher();
    let root = ctx.resolve(&base);
    let mut files = Vec::new();
    walk(&root, "", &mut files, 0);
    let matched: Vec<Value> = files
        .into_iter()
        .filter(|f| matcher.is_match(f))
        .map(Value::String)
        .collect();
    Ok(Value::List(set_of(&matched)))
}
