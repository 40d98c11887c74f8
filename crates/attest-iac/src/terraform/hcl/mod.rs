//! Terraform configuration (`.tf`, `.tf.json`), evaluated the way `terraform plan` sees it.
//!
//! [`load_module`] parses the files of one module directory, resolves its input variables
//! (defaults, `terraform.tfvars`, `*.auto.tfvars`, `--var-file`, `--var`), evaluates every
//! `resource` and `data` block (expanding `count`, `for_each` and `dynamic` blocks), and returns
//! the resources with the references between them. Module calls are evaluated with their
//! arguments, their resources get the call's address prefix (`module.net.aws_x.y`). What the configuration cannot tell (computed
//! attributes, variables without a value) is [`Value::Unknown`].

mod config;
mod eval;
mod functions;
mod json_syntax;
mod modules;
mod ops;
mod variables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use attest_core::{InputError, InputKind, InputSummary, LoadOutput, Provenance, Reference, Resource, Value};

use crate::LoadOptions;

pub use config::{BlockDecl, ModuleConfig, VariableDecl};
pub use eval::{EvalError, Evaluator, Scope};
pub use functions::{implemented_functions, lookup_function, FnCtx, Func, FUNCTIONS, TERRAFORM_FUNCTIONS};
pub use modules::{is_local_source, local_module_dirs, MAX_MODULE_DEPTH};

/// Loads one module directory from its configuration files (`.tf` and `.tf.json`, in the order
/// given). A file that cannot be read or parsed is one input error; the others still load.
pub fn load_module(dir: &Path, files: &[PathBuf], opts: &LoadOptions) -> LoadOutput {
    let mut out = LoadOutput::default();
    let cfg = parse_module(files, &mut out.errors);
    let mut ev = Evaluator::new(&cfg, dir, "");
    ev.set_workspace(variables::workspace(dir, opts));
    for (name, value) in variable_values(&cfg, dir, opts, &mut ev, &mut out.errors) {
        ev.set_var(name, value);
    }
    for (decl, evaluated) in ev.evaluate_all() {
        for inst in evaluated.instances {
            for (path, to) in inst.references {
                out.references.push(Reference {
                    from: inst.id.clone(),
                    path,
                    to,
                });
            }
            let mut resource = Resource::new(
                inst.id,
                decl.resource_type.clone(),
                inst.attributes,
                Provenance::at(InputKind::TfHcl, decl.location.clone()),
            );
            resource.mode = decl.mode;
            out.resources.push(resource);
        }
    }
    out.extend(ev.take_module_output());
    out.inputs.push(InputSummary {
        path: dir.display().to_string(),
        kind: InputKind::TfHcl,
        resources: out.resources.len(),
    });
    out
}

/// Parses the configuration files of one module.
pub fn parse_module(files: &[PathBuf], errors: &mut Vec<InputError>) -> ModuleConfig {
    let mut cfg = ModuleConfig::default();
    for file in files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                errors.push(InputError::new(name, format!("cannot read the file: {e}")));
                continue;
            }
        };
        if name.ends_with(".json") {
            json_syntax::parse_json_file(&name, &text, &mut cfg, errors);
        } else {
            config::parse_hcl_file(&name, &text, &mut cfg, errors);
        }
    }
    cfg
}

/// The value of every variable: declared default, then `TF_VAR_<name>`, `terraform.tfvars`,
/// `terraform.tfvars.json`, `*.auto.tfvars(.json)` (lexical order), `--var-file`s, `--var`s;
/// later wins. Values are then converted to the declared type. A variable without a value is
/// unknown.
fn variable_values(
    cfg: &ModuleConfig,
    dir: &Path,
    opts: &LoadOptions,
    ev: &mut Evaluator<'_>,
    errors: &mut Vec<InputError>,
) -> HashMap<String, Value> {
    let mut values: HashMap<String, Value> = HashMap::new();
    for decl in &cfg.variables {
        let v = match &decl.default {
            Some(expr) => ev.eval_value(expr, &mut Scope::isolated()),
            None => Value::unknown(format!("variable `{}` has no value", decl.name)),
        };
        values.insert(decl.name.clone(), v);
    }
    for (name, raw) in variables::env_values(cfg, opts) {
        let type_name = cfg
            .variables
            .iter()
            .find(|d| d.name == name)
            .and_then(|d| d.type_name.as_deref());
        values.insert(name, cli_var_value(&raw, type_name, ev));
    }
    let mut var_files: Vec<PathBuf> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if p.is_file() {
            var_files.push(p);
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut auto: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
            })
            .collect();
        auto.sort();
        var_files.extend(auto);
    }
    var_files.extend(opts.tf_var_files.iter().cloned());
    for file in &var_files {
        for (name, v) in read_var_file(file, ev, errors) {
            values.insert(name, v);
        }
    }
    for (name, raw) in &opts.tf_vars {
        let type_name = cfg
            .variables
            .iter()
            .find(|d| &d.name == name)
            .and_then(|d| d.type_name.as_deref());
        values.insert(name.clone(), cli_var_value(raw, type_name, ev));
    }
    variables::convert_all(cfg, &mut values, ev, errors);
    values
}

/// A `--var` value: a string for string (or untyped) variables; otherwise the value of the text
/// read as an HCL expression, or the text itself when it is not one.
fn cli_var_value(raw: &str, type_name: Option<&str>, ev: &mut Evaluator<'_>) -> Value {
    if matches!(type_name, None | Some("string")) {
        return Value::String(raw.to_string());
    }
    match hcl::edit::parser::parse_expr(raw) {
        Ok(expr) => {
            let expr: hcl::Expression = expr.into();
            let v = ev.eval_value(&expr, &mut Scope::isolated());
            if v.contains_unknown() {
                Value::String(raw.to_string())
            } else {
                v
            }
        }
        Err(_) => Value::String(raw.to_string()),
    }
}

/// Reads a `.tfvars` (HCL) or `.tfvars.json` file.
fn read_var_file(file: &Path, ev: &mut Evaluator<'_>, errors: &mut Vec<InputError>) -> Vec<(String, Value)> {
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            errors.push(InputError::new(
                name,
                format!("cannot read the variables file: {e}"),
            ));
            return Vec::new();
        }
    };
    if name.ends_with(".json") {
        return match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => {
                map.iter().map(|(k, v)| (k.clone(), ops::from_json(v))).collect()
            }
            Ok(_) => {
                errors.push(InputError::at(name, 1, 1, "a variables file must hold an object"));
                Vec::new()
            }
            Err(e) => {
                errors.push(InputError::at(
                    name,
                    e.line() as u32,
                    e.column() as u32,
                    e.to_string(),
                ));
                Vec::new()
            }
        };
    }
    match hcl::edit::parser::parse_body(&text) {
        Ok(body) => {
            let body: hcl::Body = body.into();
            body.into_attributes()
                .map(|attr| {
                    let v = ev.eval_value(&attr.expr, &mut Scope::isolated());
                    (attr.key.to_string(), v)
                })
                .collect()
        }
        Err(e) => {
            let loc = e.location();
            errors.push(InputError::at(
                name,
                loc.line() as u32,
                loc.column() as u32,
                e.message().to_string(),
            ));
            Vec::new()
        }
    }
}
