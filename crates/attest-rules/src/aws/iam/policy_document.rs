//! IAM policy documents, whatever form they take in the input: a JSON string (a heredoc, a
//! `jsonencode(…)` the loader evaluated, a state value), or a `data.aws_iam_policy_document`
//! whose `statement` blocks say what its `json` will be.
//!
//! Both forms become a list of [`Statement`]s in one vocabulary, so checks on policies are
//! written once.

use attest_core::{Resource, ResourceGraph, Tri, Value};

/// The Terraform type of the policy document data source.
pub const DOCUMENT_TYPE: &str = "aws_iam_policy_document";

/// How deep `source_policy_documents` / `override_policy_documents` chains are followed.
const MAX_DEPTH: usize = 8;

/// One statement of a policy, with the fields checks look at. Fields keep the shape they had
/// (a string or a list of strings), and may be unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// How messages name it: `statement 0 (Sid "Admin")`.
    pub label: String,
    pub sid: Option<String>,
    /// `Allow` or `Deny`; null when the document does not say.
    pub effect: Value,
    pub actions: Value,
    pub not_actions: Value,
    pub resources: Value,
    pub not_resources: Value,
    /// `Principal` in the JSON shape: `"*"` or `{"AWS": …, "Service": …}`; null when absent.
    /// Policy document `principals` blocks are rendered into the same shape.
    pub principals: Value,
    pub not_principals: Value,
    /// `Condition` in the JSON shape `{"StringEquals": {"aws:SourceArn": …}}`; null when absent.
    pub conditions: Value,
}

impl Statement {
    /// A statement the input cannot tell (an unknown `Statement`, an unknown document).
    fn unknown(label: String) -> Statement {
        let u = Value::unknown("statement not known before apply");
        Statement {
            label,
            sid: None,
            effect: u.clone(),
            actions: u.clone(),
            not_actions: u.clone(),
            resources: u.clone(),
            not_resources: u.clone(),
            principals: u.clone(),
            not_principals: u.clone(),
            conditions: u,
        }
    }
}

/// Where a subject's policy document came from, for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `the policy JSON` or `data.aws_iam_policy_document.admin`.
    pub origin: String,
    pub statements: Vec<Statement>,
}

/// Reads the policy document held in the attribute `attr` (usually `policy`) of `subject`.
/// `Err` says why the document cannot be told (unknown without a document data source, invalid
/// JSON).
pub fn policy_of(graph: &ResourceGraph, subject: usize, attr: &str) -> Result<Policy, String> {
    let value = graph.get(subject).attr(attr);
    match value {
        Value::String(_) => {
            let doc = parse(value).map_err(|e| format!("`{attr}` is not valid policy JSON: {e}"))?;
            Ok(Policy {
                origin: format!("the `{attr}` JSON"),
                statements: statements_of_json(&doc, ""),
            })
        }
        Value::Object(_) => Ok(Policy {
            origin: format!("the `{attr}` document"),
            statements: statements_of_json(value, ""),
        }),
        _ => {
            let documents: Vec<usize> = graph
                .referenced_by_attr(subject, attr)
                .into_iter()
                .filter(|&t| graph.get(t).resource_type == DOCUMENT_TYPE)
                .collect();
            match documents.as_slice() {
                [doc] => document_statements(graph, *doc, 0).map(|statements| Policy {
                    origin: graph.get(*doc).id.clone(),
                    statements,
                }),
                [] if value.is_null() => Err(format!("`{attr}` is not set")),
                [] => Err(format!(
                    "`{attr}` is not known before apply and does not come from an \
                     aws_iam_policy_document in the scanned configuration"
                )),
                several => Err(format!(
                    "`{attr}` refers to several policy documents ({}); cannot tell which applies",
                    several
                        .iter()
                        .map(|&d| graph.get(d).id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    }
}

fn parse(value: &Value) -> Result<Value, String> {
    match value.parse_json_string() {
        Some(result) => result,
        None => Err(format!("expected a JSON string, found {}", value.kind())),
    }
}

/// The statements of a parsed JSON policy document. `prefix` goes before each label
/// (`data.aws_iam_policy_document.x: `) when the statements come from elsewhere.
pub fn statements_of_json(doc: &Value, prefix: &str) -> Vec<Statement> {
    let statement = doc.get("Statement");
    let items: Vec<&Value> = match statement {
        Value::Unknown(_) => return vec![Statement::unknown(format!("{prefix}Statement"))],
        Value::List(items) => items.iter().collect(),
        Value::Object(_) => vec![statement],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, st)| {
            let sid = st
                .get("Sid")
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            let label = label(prefix, i, sid.as_deref());
            if st.is_unknown() {
                return Statement::unknown(label);
            }
            Statement {
                label,
                sid,
                effect: st.get("Effect").clone(),
                actions: st.get("Action").clone(),
                not_actions: st.get("NotAction").clone(),
                resources: st.get("Resource").clone(),
                not_resources: st.get("NotResource").clone(),
                principals: st.get("Principal").clone(),
                not_principals: st.get("NotPrincipal").clone(),
                conditions: st.get("Condition").clone(),
            }
        })
        .collect()
}

fn label(prefix: &str, index: usize, sid: Option<&str>) -> String {
    match sid {
        Some(sid) => format!("{prefix}statement {index} (Sid {sid:?})"),
        None => format!("{prefix}statement {index}"),
    }
}

/// The statements of a `data.aws_iam_policy_document`: its rendered `json` when the input knows
/// it (plan, state), else what its blocks and source/override documents say.
pub fn document_statements(
    graph: &ResourceGraph,
    doc: usize,
    depth: usize,
) -> Result<Vec<Statement>, String> {
    let resource = graph.get(doc);
    // The document a subject names is the origin of its messages; documents it includes are
    // named in each of their statements' labels.
    let prefix = if depth == 0 {
        String::new()
    } else {
        format!("{}: ", resource.id)
    };
    for attr in ["json", "minified_json"] {
        let rendered = resource.attr(attr);
        if rendered.as_str().is_some_and(|s| !s.is_empty()) {
            let parsed =
                parse(rendered).map_err(|e| format!("{}.{attr} is not valid JSON: {e}", resource.id))?;
            return Ok(statements_of_json(&parsed, &prefix));
        }
    }
    if depth >= MAX_DEPTH {
        return Err(format!(
            "{}: policy documents nest more than {MAX_DEPTH} levels deep",
            resource.id
        ));
    }
    let mut merged = included(graph, doc, "source_policy_documents", depth)?;
    let own = block_statements(resource, &prefix);
    merge(&mut merged, own);
    let overrides = included(graph, doc, "override_policy_documents", depth)?;
    merge(&mut merged, overrides);
    Ok(merged)
}

/// Statements of the documents listed in `attr` (`source_policy_documents`…): JSON strings,
/// or unknown values that reference other policy document data sources.
fn included(graph: &ResourceGraph, doc: usize, attr: &str, depth: usize) -> Result<Vec<Statement>, String> {
    let resource = graph.get(doc);
    let value = resource.attr(attr);
    let items: Vec<&Value> = match value {
        Value::List(items) => items.iter().collect(),
        Value::Null => return Ok(Vec::new()),
        other => vec![other],
    };
    let mut out = Vec::new();
    let mut unresolved = false;
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Value::String(_) => {
                let parsed =
                    parse(item).map_err(|e| format!("{}.{attr}[{i}] is not valid JSON: {e}", resource.id))?;
                out.extend(statements_of_json(
                    &parsed,
                    &format!("{}.{attr}[{i}]: ", resource.id),
                ));
            }
            Value::Null => {}
            _ => unresolved = true,
        }
    }
    if unresolved || value.is_unknown() {
        let referenced: Vec<usize> = graph
            .referenced_by_attr(doc, attr)
            .into_iter()
            .filter(|&t| graph.get(t).resource_type == DOCUMENT_TYPE)
            .collect();
        if referenced.is_empty() {
            out.push(Statement::unknown(format!("{}.{attr}", resource.id)));
        }
        for other in referenced {
            out.extend(document_statements(graph, other, depth + 1)?);
        }
    }
    Ok(out)
}

/// The `statement` blocks of a policy document data source.
fn block_statements(resource: &Resource, prefix: &str) -> Vec<Statement> {
    let Some(blocks) = resource.attr("statement").blocks() else {
        return vec![Statement::unknown(format!("{prefix}statement blocks"))];
    };
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, block)| {
            let sid = block
                .get("sid")
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            let label = label(prefix, i, sid.as_deref());
            if block.is_unknown() {
                return Statement::unknown(label);
            }
            let effect = match block.get("effect") {
                // The data source's documented default.
                Value::Null => Value::from("Allow"),
                other => other.clone(),
            };
            Statement {
                label,
                sid,
                effect,
                actions: block.get("actions").clone(),
                not_actions: block.get("not_actions").clone(),
                resources: block.get("resources").clone(),
                not_resources: block.get("not_resources").clone(),
                principals: principal_blocks(block.get("principals")),
                not_principals: principal_blocks(block.get("not_principals")),
                conditions: condition_blocks(block.get("condition")),
            }
        })
        .collect()
}

/// `principals { type, identifiers }` blocks of a policy document data source in the JSON shape:
/// `"*"` for `type = "*"`, else `{"AWS": ["…"], "Service": ["…"]}`. Null when there are none.
fn principal_blocks(value: &Value) -> Value {
    let Some(blocks) = value.blocks() else {
        return Value::unknown("principals not known before apply");
    };
    if blocks.is_empty() {
        return Value::Null;
    }
    let mut map = std::collections::BTreeMap::<String, Value>::new();
    for block in blocks {
        let kind = match block.get("type") {
            Value::String(t) => t.clone(),
            _ => return Value::unknown("principal type not known before apply"),
        };
        if kind == "*" {
            return Value::from("*");
        }
        let ids = block.get("identifiers");
        let entry = map.entry(kind).or_insert_with(|| Value::List(Vec::new()));
        match (entry, ids) {
            (Value::List(items), Value::List(more)) => items.extend(more.iter().cloned()),
            (Value::List(items), Value::String(_)) => items.push(ids.clone()),
            (entry, _) => *entry = Value::unknown("principal identifiers not known before apply"),
        }
    }
    Value::Object(map)
}

/// `condition { test, variable, values }` blocks of a policy document data source in the JSON
/// shape `{"<test>": {"<variable>": [values]}}`. Null when there are none.
fn condition_blocks(value: &Value) -> Value {
    let Some(blocks) = value.blocks() else {
        return Value::unknown("conditions not known before apply");
    };
    if blocks.is_empty() {
        return Value::Null;
    }
    let mut map = std::collections::BTreeMap::<String, Value>::new();
    for block in blocks {
        let (Value::String(test), Value::String(variable)) = (block.get("test"), block.get("variable"))
        else {
            return Value::unknown("condition test or variable not known before apply");
        };
        let entry = map
            .entry(test.clone())
            .or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(vars) = entry {
            vars.insert(variable.clone(), block.get("values").clone());
        }
    }
    Value::Object(map)
}

/// Whether a `Principal` (JSON shape) includes everyone: `"*"`, or `"*"` among the `AWS`
/// identifiers. Unknown when the principal or one of its identifiers is unknown; false when absent.
pub fn principal_is_everyone(principal: &Value) -> Tri {
    match principal {
        Value::String(s) => (s == "*").into(),
        Value::Unknown(_) => Tri::Unknown,
        Value::Object(map) => {
            let mut out = Tri::False;
            for (kind, ids) in map {
                if kind != "AWS" {
                    continue;
                }
                let items: Vec<&Value> = match ids {
                    Value::List(items) => items.iter().collect(),
                    other => vec![other],
                };
                for item in items {
                    match item {
                        Value::String(s) if s == "*" => return Tri::True,
                        Value::Unknown(_) => out = Tri::Unknown,
                        _ => {}
                    }
                }
            }
            out
        }
        Value::List(items) => Tri::any(items.iter().map(principal_is_everyone)),
        _ => Tri::False,
    }
}

/// Adds `later` statements to `merged`: a statement whose Sid is already present replaces it,
/// as the data source does for its own blocks and override documents.
fn merge(merged: &mut Vec<Statement>, later: Vec<Statement>) {
    for st in later {
        let existing = st
            .sid
            .as_ref()
            .and_then(|sid| merged.iter().position(|m| m.sid.as_ref() == Some(sid)));
        match existing {
            Some(pos) => merged[pos] = st,
            None => merged.push(st),
        }
    }
}

/// Whether an IAM action pattern (`s3:List*`, `*`, `sts:AssumeRole`) covers `action`: case
/// insensitive, `*` matches any run of characters and `?` any one character.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let p: Vec<char> = pattern.trim().to_ascii_lowercase().chars().collect();
    let a: Vec<char> = action.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ai) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ai < a.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == a[ai]) {
            pi += 1;
            ai += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ai;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ai = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether a string-or-list field holds an element for which `hit` holds. Unknown when an
/// element is unknown (or not a string) and no known element hits; false when absent.
pub fn any_element(value: &Value, hit: impl Fn(&str) -> bool) -> Tri {
    let one = |v: &Value| match v {
        Value::String(s) => Tri::from(hit(s)),
        Value::Null => Tri::False,
        _ => Tri::Unknown,
    };
    match value {
        Value::List(items) => Tri::any(items.iter().map(one)),
        other => one(other),
    }
}

impl Statement {
    /// Whether the statement's effect is `Allow`.
    pub fn is_allow(&self) -> Tri {
        match &self.effect {
            Value::String(s) => Tri::from(s.eq_ignore_ascii_case("allow")),
            Value::Unknown(_) => Tri::Unknown,
            _ => Tri::False,
        }
    }

    /// Whether `Action` covers `action`, or `NotAction` is set and does not exclude it.
    pub fn covers_action(&self, action: &str) -> Tri {
        if !self.not_actions.is_null() {
            return any_element(&self.not_actions, |p| action_matches(p, action)).not();
        }
        any_element(&self.actions, |p| action_matches(p, action))
    }

    /// Whether the statement allows `action` (resources, principals and conditions aside).
    pub fn allows_action(&self, action: &str) -> Tri {
        self.is_allow().and(self.covers_action(action))
    }

    /// Whether the statement has a non-empty `Condition`.
    pub fn has_conditions(&self) -> Tri {
        match &self.conditions {
            Value::Null => Tri::False,
            Value::Object(map) => Tri::from(!map.is_empty()),
            Value::List(items) => Tri::from(!items.is_empty()),
            _ => Tri::Unknown,
        }
    }
}

#[cfg(test)]
mod action_tests {
    use super::*;

    #[test]
    fn action_patterns_match_case_insensitively_with_wildcards() {
        assert!(action_matches("*", "s3:ListAllMyBuckets"));
        assert!(action_matches("s3:*", "s3:ListAllMyBuckets"));
        assert!(action_matches("S3:list*", "s3:ListAllMyBuckets"));
        assert!(action_matches("s3:ListAll?yBuckets", "s3:ListAllMyBuckets"));
        assert!(action_matches("sts:AssumeRole", "sts:assumerole"));
        assert!(!action_matches("s3:ListBucket", "s3:ListAllMyBuckets"));
        assert!(!action_matches("s3:Get*", "s3:ListAllMyBuckets"));
        assert!(!action_matches("sts:AssumeRoleWith*", "sts:AssumeRole"));
    }

    #[test]
    fn not_action_and_unknown_elements() {
        let st = |actions: Value, not_actions: Value| Statement {
            label: "s".into(),
            sid: None,
            effect: Value::from("Allow"),
            actions,
            not_actions,
            resources: Value::from("*"),
            not_resources: Value::Null,
            principals: Value::Null,
            not_principals: Value::Null,
            conditions: Value::Null,
        };
        let list = |xs: &[&str]| Value::List(xs.iter().map(|x| Value::from(*x)).collect());
        let named = |not: &[&str]| st(Value::Null, list(not)).allows_action("s3:ListAllMyBuckets");
        assert_eq!(named(&["iam:*"]), Tri::True);
        assert_eq!(named(&["s3:*"]), Tri::False);
        let partly = Value::List(vec![Value::from("ec2:*"), Value::unknown("x")]);
        let got = st(partly, Value::Null).allows_action("s3:ListAllMyBuckets");
        assert_eq!(got, Tri::Unknown);
    }
}
