//! `attest scan --aws` and `attest snapshot --aws` as a user runs them: against moto (started by
//! `scripts/services.sh`, which exports `ATTEST_MOTO_ENDPOINT`), and the argument checks that need
//! no account.
#![cfg(feature = "aws")]

use std::path::Path;
use std::process::{Command, Output};

fn attest(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .output()
        .expect("run attest")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn moto() -> Option<String> {
    match std::env::var("ATTEST_MOTO_ENDPOINT") {
        Ok(e) if !e.is_empty() => Some(e),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "ATTEST_MOTO_ENDPOINT is not set in CI: run the tests through scripts/services.sh"
            );
            eprintln!("notice: ATTEST_MOTO_ENDPOINT is not set; skipping the live CLI tests");
            None
        }
    }
}

#[test]
fn bad_live_arguments_are_refused_before_any_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = attest(dir.path(), &["scan", "--aws", "--services", "ec2,bogus"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown service `bogus`"), "{}", stderr(&o));

    std::fs::write(
        dir.path().join("accounts.toml"),
        "[[account]]\nid = \"111122223333\"\nrole = 7\n",
    )
    .expect("write");
    let o = attest(dir.path(), &["scan", "--aws", "--accounts-file", "accounts.toml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("accounts.toml:3:8:"), "{}", stderr(&o));

    // An external id means nothing without a role.
    let o = attest(dir.path(), &["scan", "--aws", "--external-id", "x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // --all-regions and --region contradict each other.
    let o = attest(
        dir.path(),
        &["scan", "--aws", "--all-regions", "--region", "eu-west-1"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn snapshot_then_offline_rescan() {
    let Some(endpoint) = moto() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let live = [
        "--aws",
        "--endpoint-url",
        endpoint.as_str(),
        "--region",
        "us-east-1",
        "--services",
        "ec2,iam",
    ];
    let mut args = vec!["snapshot", "-o", "inventory.json"];
    args.extend_from_slice(&live);
    let o = attest(dir.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The call summary: counted by operation, grouped by service.
    let err = stderr(&o);
    assert!(
        err.lines().any(|l| l.starts_with("attest: ")
            && l.contains(" AWS API calls in ")
            && l.contains(" answered with an error, ")
            && l.contains("ec2 ")
            && l.contains("iam ")),
        "{err}"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("inventory.json")).expect("inventory"))
            .expect("inventory is JSON");
    assert_eq!(doc["scopes"], serde_json::json!(["aws:123456789012:us-east-1"]));
    assert_eq!(doc["errors"], serde_json::json!([]));
    let types: Vec<&str> = doc["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["type"].as_str())
        .collect();
    for t in [
        "aws_vpc",
        "aws_default_security_group",
        "aws_region",
        "aws_caller_identity",
    ] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }

    // The live scan and the rescan of its inventory give the same findings.
    let findings = |o: &Output| -> Vec<(String, String, String)> {
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(o)));
        let mut f: Vec<_> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap_or_default().to_string(),
                    f["resource_id"].as_str().unwrap_or_default().to_string(),
                    f["outcome"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        f.sort();
        f
    };
    let mut args = vec!["scan", "--format", "json"];
    args.extend_from_slice(&live);
    let scanned = attest(dir.path(), &args);
    let rescanned = attest(dir.path(), &["scan", "--format", "json", "inventory.json"]);
    assert_eq!(scanned.status.code(), rescanned.status.code());
    let (a, b) = (findings(&scanned), findings(&rescanned));
    assert!(!a.is_empty());
    assert_eq!(a, b);
    // Services left out make the account rules that need them unknown, not failing.
    assert!(
        a.contains(&(
            "aws-iam-access-analyzer-enabled".to_string(),
            "aws_region:us-east-1".to_string(),
            "unknown".to_string()
        )),
        "{a:#?}"
    );
}
