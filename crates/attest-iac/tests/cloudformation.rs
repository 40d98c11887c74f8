//! Golden tests of the CloudFormation loader: each folder under `tests/cloudformation/` is scanned
//! as a whole (discovery, the loader, normalization); its `expected.json` holds the resources, the
//! references and the errors. An `opts.json` gives `cfn_params` and `cfn_param_files`. Set
//! `ATTEST_UPDATE_GOLDEN=1` to rewrite the expected files.

use std::path::{Path, PathBuf};

use attest_core::{InputKind, LoadOutput};
use attest_iac::discover::{detect, read_document, DocumentKind};
use attest_iac::{load_paths, LoadOptions};
use serde_json::{json, Value as Json};

fn case_dir(case: &str) -> PathBuf {
    Path::new("tests/cloudformation").join(case)
}

fn options(dir: &Path) -> LoadOptions {
    let mut opts = LoadOptions::default();
    let Ok(text) = std::fs::read_to_string(dir.join("opts.json")) else {
        return opts;
    };
    let doc: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
    if let Some(files) = doc["cfn_param_files"].as_array() {
        opts.cfn_param_files = files.iter().filter_map(Json::as_str).map(PathBuf::from).collect();
    }
    if let Some(params) = doc["cfn_params"].as_array() {
        for pair in params {
            if let (Some(k), Some(v)) = (pair[0].as_str(), pair[1].as_str()) {
                opts.cfn_params.push((k.to_string(), v.to_string()));
            }
        }
    }
    opts
}

fn normalize(out: &LoadOutput) -> Json {
    let resources: Vec<Json> = out
        .resources
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "type": r.resource_type,
                "at": r.location().map(|l| format!("{}:{}:{}", l.file, l.line, l.column)),
                "attributes": r.attributes,
            })
        })
        .collect();
    let references: Vec<String> = out
        .references
        .iter()
        .map(|r| format!("{} {} -> {}", r.from, r.path, r.to))
        .collect();
    let errors: Vec<String> = out
        .errors
        .iter()
        .map(|e| match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
            _ => format!("{}: {}", e.file, e.message),
        })
        .collect();
    json!({"resources": resources, "references": references, "errors": errors})
}

fn golden(case: &str) -> Json {
    let dir = case_dir(case);
    let out = load_paths(std::slice::from_ref(&dir), &options(&dir));
    let got = normalize(&out);
    let path = dir.join("expected.json");
    if std::env::var_os("ATTEST_UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&got).unwrap_or_default() + "\n";
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let want: Json = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("{} is missing or invalid", path.display()));
    assert_eq!(
        got,
        want,
        "{case}: output differs from {}:\n{}",
        path.display(),
        serde_json::to_string_pretty(&got).unwrap_or_default()
    );
    got
}

fn resource<'a>(doc: &'a Json, id: &str) -> &'a Json {
    doc["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .unwrap_or_else(|| panic!("no resource {id}"))
}

fn has_reference(doc: &Json, reference: &str) -> bool {
    doc["references"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r == reference))
}

#[test]
fn yaml_short_tags_conditions_mappings_and_dynamic_references() {
    let doc = golden("yaml_intrinsics");
    let ids: Vec<&str> = doc["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    // IsDev is false: dropped. ProdAndOwner depends on a parameter without value: kept.
    assert!(!ids.contains(&"DevOnly"), "{ids:?}");
    assert!(ids.contains(&"OwnedOnly"), "{ids:?}");

    let logs = resource(&doc, "Logs");
    assert_eq!(
        logs["at"],
        "tests/cloudformation/yaml_intrinsics/template.yaml:35:3"
    );
    assert_eq!(logs["type"], "aws_cloudwatch_log_group");
    assert_eq!(logs["attributes"]["retention_in_days"], 365);
    assert!(logs["attributes"]["kms_key_id"]["$unknown"].is_string());
    assert!(has_reference(&doc, "Logs kms_key_id -> Key"));

    let owned = resource(&doc, "OwnedOnly");
    assert_eq!(owned["attributes"]["name"], "owned-b");

    // Undecidable `!If` between a rule and `AWS::NoValue`: the entry is unknown.
    let web = resource(&doc, "Web");
    assert_eq!(
        web["attributes"]["ingress"][0]["cidr_blocks"],
        json!(["10.0.0.0/24"])
    );
    assert!(web["attributes"]["ingress"][1]["$unknown"].is_string());
    assert!(web["attributes"]["vpc_id"]["$unknown"].is_string());

    let table = resource(&doc, "Table");
    assert!(has_reference(
        &doc,
        "Table server_side_encryption.0.kms_key_arn -> Key"
    ));
    assert_eq!(table["attributes"]["server_side_encryption"][0]["enabled"], true);

    // No translator: kept under the CloudFormation type with its properties.
    let secret = resource(&doc, "Secret");
    assert_eq!(secret["type"], "AWS::SecretsManager::Secret");
    assert_eq!(secret["attributes"]["Name"], "aws-amazonaws.com");
    assert_eq!(secret["attributes"]["Description"], "aGVsbG8=");
    assert_eq!(secret["attributes"]["Literal"], "${Literal}-prod");
    assert!(secret["attributes"]["SecretString"]["$unknown"].is_string());
    assert!(secret["attributes"]["Tags"][0]["Value"]["$unknown"].is_string());
    assert!(has_reference(&doc, "Secret KmsKeyId -> Key"));
}

#[test]
fn json_templates_have_locations_and_references() {
    let doc = golden("json_form");
    let group = resource(&doc, "Group");
    assert_eq!(group["at"], "tests/cloudformation/json_form/template.json:7:5");
    assert_eq!(group["attributes"]["ingress"][0]["from_port"], "80");
    // The standalone rule is joined into the group by the normalize step.
    assert!(has_reference(&doc, "Extra security_group_id -> Group"));
    assert!(has_reference(&doc, "Extra referenced_security_group_id -> Group"));
    assert!(has_reference(&doc, "Front security_groups.0 -> Group"));
    assert_eq!(resource(&doc, "Front")["attributes"]["internal"], true);
    assert_eq!(
        resource(&doc, "Front")["attributes"]["subnets"],
        json!(["subnet-a", "subnet-b"])
    );
}

#[test]
fn parameters_from_files_and_the_command_line() {
    let doc = golden("parameters");
    let logs = resource(&doc, "Logs");
    // --cfn-param wins over the parameter file; the account id stays unknown.
    assert_eq!(logs["attributes"]["name"], "app-eu-west-1");
    assert!(logs["attributes"]["tags"]["account"]["$unknown"].is_string());
    assert_eq!(logs["attributes"]["retention_in_days"], "30");
    // Env=prod from the file makes IsProd true; the SSM parameter type is unknown.
    assert!(resource(&doc, "ProdOnly")["attributes"]["name"]["$unknown"].is_string());
    resource(&doc, "EuOnly");
}

#[test]
fn malformed_yaml_template_reports_line_and_column() {
    let doc = golden("malformed_yaml");
    let errors = doc["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0].as_str().unwrap_or_default();
    assert!(
        message.starts_with("tests/cloudformation/malformed_yaml/template.yaml:7:1: invalid YAML"),
        "{message}"
    );
}

#[test]
fn other_yaml_is_skipped_silently() {
    let doc = golden("not_a_template");
    assert_eq!(doc["resources"], json!([]));
    assert_eq!(doc["errors"], json!([]));
}

#[test]
fn detection_by_content() {
    assert_eq!(
        detect(&json!({"AWSTemplateFormatVersion": "2010-09-09"})),
        Some(DocumentKind::Cfn)
    );
    assert_eq!(
        detect(&json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})),
        Some(DocumentKind::Cfn)
    );
    assert_eq!(
        detect(&json!({"Resources": {"B": {"Type": "Other::Thing"}}})),
        None
    );
    let yaml = read_document(&case_dir("yaml_intrinsics").join("template.yaml"));
    assert!(matches!(yaml, Ok(Some((DocumentKind::Cfn, _)))), "{yaml:?}");
    let out = load_paths(&[case_dir("json_form")], &LoadOptions::default());
    assert!(out.inputs.iter().all(|i| i.kind == InputKind::Cfn));
    assert!(out.resources.iter().all(|r| r.physical_id.is_none()));
}
