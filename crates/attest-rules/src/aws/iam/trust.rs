//! Reading a role's trust policy (`assume_role_policy`): which statements let principals assume
//! the role, and what they require.

use attest_core::{Evaluation, ResourceGraph, Tri, Value};

use crate::aws::iam::policy_document::{policy_of, Policy, Statement};

/// The attribute of `aws_iam_role` that holds the trust policy.
pub const TRUST_ATTR: &str = "assume_role_policy";

/// The action a trust policy grants to let principals assume the role.
pub const ASSUME_ROLE: &str = "sts:AssumeRole";

/// The trust policy of a role, or the `unknown` evaluation that says why it cannot be read.
pub fn trust_policy(graph: &ResourceGraph, role: usize) -> Result<Policy, Evaluation> {
    policy_of(graph, role, TRUST_ATTR).map_err(|why| Evaluation::unknown(role, why).at(TRUST_ATTR))
}

/// Judges each statement with `bad` (true: the statement breaks the rule) and returns the role's
/// evaluation: fail naming the first bad statement, unknown naming those that cannot be told,
/// else pass with `ok`.
pub fn judge_statements(
    role: usize,
    policy: &Policy,
    bad: impl Fn(&Statement) -> Tri,
    fail: impl Fn(&Statement) -> String,
    undetermined: &str,
    ok: &str,
) -> Evaluation {
    let verdicts: Vec<(Tri, &Statement)> = policy.statements.iter().map(|st| (bad(st), st)).collect();
    if let Some((_, st)) = verdicts.iter().find(|(t, _)| *t == Tri::True) {
        return Evaluation::fail(role, format!("{} in {} {}", st.label, policy.origin, fail(st)))
            .at(TRUST_ATTR);
    }
    let unknown: Vec<&str> = verdicts
        .iter()
        .filter(|(t, _)| *t == Tri::Unknown)
        .map(|(_, st)| st.label.as_str())
        .collect();
    if !unknown.is_empty() {
        return Evaluation::unknown(
            role,
            format!(
                "cannot tell whether {} in {} {undetermined}",
                unknown.join(", "),
                policy.origin
            ),
        )
        .at(TRUST_ATTR);
    }
    Evaluation::pass(role, format!("{} in {} {ok}", statements(policy), policy.origin))
}

fn statements(policy: &Policy) -> String {
    format!("none of the {} statement(s)", policy.statements.len())
}

/// The `AWS` identifiers of a principal (JSON shape): `"*"` alone is everyone. `None` when they
/// cannot be told.
pub fn aws_identifiers(principal: &Value) -> Option<Vec<String>> {
    match principal {
        Value::Null => Some(Vec::new()),
        Value::String(s) if s == "*" => Some(vec![s.clone()]),
        Value::String(_) => Some(Vec::new()),
        Value::Object(map) => match map.get("AWS") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(ids) => ids
                .string_list()
                .map(|ids| ids.into_iter().map(str::to_string).collect()),
        },
        _ => None,
    }
}

/// The account an AWS principal identifier names: a 12-digit id, or the account field of an ARN
/// (`arn:aws:iam::123456789012:root`). `*` names every account.
pub fn account_of(identifier: &str) -> Option<&str> {
    let id = identifier.trim();
    if id == "*" {
        return Some("*");
    }
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(id);
    }
    let mut parts = id.splitn(6, ':');
    let (Some("arn"), Some(_), Some(_), Some(_), Some(account)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    Some(account).filter(|a| !a.is_empty())
}
