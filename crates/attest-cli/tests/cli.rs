//! The real `attest` binary, run in temporary directories and on the bundled demo.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn attest(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run attest")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json_report(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let o = attest(dir, &all);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&o), stderr(&o)));
    (code(&o), v)
}

fn outcomes(report: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource_id"].as_str().unwrap().to_string(),
                f["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The rules of the SOC 2 examples, which the demo exercises.
const SOC2_RULES: &[&str] = &[
    "aws-iam-no-admin-policy",
    "aws-ec2-sg-no-public-http",
    "aws-cloudwatch-flow-log-reject-alarm",
    "aws-cloudwatch-cloudfront-4xx-alarm",
    "aws-dynamodb-kms-encryption",
];

/// `--rule` arguments selecting the SOC 2 example rules.
fn soc2_rule_args() -> Vec<&'static str> {
    SOC2_RULES.iter().flat_map(|r| ["--rule", *r]).collect()
}

fn outcomes_for(report: &Value, rules: &[&str]) -> Vec<(String, String, String)> {
    outcomes(report)
        .into_iter()
        .filter(|(rule, _, _)| rules.contains(&rule.as_str()))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const OPEN_SG: &str = r#"
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

const CLOSED_SG: &str = r#"
resource "aws_security_group" "internal" {
  name = "internal"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
"#;

#[test]
fn demo_has_one_pass_and_one_fail_per_rule() {
    let (status, report) = json_report(&repo_root(), &["examples/soc2-demo"]);
    assert_eq!(status, 1);
    let expected = [
        (
            "aws-cloudwatch-cloudfront-4xx-alarm",
            "aws_cloudfront_distribution.downloads",
            "fail",
        ),
        (
            "aws-cloudwatch-cloudfront-4xx-alarm",
            "aws_cloudfront_distribution.site",
            "pass",
        ),
        (
            "aws-cloudwatch-flow-log-reject-alarm",
            "aws_flow_log.legacy",
            "fail",
        ),
        (
            "aws-cloudwatch-flow-log-reject-alarm",
            "aws_flow_log.main",
            "pass",
        ),
        ("aws-dynamodb-kms-encryption", "aws_dynamodb_table.orders", "pass"),
        (
            "aws-dynamodb-kms-encryption",
            "aws_dynamodb_table.sessions",
            "fail",
        ),
        ("aws-ec2-sg-no-public-http", "aws_security_group.alb", "pass"),
        ("aws-ec2-sg-no-public-http", "aws_security_group.web", "fail"),
        ("aws-iam-no-admin-policy", "aws_iam_policy.break_glass", "fail"),
        ("aws-iam-no-admin-policy", "aws_iam_policy.read_logs", "pass"),
        ("aws-iam-no-admin-policy", "aws_iam_role_policy.app_s3", "pass"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(outcomes_for(&report, SOC2_RULES), expected);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{}",
        report["errors"]
    );
    // Roll-up: all 61 SOC 2 criteria, the mission's five primary criteria failing.
    let soc2 = report["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "soc2")
        .unwrap();
    let criteria = soc2["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 61);
    for id in ["CC5.2", "CC6.1", "CC7.2", "CC2.1", "CC8.1"] {
        let c = criteria.iter().find(|c| c["id"] == id).unwrap();
        assert_eq!(c["status"], "fail", "{id}");
    }
    let manual = criteria.iter().filter(|c| c["status"] == "manual").count();
    assert!(manual > 30, "manual criteria are listed, not dropped: {manual}");
    // Findings carry location, aliases and controls.
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource_id"] == "aws_iam_policy.break_glass")
        .unwrap();
    assert_eq!(f["rule_aliases"]["fugue"], "FG_R00092");
    assert_eq!(f["location"]["file"], "examples/soc2-demo/iam.tf");
    assert_eq!(f["location"]["line"], 3);
    assert!(f["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["criterion"] == "CC5.2"));
}

#[test]
fn json_report_matches_committed_schema() {
    let (_, report) = json_report(&repo_root(), &["examples/soc2-demo"]);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let mut args = vec!["scan", "examples/soc2-demo", "-f", "sarif"];
    args.extend(soc2_rule_args());
    let o = attest(&repo_root(), &args);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let sarif: Value = serde_json::from_slice(&o.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("crates/attest-report/tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.iter().filter(|r| r["kind"] == "fail").count(), 5);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5);
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "aws-dynamodb-kms-encryption" && r["kind"] == "fail")
        .unwrap();
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "examples/soc2-demo/data.tf");
    assert!(loc["region"]["startLine"].as_u64().unwrap() > 1);
}

#[test]
fn output_formats_on_the_demo() {
    for format in ["text", "json", "sarif", "junit", "csv"] {
        let mut args = vec![
            "scan",
            "examples/soc2-demo",
            "--format",
            format,
            "--color",
            "never",
        ];
        args.extend(soc2_rule_args());
        let o = attest(&repo_root(), &args);
        assert_eq!(code(&o), 1, "{format}: {}", stderr(&o));
        let out = stdout(&o).replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("demo_{format}"), out);
    }
}

#[test]
fn text_groups_by_criterion_with_file_and_line() {
    let o = attest(&repo_root(), &["scan", "examples/soc2-demo"]);
    let out = stdout(&o);
    assert!(out.contains("CC5.2"), "{out}");
    assert!(out.contains("examples/soc2-demo/iam.tf:3"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
    let o = attest(&repo_root(), &["scan", "examples/soc2-demo", "--color", "always"]);
    assert!(stdout(&o).contains('\u{1b}'));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", OPEN_SG);
    let o = attest(dir.path(), &["scan", ".", "-f", "json", "-o", "out/report.json"]);
    assert_eq!(code(&o), 2, "the output directory does not exist: {}", stderr(&o));
    assert!(stderr(&o).contains("out/report.json"), "{}", stderr(&o));
    let o = attest(dir.path(), &["scan", ".", "-f", "json", "-o", "report.json"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).is_empty());
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["counts"]["fail"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("attest-tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // A device or pipe is written in place, never replaced by a file.
    let o = attest(dir.path(), &["scan", ".", "-f", "json", "-o", "/dev/stdout"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["summary"]["counts"]["fail"], 1);
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean/main.tf", CLOSED_SG);
    write(dir.path(), "open/main.tf", OPEN_SG);
    assert_eq!(code(&attest(dir.path(), &["scan", "clean"])), 0);
    assert_eq!(code(&attest(dir.path(), &["scan", "open"])), 1);
    // The port-80 rule is high: failing on critical only lets it through.
    assert_eq!(
        code(&attest(dir.path(), &["scan", "open", "--fail-on", "critical"])),
        0
    );
    assert_eq!(
        code(&attest(dir.path(), &["scan", "open", "--fail-on", "none"])),
        0
    );
    assert_eq!(
        code(&attest(dir.path(), &["scan", "open", "--fail-on", "high"])),
        1
    );
    // Usage errors and nothing to scan.
    assert_eq!(
        code(&attest(dir.path(), &["scan", "open", "--fail-on", "severe"])),
        2
    );
    assert_eq!(
        code(&attest(dir.path(), &["scan", "open", "--format", "yaml"])),
        2
    );
    assert_eq!(code(&attest(dir.path(), &["scan", "--bogus"])), 2);
    let o = attest(dir.path(), &["scan", "does-not-exist"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("does-not-exist"), "{}", stderr(&o));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let o = attest(dir.path(), &["scan", "empty"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nothing could be scanned"), "{}", stderr(&o));
}

#[test]
fn malformed_file_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/good.tf", OPEN_SG);
    write(
        dir.path(),
        "infra/bad.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  acl = [\n}\n",
    );
    write(
        dir.path(),
        "infra/plan.json",
        "{\"format_version\": \"1.2\", \"planned_values\": {\n  \"root_module\": [\n",
    );
    let (status, report) = json_report(dir.path(), &["infra", "--rule", "aws-ec2-sg-no-public-http"]);
    assert_eq!(status, 1, "the good file was still scanned and fails");
    assert_eq!(
        outcomes(&report),
        vec![(
            "aws-ec2-sg-no-public-http".to_string(),
            "aws_security_group.web".to_string(),
            "fail".to_string()
        )]
    );
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let bad = errors
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("bad.tf"))
        .unwrap();
    assert!(bad["line"].as_u64().unwrap() >= 3, "{bad}");
    assert!(bad["column"].as_u64().is_some(), "{bad}");
    let text = stdout(&attest(dir.path(), &["scan", "infra"]));
    assert!(text.contains("bad.tf:"), "{text}");

    // Only malformed input: nothing could be scanned.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.tf", "resource \"x\" {\n");
    let o = attest(dir.path(), &["scan", "."]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("bad.tf:"), "{}", stderr(&o));
}

#[test]
fn filters_by_rule_alias_severity_and_framework() {
    let root = repo_root();
    let (_, r) = json_report(&root, &["examples/soc2-demo", "--rule", "FG_R00092"]);
    assert!(outcomes(&r)
        .iter()
        .all(|(rule, _, _)| rule == "aws-iam-no-admin-policy"));
    assert_eq!(outcomes(&r).len(), 3);
    let (_, r) = json_report(&root, &["examples/soc2-demo", "--severity", "high"]);
    let severities: std::collections::BTreeSet<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert!(
        severities.iter().all(|s| *s == "high" || *s == "critical"),
        "{severities:?}"
    );
    let rules: std::collections::BTreeSet<_> = outcomes(&r).into_iter().map(|(rule, _, _)| rule).collect();
    assert!(rules.contains("aws-ec2-sg-no-public-http") && rules.contains("aws-iam-no-admin-policy"));
    assert!(
        !rules.contains("aws-dynamodb-kms-encryption"),
        "medium rules are filtered out"
    );
    let (_, r) = json_report(
        &root,
        &["examples/soc2-demo", "--skip-rule", "aws-iam-no-admin-policy"],
    );
    assert!(outcomes(&r)
        .iter()
        .all(|(rule, _, _)| rule != "aws-iam-no-admin-policy"));
    let (_, r) = json_report(&root, &["examples/soc2-demo", "--framework", "soc2"]);
    assert_eq!(r["frameworks"].as_array().unwrap().len(), 1);
    let o = attest(&root, &["scan", "examples/soc2-demo", "--framework", "iso27001"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("iso27001"));
    let o = attest(&root, &["scan", "examples/soc2-demo", "--rule", "no-such-rule"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn waivers_from_config() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", OPEN_SG);
    write(
        dir.path(),
        ".attest.toml",
        r#"
[[waivers]]
rule = "FG_R00041"
resource = "aws_security_group.w*"
reason = "fronted by a WAF appliance, see NET-42"
owner = "netops@example.com"
expires = "2999-12-31"
"#,
    );
    let (status, r) = json_report(dir.path(), &["infra", "--rule", "aws-ec2-sg-no-public-http"]);
    assert_eq!(status, 0, "waived failures do not fail the scan");
    let f = &r["findings"][0];
    assert_eq!(f["outcome"], "waived");
    assert_eq!(f["waiver"]["reason"], "fronted by a WAF appliance, see NET-42");
    assert_eq!(f["waiver"]["owner"], "netops@example.com");
    assert_eq!(f["waiver"]["original"], "fail");

    // Expired: the finding counts again and the report says why.
    write(
        dir.path(),
        ".attest.toml",
        "[[waivers]]\nrule = \"aws-ec2-sg-no-public-http\"\nreason = \"temporary\"\nexpires = \"2001-01-01\"\n",
    );
    let (status, r) = json_report(dir.path(), &["infra", "--rule", "aws-ec2-sg-no-public-http"]);
    assert_eq!(status, 1);
    assert_eq!(r["findings"][0]["outcome"], "fail");
    let notice = r["notices"][0].as_str().unwrap();
    assert!(notice.contains("expired on 2001-01-01"), "{notice}");
    let text = stdout(&attest(dir.path(), &["scan", "infra"]));
    assert!(text.contains("expired on 2001-01-01"), "{text}");

    // A waiver without a reason is refused; unknown keys are refused with file:line.
    write(
        dir.path(),
        ".attest.toml",
        "[[waivers]]\nrule = \"aws-ec2-sg-no-public-http\"\n",
    );
    let o = attest(dir.path(), &["scan", "infra"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("reason"), "{}", stderr(&o));
    write(
        dir.path(),
        ".attest.toml",
        "fail_on = \"high\"\nfailon = \"low\"\n",
    );
    let o = attest(dir.path(), &["scan", "infra"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains(".attest.toml:2:1"), "{}", stderr(&o));
    // --no-config ignores it.
    assert_eq!(code(&attest(dir.path(), &["scan", "infra", "--no-config"])), 1);
}

#[test]
fn config_fail_on_rules_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", OPEN_SG);
    write(
        dir.path(),
        "infra/sandbox/main.tf",
        OPEN_SG.replace("\"web\"", "\"sandbox\"").as_str(),
    );
    write(
        dir.path(),
        ".attest.toml",
        "fail_on = \"critical\"\nexclude = [\"sandbox/**\"]\n",
    );
    let (status, r) = json_report(dir.path(), &["infra"]);
    assert_eq!(status, 0, "fail_on from the config");
    let http = ["aws-ec2-sg-no-public-http"];
    assert_eq!(
        outcomes_for(&r, &http).len(),
        1,
        "sandbox excluded: {:?}",
        outcomes_for(&r, &http)
    );
    write(dir.path(), ".attest.toml", "[rules]\ndisable = [\"FG_R00041\"]\n");
    let (status, r) = json_report(dir.path(), &["infra"]);
    assert_eq!(status, 0);
    assert!(outcomes_for(&r, &http).is_empty(), "disabled by its Fugue alias");
    // --config points elsewhere.
    write(dir.path(), "other.toml", "fail_on = \"none\"\n");
    write(dir.path(), ".attest.toml", "");
    let o = attest(dir.path(), &["scan", "infra", "--config", "other.toml"]);
    assert_eq!(code(&o), 0);
}

#[test]
fn unknown_values_give_unknown_not_pass() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "sse" {
  type = bool
}
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled = var.sse
  }
}
"#,
    );
    let (status, r) = json_report(dir.path(), &[".", "--rule", "aws-dynamodb-kms-encryption"]);
    assert_eq!(status, 0);
    assert_eq!(
        outcomes(&r),
        vec![(
            "aws-dynamodb-kms-encryption".to_string(),
            "aws_dynamodb_table.t".to_string(),
            "unknown".to_string()
        )]
    );
    // With the variable set, the rule decides.
    let (status, r) = json_report(
        dir.path(),
        &[".", "--rule", "aws-dynamodb-kms-encryption", "--var", "sse=true"],
    );
    assert_eq!(status, 0);
    assert_eq!(outcomes(&r)[0].2, "pass");
    let (status, _) = json_report(
        dir.path(),
        &[".", "--rule", "aws-dynamodb-kms-encryption", "--var", "sse=false"],
    );
    assert_eq!(status, 1);
}

#[test]
fn rules_and_frameworks_commands() {
    let root = repo_root();
    let o = attest(&root, &["rules", "list"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    for id in [
        "aws-iam-no-admin-policy",
        "aws-ec2-sg-no-public-http",
        "aws-cloudwatch-flow-log-reject-alarm",
        "aws-cloudwatch-cloudfront-4xx-alarm",
        "aws-dynamodb-kms-encryption",
    ] {
        assert!(out.contains(id), "{out}");
    }
    let o = attest(&root, &["rules", "show", "FG_R00069"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.starts_with("aws-dynamodb-kms-encryption"), "{out}");
    assert!(out.contains("soc2/CC8.1"), "{out}");
    assert!(out.contains("## How to fix"), "{out}");
    let o = attest(
        &root,
        &["rules", "show", "aws-iam-no-admin-policy", "--format", "json"],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["aliases"]["fugue"], "FG_R00092");
    assert_eq!(code(&attest(&root, &["rules", "show", "nope"])), 2);

    let o = attest(&root, &["frameworks", "list"]);
    assert!(stdout(&o).contains("soc2"));
    let o = attest(&root, &["frameworks", "show", "soc2"]);
    let out = stdout(&o);
    assert!(
        out.contains("CC5.2") && out.contains("aws-iam-no-admin-policy"),
        "{out}"
    );
    assert!(out.contains("P8.1"), "{out}");
    let o = attest(&root, &["frameworks", "show", "soc2", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["criteria"].as_array().unwrap().len(), 61);
}

#[test]
fn doctor_lists_functions_not_evaluated() {
    let o = attest(&repo_root(), &["doctor"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.contains("Terraform functions:"), "{out}");
    // A function that cannot be evaluated offline is named.
    assert!(out.contains("rsadecrypt"), "{out}");
    assert!(!out.contains(" jsonencode,"), "{out}");
}

#[test]
fn inventory_files_are_scanned_like_any_input() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "inventory.json",
        r#"{
  "attest_inventory": 1,
  "resources": [
    {
      "id": "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1",
      "type": "aws_security_group",
      "attributes": {
        "name": "web",
        "ingress": [{"from_port": 80, "to_port": 80, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]
      },
      "provenance": {"input": "live", "account": "111122223333", "region": "us-east-1"},
      "physical_id": "sg-0a1"
    },
    {
      "id": "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
      "type": "aws_dynamodb_table",
      "attributes": {"name": "orders", "server_side_encryption": {"$unknown": "AccessDenied on dynamodb:DescribeTable"}},
      "provenance": {"input": "live", "account": "111122223333", "region": "us-east-1"}
    }
  ],
  "references": []
}"#,
    );
    let mut args = vec!["inventory.json"];
    args.extend(soc2_rule_args());
    let (status, r) = json_report(dir.path(), &args);
    assert_eq!(status, 1);
    assert_eq!(
        outcomes(&r),
        vec![
            (
                "aws-dynamodb-kms-encryption".to_string(),
                "arn:aws:dynamodb:us-east-1:111122223333:table/orders".to_string(),
                "unknown".to_string()
            ),
            (
                "aws-ec2-sg-no-public-http".to_string(),
                "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1".to_string(),
                "fail".to_string()
            ),
        ]
    );
    assert_eq!(r["inputs"][0]["kind"], "live");
    // A damaged inventory is an error, and nothing else could be scanned.
    write(
        dir.path(),
        "inventory.json",
        r#"{"attest_inventory": 2, "resources": []}"#,
    );
    let o = attest(dir.path(), &["scan", "inventory.json"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("version 2"), "{}", stderr(&o));
}

#[test]
fn cloudformation_templates_with_parameters() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "stack.yaml",
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Encrypt:
    Type: String
    AllowedValues: ["true", "false"]
Conditions:
  EncryptOn: !Equals [!Ref Encrypt, "true"]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: !If [EncryptOn, true, false]
"#,
    );
    let rule = ["--rule", "aws-dynamodb-kms-encryption"];
    let (status, r) = json_report(dir.path(), &["stack.yaml", rule[0], rule[1]]);
    assert_eq!(status, 0, "a parameter without value gives unknown");
    assert_eq!(r["findings"][0]["outcome"], "unknown");
    assert_eq!(r["findings"][0]["location"]["file"], "stack.yaml");
    assert_eq!(r["findings"][0]["location"]["line"], 9);
    let (status, r) = json_report(
        dir.path(),
        &["stack.yaml", rule[0], rule[1], "--cfn-param", "Encrypt=true"],
    );
    assert_eq!(status, 0);
    assert_eq!(r["findings"][0]["outcome"], "pass");
    write(
        dir.path(),
        "params.json",
        r#"[{"ParameterKey": "Encrypt", "ParameterValue": "false"}]"#,
    );
    let (status, r) = json_report(
        dir.path(),
        &["stack.yaml", rule[0], rule[1], "--cfn-param-file", "params.json"],
    );
    assert_eq!(status, 1);
    assert_eq!(r["findings"][0]["outcome"], "fail");
    assert_eq!(r["inputs"][0]["kind"], "cfn");
}
