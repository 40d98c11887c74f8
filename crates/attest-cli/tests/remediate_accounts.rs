//! Remediation in an environment of several accounts: each call is made in the drifted
//! resource's own account, through that account's role, and nowhere else.
#![cfg(feature = "aws")]

mod common;

use common::{stderr, Moto};

const A: &str = "111111111111";
const B: &str = "222222222222";

/// boto3 code run as the `attest-audit` role of each account: `clients[account]` is an EC2 client.
fn as_accounts(m: &Moto, code: &str) -> serde_json::Value {
    m.boto(&format!(
        r#"
sts = c("sts")
clients = {{}}
for acct in ["{A}", "{B}"]:
    cr = sts.assume_role(RoleArn=f"arn:aws:iam::{{acct}}:role/attest-audit", RoleSessionName="attest-test")["Credentials"]
    clients[acct] = boto3.client("ec2", endpoint_url=E, region_name="us-east-1",
        aws_access_key_id=cr["AccessKeyId"], aws_secret_access_key=cr["SecretAccessKey"],
        aws_session_token=cr["SessionToken"])
{code}
"#
    ))
}

#[test]
fn each_call_goes_to_the_resources_account() {
    let Some(m) = Moto::start() else { return };
    as_accounts(
        &m,
        r#"
for acct, ec in clients.items():
    vpc = ec.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    sg = ec.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ec.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443,
        "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    state[acct] = sg
"#,
    );
    std::fs::write(
        m.path().join("accounts.toml"),
        format!("[[account]]\nid = \"{A}\"\nrole = \"attest-audit\"\n\n[[account]]\nid = \"{B}\"\nrole = \"attest-audit\"\n"),
    )
    .expect("write");
    let o = m.attest(&[
        "env",
        "add",
        "org",
        "--aws",
        "--endpoint-url",
        &m.endpoint,
        "--region",
        "us-east-1",
        "--services",
        "ec2",
        "--accounts-file",
        "accounts.toml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    m.scan_and_baseline("org");

    // Port 22 opened in account B only.
    as_accounts(
        &m,
        &format!(
            r#"
clients["{B}"].authorize_security_group_ingress(GroupId=state["{B}"], IpPermissions=[{{"IpProtocol": "tcp",
    "FromPort": 22, "ToPort": 22, "IpRanges": [{{"CidrIp": "0.0.0.0/0"}}]}}])
"#
        ),
    );
    m.scan("org");
    let (code, plan) = m.remediate("org", &[]);
    assert_eq!(code, Some(1), "{plan}");
    let actions = plan["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{plan}");
    assert_eq!(actions[0]["account"], B, "{plan}");
    assert_eq!(actions[0]["call"]["operation"], "RevokeSecurityGroupIngress");

    let (code, applied) = m.remediate("org", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "{applied}");
    assert_eq!(applied["rescan"]["drift"]["modified"], 0, "{applied}");
    let state = as_accounts(
        &m,
        r#"
for acct, ec in clients.items():
    g = ec.describe_security_groups(GroupIds=[state[acct]])["SecurityGroups"][0]
    state["ports_" + acct] = sorted(p.get("FromPort", -1) for p in g["IpPermissions"])
"#,
    );
    assert_eq!(state[format!("ports_{A}")], serde_json::json!([443]));
    assert_eq!(state[format!("ports_{B}")], serde_json::json!([443]));
    let (code, drift) = m.drift("org");
    assert_eq!(code, Some(0), "{drift}");
}
