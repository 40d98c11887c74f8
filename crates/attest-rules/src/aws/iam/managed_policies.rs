//! Which managed policies a principal or an attachment names: an AWS managed policy by its ARN
//! (`arn:aws:iam::aws:policy/AWSSupportAccess`), a customer managed `aws_iam_policy` of the
//! graph, a `data.aws_iam_policy` look-up, or an ARN outside the scanned configuration.
//!
//! Principals (`aws_iam_role`, `aws_iam_user`, `aws_iam_group`) carry their attachments in
//! `managed_policy_arns` after loading (the split `aws_iam_*_policy_attachment` and
//! `aws_iam_policy_attachment` resources are joined there, with an edge from each element to the
//! policy it names); attachments carry one `policy_arn`.

use attest_core::{Mode, ResourceGraph, Value};

/// Principal types that can hold policies.
pub const PRINCIPALS: &[&str] = &["aws_iam_role", "aws_iam_user", "aws_iam_group"];

/// Attachment types, each with one `policy_arn`.
pub const ATTACHMENTS: &[&str] = &[
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
];

const CUSTOMER_POLICY: &str = "aws_iam_policy";

/// What one policy ARN value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyRef {
    /// An AWS managed policy, by name (`AWSSupportAccess`).
    Aws(String),
    /// A customer managed `aws_iam_policy` declared in the graph.
    Customer(usize),
    /// An ARN (or name) that names no policy of the scanned configuration.
    Outside(String),
    /// Not known before apply, and no reference says what it is.
    Unknown,
}

impl PolicyRef {
    /// Whether this is the AWS managed policy `name`.
    pub fn is_aws(&self, name: &str) -> bool {
        matches!(self, PolicyRef::Aws(n) if n == name)
    }

    /// How messages name it.
    pub fn describe(&self, graph: &ResourceGraph) -> String {
        match self {
            PolicyRef::Aws(name) => format!("the AWS managed policy {name}"),
            PolicyRef::Customer(i) => graph.get(*i).id.clone(),
            PolicyRef::Outside(arn) => format!("{arn:?}"),
            PolicyRef::Unknown => "a policy not known before apply".to_string(),
        }
    }
}

/// The policy name of an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/<path/>Name`).
pub fn aws_managed_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::aws:policy/")?;
    rest.rsplit('/').next().filter(|n| !n.is_empty())
}

/// What the value at `path` of `from` names (a single policy ARN).
pub fn policy_ref_at(graph: &ResourceGraph, from: usize, path: &str) -> PolicyRef {
    let value = graph.get(from).attr(path);
    if let Value::String(s) = value {
        return by_value(graph, s);
    }
    let targets = graph.referenced_by_attr(from, path);
    for &t in &targets {
        let r = graph.get(t);
        if r.resource_type != CUSTOMER_POLICY {
            continue;
        }
        if r.mode == Mode::Managed {
            return PolicyRef::Customer(t);
        }
        // `data "aws_iam_policy"`: its `arn`, else the `name` it looks up.
        if let Some(arn) = r.attr("arn").as_str() {
            return by_value(graph, arn);
        }
        if let Some(name) = r.attr("name").as_str() {
            return PolicyRef::Aws(name.to_string());
        }
    }
    PolicyRef::Unknown
}

/// Every policy a principal's `managed_policy_arns` names. An unknown list is one unknown.
pub fn principal_policies(graph: &ResourceGraph, principal: usize) -> Vec<PolicyRef> {
    match graph.get(principal).attr("managed_policy_arns") {
        Value::List(items) => (0..items.len())
            .map(|k| policy_ref_at(graph, principal, &format!("managed_policy_arns.{k}")))
            .collect(),
        Value::Null => Vec::new(),
        _ => vec![policy_ref_at(graph, principal, "managed_policy_arns")],
    }
}

fn by_value(graph: &ResourceGraph, s: &str) -> PolicyRef {
    if let Some(name) = aws_managed_name(s) {
        return PolicyRef::Aws(name.to_string());
    }
    let declared = graph.of_type(CUSTOMER_POLICY).iter().copied().find(|&t| {
        let r = graph.get(t);
        r.mode == Mode::Managed && (r.physical_id.as_deref() == Some(s) || r.attr("arn").as_str() == Some(s))
    });
    match declared {
        Some(t) => PolicyRef::Customer(t),
        None => PolicyRef::Outside(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown};

    #[test]
    fn aws_managed_names_in_every_partition() {
        assert_eq!(
            aws_managed_name("arn:aws:iam::aws:policy/AWSSupportAccess"),
            Some("AWSSupportAccess")
        );
        assert_eq!(
            aws_managed_name("arn:aws-us-gov:iam::aws:policy/service-role/AWSConfigRole"),
            Some("AWSConfigRole")
        );
        assert_eq!(aws_managed_name("arn:aws:iam::123456789012:policy/mine"), None);
    }

    #[test]
    fn resolves_values_edges_and_data_sources() {
        let g = graph(
            vec![
                res(
                    "aws_iam_role.r",
                    json!({"managed_policy_arns": [
                        "arn:aws:iam::aws:policy/ReadOnlyAccess",
                        unknown(),
                        unknown(),
                        "arn:aws:iam::123456789012:policy/elsewhere",
                        unknown()
                    ]}),
                ),
                res("aws_iam_policy.mine", json!({"policy": "{}"})),
                res("data.aws_iam_policy.support", json!({"name": "AWSSupportAccess"})),
            ],
            &[
                edge("aws_iam_role.r", "managed_policy_arns.1", "aws_iam_policy.mine"),
                edge(
                    "aws_iam_role.r",
                    "managed_policy_arns.2",
                    "data.aws_iam_policy.support",
                ),
            ],
        );
        assert_eq!(
            principal_policies(&g, 0),
            vec![
                PolicyRef::Aws("ReadOnlyAccess".into()),
                PolicyRef::Customer(1),
                PolicyRef::Aws("AWSSupportAccess".into()),
                PolicyRef::Outside("arn:aws:iam::123456789012:policy/elsewhere".into()),
                PolicyRef::Unknown,
            ]
        );
    }
}
