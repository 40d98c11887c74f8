//! The resource graph: every resource of a scan, indexed by id and type, with references between
//! resources as edges.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::resource::Resource;

/// A reference from an attribute of one resource to another resource, as a loader found it.
/// `to` is the target's id; an id without an instance key (`aws_security_group.web`) also
/// matches every instance of it (`aws_security_group.web[0]`, `…["a"]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    pub from: String,
    /// Dotted attribute path in `from` (`security_group_id`, `ingress.0.security_groups.1`).
    pub path: String,
    pub to: String,
}

/// An edge between two resources of the graph (indexes into [`ResourceGraph::resources`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'g> {
    pub from: usize,
    pub to: usize,
    pub path: &'g str,
}

#[derive(Debug, Default, Clone)]
pub struct ResourceGraph {
    resources: Vec<Resource>,
    by_id: HashMap<String, usize>,
    by_type: HashMap<String, Vec<usize>>,
    /// (from, to, path) sorted by from.
    out_edges: Vec<(usize, usize, String)>,
    /// indexes into out_edges, grouped by `to`.
    in_edges: HashMap<usize, Vec<usize>>,
    out_start: Vec<usize>,
}

impl ResourceGraph {
    /// Builds the graph. Resources with a duplicate id keep the first; references whose ends are
    /// not in the graph are dropped (their values stay as the loader left them).
    pub fn new(resources: Vec<Resource>, references: &[Reference]) -> Self {
        let mut kept = Vec::with_capacity(resources.len());
        let mut by_id = HashMap::with_capacity(resources.len());
        for r in resources {
            if by_id.contains_key(&r.id) {
                continue;
            }
            by_id.insert(r.id.clone(), kept.len());
            kept.push(r);
        }
        let mut by_type: HashMap<String, Vec<usize>> = HashMap::new();
        // instance prefix index: `aws_x.y` -> all `aws_x.y[...]`
        let mut by_base: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in kept.iter().enumerate() {
            by_type.entry(r.resource_type.clone()).or_default().push(i);
            if let Some(base) = instance_base(&r.id) {
                by_base.entry(base).or_default().push(i);
            }
        }
        let mut out_edges = Vec::new();
        for reference in references {
            let Some(&from) = by_id.get(&reference.from) else {
                continue;
            };
            let targets: Vec<usize> = match by_id.get(&reference.to) {
                Some(&t) => vec![t],
                None => by_base.get(reference.to.as_str()).cloned().unwrap_or_default(),
            };
            for to in targets {
                if to != from {
                    out_edges.push((from, to, reference.path.clone()));
                }
            }
        }
        out_edges.sort();
        out_edges.dedup();
        let mut out_start = vec![0; kept.len() + 1];
        for (from, _, _) in &out_edges {
            out_start[from + 1] += 1;
        }
        for i in 0..kept.len() {
            out_start[i + 1] += out_start[i];
        }
        let mut in_edges: HashMap<usize, Vec<usize>> = HashMap::new();
        for (k, (_, to, _)) in out_edges.iter().enumerate() {
            in_edges.entry(*to).or_default().push(k);
        }
        ResourceGraph {
            resources: kept,
            by_id,
            by_type,
            out_edges,
            in_edges,
            out_start,
        }
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn get(&self, index: usize) -> &Resource {
        &self.resources[index]
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn by_id(&self, id: &str) -> Option<&Resource> {
        self.index_of(id).map(|i| &self.resources[i])
    }

    /// Indexes of the resources of one type, in load order.
    pub fn of_type(&self, resource_type: &str) -> &[usize] {
        self.by_type.get(resource_type).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Indexes of the resources of any of these types, in load order.
    pub fn of_types(&self, types: &[&str]) -> Vec<usize> {
        let mut out: Vec<usize> = types
            .iter()
            .flat_map(|t| self.of_type(t).iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every distinct resource type in the graph.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.by_type.keys().map(String::as_str)
    }

    /// Edges out of a resource (what its attributes reference).
    pub fn edges_from(&self, from: usize) -> impl Iterator<Item = Edge<'_>> {
        self.out_edges[self.out_start[from]..self.out_start[from + 1]]
            .iter()
            .map(|(f, t, p)| Edge {
                from: *f,
                to: *t,
                path: p,
            })
    }

    /// Edges into a resource (who references it).
    pub fn edges_to(&self, to: usize) -> impl Iterator<Item = Edge<'_>> {
        self.in_edges
            .get(&to)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&k| {
                let (f, t, p) = &self.out_edges[k];
                Edge {
                    from: *f,
                    to: *t,
                    path: p,
                }
            })
    }

    /// Resources referenced from the attribute `path` of `from` (the attribute itself or anything
    /// nested under it: `security_groups` matches `security_groups.0`).
    pub fn referenced_by_attr(&self, from: usize, path: &str) -> Vec<usize> {
        self.edges_from(from)
            .filter(|e| path_within(e.path, path))
            .map(|e| e.to)
            .collect()
    }

    /// Resources of `resource_type` that reference `to` from the attribute `path` (or under it).
    pub fn referrers(&self, to: usize, resource_type: &str, path: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .edges_to(to)
            .filter(|e| self.resources[e.from].resource_type == resource_type && path_within(e.path, path))
            .map(|e| e.from)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every edge, for serialization and tests.
    pub fn edges(&self) -> impl Iterator<Item = Edge<'_>> {
        self.out_edges.iter().map(|(f, t, p)| Edge {
            from: *f,
            to: *t,
            path: p,
        })
    }

    /// The references of the graph, by id (sorted), as loaders would give them.
    pub fn references(&self) -> Vec<Reference> {
        self.edges()
            .map(|e| Reference {
                from: self.resources[e.from].id.clone(),
                path: e.path.to_string(),
                to: self.resources[e.to].id.clone(),
            })
            .collect()
    }
}

/// `aws_x.y[0]` -> `aws_x.y`; `module.m["a"].aws_x.y["k"]` -> `module.m["a"].aws_x.y`.
fn instance_base(id: &str) -> Option<&str> {
    if !id.ends_with(']') {
        return None;
    }
    let open = id.rfind('[')?;
    Some(&id[..open])
}

/// True when `edge_path` is `path` or nested under it.
fn path_within(edge_path: &str, path: &str) -> bool {
    path.is_empty()
        || edge_path == path
        || (edge_path.len() > path.len()
            && edge_path.starts_with(path)
            && edge_path.as_bytes()[path.len()] == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{InputKind, Provenance};
    use crate::value::Value;

    fn res(id: &str, ty: &str) -> Resource {
        Resource::new(
            id,
            ty,
            Value::Object(Default::default()),
            Provenance::new(InputKind::TfHcl),
        )
    }

    #[test]
    fn edges_resolve_ids_and_instance_bases() {
        let g = ResourceGraph::new(
            vec![
                res("aws_security_group.web[0]", "aws_security_group"),
                res("aws_security_group.web[1]", "aws_security_group"),
                res("aws_lb.front", "aws_lb"),
                res("aws_security_group_rule.r", "aws_security_group_rule"),
            ],
            &[
                Reference {
                    from: "aws_lb.front".into(),
                    path: "security_groups.0".into(),
                    to: "aws_security_group.web".into(),
                },
                Reference {
                    from: "aws_security_group_rule.r".into(),
                    path: "security_group_id".into(),
                    to: "aws_security_group.web[1]".into(),
                },
                Reference {
                    from: "aws_lb.front".into(),
                    path: "subnets".into(),
                    to: "aws_subnet.missing".into(),
                },
            ],
        );
        assert_eq!(g.referenced_by_attr(2, "security_groups"), vec![0, 1]);
        assert_eq!(
            g.referrers(1, "aws_security_group_rule", "security_group_id"),
            vec![3]
        );
        assert_eq!(
            g.referrers(0, "aws_security_group_rule", "security_group_id"),
            Vec::<usize>::new()
        );
        assert_eq!(g.referrers(0, "aws_lb", "security_groups"), vec![2]);
        assert_eq!(g.of_type("aws_security_group"), &[0, 1]);
        assert_eq!(g.edges().count(), 3);
    }
}
