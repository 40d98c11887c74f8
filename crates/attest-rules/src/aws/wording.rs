//! How rule messages word a value that is not known, by where the resource came from.
//!
//! The same rule judges Terraform, CloudFormation and live accounts, but an unknown value does
//! not mean the same thing in each: in code it is a value that only exists once the configuration
//! is applied (`not known before apply`); in a live scan it is a value the scan could not read (a
//! denied call, an attribute not collected yet), and its reason says which
//! (`unknown (AccessDenied on dynamodb:DescribeTable)`). The criterion is the resource's
//! provenance ([`InputKind::Live`]), never the wording of the reason.
//!
//! Each helper gives the words that follow `is` / `are` in a message: `format!("encrypted is
//! {}", not_known(r))`.

use attest_core::{InputKind, Resource, Value};

/// True when the resource was read from a live account (or from an inventory of one).
pub fn is_live(r: &Resource) -> bool {
    r.provenance.input == InputKind::Live
}

/// "not known before apply" for code, "unknown in the live scan" for a live resource.
pub fn not_known(r: &Resource) -> &'static str {
    if is_live(r) {
        "unknown in the live scan"
    } else {
        "not known before apply"
    }
}

/// "only known after apply" for code, "unknown in the live scan" for a live resource
/// (`a KMS key whose ARN is only known after apply`).
pub fn only_known(r: &Resource) -> &'static str {
    if is_live(r) {
        "unknown in the live scan"
    } else {
        "only known after apply"
    }
}

/// [`not_known`], with the reason of the first unknown in `value` for a live resource:
/// "unknown (AccessDenied on dynamodb:DescribeTable)".
pub fn not_known_why(r: &Resource, value: &Value) -> String {
    match (is_live(r), value.first_unknown_reason()) {
        (true, Some(reason)) if !reason.trim().is_empty() => format!("unknown ({})", reason.trim()),
        _ => not_known(r).to_string(),
    }
}

/// "`attr` is not known before apply" for code; "`attr` is unknown (<reason>)" for a live
/// resource, with the reason of the attribute's value.
pub fn attr_not_known(r: &Resource, attr: &str) -> String {
    format!("{attr} is {}", not_known_why(r, r.attr(attr)))
}

#[cfg(test)]
mod tests {
    use attest_core::{InputKind, Provenance, Resource, Value};
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::res;

    fn live(attrs: serde_json::Value) -> Resource {
        Resource::new(
            "arn:aws:dynamodb:eu-west-1:111122223333:table/t",
            "aws_dynamodb_table",
            Value::from(attrs),
            Provenance::new(InputKind::Live),
        )
    }

    #[test]
    fn code_says_before_apply_live_says_why() {
        let code = res(
            "aws_dynamodb_table.t",
            json!({"a": {"$unknown": "known after apply"}}),
        );
        assert_eq!(attr_not_known(&code, "a"), "a is not known before apply");
        assert_eq!(only_known(&code), "only known after apply");
        let denied = live(json!({"a": {"$unknown": "AccessDenied on dynamodb:DescribeTable"}}));
        assert_eq!(
            attr_not_known(&denied, "a"),
            "a is unknown (AccessDenied on dynamodb:DescribeTable)"
        );
        assert_eq!(not_known(&denied), "unknown in the live scan");
        assert_eq!(only_known(&denied), "unknown in the live scan");
        // Nested unknowns give their reason; a known value gives the general words.
        let nested = live(json!({"b": [{"c": {"$unknown": "not collected by attest's live AWS scan yet"}}]}));
        assert_eq!(
            attr_not_known(&nested, "b"),
            "b is unknown (not collected by attest's live AWS scan yet)"
        );
        assert_eq!(attr_not_known(&nested, "z"), "z is unknown in the live scan");
    }
}
