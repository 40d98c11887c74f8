//! Terraform plan JSON loader: golden fixtures under `tests/plan/`.

use std::path::Path;

use attest_core::{LoadOutput, ResourceGraph, Value};
use attest_iac::terraform::plan::load_plan;
use serde_json::json;

fn load(path: &str) -> LoadOutput {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    load_plan(Path::new(path), &doc)
}

/// The loaded graph as JSON: resources in load order, then the edges that resolved.
fn normalized(out: &LoadOutput) -> serde_json::Value {
    let graph = ResourceGraph::new(out.resources.clone(), &out.references);
    json!({
        "resources": graph.resources(),
        "references": graph.references(),
        "errors": out.errors,
        "inputs": out.inputs,
    })
}

fn snapshot(name: &str, value: &serde_json::Value) {
    insta::with_settings!({ snapshot_path => "plan/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!(name, value);
    });
}

#[test]
fn aws_plan_with_modules_golden() {
    let out = load("tests/plan/modules/plan.json");
    snapshot("aws_plan_with_modules", &normalized(&out));
}

#[test]
fn terraform_generated_plan_golden() {
    let out = load("tests/plan/terraform_data/plan.json");
    snapshot("terraform_data_plan", &normalized(&out));
}

#[test]
fn instance_addresses_from_count_for_each_and_modules() {
    let out = load("tests/plan/modules/plan.json");
    let ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    for id in [
        "aws_s3_bucket.logs[0]",
        "aws_s3_bucket.logs[1]",
        r#"module.net["a"].aws_subnet.this"#,
        r#"module.net["b"].aws_subnet.this"#,
        "data.aws_iam_policy_document.admin",
        "data.aws_s3_bucket.first",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // Destroyed resources are not part of the planned infrastructure.
    assert!(!ids.contains(&"aws_s3_bucket.old"));
    let data = out
        .resources
        .iter()
        .find(|r| r.id == "data.aws_iam_policy_document.admin")
        .map(|r| r.mode);
    assert_eq!(data, Some(attest_core::Mode::Data));
}

#[test]
fn unknown_and_sensitive_values() {
    let out = load("tests/plan/modules/plan.json");
    let get = |id: &str| {
        out.resources
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id} not loaded"))
    };
    let web = get("aws_security_group.web");
    assert_eq!(web.attr("id"), &Value::unknown("known after apply"));
    assert_eq!(
        web.attr("ingress.1.security_groups"),
        &Value::unknown("known after apply")
    );
    assert_eq!(web.attr("ingress.0.cidr_blocks.0"), &Value::from("10.0.0.0/8"));
    assert_eq!(web.attr("ingress.1.from_port").as_i64(), Some(443));
    assert_eq!(web.physical_id, None);

    let db = get("aws_db_instance.db");
    assert_eq!(db.attr("password"), &Value::unknown("sensitive value"));
    let rendered = serde_json::to_string(&out.resources).unwrap_or_default();
    assert!(!rendered.contains("hunter2"), "a sensitive value was kept");

    let policy = get("data.aws_iam_policy_document.admin");
    assert_eq!(policy.physical_id.as_deref(), Some("1234567890"));

    // A data source read during apply: what is known comes from `after`, the rest is unknown.
    let first = get("data.aws_s3_bucket.first");
    assert_eq!(first.attr("bucket"), &Value::unknown("known after apply"));
    assert!(first.attr("arn").is_unknown());
}

#[test]
fn references_from_configuration() {
    let out = load("tests/plan/modules/plan.json");
    let graph = ResourceGraph::new(out.resources.clone(), &out.references);
    let edges: Vec<(String, String, String)> = graph
        .references()
        .into_iter()
        .map(|r| (r.from, r.path, r.to))
        .collect();
    let has =
        |from: &str, path: &str, to: &str| edges.iter().any(|(f, p, t)| f == from && p == path && t == to);
    assert!(has(
        "aws_security_group.web",
        "ingress.1.security_groups",
        "aws_security_group.lb"
    ));
    assert!(has(
        "aws_iam_policy.admin",
        "policy",
        "data.aws_iam_policy_document.admin"
    ));
    // `aws_s3_bucket.logs[0].id` points at that instance only.
    assert!(has("data.aws_s3_bucket.first", "bucket", "aws_s3_bucket.logs[0]"));
    assert!(!has(
        "data.aws_s3_bucket.first",
        "bucket",
        "aws_s3_bucket.logs[1]"
    ));
    // Through a module variable and a module output.
    assert!(has(
        r#"module.net["a"].aws_subnet.this"#,
        "vpc_id",
        "aws_vpc.main"
    ));
    assert!(has(
        r#"module.net["b"].aws_subnet.this"#,
        "vpc_id",
        "aws_vpc.main"
    ));
    assert!(has(
        "aws_instance.app",
        "subnet_id",
        r#"module.net["a"].aws_subnet.this"#
    ));
    assert!(!has(
        "aws_instance.app",
        "subnet_id",
        r#"module.net["b"].aws_subnet.this"#
    ));
    // Variables, counts and locals are not resources.
    assert!(!edges
        .iter()
        .any(|(_, _, t)| t.starts_with("var.") || t.starts_with("count.")));
}

#[test]
fn locations_from_configuration_beside_the_plan() {
    let out = load("tests/plan/modules/plan.json");
    let location = |id: &str| {
        out.resources
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.location())
            .map(|l| (l.file.clone(), l.line, l.column))
    };
    assert_eq!(
        location("aws_security_group.web"),
        Some(("tests/plan/modules/main.tf".to_string(), 15, 1))
    );
    assert_eq!(
        location("aws_s3_bucket.logs[1]"),
        Some(("tests/plan/modules/main.tf".to_string(), 34, 1))
    );
    assert_eq!(
        location(r#"module.net["b"].aws_subnet.this"#),
        Some(("tests/plan/modules/modules/net/main.tf".to_string(), 5, 1))
    );
    let stack = out
        .resources
        .iter()
        .find(|r| r.id == r#"module.net["b"].aws_subnet.this"#)
        .map(|r| r.provenance.module_stack.clone())
        .unwrap_or_default();
    assert_eq!(stack.len(), 1);
    assert_eq!(stack[0].address, r#"module.net["b"]"#);
    assert_eq!(stack[0].location.as_ref().map(|l| l.line), Some(61));
}

#[test]
fn plan_without_configuration_beside_it_has_no_locations() {
    let doc = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
            "values": {"bucket": "b", "arn": "arn:aws:s3:::b"}, "sensitive_values": {}
        }]}}
    });
    let out = load_plan(Path::new("does/not/exist/plan.json"), &doc);
    assert_eq!(out.resources.len(), 1);
    assert_eq!(out.resources[0].location(), None);
    assert_eq!(out.resources[0].physical_id.as_deref(), Some("arn:aws:s3:::b"));
    assert!(out.errors.is_empty());
}
