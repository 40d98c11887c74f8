//! `attest remediate` on EC2 against moto: security group rules, network ACL entries, tags and
//! EBS encryption by default put back to the baseline; a deleted flow log created again; drift
//! left to a person; added groups, ACLs and flow logs kept or deleted.
//!
//! A re-created flow log has a new id; drift recognizes it as the baseline's flow log back (same
//! settings), so after the re-creation there is no drift and a second run is a no-op.
#![cfg(feature = "aws")]

mod common;

use common::Moto;
use serde_json::Value;

/// The operations of a plan, in order.
fn operations(plan: &Value) -> Vec<&str> {
    plan["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["call"]["operation"].as_str())
        .collect()
}

/// Every scenario in sequence: they share moto. Each has its own environment, whose baseline is
/// the account as the scenarios before it left it.
#[test]
fn remediate_ec2_network_and_compute() {
    let Some(m) = Moto::start() else {
        return;
    };
    // A VPC of our own: its default group and ACL come with it.
    m.boto(
        r#"
v = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
state["vpc"] = v
state["default_sg"] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [v]},
    {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
"#,
    );

    // 1. Security groups: rules revoked and added (one source joins an existing rule), a rule
    //    description and tags changed, the egress rule revoked, the VPC's default group opened.
    m.boto(
        r#"
g = ec2.create_security_group(GroupName="web", Description="web", VpcId=state["vpc"])["GroupId"]
state["sg"] = g
ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}]},
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": g}]}])
ec2.create_tags(Resources=[g], Tags=[{"Key": "Name", "Value": "web"}])
"#,
    );
    m.env_add("groups", "ec2");
    m.scan_and_baseline("groups");
    m.boto(
        r#"
g = state["sg"]
ec2.revoke_security_group_ingress(GroupId=g, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": g}]}])
ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "1.2.3.4/32"}]},
    {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ec2.update_security_group_rule_descriptions_ingress(GroupId=g, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "changed"}]}])
ec2.revoke_security_group_egress(GroupId=g, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ec2.create_tags(Resources=[g], Tags=[{"Key": "Name", "Value": "changed"}, {"Key": "Owner", "Value": "someone"}])
ec2.authorize_security_group_ingress(GroupId=state["default_sg"], IpPermissions=[
    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
"#,
    );
    let plan = m.remediate_and_verify(
        "groups",
        &[
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "UpdateSecurityGroupRuleDescriptionsIngress",
            "CreateTags",
            "DeleteTags",
            "RevokeSecurityGroupIngress",
        ],
    );
    // Access comes back before anything is revoked; only the source that joined the ssh rule goes.
    let ops = operations(&plan);
    let first_revoke = ops.iter().position(|o| o.starts_with("Revoke"));
    let last_authorize = ops.iter().rposition(|o| o.starts_with("Authorize"));
    assert!(last_authorize < first_revoke, "{ops:?}");
    let revoked: Vec<String> = plan["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["call"]["operation"] == "RevokeSecurityGroupIngress")
        .map(|a| a["summary"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        revoked.len(),
        3,
        "1.2.3.4/32, 3389 and the default group's rule: {revoked:?}"
    );
    assert!(
        revoked.contains(&"revoke ingress tcp 22 from 1.2.3.4/32".to_string()),
        "{revoked:?}"
    );
    let s = m.boto(
        r#"
def rules(perms):
    out = []
    for p in perms:
        head = [p["IpProtocol"], p.get("FromPort", ""), p.get("ToPort", "")]
        for r in p.get("IpRanges", []):
            out.append(head + [r["CidrIp"], r.get("Description", "")])
        for r in p.get("UserIdGroupPairs", []):
            out.append(head + [r["GroupId"]])
    return sorted(" ".join(str(x) for x in o if x != "") for o in out)
g = ec2.describe_security_groups(GroupIds=[state["sg"]])["SecurityGroups"][0]
state["ingress"] = rules(g["IpPermissions"])
state["egress"] = rules(g["IpPermissionsEgress"])
state["tags"] = sorted((t["Key"], t["Value"]) for t in g.get("Tags", []))
d = ec2.describe_security_groups(GroupIds=[state["default_sg"]])["SecurityGroups"][0]
state["default_ingress"] = rules(d["IpPermissions"])
"#,
    );
    let sg = s["sg"].as_str().unwrap_or_default();
    assert_eq!(
        s["ingress"],
        serde_json::json!([
            "tcp 22 22 10.0.0.0/8 ssh",
            "tcp 443 443 0.0.0.0/0",
            format!("tcp 5432 5432 {sg}")
        ])
    );
    assert_eq!(s["egress"], serde_json::json!(["-1 0.0.0.0/0"]));
    assert_eq!(s["tags"], serde_json::json!([["Name", "web"]]));
    // moto's default group starts without the self-referencing rule AWS gives it.
    assert_eq!(s["default_ingress"], serde_json::json!([]));

    // 2. A network ACL: an entry deleted, one widened, one added, the egress entry deleted.
    m.boto(
        r#"
a = ec2.create_network_acl(VpcId=state["vpc"])["NetworkAcl"]["NetworkAclId"]
state["acl"] = a
ec2.create_network_acl_entry(NetworkAclId=a, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
    CidrBlock="10.0.0.0/8", PortRange={"From": 22, "To": 22})
ec2.create_network_acl_entry(NetworkAclId=a, RuleNumber=110, Protocol="1", RuleAction="deny", Egress=False,
    CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": 8, "Code": -1})
ec2.create_network_acl_entry(NetworkAclId=a, RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=True,
    CidrBlock="0.0.0.0/0")
"#,
    );
    m.env_add("acls", "ec2");
    m.scan_and_baseline("acls");
    m.boto(
        r#"
a = state["acl"]
ec2.delete_network_acl_entry(NetworkAclId=a, RuleNumber=110, Egress=False)
ec2.replace_network_acl_entry(NetworkAclId=a, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
    CidrBlock="0.0.0.0/0", PortRange={"From": 0, "To": 65535})
ec2.create_network_acl_entry(NetworkAclId=a, RuleNumber=200, Protocol="-1", RuleAction="allow", Egress=False,
    CidrBlock="0.0.0.0/0")
ec2.delete_network_acl_entry(NetworkAclId=a, RuleNumber=100, Egress=True)
"#,
    );
    let plan = m.remediate_and_verify(
        "acls",
        &[
            "CreateNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "DeleteNetworkAclEntry",
        ],
    );
    assert_eq!(
        operations(&plan),
        [
            "CreateNetworkAclEntry",
            "CreateNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "DeleteNetworkAclEntry"
        ],
        "{plan}"
    );
    let s = m.boto(
        r#"
acl = ec2.describe_network_acls(NetworkAclIds=[state["acl"]])["NetworkAcls"][0]
state["entries"] = sorted(" ".join(str(x) for x in ["egress" if e["Egress"] else "ingress", e["RuleNumber"],
    e["RuleAction"], e["Protocol"], e["CidrBlock"], e.get("PortRange", {}).get("To", "")] if x != "")
    for e in acl["Entries"])
"#,
    );
    assert_eq!(
        s["entries"],
        serde_json::json!([
            "egress 100 allow -1 0.0.0.0/0",
            "ingress 100 allow 6 10.0.0.0/8 22",
            // moto drops the ICMP type and code of entries (boto3's and attest's alike).
            "ingress 110 deny 1 0.0.0.0/0"
        ])
    );

    // 3. EBS encryption by default turned off.
    m.boto("ec2.enable_ebs_encryption_by_default()");
    m.env_add("ebs", "ec2");
    m.scan_and_baseline("ebs");
    m.boto("ec2.disable_ebs_encryption_by_default()");
    m.remediate_and_verify("ebs", &["EnableEbsEncryptionByDefault"]);
    let s = m.boto(r#"state["ebs"] = ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"]"#);
    assert_eq!(s["ebs"], true);

    // 4. A deleted flow log is created again with the baseline's settings (and a new id).
    m.boto(
        r#"
logs.create_log_group(logGroupName="attest-flows")
state["fl"] = ec2.create_flow_logs(ResourceIds=[state["vpc"]], ResourceType="VPC", TrafficType="ALL",
    LogDestinationType="cloud-watch-logs", LogGroupName="attest-flows",
    DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flows", MaxAggregationInterval=60,
    TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "Name", "Value": "flows"}]}])["FlowLogIds"][0]
"#,
    );
    m.env_add("flows", "ec2");
    m.scan_and_baseline("flows");
    m.boto(r#"ec2.delete_flow_logs(FlowLogIds=[state["fl"]])"#);
    m.scan("flows");
    let (code, plan) = m.remediate("flows", &[]);
    assert_eq!(code, Some(1), "{plan}");
    assert_eq!(operations(&plan), ["CreateFlowLogs"], "{plan}");
    assert!(plan["manual"].as_array().is_some_and(Vec::is_empty), "{plan}");
    let params = &plan["actions"][0]["call"]["params"];
    assert_eq!(params["LogGroupName"], "attest-flows", "{plan}");
    let (code, applied) = m.remediate("flows", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "{applied}");
    assert_eq!(applied["results"][0]["status"], "applied", "{applied}");
    assert_eq!(m.events("flows", "remediation").len(), 1);
    let s = m.boto(
        r#"
fls = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [state["vpc"]]}])["FlowLogs"]
state["flows"] = [{"id": f["FlowLogId"], "traffic": f["TrafficType"], "group": f.get("LogGroupName"),
    "role": f.get("DeliverLogsPermissionArn"), "interval": f.get("MaxAggregationInterval"),
    "type": f.get("LogDestinationType"), "tags": {t["Key"]: t["Value"] for t in f.get("Tags", [])}} for f in fls]
"#,
    );
    let flows = s["flows"].as_array().cloned().unwrap_or_default();
    assert_eq!(flows.len(), 1, "{flows:?}");
    let f = &flows[0];
    assert_ne!(f["id"], s["fl"], "a new flow log");
    assert_eq!(
        (&f["traffic"], &f["group"], &f["role"], &f["interval"], &f["type"]),
        (
            &Value::from("ALL"),
            &Value::from("attest-flows"),
            &Value::from("arn:aws:iam::123456789012:role/flows"),
            &Value::from(60),
            &Value::from("cloud-watch-logs")
        ),
        "{f}"
    );
    assert_eq!(f["tags"], serde_json::json!({"Name": "flows"}));
    // The re-created flow log is the baseline's back: no drift, and nothing more to do.
    let (code, drift) = m.drift("flows");
    assert_eq!(code, Some(0), "{drift}");
    let old = s["fl"].as_str().unwrap_or_default();
    let new = f["id"].as_str().unwrap_or_default();
    let pair = &drift["recreated"][0];
    assert!(pair[0].as_str().is_some_and(|k| k.ends_with(old)), "{drift}");
    assert!(pair[1].as_str().is_some_and(|k| k.ends_with(new)), "{drift}");
    let (code, again) = m.remediate("flows", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "{again}");
    assert!(again["actions"].as_array().is_some_and(Vec::is_empty), "{again}");

    // 5. Drift left to a person: a deleted group and a subnet moved to another network ACL.
    m.boto(
        r#"
state["gone"] = ec2.create_security_group(GroupName="gone", Description="gone", VpcId=state["vpc"])["GroupId"]
state["subnet"] = ec2.create_subnet(VpcId=state["vpc"], CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
"#,
    );
    m.env_add("manual", "ec2");
    m.scan_and_baseline("manual");
    m.boto(
        r#"
ec2.delete_security_group(GroupId=state["gone"])
acl = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [state["subnet"]]}])["NetworkAcls"][0]
assoc = [a for a in acl["Associations"] if a["SubnetId"] == state["subnet"]][0]["NetworkAclAssociationId"]
ec2.replace_network_acl_association(AssociationId=assoc, NetworkAclId=state["acl"])
"#,
    );
    m.scan("manual");
    let (code, plan) = m.remediate("manual", &[]);
    assert_eq!(code, Some(1), "{plan}");
    assert!(plan["actions"].as_array().is_some_and(Vec::is_empty), "{plan}");
    let manual = plan["manual"].as_array().cloned().unwrap_or_default();
    let reason = |ty: &str| -> Vec<String> {
        manual
            .iter()
            .filter(|i| i["type"] == ty)
            .map(|i| i["reason"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let gone = reason("aws_security_group");
    assert_eq!(gone.len(), 1, "{plan}");
    assert!(gone[0].contains("re-create it from code"), "{plan}");
    for ty in ["aws_network_acl", "aws_default_network_acl"] {
        let moved = reason(ty);
        assert_eq!(moved.len(), 1, "{ty}: {plan}");
        assert!(moved[0].contains("associate the subnets again"), "{plan}");
    }
    assert!(manual
        .iter()
        .all(|i| i["path"] != "subnet_ids[]" || i["kind"] == "MODIFIED"));

    // 6. Added resources: kept by default, deleted with --delete-added.
    m.env_add("added", "ec2");
    m.scan_and_baseline("added");
    m.boto(
        r#"
v = state["vpc"]
state["extra_sg"] = ec2.create_security_group(GroupName="extra", Description="extra", VpcId=v)["GroupId"]
state["extra_acl"] = ec2.create_network_acl(VpcId=v)["NetworkAcl"]["NetworkAclId"]
logs.create_log_group(logGroupName="attest-extra")
state["extra_fl"] = ec2.create_flow_logs(ResourceIds=[v], ResourceType="VPC", TrafficType="REJECT",
    LogDestinationType="cloud-watch-logs", LogGroupName="attest-extra",
    DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flows")["FlowLogIds"][0]
"#,
    );
    m.scan("added");
    let (code, plan) = m.remediate("added", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "only kept resources: {plan}");
    assert!(plan["actions"].as_array().is_some_and(Vec::is_empty), "{plan}");
    let mut kept: Vec<&str> = plan["kept"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["type"].as_str())
        .collect();
    kept.sort_unstable();
    assert_eq!(
        kept,
        ["aws_flow_log", "aws_network_acl", "aws_security_group"],
        "{plan}"
    );
    let exists = r#"
state["exist"] = [
    len([g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupId"] == state["extra_sg"]]),
    len([a for a in ec2.describe_network_acls()["NetworkAcls"] if a["NetworkAclId"] == state["extra_acl"]]),
    len([f for f in ec2.describe_flow_logs()["FlowLogs"] if f["FlowLogId"] == state["extra_fl"]])]
"#;
    assert_eq!(m.boto(exists)["exist"], serde_json::json!([1, 1, 1]));

    let delete = "--delete-added=aws_security_group,aws_network_acl,aws_flow_log";
    let (code, plan) = m.remediate("added", &[delete]);
    assert_eq!(code, Some(1), "{plan}");
    let mut ops = operations(&plan);
    ops.sort_unstable();
    assert_eq!(
        ops,
        ["DeleteFlowLogs", "DeleteNetworkAcl", "DeleteSecurityGroup"],
        "{plan}"
    );
    assert!(
        plan["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|a| a["step"] == "delete_added"),
        "{plan}"
    );
    let (code, applied) = m.remediate("added", &[delete, "--apply", "--yes"]);
    assert_eq!(code, Some(0), "{applied}");
    assert!(
        applied["results"]
            .as_array()
            .is_some_and(|r| r.len() == 3 && r.iter().all(|r| r["status"] == "applied")),
        "{applied}"
    );
    assert_eq!(m.boto(exists)["exist"], serde_json::json!([0, 0, 0]));
    let (code, drift) = m.drift("added");
    assert_eq!(code, Some(0), "{drift}");
}
