//! Nested stacks: `AWS::CloudFormation::Stack` resources whose `TemplateURL` is a local path, as
//! written before `aws cloudformation package` uploads it (relative to the parent template's
//! directory).
//!
//! The child template is loaded with the stack's `Parameters` as its parameter values (known or
//! not: a parameter given `!Ref Vpc` of the parent refers to the parent's `Vpc`); the scan's
//! pseudo parameter values (`AWS::Region`, `AWS::AccountId`) apply to it too. Its resources are
//! located in the child file, their ids are prefixed with the stack's logical id (`Network.WebSg`,
//! `Network.Subnets.WebSg` two levels down), and their module stack names the `Stack` resources
//! that led to them, as Terraform's module calls do. In the parent, `Fn::GetAtt [Stack,
//! Outputs.X]` is the child's output value, with its references. The `Stack` resource itself stays
//! in the graph under its CloudFormation type.
//!
//! A `TemplateURL` that is not a local path (`https://…`, `s3://…`) is not fetched: the stack's
//! outputs are unknown and an input error says so. A template that nests itself (directly or not)
//! and nesting deeper than [`MAX_DEPTH`] are errors at the `Stack` resource.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use attest_core::{InputError, LoadOutput, Location, ModuleCall, Value};

use super::eval::{Overrides, Refs};
use super::tree::Node;

/// How deep stacks may nest.
pub const MAX_DEPTH: usize = 16;

/// Marks, in the references of a template, a target that is a resource of another template of the
/// stack tree, already under its full id. Logical ids are alphanumeric, so they never start so.
const FOREIGN: &str = "::";

/// Where a template sits in the tree of nested stacks.
pub struct Frame {
    /// Prefix of the resource ids (`""` at the root, `"Network."` in the stack `Network`).
    pub prefix: String,
    /// The `Stack` resources that led here, outermost first.
    pub module_stack: Vec<ModuleCall>,
    /// The templates from the root to this one, lexically normalized.
    pub chain: Vec<PathBuf>,
    /// Parameter values the parent stack passes.
    pub params: BTreeMap<String, Portable>,
}

impl Frame {
    pub fn root(path: &Path) -> Self {
        Frame {
            prefix: String::new(),
            module_stack: Vec::new(),
            chain: vec![normalize(path)],
            params: BTreeMap::new(),
        }
    }

    /// The full id of a resource of this template, or of a foreign target.
    pub fn global(&self, target: &str) -> String {
        match target.strip_prefix(FOREIGN) {
            Some(full) => full.to_string(),
            None => format!("{}{target}", self.prefix),
        }
    }
}

/// A value that leaves the template it was evaluated in: for each of its unknown values, the full
/// ids of the resources it refers to.
#[derive(Debug, Clone, Default)]
pub struct Portable {
    value: Value,
    targets: BTreeMap<String, BTreeSet<String>>,
}

impl Portable {
    /// A value of the template of `frame`, evaluated with `refs`.
    pub fn export(value: Value, refs: &Refs, frame: &Frame) -> Self {
        let mut targets = BTreeMap::new();
        collect(&value, refs, frame, &mut targets);
        Portable { value, targets }
    }

    /// The value in another template, whose references are `refs`; unknown values get `label`
    /// before their reason (`output WebSgId of nested stack Network: …`).
    pub fn import(&self, refs: &mut Refs, label: &str) -> Value {
        self.rebuild(&self.value, refs, label)
    }

    fn rebuild(&self, v: &Value, refs: &mut Refs, label: &str) -> Value {
        match v {
            Value::Unknown(reason) => {
                let targets = self
                    .targets
                    .get(reason)
                    .into_iter()
                    .flatten()
                    .map(|t| format!("{FOREIGN}{t}"));
                refs.unknown(format!("{label}: {reason}"), targets)
            }
            Value::List(items) => Value::List(items.iter().map(|i| self.rebuild(i, refs, label)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, i)| (k.clone(), self.rebuild(i, refs, label)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

fn collect(v: &Value, refs: &Refs, frame: &Frame, out: &mut BTreeMap<String, BTreeSet<String>>) {
    match v {
        Value::Unknown(reason) => {
            let mut local = BTreeSet::new();
            refs.targets(v, &mut local);
            out.entry(reason.clone())
                .or_default()
                .extend(local.iter().map(|t| frame.global(t)));
        }
        Value::List(items) => items.iter().for_each(|i| collect(i, refs, frame, out)),
        Value::Object(map) => map.values().for_each(|i| collect(i, refs, frame, out)),
        _ => {}
    }
}

/// The `Stack` resources of a template, in an order where a stack comes after the stacks whose
/// outputs its properties use (template order otherwise; a cycle keeps template order).
pub fn stack_order(resources: &[super::tree::Entry]) -> Vec<usize> {
    let stacks: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, e)| e.value.get("Type").and_then(Node::as_str) == Some(STACK_TYPE))
        .map(|(i, _)| i)
        .collect();
    let deps = |i: usize| -> Vec<usize> {
        let text = resources
            .get(i)
            .and_then(|e| e.value.get("Properties"))
            .map(|p| p.to_json().to_string())
            .unwrap_or_default();
        stacks
            .iter()
            .copied()
            .filter(|&j| j != i)
            .filter(|&j| {
                resources.get(j).is_some_and(|e| {
                    text.contains(&format!("{}.Outputs.", e.key)) || text.contains(&format!("\"{}\"", e.key))
                })
            })
            .collect()
    };
    let mut done: Vec<usize> = Vec::new();
    let mut pending = stacks.clone();
    while !pending.is_empty() {
        let ready: Vec<usize> = pending
            .iter()
            .copied()
            .filter(|&i| deps(i).iter().all(|d| done.contains(d)))
            .collect();
        let next = if ready.is_empty() { pending.clone() } else { ready };
        done.extend(&next);
        pending.retain(|i| !next.contains(i));
    }
    done
}

pub const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

/// A nested stack to load.
pub struct Call<'a> {
    pub parent: &'a Path,
    pub parent_frame: &'a Frame,
    pub id: &'a str,
    pub location: &'a Location,
    pub props: &'a Value,
}

/// Loads the child template of a `Stack` resource; its outputs, ready to import in the parent.
pub fn load_child(
    call: &Call,
    refs: &Refs,
    overrides: &Overrides,
) -> (LoadOutput, BTreeMap<String, Portable>) {
    let mut out = LoadOutput::default();
    let error = |message: String| {
        InputError::at(
            call.location.file.clone(),
            call.location.line,
            call.location.column,
            format!("nested stack {}: {message}", call.id),
        )
    };
    let url = match call.props.get("TemplateURL") {
        Value::String(s) => s.clone(),
        Value::Null => {
            out.errors
                .push(error("no TemplateURL; its outputs are unknown".into()));
            return (out, BTreeMap::new());
        }
        _ => {
            out.errors.push(error(
                "TemplateURL is not known before deployment, so attest cannot load the template; \
                 its outputs are unknown"
                    .into(),
            ));
            return (out, BTreeMap::new());
        }
    };
    if url.contains("://") || url.starts_with("s3:") {
        out.errors.push(error(format!(
            "TemplateURL {url} is not a local path; attest does not fetch templates, so the stack's \
             resources are not scanned and its outputs are unknown (scan the template before \
             `aws cloudformation package`, or scan the child template on its own)"
        )));
        return (out, BTreeMap::new());
    }
    let dir = call.parent.parent().unwrap_or(Path::new(""));
    let path = crate::terraform::locate::lexical_join(dir, &url);
    let frame = call.parent_frame;
    if frame.chain.contains(&path) {
        let chain: Vec<String> = frame
            .chain
            .iter()
            .chain(std::iter::once(&path))
            .map(|p| p.display().to_string())
            .collect();
        out.errors
            .push(error(format!("templates nest each other: {}", chain.join(" → "))));
        return (out, BTreeMap::new());
    }
    if frame.chain.len() > MAX_DEPTH {
        out.errors.push(error(format!(
            "stacks nest deeper than {MAX_DEPTH} levels; {} is not loaded",
            path.display()
        )));
        return (out, BTreeMap::new());
    }
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            out.errors.push(error(format!("cannot read {file}: {e}")));
            return (out, BTreeMap::new());
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let root = match super::parse(&file, text) {
        Ok(root) => root,
        Err(e) => {
            out.errors.push(e);
            return (out, BTreeMap::new());
        }
    };
    let declared: HashSet<&str> = root
        .get("Parameters")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    let mut params = BTreeMap::new();
    if let Value::Object(given) = call.props.get("Parameters") {
        for (name, value) in given {
            if !declared.contains(name.as_str()) {
                out.errors.push(error(format!(
                    "passes the parameter {name}, which {file} does not declare"
                )));
                continue;
            }
            let list_type = root
                .get("Parameters")
                .and_then(|p| p.get(name))
                .and_then(|d| d.get("Type"))
                .and_then(Node::as_str)
                .is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"));
            let value = match value {
                Value::String(s) if list_type => {
                    Value::List(s.split(',').map(|p| Value::from(p.trim())).collect())
                }
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::String(b.to_string()),
                other => other.clone(),
            };
            params.insert(name.clone(), Portable::export(value, refs, frame));
        }
    }
    let address = format!("{}{}", frame.prefix, call.id);
    let mut module_stack = frame.module_stack.clone();
    module_stack.push(ModuleCall {
        address: address.clone(),
        location: Some(call.location.clone()),
    });
    let mut chain = frame.chain.clone();
    chain.push(path.clone());
    let child = Frame {
        prefix: format!("{address}."),
        module_stack,
        chain,
        params,
    };
    // The scan's parameter values are for the root templates; pseudo parameters hold everywhere.
    let child_overrides = Overrides {
        values: overrides
            .values
            .iter()
            .filter(|(k, _)| k.starts_with("AWS::"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let (loaded, outputs) = super::load_stack(&path, &root, &child_overrides, &child);
    out.extend(loaded);
    (out, outputs)
}

fn normalize(path: &Path) -> PathBuf {
    crate::terraform::locate::lexical_join(path, "")
}

/// Drops, from the inputs of a scan, the templates that a scanned template loads as nested stacks
/// (they are loaded through their parent, with its parameters), as called Terraform modules are.
/// Templates reached only within a cycle of nested stacks stay.
pub fn drop_nested_templates(parts: &mut Vec<(String, LoadOutput)>) {
    let own = |name: &str| normalize(Path::new(name));
    let names: BTreeSet<PathBuf> = parts.iter().map(|(name, _)| own(name)).collect();
    let mut children: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for (name, part) in parts.iter() {
        let me = own(name);
        let nested: Vec<PathBuf> = part
            .inputs
            .iter()
            .map(|i| own(&i.path))
            .filter(|p| *p != me && names.contains(p))
            .collect();
        children.insert(me, nested);
    }
    let called: BTreeSet<&PathBuf> = children.values().flatten().collect();
    let mut todo: Vec<&PathBuf> = names.iter().filter(|n| !called.contains(n)).collect();
    let mut reached: BTreeSet<&PathBuf> = BTreeSet::new();
    while let Some(n) = todo.pop() {
        for c in children.get(n).into_iter().flatten() {
            if reached.insert(c) {
                todo.push(c);
            }
        }
    }
    let reached: BTreeSet<PathBuf> = reached.into_iter().cloned().collect();
    parts.retain(|(name, _)| !reached.contains(&own(name)));
}
