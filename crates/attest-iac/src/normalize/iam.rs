//! IAM inline policies and policy attachments joined to roles, users and groups.

use attest_core::Value;

use super::{block, Change, Entry, Index, Join};

/// Attributes of a principal that a concrete `role` / `user` / `group` value may equal.
const PRINCIPAL_NAMES: &[&str] = &["name", "id", "arn"];

pub(super) fn plan(index: &Index, child: usize, joins: &mut Vec<Join>) {
    let c = index.get(child);
    match c.resource_type.as_str() {
        "aws_iam_role_policy" => inline(index, child, "role", "aws_iam_role", joins),
        "aws_iam_user_policy" => inline(index, child, "user", "aws_iam_user", joins),
        "aws_iam_group_policy" => inline(index, child, "group", "aws_iam_group", joins),
        "aws_iam_role_policy_attachment" => attached(index, child, "role", "aws_iam_role", joins),
        "aws_iam_user_policy_attachment" => attached(index, child, "user", "aws_iam_user", joins),
        "aws_iam_group_policy_attachment" => attached(index, child, "group", "aws_iam_group", joins),
        "aws_iam_policy_attachment" => {
            for (list, parent_type) in [
                ("roles", "aws_iam_role"),
                ("users", "aws_iam_user"),
                ("groups", "aws_iam_group"),
            ] {
                let count = c.attr(list).as_list().map_or(0, <[Value]>::len);
                for k in 0..count {
                    attached(index, child, &format!("{list}.{k}"), parent_type, joins);
                }
            }
        }
        _ => {}
    }
}

/// `aws_iam_*_policy` → an `inline_policy` entry `{name, policy}` of the principal.
fn inline(index: &Index, child: usize, link: &str, parent_type: &str, joins: &mut Vec<Join>) {
    let Some(parent) = index.parent(child, link, parent_type, PRINCIPAL_NAMES) else {
        return;
    };
    let c = index.get(child);
    let value = block(
        &c.id,
        vec![
            ("name", c.attr("name").clone()),
            ("policy", c.attr("policy").clone()),
        ],
    );
    joins.push(Join {
        parent,
        child: c.id.clone(),
        attr: "inline_policy",
        change: Change::Append {
            entries: vec![Entry {
                value,
                edges: index.moved_edges(child, &[("policy", "policy")]),
            }],
            same: same_name,
        },
    });
}

/// A policy attachment → an element `policy_arn` of the principal's `managed_policy_arns`.
fn attached(index: &Index, child: usize, link: &str, parent_type: &str, joins: &mut Vec<Join>) {
    let Some(parent) = index.parent(child, link, parent_type, PRINCIPAL_NAMES) else {
        return;
    };
    let c = index.get(child);
    joins.push(Join {
        parent,
        child: c.id.clone(),
        attr: "managed_policy_arns",
        change: Change::Append {
            entries: vec![Entry {
                value: c.attr("policy_arn").clone(),
                edges: index.moved_edges(child, &[("policy_arn", "")]),
            }],
            same: same_string,
        },
    });
}

/// Two inline policies with the same known name are the same policy.
fn same_name(a: &Value, b: &Value) -> bool {
    matches!((a.get("name"), b.get("name")), (Value::String(x), Value::String(y)) if x == y)
}

fn same_string(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::String(x), Value::String(y)) if x == y)
}
