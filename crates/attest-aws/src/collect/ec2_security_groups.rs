//! EC2 `DescribeSecurityGroups` → `aws_security_group` with inline `ingress` / `egress` blocks,
//! or `aws_default_security_group` for the default group of a VPC (named `default`), the type
//! Terraform manages it with and the one the "default security group restricts all traffic"
//! rule judges.

use aws_sdk_ec2::types::{IpPermission, SecurityGroup};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Resource};

use super::{drain, tags};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ec2 = client!(c.session, aws_sdk_ec2, "ec2");
    let (groups, err) = drain(ec2.describe_security_groups().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("ec2", "DescribeSecurityGroups", e.message));
    }
    out.resources.extend(groups.iter().filter_map(|g| group(c, g)));
    out
}

pub fn group(c: &Ctx<'_>, g: &SecurityGroup) -> Option<Resource> {
    let id = g.group_id()?;
    let arn = g
        .security_group_arn()
        .map(str::to_string)
        .or_else(|| c.arn("ec2", &format!("security-group/{id}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(g.group_name()));
    a.insert("description".into(), json!(g.description()));
    a.insert("vpc_id".into(), json!(g.vpc_id()));
    a.insert("owner_id".into(), json!(g.owner_id()));
    a.insert(
        "ingress".into(),
        Json::Array(g.ip_permissions().iter().map(|p| permission(id, p)).collect()),
    );
    a.insert(
        "egress".into(),
        Json::Array(
            g.ip_permissions_egress()
                .iter()
                .map(|p| permission(id, p))
                .collect(),
        ),
    );
    a.insert("tags".into(), tags(g.tags().iter().map(|t| (t.key(), t.value()))));
    let ty = if g.group_name() == Some("default") && g.vpc_id().is_some() {
        "aws_default_security_group"
    } else {
        "aws_security_group"
    };
    let rid = arn.unwrap_or_else(|| c.local_id(ty, id));
    Some(c.resource(rid, ty, Some(id), a))
}

/// One API permission as one Terraform rule block. `-1` (all traffic) has no ports in the API
/// and `0` in Terraform.
pub fn permission(own_id: &str, p: &IpPermission) -> Json {
    let groups: Vec<&str> = p
        .user_id_group_pairs()
        .iter()
        .filter_map(|pair| pair.group_id())
        .collect();
    let description = p
        .ip_ranges()
        .iter()
        .filter_map(|r| r.description())
        .chain(p.ipv6_ranges().iter().filter_map(|r| r.description()))
        .next();
    json!({
        "from_port": p.from_port().unwrap_or(0),
        "to_port": p.to_port().unwrap_or(0),
        "protocol": p.ip_protocol().unwrap_or("-1"),
        "cidr_blocks": p.ip_ranges().iter().filter_map(|r| r.cidr_ip()).collect::<Vec<_>>(),
        "ipv6_cidr_blocks": p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6()).collect::<Vec<_>>(),
        "prefix_list_ids": p.prefix_list_ids().iter().filter_map(|r| r.prefix_list_id()).collect::<Vec<_>>(),
        "security_groups": groups.iter().filter(|g| **g != own_id).collect::<Vec<_>>(),
        "self": groups.contains(&own_id),
        "description": description.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_ec2::types::{IpRange, Ipv6Range, UserIdGroupPair};

    use super::*;

    #[test]
    fn permissions_map_to_terraform_blocks() {
        let p = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(80)
            .to_port(80)
            .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .ipv6_ranges(Ipv6Range::builder().cidr_ipv6("::/0").build())
            .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-self").build())
            .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-other").build())
            .build();
        let j = permission("sg-self", &p);
        assert_eq!(j["cidr_blocks"], json!(["0.0.0.0/0"]));
        assert_eq!(j["ipv6_cidr_blocks"], json!(["::/0"]));
        assert_eq!(j["security_groups"], json!(["sg-other"]));
        assert_eq!(j["self"], json!(true));
        let all = permission("sg-1", &IpPermission::builder().ip_protocol("-1").build());
        assert_eq!(
            (all["from_port"].clone(), all["protocol"].clone()),
            (json!(0), json!("-1"))
        );
    }

    #[test]
    fn the_default_group_of_a_vpc_is_a_default_security_group() {
        let s = crate::ctx::Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let default = SecurityGroup::builder()
            .group_id("sg-d")
            .group_name("default")
            .vpc_id("vpc-1")
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("-1")
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id("sg-d").build())
                    .build(),
            )
            .build();
        let r = group(&c, &default).expect("group");
        assert_eq!(r.resource_type, "aws_default_security_group");
        assert_eq!(r.id, "arn:aws:ec2:us-east-1:123456789012:security-group/sg-d");
        assert_eq!(r.attr("ingress.0.self").as_bool(), Some(true));
        let named = SecurityGroup::builder()
            .group_id("sg-n")
            .group_name("web")
            .vpc_id("vpc-1")
            .build();
        assert_eq!(
            group(&c, &named).expect("group").resource_type,
            "aws_security_group"
        );
    }
}
