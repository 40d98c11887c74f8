//! Inline suppressions (`# attest:ignore <rule> <reason>`) through the real `attest` binary.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn attest(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run attest")
}

fn report(dir: &Path, format: &str) -> (i32, Value) {
    let o = attest(dir, &["scan", "--no-config", "--format", format, "infra"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code().expect("exit code"), v)
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A security group open to the world on port 80 (fails `aws-ec2-sg-no-public-http`, alias
/// `FG_R00041`), with `comment` on the lines above its header.
fn open_sg(comment: &str) -> String {
    format!(
        r#"{comment}
resource "aws_security_group" "web" {{
  name = "web"
  ingress {{
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"#
    )
}

fn finding<'a>(r: &'a Value, rule: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no finding of {rule}: {r}"))
}

#[test]
fn suppressed_failure_is_waived_inline() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        &open_sg("# attest:ignore aws-ec2-sg-no-public-http public web tier, see NET-42"),
    );
    let (status, r) = report(dir.path(), "json");
    assert_eq!(status, 0, "{r}");
    let f = finding(&r, "aws-ec2-sg-no-public-http");
    assert_eq!(f["outcome"], "waived");
    assert_eq!(f["waiver"]["source"], "inline");
    assert_eq!(f["waiver"]["reason"], "public web tier, see NET-42");
    assert_eq!(f["waiver"]["original"], "fail");
    assert_eq!(r["notices"], serde_json::json!([]));
}

#[test]
fn suppression_by_alias_with_slash_comment() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        &open_sg("// attest:ignore fg_r00041 behind the CDN"),
    );
    let (status, r) = report(dir.path(), "json");
    assert_eq!(status, 0, "{r}");
    let f = finding(&r, "aws-ec2-sg-no-public-http");
    assert_eq!(f["outcome"], "waived");
    assert_eq!(f["waiver"]["source"], "inline");
    assert_eq!(f["waiver"]["reason"], "behind the CDN");
}

#[test]
fn missing_reason_is_an_error_and_the_finding_still_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", &open_sg("# attest:ignore FG_R00041"));
    let (status, r) = report(dir.path(), "json");
    assert_eq!(status, 1, "{r}");
    assert_eq!(finding(&r, "aws-ec2-sg-no-public-http")["outcome"], "fail");
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{r}");
    assert!(errors[0]["file"].as_str().unwrap().ends_with("main.tf"), "{r}");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("attest:ignore needs a rule id and a reason"),
        "{r}"
    );
}

#[test]
fn unknown_and_unused_suppressions_are_notices() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        &open_sg(
            "# attest:ignore aws-no-such-rule why\n# attest:ignore aws-dynamodb-kms-encryption no table here",
        ),
    );
    let (status, r) = report(dir.path(), "json");
    assert_eq!(status, 1, "{r}");
    assert_eq!(finding(&r, "aws-ec2-sg-no-public-http")["outcome"], "fail");
    let notices: Vec<&str> = r["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices
            .iter()
            .any(|n| n.contains("`aws-no-such-rule`, which is not a rule")),
        "{notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n.contains("main.tf:2:1 for `aws-dynamodb-kms-encryption` matched no finding")),
        "{notices:?}"
    );
}

#[test]
fn sarif_marks_the_suppression_in_source() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/main.tf",
        &open_sg("/* attest:ignore FG_R00041 public web tier */"),
    );
    let (status, sarif) = report(dir.path(), "sarif");
    assert_eq!(status, 0, "{sarif}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "aws-ec2-sg-no-public-http")
        .unwrap_or_else(|| panic!("{sarif}"));
    let s = &result["suppressions"][0];
    assert_eq!(s["kind"], "inSource", "{result}");
    assert_eq!(s["justification"], "public web tier");
}
