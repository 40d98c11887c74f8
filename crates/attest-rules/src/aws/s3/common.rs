//! What the S3 rules share: the joined public access block, the account-level block, ACLs and
//! grants, and bucket policy statements that open the bucket to everyone.

use attest_core::{Evaluation, ResourceGraph, Tri, Value};

use crate::aws::iam::policy_document::{policy_of, principal_is_everyone, Policy, Statement};
use crate::aws::scope::account_settings;

pub const BUCKET: &str = "aws_s3_bucket";
pub const ACCOUNT_BLOCK: &str = "aws_s3_account_public_access_block";

/// The four settings of a public access block.
pub const BLOCK_FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

/// Canned ACLs that open a bucket beyond the account.
pub const PUBLIC_ACLS: [&str; 3] = ["public-read", "public-read-write", "authenticated-read"];

/// Grantee group URIs that mean everyone, or every AWS account.
const PUBLIC_GROUPS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// Whether one flag of a public access block (a bucket's joined `public_access_block`, or an
/// account-level block resource) is on. Flags default to false.
fn block_flag(block: &Value, flag: &str) -> Tri {
    block.path(flag).truthy(false)
}

/// Whether the bucket's own public access block has `flag` on.
pub fn bucket_flag(graph: &ResourceGraph, bucket: usize, flag: &str) -> Tri {
    match graph.get(bucket).attr("public_access_block").blocks() {
        None => Tri::Unknown,
        Some(blocks) => match blocks.first() {
            None => Tri::False,
            Some(block) => block_flag(block, flag),
        },
    }
}

/// Whether an account-level block that applies to the bucket has `flag` on: for a live bucket,
/// the block of its own account (unknown when that could not be read); for code, a block of the
/// scanned configuration.
pub fn account_flag(graph: &ResourceGraph, bucket: usize, flag: &str) -> Tri {
    let (blocks, unreadable) = account_settings(graph, bucket, &[ACCOUNT_BLOCK]);
    let known = Tri::any(
        blocks
            .into_iter()
            .map(|i| block_flag(&graph.get(i).attributes, flag)),
    );
    if unreadable.is_empty() {
        known
    } else {
        known.or(Tri::Unknown)
    }
}

/// Whether `flag` applies to the bucket, from its own block or an account-level one.
pub fn flag_applies(graph: &ResourceGraph, bucket: usize, flag: &str) -> Tri {
    bucket_flag(graph, bucket, flag).or(account_flag(graph, bucket, flag))
}

/// The account-level block resources that apply to the bucket and have all four flags on.
pub fn full_account_blocks(graph: &ResourceGraph, bucket: usize) -> Vec<usize> {
    account_settings(graph, bucket, &[ACCOUNT_BLOCK])
        .0
        .into_iter()
        .filter(|&i| {
            let a = &graph.get(i).attributes;
            Tri::all(BLOCK_FLAGS.iter().map(|f| block_flag(a, f))) == Tri::True
        })
        .collect()
}

/// The placeholders that say the account-level block of a live bucket could not be read.
pub fn unreadable_account_blocks(graph: &ResourceGraph, bucket: usize) -> Vec<usize> {
    account_settings(graph, bucket, &[ACCOUNT_BLOCK]).1
}

/// Why the bucket's ACL or grants open it to everyone or every AWS account: `Ok(None)` when they
/// do not, `Err` when it cannot be told.
pub fn public_acl(graph: &ResourceGraph, bucket: usize) -> Result<Option<String>, String> {
    let b = graph.get(bucket);
    match b.attr("acl") {
        Value::String(acl) if PUBLIC_ACLS.contains(&acl.as_str()) => {
            return Ok(Some(format!("the canned ACL is {acl:?}")));
        }
        Value::Unknown(_) => return Err("`acl` is not known before apply".into()),
        _ => {}
    }
    let Some(grants) = b.attr("grant").blocks() else {
        return Err("`grant` is not known before apply".into());
    };
    let mut unknown = false;
    for g in grants {
        match g.get("uri") {
            Value::String(uri) if PUBLIC_GROUPS.contains(&uri.as_str()) => {
                let group = uri.rsplit('/').next().unwrap_or(uri);
                return Ok(Some(format!(
                    "a grant gives {} to the {group} group",
                    g.get("permissions")
                )));
            }
            Value::Unknown(_) => unknown = true,
            _ => {}
        }
    }
    if unknown {
        return Err("the grantee of a grant is not known before apply".into());
    }
    Ok(None)
}

/// The bucket's policy: `Ok(None)` when it has none.
pub fn bucket_policy(graph: &ResourceGraph, bucket: usize) -> Result<Option<Policy>, String> {
    let value = graph.get(bucket).attr("policy");
    let empty = matches!(value, Value::Null) || value.as_str().is_some_and(|s| s.trim().is_empty());
    if empty && graph.referenced_by_attr(bucket, "policy").is_empty() {
        return Ok(None);
    }
    policy_of(graph, bucket, "policy").map(Some)
}

fn effect_is(st: &Statement, effect: &str) -> Tri {
    match &st.effect {
        Value::String(s) => Tri::from(s.eq_ignore_ascii_case(effect)),
        Value::Unknown(_) => Tri::Unknown,
        _ => Tri::False,
    }
}

/// Whether a statement allows something to everyone without any condition.
pub fn public_allow(st: &Statement) -> Tri {
    let unconditional = match &st.conditions {
        Value::Null => Tri::True,
        Value::Object(m) if m.is_empty() => Tri::True,
        v if v.contains_unknown() => Tri::Unknown,
        _ => Tri::False,
    };
    effect_is(st, "Allow")
        .and(principal_is_everyone(&st.principals))
        .and(unconditional)
}

/// Whether a statement denies to everyone.
pub fn denies_everyone(st: &Statement) -> Tri {
    effect_is(st, "Deny").and(principal_is_everyone(&st.principals))
}

/// Whether an IAM action pattern (`s3:List*`, `*`) matches `action`, case-insensitively.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    fn glob(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
            (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => glob(&p[1..], &s[1..]),
            _ => false,
        }
    }
    glob(pattern.trim().as_bytes(), action.as_bytes())
}

/// Whether a statement's `Action` / `NotAction` covers any of `actions`.
pub fn covers_any(st: &Statement, actions: &[&str]) -> Tri {
    let listed = |v: &Value| -> Option<Vec<String>> {
        match v {
            Value::Null => Some(Vec::new()),
            Value::String(s) => Some(vec![s.clone()]),
            Value::List(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
            _ => None,
        }
    };
    let (Some(allowed), Some(excluded)) = (listed(&st.actions), listed(&st.not_actions)) else {
        return Tri::Unknown;
    };
    if !st.not_actions.is_null() {
        // NotAction grants every action it does not name.
        return Tri::from(
            actions
                .iter()
                .any(|a| !excluded.iter().any(|p| action_matches(p, a))),
        );
    }
    Tri::from(
        actions
            .iter()
            .any(|a| allowed.iter().any(|p| action_matches(p, a))),
    )
}

/// The first statement for which `test` is true, else whether some statement is unknown.
pub fn find(policy: &Policy, test: impl Fn(&Statement) -> Tri) -> Result<Option<&Statement>, Vec<&str>> {
    let mut unknown = Vec::new();
    for st in &policy.statements {
        match test(st) {
            Tri::True => return Ok(Some(st)),
            Tri::Unknown => unknown.push(st.label.as_str()),
            Tri::False => {}
        }
    }
    if unknown.is_empty() {
        Ok(None)
    } else {
        Err(unknown)
    }
}

/// Judges bucket `i` on whether its policy lets everyone, without a condition, perform any of
/// `actions`. `fails` and `passes` complete the messages: "… allows {fails} to everyone (Action …)"
/// and "no statement in … allows {passes} to everyone without a condition".
pub fn judge_public_actions(
    graph: &ResourceGraph,
    i: usize,
    actions: &[&str],
    fails: &str,
    passes: &str,
) -> Evaluation {
    let policy = match bucket_policy(graph, i) {
        Ok(Some(policy)) => policy,
        Ok(None) => return Evaluation::pass(i, "the bucket has no policy").at("policy"),
        Err(why) => return Evaluation::unknown(i, why).at("policy"),
    };
    match find(&policy, |st| public_allow(st).and(covers_any(st, actions))) {
        Ok(Some(st)) => Evaluation::fail(
            i,
            format!(
                "{} in {} allows {fails} to everyone (Action {})",
                st.label, policy.origin, st.actions
            ),
        ),
        Ok(None) => Evaluation::pass(
            i,
            format!(
                "no statement in {} allows {passes} to everyone without a condition",
                policy.origin
            ),
        ),
        Err(unknown) => Evaluation::unknown(
            i,
            format!(
                "cannot tell what {} in {} allows to whom",
                unknown.join(", "),
                policy.origin
            ),
        ),
    }
    .at("policy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_patterns() {
        assert!(action_matches("s3:List*", "s3:ListBucket"));
        assert!(action_matches("S3:*", "s3:ListBucket"));
        assert!(action_matches("*", "s3:GetObject"));
        assert!(!action_matches("s3:Get*", "s3:ListBucket"));
        assert!(action_matches("s3:ListBucket?ersions", "s3:ListBucketVersions"));
    }
}
