//! attest inventories: a normalized snapshot of resources (`attest snapshot` writes them; a live
//! scan saved to a file), loaded back exactly as they were written.
//!
//! ```json
//! {
//!   "attest_inventory": 1,
//!   "resources": [{"id": "...", "type": "aws_s3_bucket", "mode": "managed",
//!                  "attributes": {...}, "provenance": {"input": "live", ...}, "physical_id": "..."}],
//!   "references": [{"from": "...", "path": "...", "to": "..."}],
//!   "scopes": ["aws:111122223333:us-east-1"],
//!   "errors": [{"file": "aws:us-east-1:dynamodb.ListTables", "message": "AccessDenied: ..."}]
//! }
//! ```
//!
//! `errors` are the soft errors of the collection that wrote the inventory (a call that failed).
//! Reading the inventory reports them again, so that a rescan tells as much as the live scan did:
//! the resources they concern are incomplete (their unknown values say so) and the report names
//! the calls. `scopes` are the accounts and regions the collection read.
//!
//! Attributes are in the canonical (Terraform provider schema) vocabulary; values the collector
//! could not read are `{"$unknown": "why"}`. Account-level facts that no Terraform resource
//! describes use types of attest's own, documented where their rules are
//! (`aws_iam_account_summary`) or in the collector that writes them (`aws_iam_credential_report`).

use std::path::Path;

use serde::Deserialize;

use attest_core::{InputError, InputKind, InputSummary, LoadOutput, Reference, Resource};

/// The inventory format version this build reads and writes.
pub const INVENTORY_VERSION: u64 = 1;

/// The key that marks a JSON document as an attest inventory.
pub const INVENTORY_KEY: &str = "attest_inventory";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Inventory {
    attest_inventory: u64,
    #[serde(default)]
    generated_by: Option<String>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    errors: Vec<InputError>,
}

/// Loads an inventory document already parsed as JSON.
pub fn load_inventory(path: &Path, doc: &serde_json::Value) -> LoadOutput {
    let file = path.display().to_string();
    let mut out = LoadOutput::default();
    let inventory: Inventory = match serde_json::from_value(doc.clone()) {
        Ok(inv) => inv,
        Err(e) => {
            out.errors.push(InputError::new(
                file,
                format!("not a valid attest inventory: {e}"),
            ));
            return out;
        }
    };
    let _ = inventory.generated_by;
    if inventory.attest_inventory != INVENTORY_VERSION {
        out.errors.push(InputError::new(
            file,
            format!(
                "attest inventory version {} is not supported (this attest reads version {INVENTORY_VERSION})",
                inventory.attest_inventory
            ),
        ));
        return out;
    }
    let _ = inventory.scopes;
    out.inputs.push(InputSummary {
        path: file.clone(),
        kind: InputKind::Live,
        resources: inventory
            .resources
            .iter()
            .filter(|r| r.mode == attest_core::Mode::Managed)
            .count(),
    });
    out.resources = inventory.resources;
    out.references = inventory.references;
    // The collection's errors, named as the inventory's: `inventory.json: aws:us-east-1:…`.
    out.errors = inventory
        .errors
        .into_iter()
        .map(|e| InputError {
            file: format!("{file} ({})", e.file),
            ..e
        })
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn loads_resources_references_and_unknowns() {
        let doc = json!({
            "attest_inventory": 1,
            "generated_by": "attest 0.1.0",
            "resources": [
                {"id": "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1", "type": "aws_security_group",
                 "attributes": {"ingress": [], "name": {"$unknown": "AccessDenied on DescribeSecurityGroups"}},
                 "provenance": {"input": "live", "account": "111122223333", "region": "us-east-1"},
                 "physical_id": "sg-1"}
            ],
            "references": []
        });
        let out = load_inventory(Path::new("inv.json"), &doc);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.resources.len(), 1);
        assert!(out.resources[0].attr("name").is_unknown());
        assert_eq!(out.resources[0].provenance.region.as_deref(), Some("us-east-1"));
        assert_eq!(out.inputs[0].kind, InputKind::Live);
    }

    #[test]
    fn collection_errors_are_reported_again() {
        let doc = json!({
            "attest_inventory": 1,
            "resources": [],
            "scopes": ["aws:111122223333:us-east-1"],
            "errors": [{"file": "aws:us-east-1:dynamodb.ListTables", "message": "AccessDeniedException: no"}]
        });
        let out = load_inventory(Path::new("inv.json"), &doc);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].file, "inv.json (aws:us-east-1:dynamodb.ListTables)");
        assert_eq!(out.errors[0].message, "AccessDeniedException: no");
        assert_eq!(out.inputs.len(), 1);
    }

    #[test]
    fn bad_versions_and_shapes_are_errors() {
        let out = load_inventory(Path::new("inv.json"), &json!({"attest_inventory": 9}));
        assert!(out.errors[0].message.contains("version 9"), "{:?}", out.errors);
        let out = load_inventory(
            Path::new("inv.json"),
            &json!({"attest_inventory": 1, "resources": [{"id": 1}]}),
        );
        assert!(
            out.errors[0].message.contains("not a valid attest inventory"),
            "{:?}",
            out.errors
        );
        assert!(out.resources.is_empty() && out.inputs.is_empty());
    }
}
