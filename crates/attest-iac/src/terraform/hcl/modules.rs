//! Module calls: finding a called module's directory (a local path, or a module fetched by
//! `terraform init` and recorded in `.terraform/modules/modules.json`), and evaluating it with
//! the arguments of the call as its variables.
//!
//! Nothing is ever downloaded: a module whose source is not on disk is an input error naming the
//! `module` block, and its outputs are unknown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use attest_core::{InputError, InputKind, LoadOutput, ModuleCall, Provenance, Reference, Resource, Value};

use super::config::{ModuleCallDecl, ModuleConfig};
use super::eval::{Evaluator, Expansion, Scope};
use crate::terraform::locate::{installed_module_dirs, lexical_join};

/// How deep module calls may nest.
pub const MAX_MODULE_DEPTH: usize = 32;

/// Output name -> (value, addresses of the resources it depends on).
pub type Outputs = BTreeMap<String, (Value, Vec<String>)>;

/// Where a module instance sits: the root module's directory, the module calls that lead to it
/// and the directories of the modules on the way (to stop cycles).
#[derive(Debug, Clone)]
pub struct ModuleCtx {
    pub root_dir: PathBuf,
    /// `terraform.workspace`, the same in every module.
    pub workspace: String,
    /// Module directories recorded by `terraform init`, by dotted module key; read when a
    /// non-local source is first met.
    manifest: Arc<OnceLock<std::collections::HashMap<String, PathBuf>>>,
    /// Names of the module calls from the root (`["net", "sub"]`), the key in the manifest.
    key: Vec<String>,
    stack: Vec<ModuleCall>,
    dirs: Vec<PathBuf>,
}

impl ModuleCtx {
    /// The context of a root module.
    pub fn root(dir: &Path) -> Self {
        ModuleCtx {
            root_dir: dir.to_path_buf(),
            workspace: "default".to_string(),
            manifest: Arc::new(OnceLock::new()),
            key: Vec::new(),
            stack: Vec::new(),
            dirs: vec![dir_identity(dir)],
        }
    }

    fn child(&self, name: &str, call: ModuleCall, dir: &Path) -> Self {
        let mut ctx = self.clone();
        ctx.key.push(name.to_string());
        ctx.stack.push(call);
        ctx.dirs.push(dir_identity(dir));
        ctx
    }

    fn installed(&self, key: &str) -> Option<PathBuf> {
        self.manifest
            .get_or_init(|| installed_module_dirs(&self.root_dir))
            .get(key)
            .cloned()
    }
}

/// One instance of a module call (`module.net`, `module.m[0]`, `module.m["k"]`).
#[derive(Debug, Clone)]
pub struct CallInstance {
    pub address: String,
    pub key: Option<Value>,
    pub outputs: Outputs,
}

/// A module call once evaluated.
#[derive(Debug, Default)]
pub struct CallResult {
    /// `None` when the called module could not be found.
    pub expansion: Option<Expansion>,
    pub instances: Vec<CallInstance>,
    /// The resources, references and errors of the called module's instances.
    pub out: LoadOutput,
}

/// A called module, parsed once for all instances of the call.
pub struct ChildModule {
    dir: PathBuf,
    cfg: ModuleConfig,
}

/// Whether a module source is a local path (`./x`, `../x`).
pub fn is_local_source(source: &str) -> bool {
    source == "." || source == ".." || source.starts_with("./") || source.starts_with("../")
}

/// Finds and parses the module a call refers to. The error names the call.
pub fn prepare_child(
    ctx: &ModuleCtx,
    caller_dir: &Path,
    decl: &ModuleCallDecl,
) -> Result<(ChildModule, Vec<InputError>), InputError> {
    let loc = &decl.location;
    let address = match ctx.stack.last() {
        Some(caller) => format!("{}.module.{}", caller.address, decl.name),
        None => format!("module.{}", decl.name),
    };
    let fail = |msg: String| {
        InputError::at(
            loc.file.clone(),
            loc.line,
            loc.column,
            format!("{address}: {msg}"),
        )
    };
    let Some(source) = decl.source.as_deref() else {
        return Err(fail("`source` must be a literal string".to_string()));
    };
    if ctx.stack.len() >= MAX_MODULE_DEPTH {
        return Err(fail(format!(
            "module calls nest deeper than {MAX_MODULE_DEPTH} levels"
        )));
    }
    let dir = if is_local_source(source) {
        lexical_join(caller_dir, source)
    } else {
        let mut key = ctx.key.clone();
        key.push(decl.name.clone());
        let key = key.join(".");
        match ctx.installed(&key) {
            Some(dir) => dir,
            None => {
                return Err(fail(format!(
                    "source \"{source}\" is not available locally (no entry `{key}` in \
                     .terraform/modules/modules.json; run `terraform init`); its outputs are unknown"
                )))
            }
        }
    };
    if ctx.dirs.contains(&dir_identity(&dir)) {
        return Err(fail(format!(
            "source \"{source}\" calls a module that is already being evaluated (a cycle of module calls)"
        )));
    }
    let files = config_files(&dir);
    if files.is_empty() {
        return Err(fail(format!(
            "source \"{source}\": no Terraform configuration in {}; its outputs are unknown",
            dir.display()
        )));
    }
    let mut errors = Vec::new();
    let cfg = super::parse_module(&files, &mut errors);
    Ok((ChildModule { dir, cfg }, errors))
}

/// Evaluates one instance of a module call with the given arguments (name, value, resources the
/// value depends on). Returns its resources (and those of the modules it calls) and its outputs.
pub fn run_child(
    ctx: &ModuleCtx,
    decl: &ModuleCallDecl,
    child: &ChildModule,
    address: &str,
    inputs: Vec<(String, Value, Vec<String>)>,
) -> (LoadOutput, Outputs) {
    let mut out = LoadOutput::default();
    let call = ModuleCall {
        address: address.to_string(),
        location: Some(decl.location.clone()),
    };
    let sub = ctx.child(&decl.name, call, &child.dir);
    let stack = sub.stack.clone();
    let mut ev = Evaluator::new(&child.cfg, &child.dir, format!("{address}.")).with_ctx(sub);
    let call_error = |msg: String| {
        InputError::at(
            decl.location.file.clone(),
            decl.location.line,
            decl.location.column,
            msg,
        )
    };
    let mut values: std::collections::HashMap<String, Value> = std::collections::HashMap::new();
    let mut refs_of: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value, refs) in inputs {
        if child.cfg.variables.iter().any(|v| v.name == name) {
            values.insert(name.clone(), value);
            refs_of.push((name, refs));
        } else {
            out.errors.push(call_error(format!(
                "{address}: unsupported argument `{name}`: the module declares no variable of that name"
            )));
        }
    }
    for var in &child.cfg.variables {
        if values.contains_key(&var.name) {
            continue;
        }
        let v = match &var.default {
            Some(expr) => ev.eval_value(expr, &mut Scope::isolated()),
            None => {
                out.errors.push(call_error(format!(
                    "{address}: missing required argument `{}` (the variable has no default)",
                    var.name
                )));
                Value::unknown(format!("variable `{}` of {address} has no value", var.name))
            }
        };
        values.insert(var.name.clone(), v);
    }
    // Arguments are converted to the declared types, as for root variables.
    super::variables::convert_all(&child.cfg, &mut values, &mut ev, &mut out.errors);
    for (name, value) in values {
        ev.set_var(name, value);
    }
    for (name, refs) in refs_of {
        ev.set_var_refs(name, refs);
    }
    let outputs = ev.outputs();
    for (block, evaluated) in ev.evaluate_all() {
        for inst in evaluated.instances {
            for (path, to) in inst.references {
                out.references.push(Reference {
                    from: inst.id.clone(),
                    path,
                    to,
                });
            }
            let mut provenance = Provenance::at(InputKind::TfHcl, block.location.clone());
            provenance.module_stack = stack.clone();
            let mut resource =
                Resource::new(inst.id, block.resource_type.clone(), inst.attributes, provenance);
            resource.mode = block.mode;
            out.resources.push(resource);
        }
    }
    out.extend(ev.take_module_output());
    (out, outputs)
}

/// The `.tf` and `.tf.json` files of a directory, sorted.
fn config_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
        })
        .collect();
    files.sort();
    files
}

/// A directory as compared for cycles: its canonical path when it exists.
fn dir_identity(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| lexical_join(dir, ""))
}

/// The directories that the `module` blocks of these files call by a local path (`./x`,
/// `../x`), resolved against `dir`. Files that cannot be read or parsed call nothing.
pub fn local_module_dirs(dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        if !text.contains("module") || !text.contains("source") {
            continue;
        }
        let name = file.display().to_string();
        let mut cfg = ModuleConfig::default();
        let mut errors = Vec::new();
        if name.ends_with(".json") {
            super::json_syntax::parse_json_file(&name, &text, &mut cfg, &mut errors);
        } else {
            super::config::parse_hcl_file(&name, &text, &mut cfg, &mut errors);
        }
        for call in &cfg.module_calls {
            if let Some(source) = call.source.as_deref().filter(|s| is_local_source(s)) {
                out.push(lexical_join(dir, source));
            }
        }
    }
    out
}
