//! Shared check of the account password policy rules: each `aws_iam_account_password_policy` is
//! judged on a few requirements, each of which holds, fails, or cannot be told.
//!
//! Absent arguments take what AWS applies when the policy does not set them (the provider sends
//! nothing): a minimum length of 6 (the provider's default), no character class required,
//! passwords that never expire, and no reuse prevention.

use attest_core::{Evaluation, Resource, ResourceGraph, Tri, Value};

use crate::aws::links::managed;

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
            format!("{attr} is not known before apply (at least {min} is required)"),
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
            format!("{attr} is not known before apply (at most {days} days is required)"),
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
        (Tri::Unknown, Value::Unknown(_)) => format!("{attr} is not known before apply"),
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

/// Judges one policy on its findings: fail when one fails (naming every failing one), unknown
/// when one cannot be told, else pass.
pub fn judge(i: usize, findings: &[Finding]) -> Evaluation {
    let failing: Vec<&Finding> = findings.iter().filter(|f| f.holds == Tri::False).collect();
    if let Some(first) = failing.first() {
        let says: Vec<&str> = failing.iter().map(|f| f.says.as_str()).collect();
        return Evaluation::fail(i, format!("the password policy falls short: {}", says.join("; ")))
            .at(first.attr);
    }
    let unknown: Vec<&Finding> = findings.iter().filter(|f| f.holds == Tri::Unknown).collect();
    if let Some(first) = unknown.first() {
        let says: Vec<&str> = unknown.iter().map(|f| f.says.as_str()).collect();
        return Evaluation::unknown(i, format!("cannot tell: {}", says.join("; "))).at(first.attr);
    }
    let says: Vec<&str> = findings.iter().map(|f| f.says.as_str()).collect();
    Evaluation::pass(i, says.join("; "))
}

/// Judges every managed password policy of the graph with `findings`.
pub fn check_each(graph: &ResourceGraph, findings: impl Fn(&Resource) -> Vec<Finding>) -> Vec<Evaluation> {
    managed(graph, &[PASSWORD_POLICY])
        .into_iter()
        .map(|i| judge(i, &findings(graph.get(i))))
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs a password policy rule on policies given as JSON attribute objects.

    use attest_core::{Rule, Verdict};

    use crate::aws::links::test_support::{graph, res, verdicts};

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
