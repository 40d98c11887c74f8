//! Graph look-ups shared by the rules: which resources a rule judges, and what an attribute that
//! names another resource points at.
//!
//! Cross-resource look-ups use reference edges first (HCL and plan inputs, where the value is
//! often unknown until apply) and fall back to comparing concrete values (state files and live
//! inputs, where the value is an id, name or ARN).

use attest_core::{Mode, Resource, ResourceGraph, Tri, Value};

/// Managed resources of any of `types`, in load order. Data sources are read, not declared, so
/// they are never the subject of a rule.
pub fn managed(graph: &ResourceGraph, types: &[&str]) -> Vec<usize> {
    graph
        .of_types(types)
        .into_iter()
        .filter(|&i| graph.get(i).mode == Mode::Managed)
        .collect()
}

/// True when `value` names `resource`: its physical id, or one of the attributes `attrs`
/// (`id`, `arn`, `name`…) when they are known.
pub fn names_resource(resource: &Resource, value: &str, attrs: &[&str]) -> bool {
    if value.is_empty() {
        return false;
    }
    resource.physical_id.as_deref() == Some(value)
        || attrs.iter().any(|a| resource.attr(a).as_str() == Some(value))
}

/// What an attribute that holds one reference to another resource points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Resources of the wanted types, found by reference edge or by a matching concrete value.
    Resources(Vec<usize>),
    /// A concrete value that names no resource of the wanted types in the graph.
    Literal(String),
    /// The value is unknown and no reference edge says where it points.
    Unknown,
    /// The attribute is not set.
    Absent,
}

/// Resolves the attribute `path` of resource `from` to resources of `types`: reference edges
/// first, then resources that `matches` the concrete string value.
pub fn resolve(
    graph: &ResourceGraph,
    from: usize,
    path: &str,
    types: &[&str],
    matches: impl Fn(&Resource, &str) -> bool,
) -> Link {
    resolve_by(graph, from, path, types, |s| {
        graph
            .of_types(types)
            .into_iter()
            .filter(|&t| matches(graph.get(t), s))
            .collect()
    })
}

/// [`resolve`] where the resources of `types` that a concrete value names come from `lookup`
/// (an index built once per rule) instead of a comparison with every resource of `types`.
pub fn resolve_by(
    graph: &ResourceGraph,
    from: usize,
    path: &str,
    types: &[&str],
    lookup: impl Fn(&str) -> Vec<usize>,
) -> Link {
    let mut found: Vec<usize> = graph
        .referenced_by_attr(from, path)
        .into_iter()
        .filter(|&t| types.contains(&graph.get(t).resource_type.as_str()))
        .collect();
    found.sort_unstable();
    found.dedup();
    if !found.is_empty() {
        return Link::Resources(found);
    }
    match graph.get(from).attr(path) {
        Value::String(s) => {
            let mut by_value: Vec<usize> = lookup(s);
            by_value.retain(|&t| t != from);
            by_value.sort_unstable();
            by_value.dedup();
            if by_value.is_empty() {
                Link::Literal(s.clone())
            } else {
                Link::Resources(by_value)
            }
        }
        Value::Null => Link::Absent,
        Value::Unknown(_) => Link::Unknown,
        // A number or a structure where a name is expected names nothing we can look up.
        other => {
            if other.contains_unknown() {
                Link::Unknown
            } else {
                Link::Literal(other.to_string())
            }
        }
    }
}

/// Whether the attribute `path` of `from` (a single reference or a list of them) refers to the
/// resource `to`: by an edge, or by a concrete element that `matches` it. Unknown when some
/// element is unknown and no edge leaves that attribute at all.
pub fn refers_to(
    graph: &ResourceGraph,
    from: usize,
    path: &str,
    to: usize,
    matches: impl Fn(&Resource, &str) -> bool,
) -> Tri {
    let edges = graph.referenced_by_attr(from, path);
    if edges.contains(&to) {
        return Tri::True;
    }
    let value = graph.get(from).attr(path);
    let target = graph.get(to);
    let items: Vec<&Value> = match value {
        Value::List(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    let mut unknown = false;
    for item in items {
        match item {
            Value::String(s) if matches(target, s) => return Tri::True,
            Value::Unknown(_) => unknown = true,
            _ => {}
        }
    }
    if unknown && edges.is_empty() {
        Tri::Unknown
    } else {
        Tri::False
    }
}

/// The ids of resources, for messages: `aws_lb.front, aws_elb.old`.
pub fn ids(graph: &ResourceGraph, indexes: &[usize]) -> String {
    indexes
        .iter()
        .map(|&i| graph.get(i).id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who refers to whom, computed once for a whole rule instead of once per pair: for resources
/// `froms` and their attribute `path`, the resources of `targets` they name. A pair is `True`
/// by a reference edge or by a concrete value equal to one of the target's `keys`, and
/// `Unknown` when the value has unknown elements and no edge — exactly [`refers_to`], where the
/// matcher is "equal to one of `keys`".
pub struct RefIndex {
    definite: std::collections::HashMap<usize, Vec<usize>>,
    /// Referrers with unknown elements and no edge, with the targets they certainly name.
    open: Vec<(usize, std::collections::BTreeSet<usize>)>,
}

impl RefIndex {
    pub fn build<'g>(
        graph: &'g ResourceGraph,
        froms: &[usize],
        path: &str,
        targets: &[usize],
        keys: impl Fn(&'g Resource) -> Vec<&'g str>,
    ) -> RefIndex {
        let wanted: std::collections::HashSet<usize> = targets.iter().copied().collect();
        let mut by_key: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for &t in targets {
            let r = graph.get(t);
            let mut names = keys(r);
            names.extend(r.physical_id.as_deref());
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                let list = by_key.entry(name).or_default();
                if !list.contains(&t) {
                    list.push(t);
                }
            }
        }
        let mut definite: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
        let mut open = Vec::new();
        for &f in froms {
            let edges = graph.referenced_by_attr(f, path);
            let mut named: std::collections::BTreeSet<usize> = edges
                .iter()
                .copied()
                .filter(|t| wanted.contains(t) && *t != f)
                .collect();
            let mut unknown = false;
            let value = graph.get(f).attr(path);
            let items: Vec<&Value> = match value {
                Value::List(items) => items.iter().collect(),
                Value::Null => Vec::new(),
                other => vec![other],
            };
            for item in items {
                match item {
                    Value::String(s) => {
                        named.extend(by_key.get(s.as_str()).into_iter().flatten().filter(|t| **t != f))
                    }
                    Value::Unknown(_) => unknown = true,
                    _ => {}
                }
            }
            for &t in &named {
                definite.entry(t).or_default().push(f);
            }
            if unknown && edges.is_empty() {
                open.push((f, named));
            }
        }
        RefIndex { definite, open }
    }

    /// The referrers of `to` with how surely they name it (`True` or `Unknown`), in `froms` order
    /// for the certain ones, then the uncertain ones.
    pub fn referrers(&self, to: usize) -> Vec<(usize, Tri)> {
        let mut out: Vec<(usize, Tri)> = self
            .definite
            .get(&to)
            .into_iter()
            .flatten()
            .map(|&f| (f, Tri::True))
            .collect();
        out.extend(
            self.open
                .iter()
                .filter(|(_, named)| !named.contains(&to))
                .map(|(f, _)| (*f, Tri::Unknown)),
        );
        out
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Small graphs built by hand for the rules' unit tests.

    use attest_core::{InputKind, Mode, Provenance, Reference, Resource, ResourceGraph, Value};

    /// A managed resource; the type is the address up to the first dot after any `data.` prefix.
    pub fn res(id: &str, attributes: serde_json::Value) -> Resource {
        let (mode, rest) = match id.strip_prefix("data.") {
            Some(rest) => (Mode::Data, rest),
            None => (Mode::Managed, id),
        };
        let ty = rest.split('.').next().unwrap_or(rest);
        let mut r = Resource::new(id, ty, Value::from(attributes), Provenance::new(InputKind::TfHcl));
        r.mode = mode;
        r
    }

    pub fn edge(from: &str, path: &str, to: &str) -> Reference {
        Reference {
            from: from.into(),
            path: path.into(),
            to: to.into(),
        }
    }

    pub fn graph(resources: Vec<Resource>, references: &[Reference]) -> ResourceGraph {
        ResourceGraph::new(resources, references)
    }

    /// `{id: verdict}` of a rule's evaluations, for compact assertions.
    pub fn verdicts(
        graph: &ResourceGraph,
        evals: &[attest_core::Evaluation],
    ) -> Vec<(String, attest_core::Verdict)> {
        evals
            .iter()
            .map(|e| {
                let id = e.resource.map(|i| graph.get(i).id.clone()).unwrap_or_default();
                (id, e.verdict)
            })
            .collect()
    }

    /// An unknown value as the loaders write it in JSON.
    pub fn unknown() -> serde_json::Value {
        serde_json::json!({"$unknown": "known after apply"})
    }
}
