//! The inventory document of a collection: the normalized snapshot `attest snapshot` writes and
//! any scan reads back (the format is read by `attest_iac::inventory`).

use attest_core::LoadOutput;

use crate::redact::redact_resources;

/// The inventory format version written.
pub const INVENTORY_VERSION: u64 = 1;

/// `{"attest_inventory": 1, "generated_by", "resources", "references", "scopes", "errors"}` of a
/// collection, with secret-looking string attributes redacted. `errors` are the collection's
/// failed calls: a rescan of the inventory reports them again.
pub fn inventory_document(out: &LoadOutput, generated_by: &str) -> serde_json::Value {
    let mut resources = out.resources.clone();
    redact_resources(&mut resources);
    serde_json::json!({
        "attest_inventory": INVENTORY_VERSION,
        "generated_by": generated_by,
        "resources": resources,
        "references": out.references,
        "scopes": out.inputs.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(),
        "errors": out.errors,
    })
}
