//! Golden tests of the join of split resources to their parents: each folder under
//! `tests/normalize/` is loaded with `load_paths` (Terraform configuration, a plan or a state);
//! its `expected.json` holds, for every resource something was joined to, its attributes, and
//! the references out of it. Set `ATTEST_UPDATE_GOLDEN=1` to rewrite the expected files.

use std::path::{Path, PathBuf};

use attest_core::LoadOutput;
use attest_iac::normalize::SOURCES_ATTR;
use attest_iac::{load_paths, LoadOptions};
use serde_json::{json, Value as Json};

fn case_dir(case: &str) -> PathBuf {
    Path::new("tests/normalize").join(case)
}

fn joined(out: &LoadOutput) -> Json {
    let parents: Vec<Json> = out
        .resources
        .iter()
        .filter(|r| !r.attributes.get(SOURCES_ATTR).is_null())
        .map(|r| {
            let mut references: Vec<String> = out
                .references
                .iter()
                .filter(|e| e.from == r.id)
                .map(|e| format!("{} -> {}", e.path, e.to))
                .collect();
            references.sort();
            json!({
                "id": r.id,
                "input": r.provenance.input,
                "attributes": r.attributes,
                "references": references,
            })
        })
        .collect();
    let errors: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
    let mut ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    json!({ "joined": parents, "resources": ids, "errors": errors })
}

fn check(case: &str) {
    let dir = case_dir(case);
    let out = load_paths(std::slice::from_ref(&dir), &LoadOptions::default());
    let got = joined(&out);
    let expected_path = dir.join("expected.json");
    if std::env::var_os("ATTEST_UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&got).unwrap_or_default();
        std::fs::write(&expected_path, text + "\n").unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let text = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
    let want: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        want,
        "{case}: got\n{}",
        serde_json::to_string_pretty(&got).unwrap_or_default()
    );
}

#[test]
fn s3_bucket_with_every_split_resource() {
    check("s3_hcl");
}

#[test]
fn security_group_with_both_rule_resource_kinds() {
    check("sg_hcl");
}

#[test]
fn iam_principals_with_inline_and_attached_policies() {
    check("iam_hcl");
}

#[test]
fn plan_inputs_join_by_configuration_edges() {
    check("plan");
}

#[test]
fn state_inputs_join_by_value() {
    check("state");
}

#[test]
fn unknown_or_unmatched_links_are_not_joined() {
    check("unknown_link");
}

#[test]
fn split_resources_join_across_modules() {
    check("module_hcl");
}
