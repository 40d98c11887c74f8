//! Shared reading of `aws_iam_account_summary`, the resource a live scan emits once per account to
//! describe the root user (no Terraform resource describes it).
//!
//! Attributes (any of them may be unknown, e.g. `{"$unknown": "AccessDenied on iam:GetAccountSummary"}`):
//! - `account_mfa_enabled` (bool): the root user has an MFA device (`AccountMFAEnabled` of
//!   `GetAccountSummary`);
//! - `account_access_keys_present` (bool): the root user has access keys (`AccountAccessKeysPresent`);
//! - `root_mfa_virtual` (bool, null when MFA is off): the root user's MFA device is a virtual one
//!   (`ListVirtualMFADevices` lists a device whose user is the root ARN).

use attest_core::{ResourceGraph, Value};

use crate::aws::links::managed;

/// attest's own resource type for the account summary of a live account.
pub const ACCOUNT_SUMMARY: &str = "aws_iam_account_summary";

/// Every account summary in the graph.
pub fn summaries(graph: &ResourceGraph) -> Vec<usize> {
    managed(graph, &[ACCOUNT_SUMMARY])
}

/// A boolean attribute of the summary: `Ok(bool)`, or `Err(why it cannot be told)`. An absent
/// attribute is not guessed: the collector writes every attribute it could read.
pub fn flag(graph: &ResourceGraph, summary: usize, attr: &str) -> Result<bool, String> {
    match graph.get(summary).attr(attr) {
        Value::Bool(b) => Ok(*b),
        Value::Unknown(why) => Err(format!("`{attr}` could not be read ({why})")),
        Value::Null => Err(format!("`{attr}` is missing from the account summary")),
        other => other
            .as_bool()
            .ok_or_else(|| format!("`{attr}` is a {}, not a boolean", other.kind())),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use attest_core::{InputKind, Provenance, Resource, ResourceGraph, Value};

    use super::ACCOUNT_SUMMARY;

    /// A graph holding one account summary with `attributes`, as an inventory loads it.
    pub fn summary_graph(attributes: serde_json::Value) -> ResourceGraph {
        let mut provenance = Provenance::new(InputKind::Live);
        provenance.account = Some("111122223333".into());
        let r = Resource::new(
            "arn:aws:iam::111122223333:root",
            ACCOUNT_SUMMARY,
            Value::from(attributes),
            provenance,
        );
        ResourceGraph::new(vec![r], &[])
    }
}
