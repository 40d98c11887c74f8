//! Terraform state: `terraform.tfstate` (format version 4) and `terraform show -json` of a state.
//!
//! State has no expressions, so references between resources are found by value: a string
//! attribute equal to another resource's `id` or `arn` is an edge to that resource.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use attest_core::{InputError, InputKind, InputSummary, LoadOutput, Mode, Reference, Resource, Value};
use serde_json::Value as Json;

use super::locate::{render_key, Placement};
use super::plan::{overlay, push_resource, values_module_resources, ResourceEntry, SENSITIVE};

/// Loads a state document already parsed as JSON: state format version 4, or the output of
/// `terraform show -json` for a state (`values.root_module`).
pub fn load_state(path: &Path, doc: &serde_json::Value) -> LoadOutput {
    let mut out = LoadOutput::default();
    let file = path.display().to_string();
    let mut placement = Placement::new(path.parent().unwrap_or(Path::new("")));

    if let Some(values) = doc.get("values") {
        let mut entries = Vec::new();
        if let Some(root) = values.get("root_module") {
            values_module_resources(root, &mut entries);
        }
        for entry in &entries {
            let attributes = overlay(Value::from_json(entry.values), entry.sensitive, SENSITIVE);
            push_resource(&mut out, &mut placement, entry, attributes, InputKind::TfState);
        }
    } else if doc.get("resources").is_some() {
        match doc.get("version").and_then(Json::as_u64) {
            Some(4) => load_v4(doc, &mut placement, &mut out),
            Some(v) => out.errors.push(InputError::new(
                file.clone(),
                format!("unsupported Terraform state version {v} (attest reads version 4)"),
            )),
            None => out
                .errors
                .push(InputError::new(file.clone(), "Terraform state without a version")),
        }
    }

    out.references = references_by_value(&out.resources);
    out.inputs.push(InputSummary {
        path: file,
        kind: InputKind::TfState,
        resources: out.resources.len(),
    });
    out
}

fn load_v4(doc: &Json, placement: &mut Placement, out: &mut LoadOutput) {
    for r in doc
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(resource_type), Some(name)) = (
            r.get("type").and_then(Json::as_str),
            r.get("name").and_then(Json::as_str),
        ) else {
            continue;
        };
        let mode = match r.get("mode").and_then(Json::as_str) {
            Some("data") => Mode::Data,
            _ => Mode::Managed,
        };
        let mut base = String::new();
        if let Some(module) = r.get("module").and_then(Json::as_str).filter(|m| !m.is_empty()) {
            base.push_str(module);
            base.push('.');
        }
        if mode == Mode::Data {
            base.push_str("data.");
        }
        base.push_str(resource_type);
        base.push('.');
        base.push_str(name);
        for instance in r.get("instances").and_then(Json::as_array).into_iter().flatten() {
            let key = instance.get("index_key").and_then(render_key).unwrap_or_default();
            let entry = ResourceEntry {
                address: format!("{base}{key}"),
                resource_type: resource_type.to_string(),
                mode,
                values: instance.get("attributes").unwrap_or(&Json::Null),
                sensitive: None,
            };
            let mut attributes = match entry.values {
                Json::Null => Value::Object(BTreeMap::new()),
                other => Value::from_json(other),
            };
            for path in instance
                .get("sensitive_attributes")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                mask_path(&mut attributes, path);
            }
            push_resource(out, placement, &entry, attributes, InputKind::TfState);
        }
    }
}

/// Replaces the value at a state `sensitive_attributes` path (a list of
/// `{"type": "get_attr" | "index", "value": …}` steps) with an unknown sensitive value.
fn mask_path(attributes: &mut Value, path: &Json) {
    let Some(steps) = path.as_array() else {
        return;
    };
    let mut cur = attributes;
    for step in steps {
        let value = step.get("value");
        // Index steps hold a typed value: {"value": 0, "type": "number"}.
        let key = match value {
            Some(Json::Object(typed)) => typed.get("value"),
            other => other,
        };
        cur = match (cur, key) {
            (Value::Object(map), Some(Json::String(k))) => match map.get_mut(k) {
                Some(v) => v,
                None => return,
            },
            (Value::List(items), Some(Json::Number(n))) => {
                match n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| items.get_mut(i))
                {
                    Some(v) => v,
                    None => return,
                }
            }
            _ => return,
        };
    }
    *cur = Value::Unknown(SENSITIVE.to_string());
}

/// A string attribute equal to another resource's `id` or `arn` is a reference to it.
fn references_by_value(resources: &[Resource]) -> Vec<Reference> {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        for key in ["id", "arn"] {
            if let Value::String(s) = r.attributes.get(key) {
                if !s.is_empty() {
                    let targets = index.entry(s.as_str()).or_default();
                    if !targets.contains(&i) {
                        targets.push(i);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let mut path = String::new();
        string_leaves(&r.attributes, &mut path, &mut |leaf_path, s| {
            if matches!(leaf_path, "id" | "arn") {
                return;
            }
            for &t in index.get(s).into_iter().flatten() {
                if t != i {
                    out.push(Reference {
                        from: r.id.clone(),
                        path: leaf_path.to_string(),
                        to: resources[t].id.clone(),
                    });
                }
            }
        });
    }
    out.sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    out.dedup();
    out
}

fn string_leaves(value: &Value, path: &mut String, f: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(s) => f(path, s),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                push_segment(path, &i.to_string());
                string_leaves(item, path, f);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                push_segment(path, key);
                string_leaves(item, path, f);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn push_segment(path: &mut String, segment: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(segment);
}
