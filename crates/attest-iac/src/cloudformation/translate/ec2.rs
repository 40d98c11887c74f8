//! EC2: security groups and their rules, VPCs, flow logs.
//!
//! Standalone `AWS::EC2::SecurityGroupIngress` / `Egress` become
//! `aws_vpc_security_group_ingress_rule` / `aws_vpc_security_group_egress_rule`: like the
//! CloudFormation resources, they hold one CIDR, prefix list or group each (`aws_security_group_rule`
//! takes lists). The normalize step joins them into their group's `ingress` / `egress`.

use attest_core::Value;

use super::{each, obj, one_or_list, tags, Ctx, Source, Translated};

/// CloudFormation writes protocol numbers as numbers or strings; Terraform holds strings.
fn protocol(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    }
}

/// Ports of a rule; "all traffic" (`-1`) without ports is 0–0, as Terraform writes it.
fn ports(rule: &Value) -> (Value, Value) {
    let all = matches!(protocol(rule.get("IpProtocol")).as_str(), Some("-1"));
    let port = |key: &str| match rule.get(key) {
        Value::Null if all => Value::from(0),
        other => other.clone(),
    };
    (port("FromPort"), port("ToPort"))
}

fn inline_rule(rule: &Value, egress: bool) -> Value {
    let (from, to) = ports(rule);
    let (group, prefix) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    obj(vec![
        ("protocol", protocol(rule.get("IpProtocol"))),
        ("from_port", from),
        ("to_port", to),
        ("cidr_blocks", one_or_list(rule.get("CidrIp"))),
        ("ipv6_cidr_blocks", one_or_list(rule.get("CidrIpv6"))),
        ("security_groups", one_or_list(rule.get(group))),
        ("prefix_list_ids", one_or_list(rule.get(prefix))),
        ("description", rule.get("Description").clone()),
    ])
}

pub fn security_group(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_security_group",
        obj(vec![
            ("name", p.get("GroupName").clone()),
            ("description", p.get("GroupDescription").clone()),
            ("vpc_id", p.get("VpcId").clone()),
            (
                "ingress",
                each(p.get("SecurityGroupIngress"), |r| inline_rule(r, false)),
            ),
            (
                "egress",
                each(p.get("SecurityGroupEgress"), |r| inline_rule(r, true)),
            ),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

fn standalone_rule(s: &Source, egress: bool) -> Translated {
    let p = s.props;
    let (from, to) = ports(p);
    let (ty, group, prefix) = if egress {
        (
            "aws_vpc_security_group_egress_rule",
            "DestinationSecurityGroupId",
            "DestinationPrefixListId",
        )
    } else {
        (
            "aws_vpc_security_group_ingress_rule",
            "SourceSecurityGroupId",
            "SourcePrefixListId",
        )
    };
    Translated::new(
        s.id,
        ty,
        obj(vec![
            ("security_group_id", p.get("GroupId").clone()),
            ("ip_protocol", protocol(p.get("IpProtocol"))),
            ("from_port", from),
            ("to_port", to),
            ("cidr_ipv4", p.get("CidrIp").clone()),
            ("cidr_ipv6", p.get("CidrIpv6").clone()),
            ("referenced_security_group_id", p.get(group).clone()),
            ("prefix_list_id", p.get(prefix).clone()),
            ("description", p.get("Description").clone()),
        ]),
    )
}

pub fn ingress_rule(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    vec![standalone_rule(s, false)]
}

pub fn egress_rule(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    vec![standalone_rule(s, true)]
}

pub fn vpc(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_vpc",
        obj(vec![
            ("cidr_block", p.get("CidrBlock").clone()),
            ("enable_dns_support", p.get("EnableDnsSupport").clone()),
            ("enable_dns_hostnames", p.get("EnableDnsHostnames").clone()),
            ("instance_tenancy", p.get("InstanceTenancy").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn flow_log(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let target = match p.get("ResourceType").as_str() {
        Some("VPC") => Some("vpc_id"),
        Some("Subnet") => Some("subnet_id"),
        Some("NetworkInterface") => Some("eni_id"),
        Some("TransitGateway") => Some("transit_gateway_id"),
        Some("TransitGatewayAttachment") => Some("transit_gateway_attachment_id"),
        _ => None,
    };
    let mut attrs = vec![
        ("log_destination_type", p.get("LogDestinationType").clone()),
        ("log_group_name", p.get("LogGroupName").clone()),
        ("log_destination", p.get("LogDestination").clone()),
        ("iam_role_arn", p.get("DeliverLogsPermissionArn").clone()),
        ("traffic_type", p.get("TrafficType").clone()),
        ("log_format", p.get("LogFormat").clone()),
        (
            "max_aggregation_interval",
            p.get("MaxAggregationInterval").clone(),
        ),
        ("tags", tags(p.get("Tags"))),
    ];
    if let Some(target) = target {
        attrs.push((target, p.get("ResourceId").clone()));
    }
    vec![Translated::new(s.id, "aws_flow_log", obj(attrs))]
}
