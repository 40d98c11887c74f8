mod common;

use attest_core::{Outcome, Report};
use attest_report::{json::SCHEMA, render_to_string, Format, RenderOptions};
use insta::assert_snapshot;
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("schema compiles")
}

fn to_json(report: &Report) -> String {
    render_to_string(report, Format::Json, &RenderOptions::default()).expect("render json")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn snapshot() {
    assert_snapshot!("report", to_json(&common::report()));
}

#[test]
fn reports_validate_against_the_schema() {
    let v = validator();
    let mut in_live_account = common::report();
    for f in &mut in_live_account.findings {
        f.location = None;
        f.module_stack.clear();
        f.input = Some(attest_core::InputKind::Live);
    }
    for report in [
        common::report(),
        common::empty_report(),
        common::passing_report(),
        in_live_account,
    ] {
        let instance: Value = serde_json::from_str(&to_json(&report)).expect("output is JSON");
        let errs = errors(&v, &instance);
        assert!(errs.is_empty(), "schema errors: {errs:#?}");
    }
}

#[test]
fn the_schema_rejects_what_is_not_a_report() {
    let v = validator();
    let good: Value = serde_json::from_str(&to_json(&common::report())).expect("output is JSON");

    let mut bad_outcome = good.clone();
    bad_outcome["findings"][0]["outcome"] = Value::from("maybe");
    let mut missing_field = good.clone();
    if let Some(f) = missing_field["findings"][0].as_object_mut() {
        f.remove("severity");
    }
    let mut extra_field = good.clone();
    extra_field["summary"]["extra"] = Value::from(1);
    let mut waived_without_waiver = good.clone();
    if let Some(f) = waived_without_waiver["findings"][2].as_object_mut() {
        assert_eq!(f["outcome"], "waived");
        f.remove("waiver");
    }
    for bad in [bad_outcome, missing_field, extra_field, waived_without_waiver] {
        assert!(!v.is_valid(&bad));
    }
}

#[test]
fn findings_carry_what_tools_need() {
    let instance: Value = serde_json::from_str(&to_json(&common::report())).expect("output is JSON");
    let f = &instance["findings"][0];
    assert_eq!(f["rule_id"], "aws-s3-block-public-access");
    assert_eq!(f["rule_aliases"]["fugue"], "FG_R00229");
    assert_eq!(f["resource_id"], "module.storage.aws_s3_bucket.logs");
    assert_eq!(f["resource_type"], "aws_s3_bucket");
    assert_eq!(f["outcome"], "fail");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["controls"][0]["criterion"], "CC6.1");
    assert_eq!(f["location"]["file"], "infra/modules/storage/main.tf");
    assert_eq!(f["location"]["line"], 12);
    assert_eq!(f["module_stack"][0]["address"], "module.storage");
}

#[test]
fn output_reads_back_as_the_same_report() {
    let report = common::report();
    let back: Report = serde_json::from_str(&to_json(&report)).expect("reads back");
    assert_eq!(back, report);
    assert_eq!(
        back.findings
            .iter()
            .filter(|f| f.outcome == Outcome::Waived)
            .count(),
        2
    );
}

#[test]
fn output_is_indented_with_two_spaces_and_ends_with_a_newline() {
    let out = to_json(&common::empty_report());
    assert!(out.starts_with("{\n  \"schema_version\""));
    assert!(out.ends_with("}\n"));
}
