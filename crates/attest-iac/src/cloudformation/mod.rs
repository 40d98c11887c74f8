//! CloudFormation templates (YAML with short-form tags, or JSON) into the canonical resource model.
//!
//! 1. [`tree`] parses either syntax into one spanned tree, short-form tags in their long form.
//! 2. [`eval`] evaluates it as CloudFormation would when creating the stack: parameters (defaults,
//!    `--cfn-param`, parameter files), pseudo parameters, mappings, conditions (a resource whose
//!    condition is false is not loaded; one whose condition cannot be decided is), and the
//!    intrinsic functions. What only exists after deployment is an unknown value.
//! 3. [`translate`] turns each resource into the canonical (Terraform) vocabulary; types without a
//!    translator keep their CloudFormation type name and `Properties` as attributes.
//! 4. `Ref` / `Fn::GetAtt` between resources become reference edges, at the canonical attribute path
//!    where the value ends up (`security_groups.0`, `dimensions.DistributionId`, `policy`).
//!
//! Every resource is located at the line of its logical id in the template.

pub mod eval;
pub mod translate;
pub mod tree;

use std::collections::BTreeSet;
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

/// Loads a parsed template.
pub fn load_template(path: &Path, root: &Node, overrides: &Overrides) -> LoadOutput {
    let file = path.display().to_string();
    let mut out = LoadOutput::default();
    let mut eval = Eval::new(root, overrides);
    let resources = root.get("Resources").map(Node::entries).unwrap_or_default();
    let mut translated = Vec::new();
    for entry in resources {
        let location = Location::new(file.clone(), entry.line, entry.column);
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
        if let Some(cond) = node.get("Condition") {
            let decided = match cond.as_str() {
                Some(name) => eval.condition(name),
                None => Tri::Unknown,
            };
            if decided == Tri::False {
                continue;
            }
        }
        let props = match node.get("Properties").and_then(|p| eval.value(p)) {
            None | Some(Value::Null) => Value::Object(Default::default()),
            Some(v) => v,
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
        translated.extend(parts.into_iter().map(|t| (t, location.clone())));
    }
    for (t, location) in translated {
        eval.refs.edges(&t.id, "", &t.attributes, &mut out.references);
        for (path, value) in &t.held {
            let mut targets = BTreeSet::new();
            eval.refs.targets(value, &mut targets);
            for to in targets {
                out.references.push(attest_core::Reference {
                    from: t.id.clone(),
                    path: path.clone(),
                    to,
                });
            }
        }
        out.resources.push(Resource::new(
            t.id,
            t.resource_type,
            t.attributes,
            Provenance::at(InputKind::Cfn, location),
        ));
    }
    out.references
        .sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    out.references.dedup();
    out.inputs.push(InputSummary {
        path: file,
        kind: InputKind::Cfn,
        resources: out.resources.len(),
    });
    out
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
