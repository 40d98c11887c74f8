//! Shared check of the account password policy rules: each `aws_iam_account_password_policy` is
//! judged on a few requirements, each of which holds, fails, or cannot be told.
//!
//! Absent arguments take what AWS applies when the policy does not set them (the provider sends
//! nothing): a minimum length of 6 (the provider's default), no character class required,
//! passwords that never expire, and no reuse prevention.
//!
//! In a live scan the policy is judged once per account read (its `aws_caller_identity`): an
//! account without a password policy fails every requirement, and one whose policy could not be
//! read (a placeholder `aws_iam_account_password_policy`) is unknown.

use attest_core::{Evaluation, Resource, ResourceGraph, Tri, Value, Verdict};

use crate::aws::scope::{LiveScopes, Scope};
use crate::aws::wording::attr_not_known;

/// The Terraform type of the account password policy.
pub const PASSWORD_POLICY: &str = "aws_iam_account_password_policy";

/// What AWS applies as minimum password length when none is set.
pub const DEFAULT_MIN_LENGTH: i64 = 6;

/// One requirement of a rule on one password policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub holds: Tri,
    pub attr: &'static str,
    /// What was found, for the message (`minimum_password_length is 8`).
    pub says: String,
}

/// An integer argument at least `min`; `absent` is what applies when it is not set (`None`: no
/// value applies, which fails).
pub fn at_least(r: &Resource, attr: &'static str, min: i64, absent: Option<i64>) -> Finding {
    let value = r.attr(attr);
    let (holds, says) = match (value, absent) {
        (Value::Null, Some(default)) => (
            Tri::from(default >= min),
            format!("{attr} is not set (AWS applies {default}; at least {min} is required)"),
        ),
        (Value::Null, None) => (
            Tri::False,
            format!("{attr} is not set (at least {min} is required)"),
        ),
        (Value::Unknown(_), _) => (
            Tri::Unknown,
            format!("{} (at least {min} is required)", attr_not_known(r, attr)),
        ),
        (other, _) => match other.as_i64() {
            Some(n) if n >= min => (Tri::True, format!("{attr} is {n} (at least {min})")),
            Some(n) => (Tri::False, format!("{attr} is {n} (at least {min} is required)")),
            None => (
                Tri::Unknown,
                format!("{attr} is {other}, not a number (at least {min} is required)"),
            ),
        },
    };
    Finding { holds, attr, says }
}

/// `max_password_age` set to between 1 and `days`: absent or 0 means passwords never expire.
pub fn expires_within(r: &Resource, days: i64) -> Finding {
    let attr = "max_password_age";
    let value = r.attr(attr);
    let (holds, says) = match value {
        Value::Null => (
            Tri::False,
            format!("{attr} is not set: passwords never expire (at most {days} days is required)"),
        ),
        Value::Unknown(_) => (
            Tri::Unknown,
            format!("{} (at most {days} days is required)", attr_not_known(r, attr)),
        ),
        other => match other.as_i64() {
            Some(0) => (
                Tri::False,
                format!("{attr} is 0: passwords never expire (at most {days} days is required)"),
            ),
            Some(n) if (1..=days).contains(&n) => (Tri::True, format!("{attr} is {n} days (at most {days})")),
            Some(n) => (
                Tri::False,
                format!("{attr} is {n} days (at most {days} days is required)"),
            ),
            None => (
                Tri::Unknown,
                format!("{attr} is {other}, not a number (at most {days} days is required)"),
            ),
        },
    };
    Finding { holds, attr, says }
}

/// A `require_*` flag set to true; absent is false.
pub fn required(r: &Resource, attr: &'static str) -> Finding {
    let value = r.attr(attr);
    let holds = value.truthy(false);
    let says = match (holds, value) {
        (Tri::True, _) => format!("{attr} is true"),
        (Tri::False, Value::Null) => format!("{attr} is not set (defaults to false)"),
        (Tri::False, _) => format!("{attr} is false"),
        (Tri::Unknown, Value::Unknown(_)) => attr_not_known(r, attr),
        (Tri::Unknown, other) => format!("{attr} is {other}, not a boolean"),
    };
    Finding { holds, attr, says }
}

/// Either of two requirements (`require_lowercase_characters` or `…uppercase…`).
pub fn either(a: Finding, b: Finding) -> Finding {
    let holds = a.holds.or(b.holds);
    let attr = if b.holds == Tri::True && a.holds != Tri::True {
        b.attr
    } else {
        a.attr
    };
    let says = match (a.holds, b.holds) {
        (Tri::True, _) => a.says,
        (_, Tri::True) => b.says,
        _ => format!("{} and {}", a.says, b.says),
    };
    Finding { holds, attr, says }
}

/// The verdict of a policy on its findings: fail when one fails (naming every failing one),
/// unknown when one cannot be told, else pass; with what the findings say and the attribute the
/// verdict hinges on.
fn verdict_of(findings: &[Finding]) -> (Verdict, String, Option<&'static str>) {
    let says = |list: &[&Finding]| {
        list.iter()
            .map(|f| f.says.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let failing: Vec<&Finding> = findings.iter().filter(|f| f.holds == Tri::False).collect();
    if let Some(first) = failing.first() {
        return (Verdict::Fail, says(&failing), Some(first.attr));
    }
    let unknown: Vec<&Finding> = findings.iter().filter(|f| f.holds == Tri::Unknown).collect();
    if let Some(first) = unknown.first() {
        return (Verdict::Unknown, says(&unknown), Some(first.attr));
    }
    let all: Vec<&Finding> = findings.iter().collect();
    (Verdict::Pass, says(&all), None)
}

/// Judges one policy on its findings: fail when one fails (naming every failing one), unknown
/// when one cannot be told, else pass.
pub fn judge(i: usize, findings: &[Finding]) -> Evaluation {
    let (verdict, says, attr) = verdict_of(findings);
    let e = match verdict {
        Verdict::Fail => Evaluation::fail(i, format!("the password policy falls short: {says}")),
        Verdict::Unknown => Evaluation::unknown(i, format!("cannot tell: {says}")),
        Verdict::Pass => Evaluation::pass(i, says),
    };
    match attr {
        Some(a) => e.at(a),
        None => e,
    }
}

/// Judges the password policy of a live account: its policy's findings; a failure when it has
/// none; unknown when it could not be read.
fn judge_account(
    graph: &ResourceGraph,
    scopes: &LiveScopes<'_>,
    account: &Scope,
    findings: &impl Fn(&Resource) -> Vec<Finding>,
) -> Evaluation {
    let place = account.place();
    let policies = scopes.members(account, &[PASSWORD_POLICY]);
    if let Some(&p) = policies.first() {
        let (verdict, says, _) = verdict_of(&findings(graph.get(p)));
        let message = match verdict {
            Verdict::Fail => format!("the password policy of {place} falls short: {says}"),
            Verdict::Unknown => {
                format!("cannot tell whether the password policy of {place} qualifies: {says}")
            }
            Verdict::Pass => format!("the password policy of {place}: {says}"),
        };
        return Evaluation::new(account.index, verdict, message);
    }
    let unreadable = scopes.unreadable(account, &[PASSWORD_POLICY]);
    if let Some(&u) = unreadable.first() {
        return Evaluation::unknown(
            account.index,
            format!(
                "cannot tell whether {place} has a password policy: {}",
                scopes.unreadable_says(u)
            ),
        );
    }
    Evaluation::fail(
        account.index,
        format!(
            "{place} has no IAM password policy ({PASSWORD_POLICY}): none of its requirements is \
             enforced"
        ),
    )
}

/// Judges every password policy of the scanned configuration with `findings`, and in a live
/// scan the password policy of every account read.
pub fn check_each(graph: &ResourceGraph, findings: impl Fn(&Resource) -> Vec<Finding>) -> Vec<Evaluation> {
    let scopes = LiveScopes::of(graph);
    let mut out: Vec<Evaluation> = scopes
        .accounts()
        .iter()
        .map(|account| judge_account(graph, &scopes, account, &findings))
        .collect();
    out.extend(
        scopes
            .configured(&[PASSWORD_POLICY])
            .into_iter()
            .map(|i| judge(i, &findings(graph.get(i)))),
    );
    out
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs a password policy rule on policies given as JSON attribute objects.

    use attest_core::{Rule, Verdict};

    use super::PASSWORD_POLICY;
    use crate::aws::links::test_support::{graph, res, verdicts};
    use crate::aws::scope::test_support::{live_global, scopes, unreadable as placeholder, ACCOUNT};

    /// The verdicts of `rule` on one policy per element of `cases`, in order.
    pub fn run(rule: &dyn Rule, cases: &[serde_json::Value]) -> Vec<Verdict> {
        let resources = cases
            .iter()
            .enumerate()
            .map(|(k, attrs)| res(&format!("aws_iam_account_password_policy.p{k}"), attrs.clone()))
            .collect();
        let g = graph(resources, &[]);
        verdicts(&g, &rule.check(&g))
            .into_iter()
            .map(|(_, v)| v)
            .collect()
    }

    /// The verdict and message of `rule` on a live account with one region whose password
    /// policy is `policy`: attributes as JSON, `None` for an account without a policy; with
    /// `unreadable`, the account's policy could not be read.
    pub fn run_live(
        rule: &dyn Rule,
        policy: Option<serde_json::Value>,
        unreadable: bool,
    ) -> (Verdict, String) {
        let mut resources = scopes(ACCOUNT, &["eu-west-1"]);
        if let Some(attrs) = policy {
            resources.push(live_global(
                "aws_iam_account_password_policy:111122223333",
                PASSWORD_POLICY,
                attrs,
            ));
        }
        if unreadable {
            resources.push(placeholder(
                PASSWORD_POLICY,
                None,
                &["minimum_password_length", "require_symbols"],
                "AccessDenied on iam:GetAccountPasswordPolicy",
            ));
        }
        let g = graph(resources, &[]);
        let evals = rule.check(&g);
        assert_eq!(evals.len(), 1, "one evaluation per account");
        assert_eq!(
            g.get(evals[0].resource.expect("the account")).id,
            "aws_caller_identity:111122223333"
        );
        (evals[0].verdict, evals[0].message.clone())
    }

    /// Every live outcome of a password rule: `good` passes, `weak` fails, no policy fails, an
    /// unreadable policy (or attribute) is unknown.
    pub fn live_outcomes(rule: &dyn Rule, good: serde_json::Value, weak: serde_json::Value) {
        let (v, m) = run_live(rule, Some(good), false);
        assert_eq!(v, Verdict::Pass, "{m}");
        assert!(m.contains("account 111122223333"), "{m}");
        let (v, m) = run_live(rule, Some(weak), false);
        assert_eq!(v, Verdict::Fail, "{m}");
        assert!(m.contains("falls short"), "{m}");
        let (v, m) = run_live(rule, None, false);
        assert_eq!(v, Verdict::Fail, "{m}");
        assert!(
            m.contains("account 111122223333 has no IAM password policy"),
            "{m}"
        );
        let (v, m) = run_live(rule, None, true);
        assert_eq!(v, Verdict::Unknown, "{m}");
        assert!(m.contains("AccessDenied on iam:GetAccountPasswordPolicy"), "{m}");
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{res, unknown};

    #[test]
    fn findings_read_numbers_flags_defaults_and_unknowns() {
        let r = res(
            "aws_iam_account_password_policy.p",
            json!({"minimum_password_length": "14", "require_symbols": unknown(), "max_password_age": 0}),
        );
        assert_eq!(
            at_least(&r, "minimum_password_length", 14, Some(6)).holds,
            Tri::True
        );
        assert_eq!(
            at_least(&r, "password_reuse_prevention", 1, None).holds,
            Tri::False
        );
        assert_eq!(required(&r, "require_symbols").holds, Tri::Unknown);
        assert_eq!(required(&r, "require_numbers").holds, Tri::False);
        assert_eq!(expires_within(&r, 90).holds, Tri::False);
        let e = judge(
            0,
            &[required(&r, "require_symbols"), required(&r, "require_numbers")],
        );
        assert_eq!(e.verdict, Verdict::Fail);
        assert_eq!(e.attribute.as_deref(), Some("require_numbers"));
        let e = judge(0, &[required(&r, "require_symbols")]);
        assert_eq!(e.verdict, Verdict::Unknown);
    }

    #[test]
    fn live_unknowns_say_why() {
        use crate::aws::iam::password_length::PasswordLength;
        let (v, m) = test_support::run_live(
            &PasswordLength,
            Some(
                json!({"minimum_password_length": {"$unknown": "AccessDenied on iam:GetAccountPasswordPolicy"}}),
            ),
            false,
        );
        assert_eq!(v, Verdict::Unknown);
        assert_eq!(
            m,
            "cannot tell whether the password policy of account 111122223333 qualifies: \
             minimum_password_length is unknown (AccessDenied on iam:GetAccountPasswordPolicy) \
             (at least 14 is required)"
        );
    }

    #[test]
    fn either_letter_class_is_enough() {
        let r = res(
            "aws_iam_account_password_policy.p",
            json!({"require_uppercase_characters": true}),
        );
        let f = either(
            required(&r, "require_lowercase_characters"),
            required(&r, "require_uppercase_characters"),
        );
        assert_eq!(f.holds, Tri::True);
        assert_eq!(f.attr, "require_uppercase_characters");
    }
}
