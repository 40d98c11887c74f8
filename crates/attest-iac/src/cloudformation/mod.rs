//! CloudFormation templates (YAML with short-form tags, or JSON) into the canonical resource model.
//!
//! 1. [`tree`] parses either syntax into one spanned tree, short-form tags in their long form;
//!    [`sam`] expands the serverless resources of SAM templates in that tree.
//! 2. [`eval`] evaluates it as CloudFormation would when creating the stack: parameters (defaults,
//!    `--cfn-param`, parameter files), pseudo parameters, mappings, conditions (a resource whose
//!    condition is false is not loaded; one whose condition cannot be decided is), and the
//!    intrinsic functions. What only exists after deployment is an unknown value.
//! 3. [`translate`] turns each resource into the canonical (Terraform) vocabulary; types without a
//!    translator keep their CloudFormation type name and `Properties` as attributes.
//! 4. `Ref` / `Fn::GetAtt` between resources become reference edges, at the canonical attribute path
//!    where the value ends up (`security_groups.0`, `dimensions.DistributionId`, `policy`).
//!
//! Every resource is located at the line of its logical id in the template. [`nested`] loads the
//! templates of nested stacks given by a local path into the same output, and [`suppress`] reads
//! the `# attest:ignore` comments of YAML templates.

pub mod eval;
pub mod nested;
pub mod sam;
pub mod suppress;
pub mod translate;
pub mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use attest_core::{
    InputError, InputKind, InputSummary, LoadOutput, Location, Provenance, Resource, Tri, Value,
};

use eval::Eval;
pub use eval::Overrides;
use translate::{Ctx, Source};
use tree::Node;

/// Whether a parsed document is a CloudFormation template: it has `AWSTemplateFormatVersion`, or
/// `Resources` whose entries have a `Type` of `AWS::…`.
pub fn is_template(doc: &serde_json::Value) -> bool {
    let Some(obj) = doc.as_object() else {
        return false;
    };
    if obj.contains_key("AWSTemplateFormatVersion") {
        return true;
    }
    obj.get("Resources")
        .and_then(serde_json::Value::as_object)
        .is_some_and(|resources| {
            resources.values().any(|r| {
                r.get("Type")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

/// Whether text that could not be parsed was meant to be a template (so that its syntax error is
/// reported rather than the file skipped).
pub fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.lines().any(|l| {
            let l = l.trim_start().trim_start_matches(['"', '\'']);
            l.strip_prefix("Type")
                .map(|rest| rest.trim_start_matches(['"', '\'']).trim_start())
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|v| {
                    v.trim_start()
                        .trim_start_matches(['"', '\''])
                        .starts_with("AWS::")
                })
        })
}

/// Reads the parameter values given to every template of a scan: `--cfn-param K=V` pairs win
/// over parameter files (the AWS CLI's `[{"ParameterKey": …, "ParameterValue": …}]`), later files
/// over earlier ones.
pub fn overrides(params: &[(String, String)], files: &[PathBuf]) -> (Overrides, Vec<InputError>) {
    let mut out = Overrides::default();
    let mut errors = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                errors.push(InputError::new(name, format!("cannot read parameter file: {e}")));
                continue;
            }
        };
        let doc: serde_json::Value = match serde_json::from_str(&text) {
            Ok(doc) => doc,
            Err(e) => {
                errors.push(InputError::at(
                    name,
                    u32::try_from(e.line()).unwrap_or(u32::MAX),
                    u32::try_from(e.column()).unwrap_or(u32::MAX),
                    format!("invalid parameter file: {e}"),
                ));
                continue;
            }
        };
        let Some(entries) = doc.as_array() else {
            errors.push(InputError::new(
                name,
                "a parameter file is a list of {\"ParameterKey\": …, \"ParameterValue\": …}",
            ));
            continue;
        };
        for entry in entries {
            let key = entry.get("ParameterKey").and_then(serde_json::Value::as_str);
            let value = match entry.get("ParameterValue") {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                Some(serde_json::Value::Bool(b)) => Some(b.to_string()),
                _ => None,
            };
            match (key, value) {
                (Some(k), Some(v)) => {
                    out.values.insert(k.to_string(), v);
                }
                // `UsePreviousValue` entries name no value a scan can know.
                (Some(_), None) => {}
                (None, _) => errors.push(InputError::new(
                    name.clone(),
                    format!("parameter entry without ParameterKey: {entry}"),
                )),
            }
        }
    }
    for (k, v) in params {
        out.values.insert(k.clone(), v.clone());
    }
    (out, errors)
}

/// Parses template text: JSON when it starts like JSON, YAML otherwise.
pub fn parse(file: &str, text: &str) -> Result<Node, InputError> {
    if matches!(text.trim_start().chars().next(), Some('{' | '[')) {
        tree::parse_json(file, text)
    } else {
        tree::parse_yaml(file, text)
    }
}

/// Loads a parsed template, with the nested stacks it loads from local paths.
pub fn load_template(path: &Path, root: &Node, overrides: &Overrides) -> LoadOutput {
    load_stack(path, root, overrides, &nested::Frame::root(path)).0
}

/// Loads one template of a tree of nested stacks: its resources (and those of its children) under
/// their full ids, and its outputs for the parent.
fn load_stack(
    path: &Path,
    root: &Node,
    overrides: &Overrides,
    frame: &nested::Frame,
) -> (LoadOutput, BTreeMap<String, nested::Portable>) {
    let file = path.display().to_string();
    let mut out = LoadOutput::default();
    let entries = root.get("Resources").map(Node::entries).unwrap_or_default();
    scan_suppressions(path, entries, &mut out);
    let expanded;
    let root = if sam::is_sam(root) {
        expanded = sam::transform(root);
        &expanded
    } else {
        root
    };
    let mut eval = Eval::new(root, overrides);
    for (name, value) in &frame.params {
        let v = value.import(&mut eval.refs, &format!("parameter {name} from the parent stack"));
        eval.set_parameter(name, v);
    }
    let resources = root.get("Resources").map(Node::entries).unwrap_or_default();
    let location = |entry: &tree::Entry| Location::new(file.clone(), entry.line, entry.column);

    // Nested stacks first: the other resources may read their outputs.
    let mut evaluated: BTreeMap<usize, Option<Value>> = BTreeMap::new();
    for i in nested::stack_order(resources) {
        let Some(entry) = resources.get(i) else {
            continue;
        };
        let props = evaluate(&mut eval, &entry.value);
        if let Some(props) = &props {
            let at = location(entry);
            let call = nested::Call {
                parent: path,
                parent_frame: frame,
                id: &entry.key,
                location: &at,
                props,
            };
            let (child, outputs) = nested::load_child(&call, &eval.refs, overrides);
            out.extend(child);
            for (name, value) in outputs {
                let label = format!("output {name} of nested stack {}", entry.key);
                let v = value.import(&mut eval.refs, &label);
                eval.set_stack_output(&entry.key, &name, v);
            }
        }
        evaluated.insert(i, props);
    }

    let mut translated = Vec::new();
    for (i, entry) in resources.iter().enumerate() {
        let node = &entry.value;
        let Some(cfn_type) = node.get("Type").and_then(Node::as_str) else {
            out.errors.push(InputError::at(
                file.clone(),
                entry.line,
                entry.column,
                format!("resource {} has no Type", entry.key),
            ));
            continue;
        };
        let props = match evaluated.remove(&i) {
            Some(props) => props,
            None => evaluate(&mut eval, node),
        };
        let Some(props) = props else {
            continue;
        };
        let source = Source {
            id: &entry.key,
            props: &props,
        };
        let mut ctx = Ctx { refs: &mut eval.refs };
        let parts = match translate::translator(cfn_type) {
            Some(t) => t(&mut ctx, &source),
            None => vec![translate::Translated::new(
                entry.key.as_str(),
                cfn_type,
                props.clone(),
            )],
        };
        translated.extend(parts.into_iter().map(|t| (t, location(entry))));
    }
    let own = translated.len();
    let mut references = Vec::new();
    for (t, location) in translated {
        eval.refs.edges(&t.id, "", &t.attributes, &mut references);
        for (path, value) in &t.held {
            let mut targets = BTreeSet::new();
            eval.refs.targets(value, &mut targets);
            for to in targets {
                references.push(attest_core::Reference {
                    from: t.id.clone(),
                    path: path.clone(),
                    to,
                });
            }
        }
        let mut provenance = Provenance::at(InputKind::Cfn, location);
        provenance.module_stack = frame.module_stack.clone();
        out.resources.push(Resource::new(
            format!("{}{}", frame.prefix, t.id),
            t.resource_type,
            t.attributes,
            provenance,
        ));
    }
    out.references
        .extend(references.into_iter().map(|r| attest_core::Reference {
            from: format!("{}{}", frame.prefix, r.from),
            path: r.path,
            to: frame.global(&r.to),
        }));
    out.references
        .sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    out.references.dedup();

    let mut outputs = BTreeMap::new();
    for entry in root.get("Outputs").map(Node::entries).unwrap_or_default() {
        if let Some(cond) = entry.value.get("Condition").and_then(Node::as_str) {
            if eval.condition(cond) == Tri::False {
                continue;
            }
        }
        let Some(value) = entry.value.get("Value").and_then(|v| eval.value(v)) else {
            continue;
        };
        let value = sam::resolve_unknowns(value);
        outputs.insert(
            entry.key.clone(),
            nested::Portable::export(value, &eval.refs, frame),
        );
    }
    out.inputs.push(InputSummary {
        path: file,
        kind: InputKind::Cfn,
        resources: own,
    });
    (out, outputs)
}

/// The evaluated `Properties` of a resource; `None` when its condition is false.
fn evaluate(eval: &mut Eval, node: &Node) -> Option<Value> {
    if let Some(cond) = node.get("Condition") {
        let decided = match cond.as_str() {
            Some(name) => eval.condition(name),
            None => Tri::Unknown,
        };
        if decided == Tri::False {
            return None;
        }
    }
    Some(match node.get("Properties").and_then(|p| eval.value(p)) {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(v) => sam::resolve_unknowns(v),
    })
}

/// Reads the inline suppressions of a YAML template (see [`suppress`]).
fn scan_suppressions(path: &Path, resources: &[tree::Entry], out: &mut LoadOutput) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    if matches!(
        text.trim_start_matches('\u{feff}').trim_start().chars().next(),
        Some('{' | '[')
    ) {
        return;
    }
    let targets: Vec<(u32, u32)> = resources.iter().map(|e| (e.line, e.column)).collect();
    let (suppressions, errors) = suppress::scan_yaml(&path.display().to_string(), &text, &targets);
    out.suppressions.extend(suppressions);
    out.errors.extend(errors);
}

/// Whether a parsed YAML or JSON tree is a template (see [`is_template`]).
pub fn is_template_tree(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources").is_some_and(|resources| {
        resources.entries().iter().any(|r| {
            r.value
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::"))
        })
    })
}
