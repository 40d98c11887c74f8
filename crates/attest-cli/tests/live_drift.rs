//! Drift of a live account, as a user meets it: scan an AWS environment (moto), set the baseline,
//! change the account through the AWS API (boto3), scan again: `attest drift` reports exactly
//! those changes, with their old and new values.
#![cfg(feature = "aws")]

mod common;

use common::{stderr as err, Moto};

#[test]
fn live_drift_reports_exactly_the_changes_made() {
    let Some(m) = Moto::start() else { return };
    let dir = m.path();
    let endpoint = m.endpoint.clone();
    m.boto(
        r#"
vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
sg = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443,
    "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
key = kms.create_key(Description="orders")["KeyMetadata"]["Arn"]
ddb.create_table(TableName="orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key})
logs.create_log_group(logGroupName="flows")
role = iam.create_role(RoleName="flow-logs", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
fl = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="REJECT",
    LogGroupName="flows", DeliverLogsPermissionArn=role)["FlowLogIds"][0]
iam.create_user(UserName="alice")
state.update(vpc=vpc, sg=sg, key=key, fl=fl)
"#,
    );
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("state.json")).expect("state")).expect("json");
    let (sg, key, fl) = (
        state["sg"].as_str().expect("sg"),
        state["key"].as_str().expect("key"),
        state["fl"].as_str().expect("fl"),
    );

    let o = m.attest(&[
        "env",
        "add",
        "acct",
        "--aws",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
        "--services",
        "ec2,iam,dynamodb,kms",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = m.attest(&[
        "scan",
        "--env",
        "acct",
        "--fail-on",
        "none",
        "-f",
        "json",
        "-o",
        "r1.json",
    ]);
    assert!(err(&o).contains("recorded scan #1"), "{}", err(&o));
    assert!(m.attest(&["baseline", "set", "acct"]).status.success());

    // A rescan of the unchanged account is not drift (volatile attributes, ordering).
    assert!(m
        .attest(&[
            "scan",
            "--env",
            "acct",
            "--fail-on",
            "none",
            "-f",
            "json",
            "-o",
            "r2.json"
        ])
        .status
        .success());
    let o = m.attest(&["drift", "acct"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));

    // The changes: open port 80 to the world; the table's KMS encryption off (moto ignores
    // UpdateTable's SSESpecification, so the table is re-created without it); a new IAM user;
    // the VPC's flow log deleted.
    m.boto(
        r#"
ec2.authorize_security_group_ingress(GroupId=state["sg"], IpPermissions=[{"IpProtocol": "tcp",
    "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ddb.delete_table(TableName="orders")
ddb.create_table(TableName="orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
iam.create_user(UserName="eve")
ec2.delete_flow_logs(FlowLogIds=[state["fl"]])
"#,
    );
    let o = m.attest(&[
        "scan",
        "--env",
        "acct",
        "--fail-on",
        "none",
        "-f",
        "json",
        "-o",
        "r3.json",
    ]);
    assert!(err(&o).contains("recorded scan #3"), "{}", err(&o));

    let o = m.attest(&["drift", "acct", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    let resources = d["resources"].as_array().expect("resources");
    let mut seen: Vec<(String, String)> = resources
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or("").to_string(),
                r["type"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("ADDED".to_string(), "aws_iam_user".to_string()),
            ("MODIFIED".to_string(), "aws_dynamodb_table".to_string()),
            ("MODIFIED".to_string(), "aws_security_group".to_string()),
            ("REMOVED".to_string(), "aws_flow_log".to_string()),
        ],
        "{}",
        serde_json::to_string_pretty(&d).unwrap_or_default()
    );
    let find = |ty: &str| resources.iter().find(|r| r["type"] == ty).expect("resource");

    let user = find("aws_iam_user");
    assert!(
        user["key"].as_str().is_some_and(|k| k.ends_with(":user/eve")),
        "{user}"
    );
    let flow = find("aws_flow_log");
    assert!(
        flow["key"].as_str().is_some_and(|k| k.contains(fl)) || flow["physical_id"] == fl,
        "{flow}"
    );

    let sg_drift = find("aws_security_group");
    assert!(
        sg_drift["key"].as_str().is_some_and(|k| k.contains(sg)),
        "{sg_drift}"
    );
    let changes = sg_drift["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{sg_drift}");
    assert_eq!(changes[0]["path"], "ingress[]");
    assert!(changes[0].get("old").is_none());
    assert_eq!(changes[0]["new"]["from_port"], 80);
    assert_eq!(changes[0]["new"]["to_port"], 80);
    assert_eq!(changes[0]["new"]["cidr_blocks"][0], "0.0.0.0/0");

    let table = find("aws_dynamodb_table");
    let changes = table["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{table}");
    assert!(
        changes[0]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("server_side_encryption")),
        "{table}"
    );
    assert_eq!(changes[0]["old"]["enabled"], true, "{table}");
    assert_eq!(changes[0]["old"]["kms_key_arn"], key, "{table}");
    assert!(changes[0].get("new").is_none(), "{table}");

    // The same as text, and as events.
    let o = m.attest(&["drift", "acct"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        text.contains("4 resources drifted: 1 added, 1 removed, 2 modified"),
        "{text}"
    );
    let o = m.attest(&["events", "acct", "--kind", "drift", "--format", "json"]);
    let events: serde_json::Value = serde_json::from_slice(&o.stdout).expect("events");
    assert_eq!(events.as_array().map(Vec::len), Some(4), "{events}");
    assert!(events.as_array().into_iter().flatten().all(|e| e["scan_id"] == 3));

    // Three-way: the same account against its code. The code declares the security group with
    // its 443 rule only, the table encrypted with the key, alice, and a user `bob` that was never
    // created.
    std::fs::create_dir_all(dir.join("infra")).expect("mkdir");
    std::fs::write(
        dir.join("infra/main.tf"),
        format!(
            r#"
resource "aws_security_group" "web" {{
  name        = "web"
  description = "web tier"
  vpc_id      = "{vpc}"
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}

resource "aws_dynamodb_table" "orders" {{
  name         = "orders"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
  server_side_encryption {{
    enabled     = true
    kms_key_arn = "{key}"
  }}
}}

resource "aws_iam_user" "alice" {{
  name = "alice"
}}

resource "aws_iam_user" "bob" {{
  name = "bob"
}}
"#,
            vpc = state["vpc"].as_str().expect("vpc"),
        ),
    )
    .expect("write");
    let o = m.attest(&["drift", "acct", "--against-iac", "infra", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    let iac = &d["iac"];
    let addresses = |list: &str| -> Vec<String> {
        iac[list]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                c["code"]["address"]
                    .as_str()
                    .or(c["address"].as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let mut changed = addresses("changed");
    changed.sort();
    assert_eq!(
        changed,
        ["aws_dynamodb_table.orders", "aws_security_group.web"],
        "{iac}"
    );
    assert_eq!(addresses("missing"), ["aws_iam_user.bob"], "{iac}");
    let unmanaged: Vec<&str> = iac["unmanaged"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["key"].as_str())
        .collect();
    assert!(unmanaged.iter().any(|k| k.ends_with(":user/eve")), "{iac}");
    assert!(unmanaged.iter().any(|k| k.ends_with(":role/flow-logs")), "{iac}");
    assert!(!unmanaged.iter().any(|k| k.ends_with(":user/alice")), "{iac}");
    // moto's default VPC and security group are the provider's, not unmanaged.
    let provider: Vec<&str> = iac["provider_managed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r[0]["type"].as_str())
        .collect();
    assert!(
        provider.contains(&"aws_default_security_group") && provider.contains(&"aws_vpc"),
        "{iac}"
    );
    let sg_change = iac["changed"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["code"]["address"] == "aws_security_group.web")
        .expect("sg change");
    assert!(
        sg_change["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["path"] == "ingress[]" && c["new"]["from_port"] == 80),
        "{sg_change}"
    );
    // The text form names each section.
    let o = m.attest(&["drift", "acct", "--against-iac", "infra"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("aws_iam_user.bob"), "{text}");
}
