//! Terraform state (format version 4).

use std::path::Path;

use attest_core::LoadOutput;

/// Loads a state document already parsed as JSON.
pub fn load_state(path: &Path, doc: &serde_json::Value) -> LoadOutput {
    let _ = (path, doc);
    LoadOutput::default()
}
