//! `attest remediate` as a user meets it: the confirmation rules, added resources left alone,
//! plans for code environments refused, and enforcement mode (the per-type reverts are in
//! tests/remediate_*.rs).
#![cfg(feature = "aws")]

mod common;

use common::{stderr, stdout, Moto};

#[test]
fn confirmation_added_resources_and_enforcement() {
    // Without an account: the argument checks.
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    )
    .expect("write");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_attest"))
            .args(args)
            .current_dir(tmp.path())
            .env("ATTEST_DATABASE", tmp.path().join("attest.db"))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run attest")
    };
    assert!(run(&["env", "add", "code", "--path", "."]).status.success());
    assert!(run(&["scan", "--env", "code", "--fail-on", "none"])
        .status
        .success());
    let o = run(&["remediate", "code"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("scans code, not an AWS account"),
        "{}",
        stderr(&o)
    );
    let o = run(&["remediate", "code", "--types", "aws_nonsense"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no automatic remediation for `aws_nonsense`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["env", "set", "code", "--enforce"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to enforce"), "{}", stderr(&o));

    let Some(m) = Moto::start() else { return };
    let state = m.boto(
        r#"
vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
sg = ec2.create_security_group(GroupName="app", Description="app tier", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443,
    "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
state.update(vpc=vpc, sg=sg)
"#,
    );
    let sg = state["sg"].as_str().expect("sg").to_string();
    m.env_add("prod", "ec2");
    m.scan_and_baseline("prod");

    // Drift: port 22 opened to the world, and a new security group.
    let state = m.boto(
        r#"
ec2.authorize_security_group_ingress(GroupId=state["sg"], IpPermissions=[{"IpProtocol": "tcp",
    "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
state["extra"] = ec2.create_security_group(GroupName="extra", Description="added by hand",
    VpcId=state["vpc"])["GroupId"]
"#,
    );
    let extra = state["extra"].as_str().expect("extra").to_string();
    m.scan("prod");

    // The plan: revoke the new rule; the new group is kept.
    let (code, plan) = m.remediate("prod", &[]);
    assert_eq!(code, Some(1), "{plan}");
    let actions = plan["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{plan}");
    assert_eq!(actions[0]["call"]["operation"], "RevokeSecurityGroupIngress");
    assert_eq!(actions[0]["call"]["params"]["GroupId"], sg.as_str());
    assert_eq!(actions[0]["step"], "remove");
    assert!(
        plan["kept"]
            .as_array()
            .is_some_and(|k| k.iter().any(|r| r["physical_id"] == extra.as_str())),
        "{plan}"
    );
    let o = m.attest(&["remediate", "prod"]);
    assert!(
        stdout(&o).contains("RevokeSecurityGroupIngress"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("Added since the baseline, kept"),
        "{}",
        stdout(&o)
    );

    // --apply without --yes on a pipe: refused, nothing changed.
    let o = m.attest(&["remediate", "prod", "--apply"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("refusing to apply without confirmation"),
        "{}",
        stderr(&o)
    );
    assert!(m.events("prod", "remediation").is_empty());
    let (code, _) = m.remediate("prod", &[]);
    assert_eq!(code, Some(1), "the plan is still there");

    // Applied: the rule is revoked, the added group survives, the events say what was done.
    let (code, applied) = m.remediate("prod", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "{applied}");
    assert_eq!(applied["results"][0]["status"], "applied", "{applied}");
    assert_eq!(applied["rescan"]["drift"]["modified"], 0, "{applied}");
    assert_eq!(applied["rescan"]["drift"]["added"], 1, "{applied}");
    let state = m.boto(
        r#"
g = ec2.describe_security_groups(GroupIds=[state["sg"]])["SecurityGroups"][0]
state["ports"] = sorted(p.get("FromPort", -1) for p in g["IpPermissions"])
state["extra_alive"] = len(ec2.describe_security_groups(GroupIds=[state["extra"]])["SecurityGroups"]) == 1
"#,
    );
    assert_eq!(state["ports"], serde_json::json!([443]));
    assert_eq!(state["extra_alive"], true);
    let events = m.events("prod", "remediation");
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["detail"]["status"], "applied");
    assert_eq!(
        events[0]["detail"]["call"]["operation"],
        "RevokeSecurityGroupIngress"
    );
    assert_eq!(events[0]["detail"]["before"]["from_port"], 22, "{events:?}");
    assert!(
        events[0]["detail"].get("after").is_none_or(|a| a.is_null()),
        "{events:?}"
    );
    // Again: a no-op.
    let (code, again) = m.remediate("prod", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "{again}");
    assert!(again["actions"].as_array().is_some_and(Vec::is_empty), "{again}");

    // Enforcement: every scan reverts security group drift by itself.
    let o = m.attest(&[
        "env",
        "set",
        "prod",
        "--enforce",
        "--enforce-types",
        "aws_security_group",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = m.attest(&["env", "show", "prod"]);
    assert!(
        stdout(&o).contains("enforce:  aws_security_group"),
        "{}",
        stdout(&o)
    );
    m.boto(
        r#"
ec2.revoke_security_group_ingress(GroupId=state["sg"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443,
    "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
"#,
    );
    let err = m.scan("prod");
    assert!(
        err.contains("enforcement on `prod`: 1 of 1 calls applied"),
        "{err}"
    );
    let state = m.boto(
        r#"
g = ec2.describe_security_groups(GroupIds=[state["sg"]])["SecurityGroups"][0]
state["ports"] = sorted(p.get("FromPort", -1) for p in g["IpPermissions"])
"#,
    );
    assert_eq!(state["ports"], serde_json::json!([443]));
    let events = m.events("prod", "remediation");
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(
        events[1]["detail"]["call"]["operation"],
        "AuthorizeSecurityGroupIngress"
    );
    let o = m.attest(&["env", "set", "prod", "--no-enforce"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
