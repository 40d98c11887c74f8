//! `terraform show -json` of a plan.
//!
//! Resources come from `planned_values` (the values after apply, as far as Terraform knows
//! them), with `resource_changes[].change.after_unknown` marking values that are only known after
//! apply and `after_sensitive` / `sensitive_values` marking values that must not be shown. Data
//! sources Terraform reads during apply are only in `resource_changes`. References between
//! resources come from the `configuration` part of the plan, which lists, for every expression,
//! the addresses it refers to.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use attest_core::{InputKind, InputSummary, LoadOutput, Mode, Provenance, Reference, Resource, Value};
use serde_json::Value as Json;

use super::locate::{module_prefix, segments, Address, ModuleStep, Placement};

/// Reason given for values Terraform only knows after apply.
pub const UNKNOWN_AFTER_APPLY: &str = "known after apply";
/// Reason given for values marked sensitive (their content is never kept).
pub const SENSITIVE: &str = "sensitive value";

/// How many `var.` / module output hops a reference is followed through.
const MAX_REFERENCE_HOPS: usize = 16;

/// Loads a plan document already parsed as JSON.
pub fn load_plan(path: &Path, doc: &serde_json::Value) -> LoadOutput {
    let mut out = LoadOutput::default();
    let file = path.display().to_string();
    let root_dir = path.parent().unwrap_or(Path::new(""));
    let mut placement = Placement::new(root_dir);
    let configuration = doc.get("configuration").and_then(|c| c.get("root_module"));
    if let Some(root) = configuration {
        record_module_sources(root, &mut Vec::new(), &mut placement);
    }

    let changes: HashMap<&str, &Json> = doc
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|rc| Some((rc.get("address")?.as_str()?, rc)))
        .collect();

    let mut planned = Vec::new();
    if let Some(root) = doc.get("planned_values").and_then(|p| p.get("root_module")) {
        values_module_resources(root, &mut planned);
    }
    let mut seen = HashSet::new();
    for entry in &planned {
        let change = changes
            .get(entry.address.as_str())
            .and_then(|rc| rc.get("change"));
        let mut attributes = Value::from_json(entry.values);
        if let Some(change) = change {
            attributes = overlay(attributes, change.get("after_unknown"), UNKNOWN_AFTER_APPLY);
            attributes = overlay(attributes, change.get("after_sensitive"), SENSITIVE);
        }
        attributes = overlay(attributes, entry.sensitive, SENSITIVE);
        seen.insert(entry.address.as_str());
        push_resource(&mut out, &mut placement, entry, attributes, InputKind::TfPlan);
    }
    // Resources Terraform only describes as changes: data sources read during apply, and (in
    // plans without planned_values) everything else that is not being destroyed.
    for rc in doc
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let Some(entry) = ResourceEntry::from_json(rc, None) else {
            continue;
        };
        if seen.contains(entry.address.as_str()) {
            continue;
        }
        let Some(change) = rc.get("change") else {
            continue;
        };
        if !survives(change) {
            continue;
        }
        let after = change.get("after").unwrap_or(&Json::Null);
        let mut attributes = match after {
            Json::Null => Value::Object(BTreeMap::new()),
            other => Value::from_json(other),
        };
        attributes = overlay(attributes, change.get("after_unknown"), UNKNOWN_AFTER_APPLY);
        attributes = overlay(attributes, change.get("after_sensitive"), SENSITIVE);
        push_resource(&mut out, &mut placement, &entry, attributes, InputKind::TfPlan);
    }

    if let Some(root) = configuration {
        out.references = configuration_references(root, &out.resources);
    }
    out.inputs.push(InputSummary {
        path: file,
        kind: InputKind::TfPlan,
        resources: out.resources.len(),
    });
    out
}

/// True when a change leaves the resource in place (anything but a pure delete or forget).
fn survives(change: &Json) -> bool {
    let actions: Vec<&str> = change
        .get("actions")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect();
    !actions.is_empty() && actions.iter().any(|a| !matches!(*a, "delete" | "forget"))
}

/// A resource in `planned_values`, `values` (a state shown as JSON) or `resource_changes`.
pub(crate) struct ResourceEntry<'a> {
    pub address: String,
    pub resource_type: String,
    pub mode: Mode,
    pub values: &'a Json,
    pub sensitive: Option<&'a Json>,
}

impl<'a> ResourceEntry<'a> {
    fn from_json(r: &'a Json, module_address: Option<&str>) -> Option<Self> {
        let resource_type = r.get("type")?.as_str()?.to_string();
        let mode = match r.get("mode").and_then(Json::as_str) {
            Some("data") => Mode::Data,
            _ => Mode::Managed,
        };
        let address = match r.get("address").and_then(Json::as_str) {
            Some(a) => a.to_string(),
            None => {
                let name = r.get("name")?.as_str()?;
                let mut a = String::new();
                if let Some(m) = module_address.filter(|m| !m.is_empty()) {
                    a.push_str(m);
                    a.push('.');
                }
                if mode == Mode::Data {
                    a.push_str("data.");
                }
                a.push_str(&format!("{resource_type}.{name}"));
                if let Some(key) = r.get("index").and_then(super::locate::render_key) {
                    a.push_str(&key);
                }
                a
            }
        };
        Some(ResourceEntry {
            address,
            resource_type,
            mode,
            values: r.get("values").unwrap_or(&Json::Null),
            sensitive: r.get("sensitive_values"),
        })
    }
}

/// Collects the resources of a `planned_values` / `values` module and its child modules.
pub(crate) fn values_module_resources<'a>(module: &'a Json, out: &mut Vec<ResourceEntry<'a>>) {
    let module_address = module.get("address").and_then(Json::as_str);
    for r in module
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(entry) = ResourceEntry::from_json(r, module_address) {
            out.push(entry);
        }
    }
    for child in module
        .get("child_modules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        values_module_resources(child, out);
    }
}

/// Builds the resource for `entry` and adds it to `out`.
pub(crate) fn push_resource(
    out: &mut LoadOutput,
    placement: &mut Placement,
    entry: &ResourceEntry<'_>,
    attributes: Value,
    kind: InputKind,
) {
    let mut provenance = Provenance::new(kind);
    if let Some(address) = Address::parse(&entry.address) {
        let (location, stack) = placement.place(&address);
        provenance.location = location;
        provenance.module_stack = stack;
    }
    let mut resource = Resource::new(
        entry.address.clone(),
        entry.resource_type.clone(),
        attributes,
        provenance,
    );
    resource.mode = entry.mode;
    resource.physical_id = physical_id(&resource.attributes);
    out.resources.push(resource);
}

/// The `arn` attribute, else the `id`, when it is a known string.
pub(crate) fn physical_id(attributes: &Value) -> Option<String> {
    ["arn", "id"].iter().find_map(|key| match attributes.get(key) {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    })
}

/// Marks the parts of `value` where `mask` (same shape as the value, `true` leaves) is true as
/// unknown for `reason`. Masked attributes absent from the value are added.
pub(crate) fn overlay(value: Value, mask: Option<&Json>, reason: &str) -> Value {
    match mask {
        None => value,
        Some(mask) => apply_mask(value, mask, reason),
    }
}

fn apply_mask(value: Value, mask: &Json, reason: &str) -> Value {
    match mask {
        Json::Bool(true) => Value::Unknown(reason.to_string()),
        Json::Object(fields) => {
            if !mask_marks_anything(mask) {
                return value;
            }
            let mut map = match value {
                Value::Object(map) => map,
                Value::Null => BTreeMap::new(),
                other => return other,
            };
            for (key, sub) in fields {
                if !mask_marks_anything(sub) {
                    continue;
                }
                let current = map.remove(key).unwrap_or(Value::Null);
                map.insert(key.clone(), apply_mask(current, sub, reason));
            }
            Value::Object(map)
        }
        Json::Array(items) => {
            if !mask_marks_anything(mask) {
                return value;
            }
            let mut list = match value {
                Value::List(list) => list,
                Value::Null => Vec::new(),
                other => return other,
            };
            for (i, sub) in items.iter().enumerate() {
                if !mask_marks_anything(sub) {
                    continue;
                }
                while list.len() <= i {
                    list.push(Value::Null);
                }
                let current = std::mem::take(&mut list[i]);
                list[i] = apply_mask(current, sub, reason);
            }
            Value::List(list)
        }
        _ => value,
    }
}

fn mask_marks_anything(mask: &Json) -> bool {
    match mask {
        Json::Bool(b) => *b,
        Json::Object(fields) => fields.values().any(mask_marks_anything),
        Json::Array(items) => items.iter().any(mask_marks_anything),
        _ => false,
    }
}

/// Remembers the directory of every local module called from the configuration.
fn record_module_sources(module: &Json, path: &mut Vec<String>, placement: &mut Placement) {
    for (name, call) in module_calls(module) {
        path.push(name.clone());
        if let Some(source) = call.get("source").and_then(Json::as_str) {
            placement.add_module_source(path, source);
        }
        if let Some(child) = call.get("module") {
            record_module_sources(child, path, placement);
        }
        path.pop();
    }
}

fn module_calls(module: &Json) -> impl Iterator<Item = (&String, &Json)> {
    module
        .get("module_calls")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
}

/// The configuration modules by module path, with the module instances the plan has of each.
struct Configuration<'a> {
    modules: HashMap<Vec<String>, &'a Json>,
    /// Module instances (steps from the root) that hold at least one resource, and their
    /// ancestors.
    instances: Vec<Vec<ModuleStep>>,
}

impl<'a> Configuration<'a> {
    fn module(&self, path: &[String]) -> Option<&'a Json> {
        self.modules.get(path).copied()
    }

    /// Instances of module `name` called from the module instance `caller`.
    fn child_instances(&self, caller: &[ModuleStep], name: &str, key: Option<&str>) -> Vec<Vec<ModuleStep>> {
        self.instances
            .iter()
            .filter(|steps| {
                steps.len() == caller.len() + 1
                    && steps[..caller.len()] == *caller
                    && steps[caller.len()].name == name
                    && key.is_none_or(|k| steps[caller.len()].key.as_deref() == Some(k))
            })
            .cloned()
            .collect()
    }

    /// Resource addresses (instances) a reference written in module instance `scope` points to.
    fn resolve(&self, reference: &str, scope: &[ModuleStep], hops: usize, out: &mut Vec<String>) {
        if hops > MAX_REFERENCE_HOPS {
            return;
        }
        let Some(segments) = segments(reference) else {
            return;
        };
        if segments.first().map(|s| s.0.as_str()) == Some("module") {
            // `module.NAME[KEY].OUTPUT`: follow the output's expression into the module.
            let (Some((name, key)), Some((output, _))) = (segments.get(1), segments.get(2)) else {
                return;
            };
            let path: Vec<String> = scope
                .iter()
                .map(|s| s.name.clone())
                .chain([name.clone()])
                .collect();
            let Some(child) = self.module(&path) else {
                return;
            };
            let refs = references_of(
                child
                    .get("outputs")
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression")),
            );
            for instance in self.child_instances(scope, name, key.as_deref()) {
                for r in &refs {
                    self.resolve(r, &instance, hops + 1, out);
                }
            }
            return;
        }
        let Some(address) = Address::parse(reference) else {
            return;
        };
        match address.resource_type.as_str() {
            "var" => {
                let Some((caller, last)) = scope.split_last().map(|(l, c)| (c, l)) else {
                    return;
                };
                let caller_path: Vec<String> = caller.iter().map(|s| s.name.clone()).collect();
                let Some(parent) = self.module(&caller_path) else {
                    return;
                };
                let refs = references_of(
                    parent
                        .get("module_calls")
                        .and_then(|m| m.get(&last.name))
                        .and_then(|c| c.get("expressions"))
                        .and_then(|e| e.get(&address.name)),
                );
                for r in &refs {
                    self.resolve(r, caller, hops + 1, out);
                }
            }
            "local" | "each" | "count" | "path" | "terraform" | "self" | "module" => {}
            _ => out.push(format!("{}{}", module_prefix(scope), address.local_instance())),
        }
    }
}

/// Every reference listed in an expression (and in the expressions nested in it).
fn references_of(expression: Option<&Json>) -> Vec<&str> {
    let mut paths = Vec::new();
    if let Some(e) = expression {
        expression_references(e, &mut String::new(), &mut paths);
    }
    paths.into_iter().flat_map(|(_, refs)| refs).collect()
}

/// Walks an `expressions` tree: an expression is an object with `references` (or
/// `constant_value`); nested blocks are lists of objects of expressions (or a single object).
fn expression_references<'a>(node: &'a Json, path: &mut String, out: &mut Vec<(String, Vec<&'a str>)>) {
    match node {
        Json::Object(map) => {
            if let Some(refs) = map.get("references").and_then(Json::as_array) {
                out.push((path.clone(), refs.iter().filter_map(Json::as_str).collect()));
                return;
            }
            if map.contains_key("constant_value") {
                return;
            }
            for (key, child) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                expression_references(child, path, out);
                path.truncate(len);
            }
        }
        Json::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&i.to_string());
                expression_references(child, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// References from the `configuration` part of a plan, for every loaded resource instance.
fn configuration_references(root: &Json, resources: &[Resource]) -> Vec<Reference> {
    let mut modules = HashMap::new();
    collect_modules(root, &mut Vec::new(), &mut modules);

    // Instances of every configuration resource, by (module path, resource part).
    let mut by_config: HashMap<(Vec<String>, String), Vec<Address>> = HashMap::new();
    let mut instances: Vec<Vec<ModuleStep>> = Vec::new();
    for resource in resources {
        let Some(address) = Address::parse(&resource.id) else {
            continue;
        };
        for n in 1..=address.module.len() {
            let steps = address.module[..n].to_vec();
            if !instances.contains(&steps) {
                instances.push(steps);
            }
        }
        by_config
            .entry((address.module_path(), address.resource_part()))
            .or_default()
            .push(address);
    }
    let config = Configuration { modules, instances };

    let mut out = Vec::new();
    let mut paths: Vec<&Vec<String>> = config.modules.keys().collect();
    paths.sort();
    for path in paths {
        let Some(module) = config.module(path) else {
            continue;
        };
        for r in module
            .get("resources")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let Some(local) = r.get("address").and_then(Json::as_str) else {
                continue;
            };
            let Some(instances) = by_config.get(&(path.clone(), local.to_string())) else {
                continue;
            };
            let mut expressions = Vec::new();
            if let Some(e) = r.get("expressions") {
                expression_references(e, &mut String::new(), &mut expressions);
            }
            for instance in instances {
                let from = instance.instance();
                for (attr, refs) in &expressions {
                    let mut targets = Vec::new();
                    for reference in refs {
                        config.resolve(reference, &instance.module, 0, &mut targets);
                    }
                    for to in most_specific(targets) {
                        out.push(Reference {
                            from: from.clone(),
                            path: attr.clone(),
                            to,
                        });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    out.dedup();
    out
}

fn collect_modules<'a>(module: &'a Json, path: &mut Vec<String>, out: &mut HashMap<Vec<String>, &'a Json>) {
    out.insert(path.clone(), module);
    for (name, call) in module_calls(module) {
        if let Some(child) = call.get("module") {
            path.push(name.clone());
            collect_modules(child, path, out);
            path.pop();
        }
    }
}

/// Deduplicates targets and drops `aws_x.y` when `aws_x.y[k]` is also there (Terraform lists a
/// reference to `aws_x.y[0].id` as `aws_x.y[0].id`, `aws_x.y[0]` and `aws_x.y`).
fn most_specific(mut targets: Vec<String>) -> Vec<String> {
    targets.sort();
    targets.dedup();
    let keep: Vec<bool> = targets
        .iter()
        .map(|t| {
            !targets.iter().any(|other| {
                other.len() > t.len() && other.starts_with(t.as_str()) && other[t.len()..].starts_with('[')
            })
        })
        .collect();
    targets
        .into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}
