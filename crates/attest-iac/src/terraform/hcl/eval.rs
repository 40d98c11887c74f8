//! The expression evaluator: hcl expression trees into [`Value`]s, with unknown values, lazy
//! locals and resources (cycles give unknown values), and the references between resources.
//!
//! One [`Evaluator`] evaluates one module instance: its variables are given, its resources get
//! the evaluator's address prefix (empty for the root module, `module.net.` for a module call),
//! so a module call is a child evaluator with its own variables and prefix.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use attest_core::Value;
use hcl::template::{Directive, Element, Template};
use hcl::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};

use super::config::{BlockDecl, ModuleCallDecl, ModuleConfig};
use super::functions::{lookup_function, set_of, FnCtx};
use super::modules::{CallInstance, CallResult, ModuleCtx, Outputs};
use super::ops::{equal, first_unknown, from_hcl_number, number, to_bool, to_f64, to_string};

/// An evaluation error: what Terraform would reject. Attributes whose evaluation fails become
/// unknown values carrying the message; `try` and `can` catch it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct EvalError(pub String);

impl EvalError {
    pub fn new(msg: impl Into<String>) -> Self {
        EvalError(msg.into())
    }
}

type Result<T> = std::result::Result<T, EvalError>;

/// Meta-arguments and meta-blocks that are not attributes of a resource.
const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// The variables of one evaluation: `count.index`, `each.*`, `for` and `dynamic` iterators, and
/// the resource addresses referenced so far.
#[derive(Debug, Default)]
pub struct Scope {
    pub(super) count_index: Option<Value>,
    pub(super) each: Option<(Value, Value)>,
    bindings: Vec<(String, Value)>,
    /// Addresses of the resources referenced by the expression being evaluated.
    pub(super) refs: Vec<String>,
    /// Only bindings are visible (`templatefile`, variable defaults, tfvars).
    isolated: bool,
}

impl Scope {
    /// A scope in which only literal expressions and functions can be evaluated.
    pub fn isolated() -> Self {
        Scope {
            isolated: true,
            ..Scope::default()
        }
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// How a resource block expands into instances.
#[derive(Debug, Clone)]
pub enum Expansion {
    /// No `count` or `for_each`.
    Single,
    /// `count` (list-like instances) or `for_each` (map-like instances) with a known value.
    Count,
    ForEach,
    /// `count` or `for_each` whose value is unknown: one instance with unknown `count.index` or
    /// `each`.
    Unknown(String),
}

/// One instance of a resource block.
#[derive(Debug, Clone)]
pub struct Instance {
    /// `aws_x.y`, `aws_x.y[0]`, `aws_x.y["k"]`.
    pub id: String,
    /// The instance key for `count`/`for_each` (a number or a string).
    pub key: Option<Value>,
    pub attributes: Value,
    /// (attribute path, referenced address).
    pub references: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Evaluated {
    pub expansion: Expansion,
    pub instances: Vec<Instance>,
}

#[derive(Debug)]
enum Slot<T> {
    Pending,
    InProgress,
    Done(T),
}

/// Evaluates one module instance.
pub struct Evaluator<'m> {
    cfg: &'m ModuleConfig,
    module_dir: &'m Path,
    /// `module.x.` for a module call, empty for the root module.
    prefix: String,
    vars: HashMap<String, Value>,
    locals: HashMap<String, Slot<(Value, Vec<String>)>>,
    blocks: Vec<Slot<Evaluated>>,
    /// Resources an input variable's value came from (module inputs referencing the caller's
    /// resources).
    var_refs: HashMap<String, Vec<String>>,
    /// Where this module instance sits among the module calls.
    ctx: ModuleCtx,
    calls: Vec<Slot<CallResult>>,
}

impl<'m> Evaluator<'m> {
    pub fn new(cfg: &'m ModuleConfig, module_dir: &'m Path, prefix: impl Into<String>) -> Self {
        Evaluator {
            cfg,
            module_dir,
            prefix: prefix.into(),
            vars: HashMap::new(),
            locals: HashMap::new(),
            blocks: (0..cfg.blocks.len()).map(|_| Slot::Pending).collect(),
            var_refs: HashMap::new(),
            ctx: ModuleCtx::root(module_dir),
            calls: (0..cfg.module_calls.len()).map(|_| Slot::Pending).collect(),
        }
    }

    /// The evaluator of a module called from another one.
    pub(super) fn with_ctx(mut self, ctx: ModuleCtx) -> Self {
        self.ctx = ctx;
        self
    }

    /// Sets the resources the value of an input variable depends on; references to the
    /// variable then lead to them.
    pub(super) fn set_var_refs(&mut self, name: impl Into<String>, refs: Vec<String>) {
        let name = name.into();
        if refs.is_empty() {
            self.var_refs.remove(&name);
        } else {
            self.var_refs.insert(name, refs);
        }
    }

    /// The value of every `output` block, with the resources each one depends on.
    pub(super) fn outputs(&mut self) -> Outputs {
        let cfg = self.cfg;
        let mut out = Outputs::new();
        for decl in &cfg.outputs {
            let mut sc = Scope::default();
            let v = match &decl.value {
                Some(expr) => self.eval(expr, &mut sc).unwrap_or_else(|e| Value::Unknown(e.0)),
                None => Value::unknown(format!("output `{}` has no value", decl.name)),
            };
            let mut refs = sc.refs;
            refs.sort();
            refs.dedup();
            out.insert(decl.name.clone(), (v, refs));
        }
        out
    }

    /// The resources, references and errors of every module called from this one (and the
    /// modules they call).
    pub fn take_module_output(&mut self) -> attest_core::LoadOutput {
        for i in 0..self.calls.len() {
            self.ensure_call(i);
        }
        let mut out = attest_core::LoadOutput::default();
        for slot in &mut self.calls {
            if let Slot::Done(result) = slot {
                out.extend(std::mem::take(&mut result.out));
            }
        }
        // Every instance of a call reports the same problems of the module it calls.
        let mut seen = std::collections::HashSet::new();
        out.errors.retain(|e| seen.insert(e.to_string()));
        out
    }

    fn ensure_call(&mut self, idx: usize) {
        if !matches!(self.calls.get(idx), Some(Slot::Pending)) {
            return;
        }
        self.calls[idx] = Slot::InProgress;
        let cfg = self.cfg;
        let result = self.evaluate_call(&cfg.module_calls[idx]);
        self.calls[idx] = Slot::Done(result);
    }

    /// Expands a module call (`count`, `for_each`), evaluates its arguments in this module for
    /// each instance and evaluates the called module with them.
    fn evaluate_call(&mut self, decl: &'m ModuleCallDecl) -> CallResult {
        let base = format!("{}module.{}", self.prefix, decl.name);
        let mut result = CallResult::default();
        let child = match super::modules::prepare_child(&self.ctx, self.module_dir, decl) {
            Ok((child, errors)) => {
                result.out.errors.extend(errors);
                child
            }
            Err(e) => {
                result.out.errors.push(e);
                result.expansion = Some(Expansion::Unknown(format!(
                    "outputs of {base} are unknown: its source is not available"
                )));
                return result;
            }
        };
        let body = &decl.body;
        // (address, key, scope) of each instance.
        let mut instances: Vec<(String, Option<Value>, Scope)> = Vec::new();
        let count = body.attributes().find(|a| a.key() == "count");
        let for_each = body.attributes().find(|a| a.key() == "for_each");
        let unknown_scope = |why: &str| Scope {
            count_index: Some(Value::unknown(why)),
            each: Some((Value::unknown(why), Value::unknown(why))),
            ..Scope::default()
        };
        let expansion = if let Some(count) = count {
            let mut sc = Scope::default();
            match self.eval(count.expr(), &mut sc) {
                Ok(v) if !v.is_unknown() => match v.as_i64().filter(|n| *n >= 0) {
                    Some(n) => {
                        for i in 0..n {
                            let sc = Scope {
                                count_index: Some(Value::from(i)),
                                ..Scope::default()
                            };
                            instances.push((format!("{base}[{i}]"), Some(Value::from(i)), sc));
                        }
                        Expansion::Count
                    }
                    None => Expansion::Unknown(format!("count of {base} is not a whole number")),
                },
                Ok(v) => Expansion::Unknown(format!(
                    "count of {base} is unknown: {}",
                    first_unknown(&v).unwrap_or("")
                )),
                Err(e) => Expansion::Unknown(format!("count of {base}: {e}")),
            }
        } else if let Some(for_each) = for_each {
            let mut sc = Scope::default();
            match self.eval(for_each.expr(), &mut sc).map(|v| for_each_pairs(&v)) {
                Ok(Ok(pairs)) => {
                    for (k, v) in pairs {
                        let mut id = base.clone();
                        id.push('[');
                        super::ops::json_quote(&k, &mut id);
                        id.push(']');
                        let sc = Scope {
                            each: Some((Value::String(k.clone()), v)),
                            ..Scope::default()
                        };
                        instances.push((id, Some(Value::String(k)), sc));
                    }
                    Expansion::ForEach
                }
                Ok(Err(why)) => Expansion::Unknown(format!("for_each of {base}: {why}")),
                Err(e) => Expansion::Unknown(format!("for_each of {base}: {e}")),
            }
        } else {
            instances.push((base.clone(), None, Scope::default()));
            Expansion::Single
        };
        if let Expansion::Unknown(why) = &expansion {
            instances.push((base.clone(), None, unknown_scope(why)));
        }
        for (address, key, mut sc) in instances {
            let mut inputs = Vec::new();
            for attr in body.attributes() {
                if matches!(
                    attr.key(),
                    "source" | "version" | "count" | "for_each" | "depends_on" | "providers"
                ) {
                    continue;
                }
                let mark = sc.refs.len();
                let v = self
                    .eval(attr.expr(), &mut sc)
                    .unwrap_or_else(|e| Value::Unknown(e.0));
                let mut refs: Vec<String> = sc.refs.drain(mark..).collect();
                refs.sort();
                refs.dedup();
                inputs.push((attr.key().to_string(), v, refs));
            }
            let (out, outputs) = super::modules::run_child(&self.ctx, decl, &child, &address, inputs);
            result.out.extend(out);
            result.instances.push(CallInstance {
                address,
                key,
                outputs,
            });
        }
        result.expansion = Some(expansion);
        result
    }

    /// A reference to a module call (`module.net…`), with the operators after its name.
    fn module_ref(
        &mut self,
        name: &str,
        ops: &[TraversalOperator],
        sc: &mut Scope,
    ) -> Result<(Value, usize)> {
        let cfg = self.cfg;
        let Some(idx) = cfg.module_calls.iter().position(|c| c.name == name) else {
            return Err(EvalError::new(format!(
                "reference to undeclared module `module.{name}`"
            )));
        };
        let base = format!("{}module.{}", self.prefix, name);
        self.ensure_call(idx);
        let expansion = match self.calls.get(idx) {
            Some(Slot::Done(r)) => r.expansion.clone(),
            _ => None,
        };
        let Some(expansion) = expansion else {
            return Ok((Value::unknown(format!("{base} depends on itself")), ops.len()));
        };
        let key = match (&expansion, ops.first()) {
            (Expansion::Count | Expansion::ForEach, Some(TraversalOperator::Index(e))) => {
                Some(self.eval(e, sc)?)
            }
            (Expansion::Count | Expansion::ForEach, Some(TraversalOperator::LegacyIndex(n))) => {
                Some(Value::from(*n as i64))
            }
            _ => None,
        };
        let Some(Slot::Done(result)) = self.calls.get(idx) else {
            return Ok((Value::unknown(format!("{base} depends on itself")), ops.len()));
        };
        let selected: Option<(&CallInstance, usize)> = match (&expansion, key) {
            (Expansion::Unknown(why), _) => {
                for inst in &result.instances {
                    for (_, refs) in inst.outputs.values() {
                        sc.refs.extend(refs.iter().cloned());
                    }
                }
                return Ok((Value::Unknown(why.clone()), ops.len()));
            }
            (_, Some(key)) => {
                if key.is_unknown() {
                    return Ok((
                        Value::unknown(format!("the instance key of {base} is unknown")),
                        ops.len(),
                    ));
                }
                let key_text = to_string(&key, "instance key")?;
                let found = result.instances.iter().find(|inst| match &inst.key {
                    Some(Value::String(k)) => *k == key_text,
                    Some(k) => equal(k, &key),
                    None => false,
                });
                match found {
                    Some(inst) => Some((inst, 1)),
                    None => return Err(EvalError::new(format!("{base} has no instance {key}"))),
                }
            }
            (Expansion::Single, None) => result.instances.first().map(|inst| (inst, 0)),
            _ => None,
        };
        if let Some((inst, used)) = selected {
            if let Some(TraversalOperator::GetAttr(a)) = ops.get(used) {
                let Some((v, refs)) = inst.outputs.get(a.as_str()) else {
                    return Err(EvalError::new(format!(
                        "{} has no output `{}`",
                        inst.address,
                        a.as_str()
                    )));
                };
                sc.refs.extend(refs.iter().cloned());
                return Ok((v.clone(), used + 1));
            }
            return Ok((outputs_object(inst, sc), used));
        }
        let views: Vec<(Option<Value>, Value)> = result
            .instances
            .iter()
            .map(|inst| (inst.key.clone(), outputs_object(inst, sc)))
            .collect();
        Ok(match expansion {
            Expansion::ForEach => (
                Value::Object(
                    views
                        .into_iter()
                        .map(|(k, v)| {
                            (
                                k.as_ref().and_then(Value::as_str).unwrap_or_default().to_string(),
                                v,
                            )
                        })
                        .collect(),
                ),
                0,
            ),
            _ => (Value::List(views.into_iter().map(|(_, v)| v).collect()), 0),
        })
    }

    /// Sets `terraform.workspace` (for this module and the modules it calls).
    pub fn set_workspace(&mut self, workspace: String) {
        self.ctx.workspace = workspace;
    }

    /// Sets the value of an input variable.
    pub fn set_var(&mut self, name: impl Into<String>, value: Value) {
        self.vars.insert(name.into(), value);
    }

    /// Evaluates a standalone expression (used for defaults, tfvars and tests); errors become
    /// unknown values.
    pub fn eval_value(&mut self, expr: &Expression, sc: &mut Scope) -> Value {
        self.eval(expr, sc).unwrap_or_else(|e| Value::Unknown(e.0))
    }

    /// Evaluates every block (in order) and every module call, and returns the instances of
    /// the blocks; the module calls' resources are in [`Evaluator::take_module_output`].
    pub fn evaluate_all(&mut self) -> Vec<(&'m BlockDecl, Evaluated)> {
        let cfg = self.cfg;
        for i in 0..cfg.blocks.len() {
            self.ensure_block(i);
        }
        for i in 0..self.calls.len() {
            self.ensure_call(i);
        }
        let slots = std::mem::take(&mut self.blocks);
        cfg.blocks
            .iter()
            .zip(slots)
            .filter_map(|(decl, slot)| match slot {
                Slot::Done(ev) => Some((decl, ev)),
                _ => None,
            })
            .collect()
    }

    fn ensure_block(&mut self, idx: usize) {
        if !matches!(self.blocks.get(idx), Some(Slot::Pending)) {
            return;
        }
        self.blocks[idx] = Slot::InProgress;
        let decl = &self.cfg.blocks[idx];
        let result = self.evaluate_block(decl);
        self.blocks[idx] = Slot::Done(result);
    }

    fn evaluate_block(&mut self, decl: &'m BlockDecl) -> Evaluated {
        let base = format!("{}{}", self.prefix, decl.address);
        let body = &decl.body;
        let count = body.attributes().find(|a| a.key() == "count");
        let for_each = body.attributes().find(|a| a.key() == "for_each");
        let mut instances = Vec::new();
        let expansion;
        if let Some(count) = count {
            let mut sc = Scope::default();
            let n = self.eval(count.expr(), &mut sc);
            match n {
                Ok(v) if !v.is_unknown() => match v.as_i64().filter(|n| *n >= 0) {
                    Some(n) => {
                        expansion = Expansion::Count;
                        for i in 0..n {
                            let mut sc = Scope {
                                count_index: Some(Value::from(i)),
                                ..Scope::default()
                            };
                            let id = format!("{base}[{i}]");
                            instances.push(self.instance(id, Some(Value::from(i)), body, &mut sc));
                        }
                    }
                    None => {
                        let why = format!("count of {base} is not a whole number");
                        expansion = Expansion::Unknown(why.clone());
                        instances.push(self.unknown_instance(&base, body, why));
                    }
                },
                Ok(v) => {
                    let why = format!("count of {base} is unknown: {}", first_unknown(&v).unwrap_or(""));
                    expansion = Expansion::Unknown(why.clone());
                    instances.push(self.unknown_instance(&base, body, why));
                }
                Err(e) => {
                    let why = format!("count of {base}: {e}");
                    expansion = Expansion::Unknown(why.clone());
                    instances.push(self.unknown_instance(&base, body, why));
                }
            }
        } else if let Some(for_each) = for_each {
            let mut sc = Scope::default();
            let fe = self.eval(for_each.expr(), &mut sc);
            match fe.map(|v| for_each_pairs(&v)) {
                Ok(Ok(pairs)) => {
                    expansion = Expansion::ForEach;
                    for (k, v) in pairs {
                        let mut sc = Scope {
                            each: Some((Value::String(k.clone()), v)),
                            ..Scope::default()
                        };
                        let mut id = base.clone();
                        id.push('[');
                        super::ops::json_quote(&k, &mut id);
                        id.push(']');
                        instances.push(self.instance(id, Some(Value::String(k)), body, &mut sc));
                    }
                }
                Ok(Err(why)) | Err(EvalError(why)) => {
                    let why = format!("for_each of {base}: {why}");
                    expansion = Expansion::Unknown(why.clone());
                    instances.push(self.unknown_instance(&base, body, why));
                }
            }
        } else {
            expansion = Expansion::Single;
            let mut sc = Scope::default();
            instances.push(self.instance(base, None, body, &mut sc));
        }
        Evaluated { expansion, instances }
    }

    fn unknown_instance(&mut self, base: &str, body: &'m hcl::Body, why: String) -> Instance {
        let mut sc = Scope {
            count_index: Some(Value::Unknown(why.clone())),
            each: Some((Value::Unknown(why.clone()), Value::Unknown(why))),
            ..Scope::default()
        };
        self.instance(base.to_string(), None, body, &mut sc)
    }

    fn instance(&mut self, id: String, key: Option<Value>, body: &hcl::Body, sc: &mut Scope) -> Instance {
        let mut references = Vec::new();
        let attributes = self.eval_body(body, sc, "", true, &mut references);
        references.sort();
        references.dedup();
        Instance {
            id,
            key,
            attributes,
            references,
        }
    }

    /// Evaluates a block body into an object: attributes, and nested blocks as lists of objects.
    fn eval_body(
        &mut self,
        body: &hcl::Body,
        sc: &mut Scope,
        path: &str,
        top: bool,
        refs: &mut Vec<(String, String)>,
    ) -> Value {
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        // block type -> entries, or the reason the list is unknown
        let mut blocks: Vec<(String, std::result::Result<Vec<Value>, String>)> = Vec::new();
        for structure in body.iter() {
            match structure {
                hcl::Structure::Attribute(attr) => {
                    let key = attr.key();
                    if top && META.contains(&key) {
                        continue;
                    }
                    let p = join_path(path, key);
                    let mut v = self.eval_at(attr.expr(), sc, &p, refs);
                    if super::variables::references_sensitive(self.cfg, attr.expr()) {
                        v = Value::unknown(super::variables::SENSITIVE_VALUE);
                    }
                    out.insert(key.to_string(), v);
                }
                hcl::Structure::Block(block) => {
                    let ident = block.identifier();
                    if top && META.contains(&ident) {
                        continue;
                    }
                    if ident == "dynamic" {
                        self.expand_dynamic(block, sc, path, &mut blocks, refs);
                        continue;
                    }
                    let slot = block_slot(&mut blocks, ident);
                    if let Ok(entries) = slot {
                        let p = format!("{}.{}", join_path(path, ident), entries.len());
                        let v = self.eval_body(block.body(), sc, &p, false, refs);
                        if let Ok(entries) = block_slot(&mut blocks, ident) {
                            entries.push(v);
                        }
                    }
                }
            }
        }
        for (ident, entries) in blocks {
            let v = match entries {
                Ok(list) => Value::List(list),
                Err(why) => Value::Unknown(why),
            };
            out.insert(ident, v);
        }
        Value::Object(out)
    }

    fn expand_dynamic(
        &mut self,
        block: &hcl::Block,
        sc: &mut Scope,
        path: &str,
        blocks: &mut Vec<(String, std::result::Result<Vec<Value>, String>)>,
        refs: &mut Vec<(String, String)>,
    ) {
        let Some(label) = block.labels().first().map(|l| l.as_str().to_string()) else {
            return;
        };
        let body = block.body();
        let iterator = body
            .attributes()
            .find(|a| a.key() == "iterator")
            .and_then(|a| match a.expr() {
                Expression::Variable(v) => Some(v.as_str().to_string()),
                Expression::String(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_else(|| label.clone());
        let Some(content) = body.blocks().find(|b| b.identifier() == "content") else {
            return;
        };
        let list_path = join_path(path, &label);
        let collection = match body.attributes().find(|a| a.key() == "for_each") {
            Some(fe) => {
                let mark = sc.refs.len();
                let v = self.eval(fe.expr(), sc);
                for to in sc.refs.drain(mark..) {
                    refs.push((list_path.clone(), to));
                }
                v
            }
            None => Err(EvalError::new("a dynamic block needs for_each")),
        };
        let pairs = match collection {
            Ok(Value::Unknown(why)) => Err(why),
            Ok(v) => iteration_pairs(&v).map_err(|e| e.0),
            Err(e) => Err(e.0),
        };
        let pairs = match pairs {
            Ok(p) => p,
            Err(why) => {
                let slot = block_slot(blocks, &label);
                if slot.is_ok() {
                    *slot = Err(format!("dynamic block `{label}`: {why}"));
                }
                return;
            }
        };
        for (k, v) in pairs {
            let len = match block_slot(blocks, &label) {
                Ok(entries) => entries.len(),
                Err(_) => return,
            };
            let mut it = BTreeMap::new();
            it.insert("key".to_string(), k);
            it.insert("value".to_string(), v);
            sc.bindings.push((iterator.clone(), Value::Object(it)));
            let p = format!("{list_path}.{len}");
            let v = self.eval_body(content.body(), sc, &p, false, refs);
            sc.bindings.pop();
            if let Ok(entries) = block_slot(blocks, &label) {
                entries.push(v);
            }
        }
    }

    /// Evaluates an argument at an attribute path, recording references with the path of the
    /// element they end up in (tuple and object constructors are followed).
    fn eval_at(
        &mut self,
        expr: &Expression,
        sc: &mut Scope,
        path: &str,
        refs: &mut Vec<(String, String)>,
    ) -> Value {
        match expr {
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.eval_at(item, sc, &format!("{path}.{i}"), refs));
                }
                Value::List(out)
            }
            Expression::Object(obj)
                if obj.keys().all(|k| {
                    matches!(k, ObjectKey::Identifier(_))
                        || matches!(k, ObjectKey::Expression(Expression::String(_)))
                }) =>
            {
                let mut out = BTreeMap::new();
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Identifier(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.clone(),
                        _ => continue,
                    };
                    let value = self.eval_at(v, sc, &format!("{path}.{key}"), refs);
                    out.insert(key, value);
                }
                Value::Object(out)
            }
            Expression::Parenthesis(inner) => self.eval_at(inner, sc, path, refs),
            _ => {
                let mark = sc.refs.len();
                let v = self.eval(expr, sc).unwrap_or_else(|e| Value::Unknown(e.0));
                for to in sc.refs.drain(mark..) {
                    refs.push((path.to_string(), to));
                }
                v
            }
        }
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, expr: &Expression, sc: &mut Scope) -> Result<Value> {
        match expr {
            Expression::Null => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b)),
            Expression::Number(n) => from_hcl_number(n),
            Expression::String(s) => Ok(Value::String(s.clone())),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item, sc)?);
                }
                Ok(Value::List(out))
            }
            Expression::Object(obj) => {
                let mut out = BTreeMap::new();
                let mut unknown_key = None;
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Identifier(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
                        ObjectKey::Expression(e) => match self.eval(e, sc)? {
                            Value::Unknown(why) => {
                                unknown_key = Some(why);
                                continue;
                            }
                            other => to_string(&other, "object key")?,
                        },
                        _ => return Err(EvalError::new("unsupported object key")),
                    };
                    let value = self.eval(v, sc)?;
                    out.insert(key, value);
                }
                Ok(match unknown_key {
                    Some(why) => Value::Unknown(why),
                    None => Value::Object(out),
                })
            }
            Expression::TemplateExpr(t) => {
                let template =
                    Template::from_expr(t).map_err(|e| EvalError::new(format!("template: {e}")))?;
                self.eval_template(&template, sc)
            }
            Expression::Variable(v) => match sc.binding(v.as_str()) {
                Some(value) => Ok(value.clone()),
                None => self.eval_root(v.as_str(), &[], sc).map(|(v, _)| v),
            },
            Expression::Traversal(t) => {
                let (value, consumed) = match &t.expr {
                    Expression::Variable(v) => match sc.binding(v.as_str()) {
                        Some(value) => (value.clone(), 0),
                        None => self.eval_root(v.as_str(), &t.operators, sc)?,
                    },
                    other => (self.eval(other, sc)?, 0),
                };
                self.apply_ops(value, &t.operators[consumed..], sc)
            }
            Expression::FuncCall(call) => self.eval_call(call, sc),
            Expression::Parenthesis(inner) => self.eval(inner, sc),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, sc)?;
                match cond {
                    Value::Unknown(why) => {
                        let a = self.eval(&c.true_expr, sc);
                        let b = self.eval(&c.false_expr, sc);
                        match (a, b) {
                            (Ok(a), Ok(b)) if !a.contains_unknown() && equal(&a, &b) => Ok(a),
                            _ => Ok(Value::Unknown(why)),
                        }
                    }
                    other => {
                        if to_bool(&other, "condition")? {
                            self.eval(&c.true_expr, sc)
                        } else {
                            self.eval(&c.false_expr, sc)
                        }
                    }
                }
            }
            Expression::Operation(op) => match op.as_ref() {
                hcl::Operation::Unary(u) => {
                    let v = self.eval(&u.expr, sc)?;
                    if v.is_unknown() {
                        return Ok(v);
                    }
                    match u.operator {
                        UnaryOperator::Neg => number(-to_f64(&v, "negation")?),
                        UnaryOperator::Not => Ok(Value::Bool(!to_bool(&v, "`!`")?)),
                    }
                }
                hcl::Operation::Binary(b) => {
                    let l = self.eval(&b.lhs_expr, sc)?;
                    let r = self.eval(&b.rhs_expr, sc)?;
                    binary(b.operator, &l, &r)
                }
            },
            Expression::ForExpr(f) => self.eval_for(f, sc),
            _ => Err(EvalError::new("unsupported expression")),
        }
    }

    fn eval_template(&mut self, template: &Template, sc: &mut Scope) -> Result<Value> {
        if let [Element::Interpolation(i)] = template.elements() {
            if i.strip == hcl::template::Strip::None {
                return self.eval(&i.expr, sc);
            }
        }
        let mut out = String::new();
        let mut unknown = None;
        self.render(template.elements(), false, false, sc, &mut out, &mut unknown)?;
        Ok(match unknown {
            Some(why) => Value::Unknown(why),
            None => Value::String(out),
        })
    }

    fn render(
        &mut self,
        els: &[Element],
        strip_lead: bool,
        strip_trail: bool,
        sc: &mut Scope,
        out: &mut String,
        unknown: &mut Option<String>,
    ) -> Result<()> {
        for (i, el) in els.iter().enumerate() {
            match el {
                Element::Literal(s) => {
                    let trim_start = if i == 0 { strip_lead } else { strips(&els[i - 1]).1 };
                    let trim_end = match els.get(i + 1) {
                        Some(next) => strips(next).0,
                        None => strip_trail,
                    };
                    let mut s = s.as_str();
                    if trim_start {
                        s = s.trim_start();
                    }
                    if trim_end {
                        s = s.trim_end();
                    }
                    out.push_str(s);
                }
                Element::Interpolation(interp) => {
                    let v = self.eval(&interp.expr, sc)?;
                    match first_unknown(&v) {
                        Some(why) => {
                            unknown.get_or_insert_with(|| why.to_string());
                        }
                        None => out.push_str(&to_string(&v, "template interpolation")?),
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(dir) => {
                        let cond = self.eval(&dir.cond_expr, sc)?;
                        if let Value::Unknown(why) = cond {
                            unknown.get_or_insert(why);
                            continue;
                        }
                        let else_strip = dir.else_strip.strip_start();
                        if to_bool(&cond, "template if")? {
                            let trail = if dir.false_template.is_some() {
                                else_strip
                            } else {
                                dir.endif_strip.strip_start()
                            };
                            self.render(
                                dir.true_template.elements(),
                                dir.if_strip.strip_end(),
                                trail,
                                sc,
                                out,
                                unknown,
                            )?;
                        } else if let Some(f) = &dir.false_template {
                            self.render(
                                f.elements(),
                                dir.else_strip.strip_end(),
                                dir.endif_strip.strip_start(),
                                sc,
                                out,
                                unknown,
                            )?;
                        }
                    }
                    Directive::For(dir) => {
                        let coll = self.eval(&dir.collection_expr, sc)?;
                        if let Value::Unknown(why) = coll {
                            unknown.get_or_insert(why);
                            continue;
                        }
                        for (k, v) in iteration_pairs(&coll)? {
                            let pushed = bind(
                                sc,
                                dir.key_var.as_ref().map(|k| k.as_str()),
                                k,
                                dir.value_var.as_str(),
                                v,
                            );
                            let r = self.render(
                                dir.template.elements(),
                                dir.for_strip.strip_end(),
                                dir.endfor_strip.strip_start(),
                                sc,
                                out,
                                unknown,
                            );
                            sc.bindings.truncate(sc.bindings.len() - pushed);
                            r?;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    fn eval_for(&mut self, f: &hcl::ForExpr, sc: &mut Scope) -> Result<Value> {
        let coll = self.eval(&f.collection_expr, sc)?;
        if let Value::Unknown(why) = coll {
            return Ok(Value::Unknown(why));
        }
        let pairs = iteration_pairs(&coll)?;
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut grouped: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown: Option<String> = None;
        for (k, v) in pairs {
            let pushed = bind(
                sc,
                f.key_var.as_ref().map(|k| k.as_str()),
                k,
                f.value_var.as_str(),
                v,
            );
            let r = self.for_element(f, sc, &mut list, &mut map, &mut grouped, &mut unknown);
            sc.bindings.truncate(sc.bindings.len() - pushed);
            r?;
        }
        if let Some(why) = unknown {
            return Ok(Value::Unknown(why));
        }
        Ok(if f.key_expr.is_none() {
            Value::List(list)
        } else if f.grouping {
            Value::Object(grouped.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
        } else {
            Value::Object(map)
        })
    }

    fn for_element(
        &mut self,
        f: &hcl::ForExpr,
        sc: &mut Scope,
        list: &mut Vec<Value>,
        map: &mut BTreeMap<String, Value>,
        grouped: &mut BTreeMap<String, Vec<Value>>,
        unknown: &mut Option<String>,
    ) -> Result<()> {
        if let Some(cond) = &f.cond_expr {
            match self.eval(cond, sc)? {
                Value::Unknown(why) => {
                    unknown.get_or_insert(why);
                    return Ok(());
                }
                c => {
                    if !to_bool(&c, "for condition")? {
                        return Ok(());
                    }
                }
            }
        }
        match &f.key_expr {
            None => list.push(self.eval(&f.value_expr, sc)?),
            Some(key_expr) => {
                let key = match self.eval(key_expr, sc)? {
                    Value::Unknown(why) => {
                        unknown.get_or_insert(why);
                        return Ok(());
                    }
                    k => to_string(&k, "for key")?,
                };
                let v = self.eval(&f.value_expr, sc)?;
                if f.grouping {
                    grouped.entry(key).or_default().push(v);
                } else if map.insert(key.clone(), v).is_some() {
                    return Err(EvalError::new(format!(
                        "duplicate key \"{key}\" in for expression"
                    )));
                }
            }
        }
        Ok(())
    }

    fn eval_call(&mut self, call: &hcl::FuncCall, sc: &mut Scope) -> Result<Value> {
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            return Ok(Value::unknown(format!(
                "provider function `{name}` is not evaluated"
            )));
        }
        match name {
            "try" => {
                let mut last = EvalError::new("try: no argument");
                for arg in &call.args {
                    match self.eval(arg, sc) {
                        Ok(v) => return Ok(v),
                        Err(e) => last = e,
                    }
                }
                return Err(EvalError::new(format!(
                    "no argument of try() could be evaluated: {last}"
                )));
            }
            "can" => {
                let [arg] = call.args.as_slice() else {
                    return Err(EvalError::new("can: exactly one argument is required"));
                };
                return Ok(match self.eval(arg, sc) {
                    Ok(Value::Unknown(why)) => Value::Unknown(why),
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            args.push(self.eval(arg, sc)?);
        }
        if call.expand_final {
            match args.pop() {
                Some(Value::List(items)) => args.extend(items),
                Some(Value::Unknown(why)) => return Ok(Value::Unknown(why)),
                Some(other) => {
                    return Err(EvalError::new(format!(
                        "cannot expand a {} into arguments",
                        other.kind()
                    )))
                }
                None => {}
            }
        }
        if name == "templatefile" {
            return self.templatefile(&args);
        }
        let Some(func) = lookup_function(name) else {
            return Ok(Value::unknown(format!("function `{name}` is not implemented")));
        };
        if name != "coalesce" && args.iter().any(Value::is_unknown) {
            return Ok(Value::unknown(format!(
                "result of {name}() depends on an unknown value"
            )));
        }
        func(
            &FnCtx {
                module_dir: self.module_dir,
            },
            &args,
        )
    }

    fn templatefile(&mut self, args: &[Value]) -> Result<Value> {
        let [path, vars] = args else {
            return Err(EvalError::new("templatefile: two arguments are required"));
        };
        if path.is_unknown() || vars.contains_unknown() {
            return Ok(Value::unknown(
                "result of templatefile() depends on an unknown value",
            ));
        }
        let p = to_string(path, "templatefile")?;
        let ctx = FnCtx {
            module_dir: self.module_dir,
        };
        let text = std::fs::read_to_string(ctx.resolve(&p))
            .map_err(|e| EvalError::new(format!("templatefile: cannot read \"{p}\": {e}")))?;
        let template: Template = text
            .parse()
            .map_err(|e| EvalError::new(format!("templatefile: \"{p}\": {e}")))?;
        let mut sc = Scope::isolated();
        if let Value::Object(map) = vars {
            for (k, v) in map {
                sc.bindings.push((k.clone(), v.clone()));
            }
        }
        let v = self.eval_template(&template, &mut sc)?;
        match v {
            Value::String(_) | Value::Unknown(_) => Ok(v),
            other => to_string(&other, "templatefile").map(Value::String),
        }
    }

    /// Evaluates a root name (`var`, `local`, a resource type …) with the operators that belong
    /// to it; returns the value and how many operators were used.
    fn eval_root(&mut self, root: &str, ops: &[TraversalOperator], sc: &mut Scope) -> Result<(Value, usize)> {
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        if sc.isolated {
            return Err(EvalError::new(format!("`{root}` cannot be used here")));
        }
        match root {
            "var" => {
                let name = attr(0).ok_or_else(|| EvalError::new("`var` needs an attribute"))?;
                if let Some(refs) = self.var_refs.get(name) {
                    sc.refs.extend(refs.iter().cloned());
                }
                match self.vars.get(name) {
                    Some(v) => Ok((v.clone(), 1)),
                    None => Err(EvalError::new(format!("variable `{name}` is not declared"))),
                }
            }
            "local" => {
                let name = attr(0).ok_or_else(|| EvalError::new("`local` needs an attribute"))?;
                let (v, refs) = self.local(name)?;
                sc.refs.extend(refs);
                Ok((v, 1))
            }
            "count" => match (attr(0), &sc.count_index) {
                (Some("index"), Some(i)) => Ok((i.clone(), 1)),
                _ => Err(EvalError::new(
                    "`count.index` is only valid in a resource with count",
                )),
            },
            "each" => match (attr(0), &sc.each) {
                (Some("key"), Some((k, _))) => Ok((k.clone(), 1)),
                (Some("value"), Some((_, v))) => Ok((v.clone(), 1)),
                _ => Err(EvalError::new("`each` is only valid in a resource with for_each")),
            },
            "path" => match attr(0) {
                Some("module") => Ok((Value::String(self.module_dir.display().to_string()), 1)),
                Some("root") => Ok((Value::String(self.ctx.root_dir.display().to_string()), 1)),
                Some("cwd") => {
                    let cwd = std::env::current_dir()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    Ok((Value::String(cwd), 1))
                }
                _ => Err(EvalError::new("unknown `path` attribute")),
            },
            "terraform" => match attr(0) {
                Some("workspace") => Ok((Value::from(self.ctx.workspace.clone()), 1)),
                _ => Err(EvalError::new("unknown `terraform` attribute")),
            },
            "module" => {
                let name = attr(0).ok_or_else(|| EvalError::new("`module` needs a name"))?;
                let (v, used) = self.module_ref(name, &ops[1..], sc)?;
                Ok((v, used + 1))
            }
            "self" => Ok((Value::unknown("`self` is known after apply"), ops.len())),
            "data" => {
                let (Some(t), Some(n)) = (attr(0), attr(1)) else {
                    return Err(EvalError::new("`data` needs a type and a name"));
                };
                let address = format!("data.{t}.{n}");
                let (v, used) = self.resource_ref(&address, &ops[2..], sc)?;
                Ok((v, used + 2))
            }
            other => {
                let Some(n) = attr(0) else {
                    return Err(EvalError::new(format!("unknown name `{other}`")));
                };
                let address = format!("{other}.{n}");
                let (v, used) = self.resource_ref(&address, &ops[1..], sc)?;
                Ok((v, used + 1))
            }
        }
    }

    fn local(&mut self, name: &str) -> Result<(Value, Vec<String>)> {
        let cfg = self.cfg;
        let Some(expr) = cfg.locals.get(name) else {
            return Err(EvalError::new(format!("local value `{name}` is not declared")));
        };
        match self.locals.get(name) {
            Some(Slot::Done((v, refs))) => return Ok((v.clone(), refs.clone())),
            Some(Slot::InProgress) => {
                return Ok((
                    Value::unknown(format!("local.{name} depends on itself")),
                    Vec::new(),
                ))
            }
            _ => {}
        }
        self.locals.insert(name.to_string(), Slot::InProgress);
        let mut sc = Scope::default();
        let v = self.eval(expr, &mut sc).unwrap_or_else(|e| Value::Unknown(e.0));
        let mut refs = sc.refs;
        refs.sort();
        refs.dedup();
        self.locals
            .insert(name.to_string(), Slot::Done((v.clone(), refs.clone())));
        Ok((v, refs))
    }

    /// A reference to a resource (`aws_x.y…`), with the operators after its address.
    fn resource_ref(
        &mut self,
        address: &str,
        ops: &[TraversalOperator],
        sc: &mut Scope,
    ) -> Result<(Value, usize)> {
        let Some(&idx) = self.cfg.block_index.get(address) else {
            return Err(EvalError::new(format!(
                "reference to undeclared resource `{address}`"
            )));
        };
        let base = format!("{}{}", self.prefix, address);
        self.ensure_block(idx);
        let Some(expansion) = self.evaluated(idx).map(|ev| ev.expansion.clone()) else {
            sc.refs.push(base.clone());
            return Ok((Value::unknown(format!("{base} depends on itself")), ops.len()));
        };
        let indexed = matches!(
            ops.first(),
            Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_))
        );
        let mut used = 0;
        let mut selected: Option<usize> = None;
        let mut target = base.clone();
        match expansion {
            Expansion::Count | Expansion::ForEach if indexed => {
                let key = match &ops[0] {
                    TraversalOperator::Index(e) => self.eval(e, sc)?,
                    TraversalOperator::LegacyIndex(n) => Value::from(*n as i64),
                    _ => Value::Null,
                };
                if key.is_unknown() {
                    sc.refs.push(base.clone());
                    return Ok((
                        Value::unknown(format!("the instance key of {base} is unknown")),
                        ops.len(),
                    ));
                }
                let key_text = to_string(&key, "instance key")?;
                let ev = self
                    .evaluated(idx)
                    .ok_or_else(|| EvalError::new("resource not evaluated"))?;
                let found = ev.instances.iter().position(|inst| match &inst.key {
                    Some(Value::String(k)) => *k == key_text,
                    Some(k) => equal(k, &key),
                    None => false,
                });
                match found {
                    Some(i) => {
                        target = ev.instances[i].id.clone();
                        selected = Some(i);
                        used = 1;
                    }
                    None => return Err(EvalError::new(format!("{base} has no instance {key}"))),
                }
            }
            Expansion::Unknown(_) if indexed => {
                selected = Some(0);
                used = 1;
            }
            Expansion::Single => selected = Some(0),
            _ => {}
        }
        sc.refs.push(target);
        let ev = self
            .evaluated(idx)
            .ok_or_else(|| EvalError::new("resource not evaluated"))?;
        if let Some(i) = selected {
            let Some(inst) = ev.instances.get(i) else {
                return Ok((Value::unknown(format!("{base} has no instances")), ops.len()));
            };
            return Ok(match ops.get(used) {
                Some(TraversalOperator::GetAttr(a)) => (instance_attr(inst, a.as_str()), used + 1),
                _ => (instance_view(inst), used),
            });
        }
        match &ev.expansion {
            Expansion::Unknown(why) => Ok((Value::Unknown(why.clone()), ops.len())),
            Expansion::Count => {
                if let (
                    Some(TraversalOperator::AttrSplat | TraversalOperator::FullSplat),
                    Some(TraversalOperator::GetAttr(a)),
                ) = (ops.first(), ops.get(1))
                {
                    let items: Vec<Value> = ev
                        .instances
                        .iter()
                        .map(|inst| instance_attr(inst, a.as_str()))
                        .collect();
                    let rest = &ops[2..];
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_ops(item, rest, sc)?);
                    }
                    return Ok((Value::List(out), ops.len()));
                }
                Ok((Value::List(ev.instances.iter().map(instance_view).collect()), 0))
            }
            Expansion::ForEach => {
                let map = ev
                    .instances
                    .iter()
                    .map(|inst| {
                        let k = inst
                            .key
                            .as_ref()
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        (k, instance_view(inst))
                    })
                    .collect();
                Ok((Value::Object(map), 0))
            }
            Expansion::Single => Ok((Value::unknown(format!("{base} has no instances")), ops.len())),
        }
    }

    fn evaluated(&self, idx: usize) -> Option<&Evaluated> {
        match self.blocks.get(idx) {
            Some(Slot::Done(ev)) => Some(ev),
            _ => None,
        }
    }

    fn apply_ops(&mut self, mut v: Value, ops: &[TraversalOperator], sc: &mut Scope) -> Result<Value> {
        let mut i = 0;
        while i < ops.len() {
            if v.is_unknown() {
                return Ok(v);
            }
            match &ops[i] {
                TraversalOperator::GetAttr(name) => v = get_attr(v, name.as_str())?,
                TraversalOperator::Index(e) => {
                    let key = self.eval(e, sc)?;
                    v = index(v, &key)?;
                }
                TraversalOperator::LegacyIndex(n) => v = index(v, &Value::from(*n as i64))?,
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    let rest = &ops[i + 1..];
                    let per = if matches!(ops[i], TraversalOperator::AttrSplat) {
                        rest.iter()
                            .take_while(|o| matches!(o, TraversalOperator::GetAttr(_)))
                            .count()
                    } else {
                        rest.len()
                    };
                    let items = match v {
                        Value::Null => Vec::new(),
                        Value::List(items) => items,
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_ops(item, &rest[..per], sc)?);
                    }
                    v = Value::List(out);
                    i += 1 + per;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }
}

/// The outputs of a module instance as an object; references to it lead to every resource its
/// outputs depend on.
fn outputs_object(inst: &CallInstance, sc: &mut Scope) -> Value {
    let mut map = BTreeMap::new();
    for (name, (v, refs)) in &inst.outputs {
        sc.refs.extend(refs.iter().cloned());
        map.insert(name.clone(), v.clone());
    }
    Value::Object(map)
}

/// The attribute of a resource instance as a reference sees it: the configured value when it is
/// known, else unknown (computed by the provider).
fn instance_attr(inst: &Instance, attr: &str) -> Value {
    match inst.attributes.get(attr) {
        Value::Null | Value::Unknown(_) => Value::unknown(format!("{}.{attr} is known after apply", inst.id)),
        v => v.clone(),
    }
}

/// A whole resource instance as a value: its configured attributes, with `id` and `arn` unknown.
fn instance_view(inst: &Instance) -> Value {
    let mut map = inst.attributes.as_object().cloned().unwrap_or_default();
    for a in ["id", "arn"] {
        map.entry(a.to_string())
            .or_insert_with(|| Value::unknown(format!("{}.{a} is known after apply", inst.id)));
    }
    Value::Object(map)
}

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

type BlockLists = Vec<(String, std::result::Result<Vec<Value>, String>)>;

fn block_slot<'b>(
    blocks: &'b mut BlockLists,
    ident: &str,
) -> &'b mut std::result::Result<Vec<Value>, String> {
    let pos = match blocks.iter().position(|(k, _)| k == ident) {
        Some(p) => p,
        None => {
            blocks.push((ident.to_string(), Ok(Vec::new())));
            blocks.len() - 1
        }
    };
    &mut blocks[pos].1
}

/// (leading strip, trailing strip) of a template element.
fn strips(el: &Element) -> (bool, bool) {
    match el {
        Element::Literal(_) => (false, false),
        Element::Interpolation(i) => (i.strip.strip_start(), i.strip.strip_end()),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(dir) => (dir.if_strip.strip_start(), dir.endif_strip.strip_end()),
            Directive::For(dir) => (dir.for_strip.strip_start(), dir.endfor_strip.strip_end()),
        },
    }
}

fn bind(sc: &mut Scope, key_var: Option<&str>, k: Value, value_var: &str, v: Value) -> usize {
    let mut pushed = 0;
    if let Some(kv) = key_var {
        sc.bindings.push((kv.to_string(), k));
        pushed += 1;
    }
    sc.bindings.push((value_var.to_string(), v));
    pushed + 1
}

/// (key, value) pairs of a collection: list index and element, or object key and value.
fn iteration_pairs(v: &Value) -> Result<Vec<(Value, Value)>> {
    match v {
        Value::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, item)| (Value::from(i as i64), item.clone()))
            .collect()),
        Value::Object(map) => Ok(map
            .iter()
            .map(|(k, v)| (Value::String(k.clone()), v.clone()))
            .collect()),
        other => Err(EvalError::new(format!("cannot iterate over a {}", other.kind()))),
    }
}

/// The instance keys and `each.value`s of a `for_each` value, or why they are unknown.
fn for_each_pairs(v: &Value) -> std::result::Result<Vec<(String, Value)>, String> {
    match v {
        Value::Unknown(why) => Err(why.clone()),
        Value::Object(map) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Value::List(items) => {
            if let Some(why) = first_unknown(v) {
                return Err(why.to_string());
            }
            set_of(items)
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok((s.clone(), Value::String(s))),
                    other => Err(format!(
                        "for_each needs a map or a set of strings, got a {}",
                        other.kind()
                    )),
                })
                .collect()
        }
        Value::Null => Err("for_each is null".to_string()),
        other => Err(format!(
            "for_each needs a map or a set of strings, got a {}",
            other.kind()
        )),
    }
}

fn get_attr(v: Value, name: &str) -> Result<Value> {
    match v {
        Value::Object(mut map) => map
            .remove(name)
            .ok_or_else(|| EvalError::new(format!("the object has no attribute `{name}`"))),
        Value::Unknown(_) => Ok(v),
        Value::Null => Err(EvalError::new(format!("cannot read `{name}` of a null value"))),
        other => Err(EvalError::new(format!(
            "cannot read `{name}` of a {}",
            other.kind()
        ))),
    }
}

fn index(v: Value, key: &Value) -> Result<Value> {
    if key.is_unknown() {
        return Ok(key.clone());
    }
    match v {
        Value::List(mut items) => {
            let i = key
                .as_i64()
                .ok_or_else(|| EvalError::new("a list index must be a number"))?;
            if i < 0 || i as usize >= items.len() {
                return Err(EvalError::new(format!("index {i} is out of range")));
            }
            Ok(items.swap_remove(i as usize))
        }
        Value::Object(mut map) => {
            let k = to_string(key, "index")?;
            map.remove(&k)
                .ok_or_else(|| EvalError::new(format!("the map has no key \"{k}\"")))
        }
        Value::Unknown(_) => Ok(v),
        Value::Null => Err(EvalError::new("cannot index a null value")),
        other => Err(EvalError::new(format!("cannot index a {}", other.kind()))),
    }
}

fn binary(op: BinaryOperator, l: &Value, r: &Value) -> Result<Value> {
    use BinaryOperator::*;
    match op {
        And | Or => {
            let t = |v: &Value| -> Result<attest_core::Tri> {
                match v {
                    Value::Unknown(_) => Ok(attest_core::Tri::Unknown),
                    other => to_bool(other, op.as_str()).map(attest_core::Tri::from),
                }
            };
            let res = if op == And {
                t(l)?.and(t(r)?)
            } else {
                t(l)?.or(t(r)?)
            };
            Ok(match res {
                attest_core::Tri::True => Value::Bool(true),
                attest_core::Tri::False => Value::Bool(false),
                attest_core::Tri::Unknown => {
                    let why = first_unknown(l)
                        .or_else(|| first_unknown(r))
                        .unwrap_or("unknown operand");
                    Value::unknown(why)
                }
            })
        }
        Eq | NotEq => {
            if let Some(why) = first_unknown(l).or_else(|| first_unknown(r)) {
                return Ok(Value::unknown(why));
            }
            let e = equal(l, r);
            Ok(Value::Bool(if op == Eq { e } else { !e }))
        }
        _ => {
            if let Some(why) = first_unknown(l).or_else(|| first_unknown(r)) {
                return Ok(Value::unknown(why));
            }
            let a = to_f64(l, op.as_str())?;
            let b = to_f64(r, op.as_str())?;
            match op {
                Plus => number(a + b),
                Minus => number(a - b),
                Mul => number(a * b),
                Div if b == 0.0 => Err(EvalError::new("division by zero")),
                Div => number(a / b),
                Mod if b == 0.0 => Err(EvalError::new("modulo by zero")),
                Mod => number(a % b),
                Less => Ok(Value::Bool(a < b)),
                LessEq => Ok(Value::Bool(a <= b)),
                Greater => Ok(Value::Bool(a > b)),
                GreaterEq => Ok(Value::Bool(a >= b)),
                And | Or | Eq | NotEq => Err(EvalError::new("unreachable operator")),
            }
        }
    }
}
