//! Normalization after loading: split resources of the AWS provider (v4 and later) joined to the
//! resource they configure, so that rules see one effective configuration however it is written.
//!
//! Since version 4 of the AWS provider, much of what used to be an argument of `aws_s3_bucket`,
//! `aws_security_group` or the IAM principals is written as a resource of its own
//! (`aws_s3_bucket_versioning`, `aws_security_group_rule`, `aws_iam_role_policy`…). After every
//! input is loaded, [`join_split_resources`] finds the parent of each such child and adds to the
//! parent's attributes what the child configures, in the provider's **inline (v3) shape**:
//!
//! | child | parent attribute |
//! |---|---|
//! | `aws_s3_bucket_server_side_encryption_configuration` | `server_side_encryption_configuration = [{rule = [...]}]` |
//! | `aws_s3_bucket_public_access_block` | `public_access_block = [{block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets}]` (an attest name: the provider has no inline form) |
//! | `aws_s3_bucket_versioning` | `versioning = [{enabled, mfa_delete}]` |
//! | `aws_s3_bucket_logging` | `logging = [{target_bucket, target_prefix}]` |
//! | `aws_s3_bucket_acl` | `acl`, `grant = [{type, id, uri, permissions}]` |
//! | `aws_s3_bucket_policy` | `policy` |
//! | `aws_s3_bucket_lifecycle_configuration` | `lifecycle_rule = [...]` |
//! | `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, `…_egress_rule` | entries of `ingress` / `egress` |
//! | `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy` | entries of `inline_policy = [{name, policy}]` |
//! | `aws_iam_*_policy_attachment`, `aws_iam_policy_attachment` | elements of `managed_policy_arns` |
//!
//! How a child finds its parent: by a reference edge from its linking attribute (`bucket`,
//! `security_group_id`, `role`/`user`/`group`, `roles`/`users`/`groups`) to exactly one managed
//! resource of the parent type loaded from the same kind of input; else by a concrete value of
//! that attribute equal to the parent's physical id or its `id`, `arn`, `bucket` or `name`
//! (state files, where references are values). A link that is unknown with no edge, or that
//! names no parent or several, is not joined: nothing is guessed.
//!
//! What the join adds to a parent:
//! - every joined block carries `"_source": "<child id>"`, and `_sources` maps each joined
//!   attribute to the ids of the children that set it (for scalars like `acl` or
//!   `managed_policy_arns` elements, which cannot carry `_source`);
//! - an edge parent → child at the joined path (`versioning.0`, `ingress.3`, `policy`), and the
//!   child's own edges under the mapped attributes, moved to where the value now sits
//!   (`logging.0.target_bucket`, `ingress.3.security_groups.0`, `managed_policy_arns.1`);
//! - when the parent sets the same thing itself, both stay visible. List-like attributes
//!   (`ingress`, `egress`, `inline_policy`, `managed_policy_arns`) take the union, as AWS applies
//!   both; an entry equal to a joined one (a state file lists the rules of separate resources in
//!   the group too) is replaced by the joined one. For single-valued attributes the split
//!   resource wins the effective value, as it does when Terraform applies conflicting
//!   configuration, and the parent's own value is kept under `_replaced.<attribute>`;
//! - a list attribute that is unknown on the parent (a computed attribute in a plan) keeps one
//!   unknown element in front of the joined entries: what else it holds is not known.
//!
//! Children stay in the output as resources of their own; the parent's provenance is unchanged.

mod iam;
mod s3;
mod sg;

use std::collections::{BTreeMap, HashMap, HashSet};

use attest_core::{InputKind, LoadOutput, Mode, Reference, Resource, Value};

/// Name of the key that says which child a joined block came from.
pub const SOURCE_KEY: &str = "_source";
/// Name of the parent attribute that maps joined attributes to the children that set them.
pub const SOURCES_ATTR: &str = "_sources";
/// Name of the parent attribute that keeps the parent's own values a split resource replaced.
pub const REPLACED_ATTR: &str = "_replaced";

/// Joins the split resources of `out` to their parents (see the module documentation). Run after
/// every input is loaded.
pub fn join_split_resources(out: &mut LoadOutput) {
    let joins = {
        let index = Index::new(&out.resources, &out.references);
        let mut joins = Vec::new();
        for child in 0..out.resources.len() {
            if !index.is_first(child) || out.resources[child].mode != Mode::Managed {
                continue;
            }
            s3::plan(&index, child, &mut joins);
            sg::plan(&index, child, &mut joins);
            iam::plan(&index, child, &mut joins);
        }
        joins
    };
    // Edges already present, so a join adds each edge once without scanning the list.
    let mut known: HashSet<Reference> = out.references.iter().cloned().collect();
    for join in joins {
        apply(out, join, &mut known);
    }
}

/// A look-up over the loaded resources, valid while planning the joins.
pub(crate) struct Index<'a> {
    resources: &'a [Resource],
    by_id: HashMap<(InputKind, &'a str), usize>,
    by_base: HashMap<(InputKind, &'a str), Vec<usize>>,
    /// Managed resources by kind and type, in load order.
    by_type: HashMap<(InputKind, &'a str), Vec<usize>>,
    /// Edges by `from` id: (path, to).
    edges: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
}

impl<'a> Index<'a> {
    fn new(resources: &'a [Resource], references: &'a [Reference]) -> Self {
        let mut by_id = HashMap::new();
        let mut by_base: HashMap<(InputKind, &str), Vec<usize>> = HashMap::new();
        let mut by_type: HashMap<(InputKind, &str), Vec<usize>> = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            let kind = r.provenance.input;
            if by_id.contains_key(&(kind, r.id.as_str())) {
                continue;
            }
            by_id.insert((kind, r.id.as_str()), i);
            if let Some(base) = instance_base(&r.id) {
                by_base.entry((kind, base)).or_default().push(i);
            }
            if r.mode == Mode::Managed {
                by_type
                    .entry((kind, r.resource_type.as_str()))
                    .or_default()
                    .push(i);
            }
        }
        let mut edges: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for reference in references {
            edges
                .entry(reference.from.as_str())
                .or_default()
                .push((reference.path.as_str(), reference.to.as_str()));
        }
        Index {
            resources,
            by_id,
            by_base,
            by_type,
            edges,
        }
    }

    pub(crate) fn get(&self, i: usize) -> &'a Resource {
        &self.resources[i]
    }

    /// False for a later resource with the id of an earlier one from the same kind of input
    /// (the graph keeps the first).
    fn is_first(&self, i: usize) -> bool {
        let r = &self.resources[i];
        self.by_id.get(&(r.provenance.input, r.id.as_str())) == Some(&i)
    }

    /// The resources a reference target names, among those of the same kind of input.
    fn targets(&self, kind: InputKind, to: &str) -> Vec<usize> {
        match self.by_id.get(&(kind, to)) {
            Some(&t) => vec![t],
            None => self.by_base.get(&(kind, to)).cloned().unwrap_or_default(),
        }
    }

    /// Edges of `child` whose path is `path` or under it: (path, to).
    fn edges_under(&self, child: usize, path: &str) -> Vec<(&'a str, &'a str)> {
        self.edges
            .get(self.resources[child].id.as_str())
            .map(|edges| {
                edges
                    .iter()
                    .copied()
                    .filter(|(p, _)| path_within(p, path))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The one managed resource of `parent_type` that the attribute `link` of `child` names: by
    /// reference edge, else by a concrete value equal to the parent's physical id or one of
    /// `value_attrs`. `None` when it names none, several, or cannot tell.
    pub(crate) fn parent(
        &self,
        child: usize,
        link: &str,
        parent_type: &str,
        value_attrs: &[&str],
    ) -> Option<usize> {
        let kind = self.resources[child].provenance.input;
        let mut found: Vec<usize> = self
            .edges_under(child, link)
            .into_iter()
            .flat_map(|(_, to)| self.targets(kind, to))
            .filter(|&t| {
                t != child
                    && self.resources[t].resource_type == parent_type
                    && self.resources[t].mode == Mode::Managed
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        match found.len() {
            1 => return found.first().copied(),
            0 => {}
            _ => return None,
        }
        let Value::String(value) = self.resources[child].attr(link) else {
            return None;
        };
        if value.is_empty() {
            return None;
        }
        let candidates: Vec<usize> = self
            .by_type
            .get(&(kind, parent_type))
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|&t| t != child && names(&self.resources[t], value, value_attrs))
            .collect();
        match candidates.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The edges of `child` under each `(child_path, parent_rel)` pair, moved to `parent_rel`
    /// (followed by the rest of the edge's path): (relative path in the parent, to).
    pub(crate) fn moved_edges(&self, child: usize, moves: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (from_path, to_rel) in moves {
            for (path, to) in self.edges_under(child, from_path) {
                let rest = &path[from_path.len()..];
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                out.push((join_path(&[to_rel, rest]), to.to_string()));
            }
        }
        out
    }
}

/// True when `value` is the physical id of `r` or one of its `attrs`.
fn names(r: &Resource, value: &str, attrs: &[&str]) -> bool {
    r.physical_id.as_deref() == Some(value) || attrs.iter().any(|a| r.attr(a).as_str() == Some(value))
}

/// What one child contributes to one parent.
pub(crate) struct Join {
    pub parent: usize,
    pub child: String,
    pub attr: &'static str,
    pub change: Change,
}

pub(crate) enum Change {
    /// The attribute takes this value (the split resource wins). `cite` is the path, relative
    /// to the attribute, of the edge parent → child (`0` for a block, empty for a scalar).
    Set {
        value: Value,
        cite: &'static str,
        edges: Vec<(String, String)>,
    },
    /// Entries added to a list attribute; an existing entry that `same` says is equal to a new
    /// one is replaced by it.
    Append {
        entries: Vec<Entry>,
        same: fn(&Value, &Value) -> bool,
    },
}

/// One element added to a list attribute, with its edges relative to the element.
pub(crate) struct Entry {
    pub value: Value,
    pub edges: Vec<(String, String)>,
}

fn apply(out: &mut LoadOutput, join: Join, known: &mut HashSet<Reference>) {
    let Some(parent) = out.resources.get_mut(join.parent) else {
        return;
    };
    let Value::Object(attrs) = &mut parent.attributes else {
        return;
    };
    let parent_id = parent.id.clone();
    let mut edges: Vec<(String, String)> = Vec::new();
    match join.change {
        Change::Set {
            value,
            cite,
            edges: moved,
        } => {
            let old = attrs.insert(join.attr.to_string(), value.clone());
            if let Some(old) =
                old.filter(|old| is_set(old) && without_sources(old) != without_sources(&value))
            {
                if let Value::Object(replaced) = attrs
                    .entry(REPLACED_ATTR.to_string())
                    .or_insert_with(|| Value::Object(BTreeMap::new()))
                {
                    replaced.entry(join.attr.to_string()).or_insert(old);
                }
            }
            edges.push((join_path(&[join.attr, cite]), join.child.clone()));
            for (rel, to) in moved {
                edges.push((join_path(&[join.attr, &rel]), to));
            }
        }
        Change::Append { entries, same } => {
            let list = attrs.entry(join.attr.to_string()).or_insert(Value::Null);
            let mut items = match std::mem::take(list) {
                Value::Null => Vec::new(),
                Value::List(items) => items,
                other => vec![other],
            };
            for entry in entries {
                // Entries joined before are never replaced: two children are two rules.
                let at = match items
                    .iter()
                    .position(|e| e.get(SOURCE_KEY).is_null() && same(e, &entry.value))
                {
                    Some(at) => {
                        items[at] = entry.value;
                        at
                    }
                    None => {
                        items.push(entry.value);
                        items.len() - 1
                    }
                };
                let base = format!("{}.{at}", join.attr);
                edges.push((base.clone(), join.child.clone()));
                for (rel, to) in entry.edges {
                    edges.push((join_path(&[&base, &rel]), to));
                }
            }
            *list = Value::List(items);
        }
    }
    if let Value::Object(sources) = attrs
        .entry(SOURCES_ATTR.to_string())
        .or_insert_with(|| Value::Object(BTreeMap::new()))
    {
        let ids = sources
            .entry(join.attr.to_string())
            .or_insert_with(|| Value::List(Vec::new()));
        if let Value::List(ids) = ids {
            let id = Value::String(join.child.clone());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    for (path, to) in edges {
        let reference = Reference {
            from: parent_id.clone(),
            path,
            to,
        };
        if known.insert(reference.clone()) {
            out.references.push(reference);
        }
    }
}

/// A value the parent really sets: not null, not an empty list, not unknown.
fn is_set(v: &Value) -> bool {
    match v {
        Value::Null | Value::Unknown(_) => false,
        Value::List(items) => !items.is_empty(),
        _ => true,
    }
}

/// The value without `_source` keys, to compare a parent's own value with a joined one.
fn without_sources(v: &Value) -> Value {
    match v {
        Value::List(items) => Value::List(items.iter().map(without_sources).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != SOURCE_KEY)
                .map(|(k, v)| (k.clone(), without_sources(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An object of the pairs whose value is not null, with `_source` set to `child`.
pub(crate) fn block(child: &str, pairs: Vec<(&str, Value)>) -> Value {
    let mut map: BTreeMap<String, Value> = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    map.insert(SOURCE_KEY.to_string(), Value::String(child.to_string()));
    Value::Object(map)
}

/// `"Enabled"` as a boolean; unknown stays unknown, absent stays absent.
pub(crate) fn enabled(status: &Value) -> Value {
    match status {
        Value::String(s) => Value::Bool(s == "Enabled"),
        Value::Unknown(_) => status.clone(),
        _ => Value::Null,
    }
}

/// The first block of a nested block attribute: `Ok(None)` when there is none, `Err` with the
/// unknown value when the blocks are not known.
pub(crate) fn first_block(v: &Value) -> Result<Option<&Value>, Value> {
    match v.blocks() {
        Some(blocks) => Ok(blocks.into_iter().next()),
        None => Err(v.clone()),
    }
}

/// A single value as a list of one (absent stays absent).
pub(crate) fn one(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        other => Value::List(vec![other.clone()]),
    }
}

/// True when two values are equal, taking null, `""`, `false` and empty lists as equal, and
/// ignoring `_source`.
pub(crate) fn loosely_equal(a: &Value, b: &Value) -> bool {
    fn blank(v: &Value) -> bool {
        match v {
            Value::Null => true,
            Value::Bool(b) => !b,
            Value::String(s) => s.is_empty(),
            Value::List(items) => items.is_empty(),
            _ => false,
        }
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .keys()
            .chain(y.keys())
            .filter(|k| k.as_str() != SOURCE_KEY)
            .all(|k| loosely_equal(a.get(k), b.get(k))),
        (Value::List(x), Value::List(y)) if x.len() == y.len() => {
            x.iter().zip(y).all(|(p, q)| loosely_equal(p, q))
        }
        (Value::Number(_), _) | (_, Value::Number(_)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => blank(a) && blank(b),
        },
        _ => a == b || (blank(a) && blank(b)),
    }
}

/// `aws_x.y[0]` -> `aws_x.y`.
fn instance_base(id: &str) -> Option<&str> {
    if !id.ends_with(']') {
        return None;
    }
    id.rfind('[').map(|open| &id[..open])
}

/// True when `edge_path` is `path` or nested under it.
fn path_within(edge_path: &str, path: &str) -> bool {
    edge_path == path
        || (edge_path.len() > path.len()
            && edge_path.starts_with(path)
            && edge_path.as_bytes().get(path.len()) == Some(&b'.'))
}

/// Dotted path of the non-empty segments.
fn join_path(segments: &[&str]) -> String {
    segments
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(".")
}
