//! Terraform state loader: golden fixtures under `tests/state/`.

use std::path::Path;

use attest_core::{LoadOutput, ResourceGraph, Value};
use attest_iac::terraform::state::load_state;
use serde_json::json;

fn load(path: &str) -> LoadOutput {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    load_state(Path::new(path), &doc)
}

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
    insta::with_settings!({ snapshot_path => "state/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!(name, value);
    });
}

fn edges(out: &LoadOutput) -> Vec<(String, String, String)> {
    ResourceGraph::new(out.resources.clone(), &out.references)
        .references()
        .into_iter()
        .map(|r| (r.from, r.path, r.to))
        .collect()
}

fn edge(from: &str, path: &str, to: &str) -> (String, String, String) {
    (from.to_string(), path.to_string(), to.to_string())
}

#[test]
fn aws_state_v4_golden() {
    let out = load("tests/state/aws/terraform.tfstate");
    snapshot("aws_state_v4", &normalized(&out));
}

#[test]
fn terraform_generated_state_golden() {
    let out = load("tests/state/terraform_data/terraform.tfstate");
    snapshot("terraform_data_state_v4", &normalized(&out));
}

#[test]
fn terraform_show_json_state_golden() {
    let out = load("tests/state/terraform_data/show.json");
    snapshot("terraform_data_show_state", &normalized(&out));
}

#[test]
fn addresses_modes_and_physical_ids() {
    let out = load("tests/state/aws/terraform.tfstate");
    let ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"data.aws_caller_identity.current"));
    assert!(ids.contains(&r#"module.net[0].aws_subnet.this["a"]"#));
    assert!(ids.contains(&r#"module.net[0].aws_subnet.this["b"]"#));
    let vpc = out.resources.iter().find(|r| r.id == "aws_vpc.main");
    assert_eq!(
        vpc.and_then(|r| r.physical_id.as_deref()),
        Some("arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0a1b")
    );
    let data = out
        .resources
        .iter()
        .find(|r| r.id == "data.aws_caller_identity.current");
    assert_eq!(data.map(|r| r.mode), Some(attest_core::Mode::Data));
    assert_eq!(
        data.map(|r| r.resource_type.as_str()),
        Some("aws_caller_identity")
    );
}

#[test]
fn edges_by_value() {
    let out = load("tests/state/aws/terraform.tfstate");
    let edges = edges(&out);
    for expected in [
        edge("aws_security_group.web", "vpc_id", "aws_vpc.main"),
        edge(
            "aws_security_group.web",
            "ingress.1.security_groups.0",
            "aws_security_group.lb",
        ),
        edge(
            "aws_db_instance.db",
            "vpc_security_group_ids.0",
            "aws_security_group.web",
        ),
        edge("aws_iam_role_policy_attachment.app", "role", "aws_iam_role.app"),
        edge(r#"module.net[0].aws_subnet.this["a"]"#, "vpc_id", "aws_vpc.main"),
    ] {
        assert!(edges.contains(&expected), "{expected:?} missing from {edges:?}");
    }
    // A resource's own id and arn are not references, and values that are nobody's id are not.
    assert!(!edges
        .iter()
        .any(|(from, path, _)| from == "aws_vpc.main" && path == "id"));
    assert!(!edges.iter().any(|(_, path, _)| path == "cidr_block"));
}

#[test]
fn sensitive_attributes_are_hidden() {
    let out = load("tests/state/aws/terraform.tfstate");
    let db = out.resources.iter().find(|r| r.id == "aws_db_instance.db");
    let Some(db) = db else {
        panic!("aws_db_instance.db not loaded");
    };
    assert_eq!(db.attr("password"), &Value::unknown("sensitive value"));
    assert_eq!(
        db.attr("master_user_secret.0.secret_arn"),
        &Value::unknown("sensitive value")
    );
    assert_eq!(db.attr("master_user_secret.0.kms_key_id"), &Value::from("k"));
    let rendered = serde_json::to_string(&out.resources).unwrap_or_default();
    assert!(!rendered.contains("hunter2"));
}

#[test]
fn terraform_data_state_edges_and_sensitive_values() {
    for path in [
        "tests/state/terraform_data/terraform.tfstate",
        "tests/state/terraform_data/show.json",
    ] {
        let out = load(path);
        let edges = edges(&out);
        let prefix = if path.ends_with(".tfstate") {
            "input.value."
        } else {
            "input."
        };
        assert!(
            edges.contains(&edge(
                r#"terraform_data.b["data"]"#,
                &format!("{prefix}dep"),
                "terraform_data.a[0]"
            )),
            "{path}: {edges:?}"
        );
        assert!(
            edges.contains(&edge(
                r#"terraform_data.b["logs"]"#,
                "triggers_replace.0",
                "terraform_data.c"
            )) || edges.contains(&edge(
                r#"terraform_data.b["logs"]"#,
                "triggers_replace.value.0",
                "terraform_data.c"
            ))
        );
        let c = out.resources.iter().find(|r| r.id == "terraform_data.c");
        assert_eq!(c.map(|r| r.attr("input").is_unknown()), Some(true), "{path}");
        assert!(out.errors.is_empty(), "{path}: {:?}", out.errors);
    }
}

#[test]
fn locations_beside_the_state_and_in_installed_modules() {
    let out = load("tests/state/terraform_data/terraform.tfstate");
    let location = |id: &str| {
        out.resources
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.location())
            .map(|l| (l.file.clone(), l.line))
    };
    assert_eq!(
        location("terraform_data.a[1]"),
        Some(("tests/state/terraform_data/main.tf".to_string(), 1))
    );
    assert_eq!(
        location("module.net.terraform_data.other"),
        Some(("tests/state/terraform_data/mods/net/main.tf".to_string(), 5))
    );
    let aws = load("tests/state/aws/terraform.tfstate");
    let vpc = aws.resources.iter().find(|r| r.id == "aws_vpc.main");
    assert_eq!(vpc.and_then(|r| r.location()).map(|l| l.line), Some(3));
    let sg = aws.resources.iter().find(|r| r.id == "aws_security_group.web");
    assert_eq!(sg.and_then(|r| r.location()), None);
}

#[test]
fn unsupported_state_version_is_an_error() {
    let doc = json!({"version": 3, "resources": []});
    let out = load_state(Path::new("old.tfstate"), &doc);
    assert!(out.resources.is_empty());
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].message.contains("version 3"));
}
