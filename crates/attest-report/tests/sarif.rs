mod common;

use attest_core::Report;
use attest_report::{render_to_string, Format, RenderOptions};
use insta::assert_snapshot;
use serde_json::Value;

/// The official SARIF 2.1.0 schema (OASIS, draft-07), vendored: validation never touches the
/// network, and every `$ref` in it is internal (`#/definitions/…`).
const SARIF_SCHEMA: &str = include_str!("data/sarif-schema-2.1.0.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .expect("SARIF schema compiles")
}

fn sarif(report: &Report, show_passes: bool) -> String {
    let opts = RenderOptions {
        show_passes,
        ..RenderOptions::default()
    };
    render_to_string(report, Format::Sarif, &opts).expect("render sarif")
}

fn parsed(report: &Report, show_passes: bool) -> Value {
    serde_json::from_str(&sarif(report, show_passes)).expect("output is JSON")
}

#[test]
fn snapshot() {
    assert_snapshot!("sarif", sarif(&common::report(), false));
}

#[test]
fn logs_validate_against_the_sarif_schema() {
    let v = validator();
    for report in [common::report(), common::empty_report(), common::passing_report()] {
        for show_passes in [false, true] {
            let log = parsed(&report, show_passes);
            let errs: Vec<String> = v
                .iter_errors(&log)
                .map(|e| format!("{e} at {}", e.instance_path))
                .collect();
            assert!(errs.is_empty(), "SARIF schema errors: {errs:#?}");
        }
    }
}

#[test]
fn the_sarif_schema_is_enforced() {
    let v = validator();
    let mut log = parsed(&common::report(), false);
    log["runs"][0]["results"][0]["kind"] = Value::from("broken");
    assert!(!v.is_valid(&log));
    let mut log = parsed(&common::report(), false);
    log["version"] = Value::from("2.0.0");
    assert!(!v.is_valid(&log));
}

#[test]
fn rules_describe_severity_tags_and_help() {
    let log = parsed(&common::report(), false);
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "attest");
    assert_eq!(driver["version"], "0.1.0");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 6);
    let iam = rules
        .iter()
        .find(|r| r["id"] == "aws-iam-no-admin-policy")
        .expect("iam rule");
    assert_eq!(iam["name"], "AwsIamNoAdminPolicy");
    assert_eq!(
        iam["shortDescription"]["text"],
        "IAM policies do not grant full administrative privileges"
    );
    assert_eq!(iam["defaultConfiguration"]["level"], "error");
    assert_eq!(iam["properties"]["security-severity"], "9.5");
    assert_eq!(iam["properties"]["aliases"]["fugue"], "FG_R00092");
    let tags: Vec<&str> = iam["properties"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(tags, ["security", "soc2/CC6.1", "soc2/CC6.3"]);
    assert!(iam["help"]["markdown"]
        .as_str()
        .expect("markdown")
        .starts_with("## What it checks"));
    assert!(!iam["help"]["text"].as_str().expect("text").contains("##"));

    let levels: Vec<(&str, &str)> = rules
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default(),
                r["defaultConfiguration"]["level"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(levels.contains(&("aws-s3-block-public-access", "error")));
    assert!(levels.contains(&("aws-ebs-volume-encrypted", "warning")));
    assert!(levels.contains(&("aws-vpc-flow-logs-enabled", "note")));
}

#[test]
fn results_by_outcome() {
    let log = parsed(&common::report(), false);
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    // 9 findings, 3 of them passes.
    assert_eq!(results.len(), 6);
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_ne!(r["kind"], "pass");
    }

    let failure = &results[0];
    assert_eq!(failure["kind"], "fail");
    assert_eq!(failure["level"], "error");
    let location = &failure["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "infra/modules/storage/main.tf"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 12);
    assert_eq!(location["physicalLocation"]["region"]["endLine"], 30);
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "module.storage.aws_s3_bucket.logs"
    );
    assert_eq!(location["logicalLocations"][0]["kind"], "resource");
    assert_eq!(
        failure["relatedLocations"][0]["message"]["text"],
        "via module.storage"
    );
    assert_eq!(failure["properties"]["moduleStack"][0], "module.storage");

    let waived = results
        .iter()
        .find(|r| r["locations"][0]["logicalLocations"][0]["name"] == "aws_s3_bucket.website")
        .expect("waived result");
    assert_eq!(waived["kind"], "fail");
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert_eq!(
        waived["suppressions"][0]["justification"],
        "Public website bucket, reviewed by security"
    );
    let inline = results
        .iter()
        .find(|r| r["locations"][0]["logicalLocations"][0]["name"] == "aws_ebs_volume.scratch")
        .expect("inline waiver");
    assert_eq!(inline["kind"], "review");
    assert_eq!(inline["suppressions"][0]["kind"], "inSource");

    let unknown = results
        .iter()
        .find(|r| r["locations"][0]["logicalLocations"][0]["name"] == "aws_ebs_volume.data")
        .expect("unknown result");
    assert_eq!(unknown["kind"], "review");
    assert_eq!(unknown["level"], "none");
}

#[test]
fn passes_only_when_asked() {
    let log = parsed(&common::report(), true);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 9);
    let passes: Vec<&Value> = results.iter().filter(|r| r["kind"] == "pass").collect();
    assert_eq!(passes.len(), 3);
    assert!(passes.iter().all(|r| r["level"] == "none"));
    // The account-level pass has a logical location only.
    let account = passes
        .iter()
        .find(|r| r["ruleId"] == "aws-cloudtrail-enabled")
        .expect("account pass");
    assert!(account["locations"][0].get("physicalLocation").is_none());
    assert_eq!(
        account["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "account"
    );
}

#[test]
fn input_errors_are_notifications() {
    let log = parsed(&common::report(), false);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 3);
    assert_eq!(notes[0]["level"], "error");
    let physical = &notes[0]["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "infra/broken.tf");
    assert_eq!(physical["region"]["startLine"], 3);
    assert_eq!(physical["region"]["startColumn"], 7);
    assert!(notes[1]["locations"][0]["physicalLocation"]
        .get("region")
        .is_none());
    assert_eq!(notes[2]["level"], "note");

    let clean = parsed(&common::passing_report(), false);
    assert_eq!(clean["runs"][0]["invocations"][0]["executionSuccessful"], true);
}
