//! Input variables: `TF_VAR_*` environment values, conversion of a value to the declared type
//! (with `optional(T, default)` attributes filled), sensitive variables and the workspace name.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use attest_core::{InputError, Value};

use super::config::{ModuleConfig, VariableDecl};
use super::eval::{Evaluator, Scope};
use super::functions::set_of;
use super::ops::{format_number, number};
use crate::LoadOptions;

/// The reason stored for attribute values derived from a sensitive variable.
pub const SENSITIVE_VALUE: &str = "sensitive value";

/// A type constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(Vec<Attribute>),
    Tuple(Vec<Type>),
}

/// An attribute of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    /// The default of an optional attribute, already converted to `ty`.
    pub default: Option<Value>,
}

/// Reads a type constraint expression; `eval` evaluates the defaults of optional attributes.
pub fn parse_type(
    expr: &hcl::Expression,
    eval: &mut dyn FnMut(&hcl::Expression) -> Value,
) -> Result<Type, String> {
    use hcl::Expression as E;
    match expr {
        E::Variable(v) => keyword(v.as_str()),
        E::String(s) => keyword(s),
        E::Parenthesis(inner) => parse_type(inner, eval),
        E::FuncCall(call) => {
            let name = call.name.name.as_str();
            let arg = |i: usize| {
                call.args
                    .get(i)
                    .ok_or_else(|| format!("the type {name}(…) needs an argument"))
            };
            match name {
                "list" => Ok(Type::List(Box::new(parse_type(arg(0)?, eval)?))),
                "set" => Ok(Type::Set(Box::new(parse_type(arg(0)?, eval)?))),
                "map" => Ok(Type::Map(Box::new(parse_type(arg(0)?, eval)?))),
                "tuple" => match arg(0)? {
                    E::Array(items) => Ok(Type::Tuple(
                        items
                            .iter()
                            .map(|t| parse_type(t, eval))
                            .collect::<Result<_, _>>()?,
                    )),
                    _ => Err("tuple(…) needs a list of types".to_string()),
                },
                "object" => match arg(0)? {
                    E::Object(attrs) => {
                        let mut out = Vec::new();
                        for (key, t) in attrs {
                            let name = match key {
                                hcl::ObjectKey::Identifier(i) => i.as_str().to_string(),
                                hcl::ObjectKey::Expression(E::String(s)) => s.clone(),
                                hcl::ObjectKey::Expression(E::Variable(v)) => v.as_str().to_string(),
                                _ => return Err("an object attribute name must be a name".to_string()),
                            };
                            out.push(parse_attribute(name, t, eval)?);
                        }
                        Ok(Type::Object(out))
                    }
                    _ => Err("object(…) needs an object of types".to_string()),
                },
                other => Err(format!("unknown type `{other}`")),
            }
        }
        _ => Err("invalid type constraint".to_string()),
    }
}

fn keyword(word: &str) -> Result<Type, String> {
    match word {
        "any" => Ok(Type::Any),
        "string" => Ok(Type::String),
        "number" => Ok(Type::Number),
        "bool" => Ok(Type::Bool),
        // Terraform 0.11 spellings.
        "list" => Ok(Type::List(Box::new(Type::Any))),
        "map" => Ok(Type::Map(Box::new(Type::Any))),
        other => Err(format!("unknown type `{other}`")),
    }
}

fn parse_attribute(
    name: String,
    t: &hcl::Expression,
    eval: &mut dyn FnMut(&hcl::Expression) -> Value,
) -> Result<Attribute, String> {
    if let hcl::Expression::FuncCall(call) = t {
        if call.name.name.as_str() == "optional" {
            let inner = call
                .args
                .first()
                .ok_or_else(|| "optional(…) needs a type".to_string())?;
            let ty = parse_type(inner, eval)?;
            let default = match call.args.get(1) {
                Some(d) => Some(convert(&eval(d), &ty).map_err(|e| format!("the default of `{name}`: {e}"))?),
                None => None,
            };
            return Ok(Attribute {
                name,
                ty,
                optional: true,
                default,
            });
        }
    }
    Ok(Attribute {
        name,
        ty: parse_type(t, eval)?,
        optional: false,
        default: None,
    })
}

/// Converts a value to a type as Terraform does for input variables. Unknown values stay
/// unknown; extra object attributes are dropped.
pub fn convert(v: &Value, ty: &Type) -> Result<Value, String> {
    if matches!(v, Value::Unknown(_) | Value::Null) || *ty == Type::Any {
        return Ok(v.clone());
    }
    match (ty, v) {
        (Type::String, Value::String(_)) => Ok(v.clone()),
        (Type::String, Value::Number(n)) => Ok(Value::String(format_number(n))),
        (Type::String, Value::Bool(b)) => Ok(Value::String(b.to_string())),
        (Type::Number, Value::Number(_)) => Ok(v.clone()),
        (Type::Number, Value::String(s)) => match s.parse::<f64>() {
            Ok(f) if f.is_finite() && !s.contains(['i', 'I', 'n', 'N']) => {
                number(f).map_err(|e| e.to_string())
            }
            _ => Err(format!("a number is required, got \"{s}\"")),
        },
        (Type::Bool, Value::Bool(_)) => Ok(v.clone()),
        (Type::Bool, Value::String(s)) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
        (Type::List(t), Value::List(items)) => Ok(Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| convert(x, t).map_err(|e| format!("element {i}: {e}")))
                .collect::<Result<_, _>>()?,
        )),
        (Type::Set(t), Value::List(items)) => {
            let converted: Vec<Value> = items.iter().map(|x| convert(x, t)).collect::<Result<_, _>>()?;
            Ok(Value::List(set_of(&converted)))
        }
        (Type::Map(t), Value::Object(map)) => Ok(Value::Object(
            map.iter()
                .map(|(k, x)| {
                    Ok((
                        k.clone(),
                        convert(x, t).map_err(|e| format!("element \"{k}\": {e}"))?,
                    ))
                })
                .collect::<Result<_, String>>()?,
        )),
        (Type::Tuple(ts), Value::List(items)) if ts.len() == items.len() => Ok(Value::List(
            items
                .iter()
                .zip(ts)
                .map(|(x, t)| convert(x, t))
                .collect::<Result<_, _>>()?,
        )),
        (Type::Object(attrs), Value::Object(map)) => {
            let mut out = BTreeMap::new();
            for a in attrs {
                let value = match map.get(&a.name) {
                    Some(x) if !x.is_null() => {
                        convert(x, &a.ty).map_err(|e| format!("attribute \"{}\": {e}", a.name))?
                    }
                    Some(_) if !a.optional => Value::Null,
                    None if !a.optional => return Err(format!("attribute \"{}\" is required", a.name)),
                    _ => a.default.clone().unwrap_or(Value::Null),
                };
                out.insert(a.name.clone(), value);
            }
            Ok(Value::Object(out))
        }
        (ty, v) => Err(format!("a {} is required, got a {}", type_name(ty), v.kind())),
    }
}

fn type_name(ty: &Type) -> &'static str {
    match ty {
        Type::Any => "value",
        Type::String => "string",
        Type::Number => "number",
        Type::Bool => "bool",
        Type::List(_) => "list",
        Type::Set(_) => "set",
        Type::Map(_) => "map",
        Type::Object(_) => "object",
        Type::Tuple(_) => "tuple",
    }
}

/// `TF_VAR_<name>` values of the declared variables: `LoadOptions.env_vars` first, then the
/// process environment.
pub fn env_values(cfg: &ModuleConfig, opts: &LoadOptions) -> Vec<(String, String)> {
    cfg.variables
        .iter()
        .filter_map(|d| {
            let key = format!("TF_VAR_{}", d.name);
            let v = opts
                .env_vars
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| std::env::var(&key).ok())?;
            Some((d.name.clone(), v))
        })
        .collect()
}

/// Converts every declared variable's value to its declared type. A value that does not convert
/// becomes unknown, with an input error at the variable block.
pub fn convert_all(
    cfg: &ModuleConfig,
    values: &mut HashMap<String, Value>,
    ev: &mut Evaluator<'_>,
    errors: &mut Vec<InputError>,
) {
    for decl in &cfg.variables {
        let Some(type_expr) = &decl.type_expr else {
            continue;
        };
        let result =
            parse_type(type_expr, &mut |e| ev.eval_value(e, &mut Scope::isolated())).and_then(|ty| {
                match values.get(&decl.name) {
                    Some(v) => convert(v, &ty),
                    None => Ok(Value::Null),
                }
            });
        match result {
            Ok(v) => {
                if values.contains_key(&decl.name) {
                    values.insert(decl.name.clone(), v);
                }
            }
            Err(e) => {
                let msg = format!("invalid value for variable \"{}\": {e}", decl.name);
                errors.push(variable_error(decl, &msg));
                values.insert(decl.name.clone(), Value::unknown(msg));
            }
        }
    }
}

fn variable_error(decl: &VariableDecl, msg: &str) -> InputError {
    match &decl.location {
        Some(l) => InputError::at(l.file.clone(), l.line, l.column, msg),
        None => InputError::new("", msg),
    }
}

/// True when `expr` refers to a variable of `cfg` declared `sensitive = true`, or to a local
/// value derived from one.
pub fn references_sensitive(cfg: &ModuleConfig, expr: &hcl::Expression) -> bool {
    let names = sensitive_names(cfg);
    if names.is_empty() {
        return false;
    }
    let Ok(text) = hcl::format::to_string(expr) else {
        return true;
    };
    names.iter().any(|needle| mentions(&text, needle))
}

/// `var.x` for each sensitive variable, then `local.y` for each local whose expression mentions a
/// sensitive name, until no more are found.
fn sensitive_names(cfg: &ModuleConfig) -> &[String] {
    cfg.sensitive_names.get_or_init(|| {
        let mut names: Vec<String> = cfg
            .variables
            .iter()
            .filter(|d| d.sensitive)
            .map(|d| format!("var.{}", d.name))
            .collect();
        if names.is_empty() {
            return names;
        }
        let locals: Vec<(String, String)> = cfg
            .locals
            .iter()
            .map(|(name, e)| {
                (
                    format!("local.{name}"),
                    hcl::format::to_string(e).unwrap_or_default(),
                )
            })
            .collect();
        loop {
            let found: Vec<String> = locals
                .iter()
                .filter(|(name, text)| !names.contains(name) && names.iter().any(|n| mentions(text, n)))
                .map(|(name, _)| name.clone())
                .collect();
            if found.is_empty() {
                return names;
            }
            names.extend(found);
        }
    })
}

/// True when `text` mentions `needle` (`var.x`) as a whole name, not as part of a longer one.
fn mentions(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
    })
}

/// The selected workspace: `LoadOptions.workspace`, else the name recorded by
/// `terraform workspace select` in `.terraform/environment`, else `default`.
pub fn workspace(dir: &Path, opts: &LoadOptions) -> String {
    if let Some(w) = &opts.workspace {
        return w.clone();
    }
    std::fs::read_to_string(dir.join(".terraform").join("environment"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string())
}
