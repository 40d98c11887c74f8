//! EC2 network layout beyond VPCs and security groups:
//!
//! - `DescribeSubnets` → `aws_subnet` (default subnets too, with `default_for_az`);
//! - `DescribeNetworkAcls` → `aws_network_acl`, or `aws_default_network_acl` for the default ACL
//!   of a VPC, with its entries as Terraform shows them: inline `ingress` / `egress` blocks
//!   (`rule_no`, `action`, `protocol` as the API's number string, `-1` for all, `from_port`,
//!   `to_port`, `cidr_block`, `ipv6_cidr_block`, `icmp_type`, `icmp_code`) without the implicit
//!   final deny entries (rule numbers 32767 and 32768), and `subnet_ids` from its associations;
//! - `DescribeRouteTables` → `aws_route_table`, or `aws_default_route_table` for the main route
//!   table of a VPC, with inline `route` entries as Terraform shows them (the `local` route, VPC
//!   Lattice routes, gateway endpoint routes and routes propagated from a virtual private
//!   gateway left out, as Terraform does) and `associations` (subnet and gateway associations).
//!
//! A failed list call leaves no resource of its type (no placeholder): the rules that look a
//! subnet up from another resource (the Auto Scaling group's zones) then hold an id they cannot
//! resolve and say `unknown`; the live `aws_instance` always carries
//! `associate_public_ip_address`, so the public-IP rule never needs its subnet's
//! `map_public_ip_on_launch`. Network ACLs and route tables are only judged themselves.
//!
//! [`link`] adds the references of the EC2 network family: subnet, network ACL, route table and
//! security group → VPC, network ACL → subnets, route table association → subnet.

use aws_sdk_ec2::types::{NetworkAcl, NetworkAclEntry, Route, RouteOrigin, RouteTable, Subnet};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource};

use super::targets::Targets;
use super::{drain, tags};
use crate::ctx::{client, Ctx};

/// The rule numbers of the entries AWS adds at the end of every network ACL (deny everything
/// else, IPv4 and IPv6). Terraform leaves them out of `ingress` / `egress`.
const IMPLICIT_DENY: [i32; 2] = [32767, 32768];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ec2 = client!(c.session, aws_sdk_ec2, "ec2");
    let ((subnets, subnet_err), (acls, acl_err), (tables, table_err)) = tokio::join!(
        drain(ec2.describe_subnets().into_paginator().items().send()),
        drain(ec2.describe_network_acls().into_paginator().items().send()),
        drain(ec2.describe_route_tables().into_paginator().items().send()),
    );
    let mut out = LoadOutput::default();
    for (e, op) in [
        (subnet_err, "DescribeSubnets"),
        (acl_err, "DescribeNetworkAcls"),
        (table_err, "DescribeRouteTables"),
    ] {
        if let Some(e) = e {
            out.errors.push(c.error("ec2", op, e.message));
        }
    }
    out.resources.extend(subnets.iter().filter_map(|s| subnet(c, s)));
    out.resources
        .extend(acls.iter().filter_map(|n| network_acl(c, n)));
    out.resources
        .extend(tables.iter().filter_map(|t| route_table(c, t)));
    out
}

/// The ARN of an EC2 resource owned by `owner` (a VPC shared through RAM belongs to another
/// account), and the resource id: that ARN when the scanned account owns it, else a
/// region-local id (the owner's scan, if any, holds the ARN).
pub(crate) fn arn_and_id(
    c: &Ctx<'_>,
    resource_type: &str,
    owner: Option<&str>,
    arn: Option<&str>,
    path: &str,
    id: &str,
) -> (Option<String>, String) {
    let account = owner.or(c.account.as_deref());
    let arn = arn
        .map(str::to_string)
        .or_else(|| account.map(|a| format!("arn:{}:ec2:{}:{a}:{path}/{id}", c.partition(), c.region)));
    let own = owner.is_none() || owner == c.account.as_deref();
    let rid = match &arn {
        Some(arn) if own && c.account.is_some() => arn.clone(),
        _ => c.local_id(resource_type, id),
    };
    (arn, rid)
}

pub fn subnet(c: &Ctx<'_>, s: &Subnet) -> Option<Resource> {
    let id = s.subnet_id()?;
    let (arn, rid) = arn_and_id(c, "aws_subnet", s.owner_id(), s.subnet_arn(), "subnet", id);
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("vpc_id".into(), json!(s.vpc_id()));
    a.insert("owner_id".into(), json!(s.owner_id()));
    a.insert("cidr_block".into(), json!(s.cidr_block()));
    a.insert(
        "ipv6_cidr_block".into(),
        json!(s
            .ipv6_cidr_block_association_set()
            .iter()
            .find_map(|b| b.ipv6_cidr_block())
            .unwrap_or_default()),
    );
    a.insert("availability_zone".into(), json!(s.availability_zone()));
    a.insert("availability_zone_id".into(), json!(s.availability_zone_id()));
    a.insert(
        "map_public_ip_on_launch".into(),
        json!(s.map_public_ip_on_launch().unwrap_or(false)),
    );
    a.insert(
        "assign_ipv6_address_on_creation".into(),
        json!(s.assign_ipv6_address_on_creation().unwrap_or(false)),
    );
    a.insert(
        "map_customer_owned_ip_on_launch".into(),
        json!(s.map_customer_owned_ip_on_launch().unwrap_or(false)),
    );
    a.insert("enable_dns64".into(), json!(s.enable_dns64().unwrap_or(false)));
    a.insert("ipv6_native".into(), json!(s.ipv6_native().unwrap_or(false)));
    a.insert("outpost_arn".into(), json!(s.outpost_arn().unwrap_or_default()));
    a.insert(
        "default_for_az".into(),
        json!(s.default_for_az().unwrap_or(false)),
    );
    a.insert("tags".into(), tags(s.tags().iter().map(|t| (t.key(), t.value()))));
    Some(c.resource(rid, "aws_subnet", Some(id), a))
}

pub fn network_acl(c: &Ctx<'_>, n: &NetworkAcl) -> Option<Resource> {
    let id = n.network_acl_id()?;
    let default = n.is_default().unwrap_or(false);
    let ty = if default {
        "aws_default_network_acl"
    } else {
        "aws_network_acl"
    };
    let (arn, rid) = arn_and_id(c, ty, n.owner_id(), None, "network-acl", id);
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    if default {
        a.insert("default_network_acl_id".into(), json!(id));
    }
    a.insert("vpc_id".into(), json!(n.vpc_id()));
    a.insert("owner_id".into(), json!(n.owner_id()));
    let mut subnets: Vec<&str> = n.associations().iter().filter_map(|s| s.subnet_id()).collect();
    subnets.sort_unstable();
    subnets.dedup();
    a.insert("subnet_ids".into(), json!(subnets));
    let entries = |egress: bool| -> Json {
        Json::Array(
            n.entries()
                .iter()
                .filter(|e| e.egress().unwrap_or(false) == egress)
                .filter(|e| !e.rule_number().is_some_and(|no| IMPLICIT_DENY.contains(&no)))
                .map(acl_entry)
                .collect(),
        )
    };
    a.insert("ingress".into(), entries(false));
    a.insert("egress".into(), entries(true));
    a.insert("tags".into(), tags(n.tags().iter().map(|t| (t.key(), t.value()))));
    Some(c.resource(rid, ty, Some(id), a))
}

/// One network ACL entry as a Terraform `ingress` / `egress` block. The API gives protocols as
/// numbers (`6`, `17`, `-1`), as Terraform state holds them. All traffic and ICMP have no port
/// range (Terraform shows 0); a TCP or UDP entry without one leaves its ports null, which the
/// rules read as not known.
pub fn acl_entry(e: &NetworkAclEntry) -> Json {
    let protocol = e.protocol();
    let ports = match (e.port_range(), protocol) {
        (Some(p), _) => (json!(p.from().unwrap_or(0)), json!(p.to().unwrap_or(0))),
        (None, Some("6" | "17" | "tcp" | "udp")) => (Json::Null, Json::Null),
        (None, _) => (json!(0), json!(0)),
    };
    let icmp = e.icmp_type_code();
    json!({
        "rule_no": e.rule_number(),
        "action": e.rule_action().map(|a| a.as_str()),
        "protocol": protocol,
        "from_port": ports.0,
        "to_port": ports.1,
        "cidr_block": e.cidr_block().unwrap_or_default(),
        "ipv6_cidr_block": e.ipv6_cidr_block().unwrap_or_default(),
        "icmp_type": icmp.and_then(|i| i.r#type()).unwrap_or(0),
        "icmp_code": icmp.and_then(|i| i.code()).unwrap_or(0),
    })
}

pub fn route_table(c: &Ctx<'_>, t: &RouteTable) -> Option<Resource> {
    let id = t.route_table_id()?;
    let main = t.associations().iter().any(|a| a.main().unwrap_or(false));
    let ty = if main {
        "aws_default_route_table"
    } else {
        "aws_route_table"
    };
    let (arn, rid) = arn_and_id(c, ty, t.owner_id(), None, "route-table", id);
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    if main {
        a.insert("default_route_table_id".into(), json!(id));
    }
    a.insert("vpc_id".into(), json!(t.vpc_id()));
    a.insert("owner_id".into(), json!(t.owner_id()));
    a.insert(
        "route".into(),
        Json::Array(t.routes().iter().filter_map(route).collect()),
    );
    a.insert(
        "propagating_vgws".into(),
        json!(t
            .propagating_vgws()
            .iter()
            .filter_map(|v| v.gateway_id())
            .collect::<Vec<_>>()),
    );
    a.insert(
        "associations".into(),
        Json::Array(
            t.associations()
                .iter()
                .map(|s| {
                    json!({
                        "route_table_association_id": s.route_table_association_id(),
                        "subnet_id": s.subnet_id().unwrap_or_default(),
                        "gateway_id": s.gateway_id().unwrap_or_default(),
                        "main": s.main().unwrap_or(false),
                    })
                })
                .collect(),
        ),
    );
    a.insert("tags".into(), tags(t.tags().iter().map(|t| (t.key(), t.value()))));
    Some(c.resource(rid, ty, Some(id), a))
}

/// One route as an inline Terraform `route` entry; `None` for the routes Terraform leaves out
/// of `route`: the `local` route, VPC Lattice routes, gateway endpoint routes (managed by the
/// endpoint) and routes propagated from a virtual private gateway.
pub fn route(r: &Route) -> Option<Json> {
    let gateway = r.gateway_id().unwrap_or_default();
    if gateway == "local" || gateway == "VpcLattice" {
        return None;
    }
    if matches!(r.origin(), Some(RouteOrigin::EnableVgwRoutePropagation)) {
        return None;
    }
    let endpoint = gateway.starts_with("vpce-");
    if endpoint && r.destination_prefix_list_id().is_some() {
        return None;
    }
    let s = |v: Option<&str>| json!(v.unwrap_or_default());
    Some(json!({
        "cidr_block": s(r.destination_cidr_block()),
        "ipv6_cidr_block": s(r.destination_ipv6_cidr_block()),
        "destination_prefix_list_id": s(r.destination_prefix_list_id()),
        "gateway_id": if endpoint { "" } else { gateway },
        "vpc_endpoint_id": if endpoint { gateway } else { "" },
        "nat_gateway_id": s(r.nat_gateway_id()),
        "egress_only_gateway_id": s(r.egress_only_internet_gateway_id()),
        "transit_gateway_id": s(r.transit_gateway_id()),
        "vpc_peering_connection_id": s(r.vpc_peering_connection_id()),
        "network_interface_id": s(r.network_interface_id()),
        "carrier_gateway_id": s(r.carrier_gateway_id()),
        "local_gateway_id": s(r.local_gateway_id()),
        "core_network_arn": s(r.core_network_arn()),
    }))
}

/// The security group types, as the rules judge them.
pub(crate) const SECURITY_GROUPS: &[&str] = &["aws_security_group", "aws_default_security_group"];
const VPCS: &[&str] = &["aws_vpc", "aws_default_vpc"];
const SUBNETS: &[&str] = &["aws_subnet"];

/// References of the network family: subnet, network ACL, route table and security group →
/// VPC; network ACL → its subnets; route table association → subnet.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let targets = Targets::new(out, &[VPCS, SUBNETS].concat(), &["id"]);
    let mut refs = Vec::new();
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        match r.resource_type.as_str() {
            "aws_subnet" | "aws_security_group" | "aws_default_security_group" => {
                targets.edges(r, "vpc_id", VPCS, None, &mut refs)
            }
            "aws_network_acl" | "aws_default_network_acl" => {
                targets.edges(r, "vpc_id", VPCS, None, &mut refs);
                targets.edges(r, "subnet_ids", SUBNETS, None, &mut refs);
            }
            "aws_route_table" | "aws_default_route_table" => {
                targets.edges(r, "vpc_id", VPCS, None, &mut refs);
                let n = r.attr("associations").as_list().map_or(0, |l| l.len());
                for i in 0..n {
                    targets.edges(
                        r,
                        &format!("associations.{i}.subnet_id"),
                        SUBNETS,
                        None,
                        &mut refs,
                    );
                }
            }
            _ => {}
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_ec2::types::{
        IcmpTypeCode, NetworkAclAssociation, PortRange, RouteTableAssociation, RuleAction,
    };

    use super::*;
    use crate::ctx::Session;

    fn entry(
        no: i32,
        egress: bool,
        protocol: &str,
        ports: Option<(i32, i32)>,
        cidr: &str,
    ) -> NetworkAclEntry {
        let mut b = NetworkAclEntry::builder()
            .rule_number(no)
            .egress(egress)
            .protocol(protocol)
            .rule_action(RuleAction::Allow);
        if let Some((f, t)) = ports {
            b = b.port_range(PortRange::builder().from(f).to(t).build());
        }
        if cidr.contains(':') {
            b.ipv6_cidr_block(cidr).build()
        } else {
            b.cidr_block(cidr).build()
        }
    }

    #[test]
    fn network_acls_show_entries_as_terraform_does() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let acl = NetworkAcl::builder()
            .network_acl_id("acl-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .is_default(true)
            .entries(entry(100, false, "6", Some((22, 22)), "0.0.0.0/0"))
            .entries(entry(110, false, "-1", None, "::/0"))
            .entries(entry(120, false, "17", None, "10.0.0.0/8"))
            .entries(
                NetworkAclEntry::builder()
                    .rule_number(130)
                    .egress(false)
                    .protocol("1")
                    .rule_action(RuleAction::Deny)
                    .cidr_block("0.0.0.0/0")
                    .icmp_type_code(IcmpTypeCode::builder().r#type(8).code(-1).build())
                    .build(),
            )
            .entries(entry(32767, false, "-1", None, "0.0.0.0/0"))
            .entries(entry(100, true, "-1", None, "0.0.0.0/0"))
            .entries(entry(32767, true, "-1", None, "0.0.0.0/0"))
            .associations(NetworkAclAssociation::builder().subnet_id("subnet-b").build())
            .associations(NetworkAclAssociation::builder().subnet_id("subnet-a").build())
            .build();
        let r = network_acl(&c, &acl).expect("acl");
        assert_eq!(r.resource_type, "aws_default_network_acl");
        assert_eq!(r.id, "arn:aws:ec2:us-east-1:123456789012:network-acl/acl-1");
        let j = r.attributes.to_json();
        assert_eq!(j["subnet_ids"], json!(["subnet-a", "subnet-b"]));
        assert_eq!(j["default_network_acl_id"], json!("acl-1"));
        assert_eq!(
            j["ingress"][0],
            json!({"rule_no": 100, "action": "allow", "protocol": "6", "from_port": 22, "to_port": 22,
                   "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "", "icmp_type": 0, "icmp_code": 0})
        );
        assert_eq!(
            (
                j["ingress"][1]["protocol"].clone(),
                j["ingress"][1]["from_port"].clone()
            ),
            (json!("-1"), json!(0))
        );
        assert_eq!(j["ingress"][1]["ipv6_cidr_block"], json!("::/0"));
        // UDP without a port range: the ports are not known.
        assert_eq!(j["ingress"][2]["from_port"], Json::Null);
        assert_eq!(
            (
                j["ingress"][3]["icmp_type"].clone(),
                j["ingress"][3]["action"].clone()
            ),
            (json!(8), json!("deny"))
        );
        // The implicit final deny entries are left out.
        assert_eq!(j["ingress"].as_array().map(Vec::len), Some(4));
        assert_eq!(j["egress"].as_array().map(Vec::len), Some(1));

        let custom = NetworkAcl::builder()
            .network_acl_id("acl-2")
            .vpc_id("vpc-1")
            .is_default(false)
            .build();
        let r = network_acl(&c, &custom).expect("acl");
        assert_eq!(r.resource_type, "aws_network_acl");
        assert_eq!(r.attributes.to_json()["ingress"], json!([]));
        assert!(r.attr("default_network_acl_id").is_null());
    }

    #[test]
    fn route_tables_keep_the_routes_terraform_shows() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let t = RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .routes(
                Route::builder()
                    .destination_cidr_block("10.0.0.0/16")
                    .gateway_id("local")
                    .origin(RouteOrigin::CreateRouteTable)
                    .build(),
            )
            .routes(
                Route::builder()
                    .destination_cidr_block("0.0.0.0/0")
                    .vpc_peering_connection_id("pcx-1")
                    .origin(RouteOrigin::CreateRoute)
                    .build(),
            )
            .routes(
                Route::builder()
                    .destination_cidr_block("172.16.0.0/12")
                    .gateway_id("vgw-1")
                    .origin(RouteOrigin::EnableVgwRoutePropagation)
                    .build(),
            )
            .routes(
                Route::builder()
                    .destination_prefix_list_id("pl-1")
                    .gateway_id("vpce-1")
                    .build(),
            )
            .routes(
                Route::builder()
                    .destination_ipv6_cidr_block("::/0")
                    .egress_only_internet_gateway_id("eigw-1")
                    .build(),
            )
            .associations(
                RouteTableAssociation::builder()
                    .main(true)
                    .route_table_association_id("rtbassoc-1")
                    .build(),
            )
            .associations(
                RouteTableAssociation::builder()
                    .main(false)
                    .subnet_id("subnet-1")
                    .build(),
            )
            .build();
        let r = route_table(&c, &t).expect("table");
        assert_eq!(r.resource_type, "aws_default_route_table");
        let j = r.attributes.to_json();
        assert_eq!(j["default_route_table_id"], json!("rtb-1"));
        let routes = j["route"].as_array().cloned().unwrap_or_default();
        assert_eq!(routes.len(), 2, "{routes:?}");
        assert_eq!(routes[0]["cidr_block"], json!("0.0.0.0/0"));
        assert_eq!(routes[0]["vpc_peering_connection_id"], json!("pcx-1"));
        assert_eq!(routes[1]["ipv6_cidr_block"], json!("::/0"));
        assert_eq!(routes[1]["egress_only_gateway_id"], json!("eigw-1"));
        assert_eq!(j["associations"][1]["subnet_id"], json!("subnet-1"));

        let plain = RouteTable::builder()
            .route_table_id("rtb-2")
            .vpc_id("vpc-1")
            .build();
        assert_eq!(
            route_table(&c, &plain).expect("table").resource_type,
            "aws_route_table"
        );
    }

    #[test]
    fn subnets_and_shared_ownership() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let own = Subnet::builder()
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .subnet_arn("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1")
            .map_public_ip_on_launch(true)
            .availability_zone("us-east-1a")
            .build();
        let r = subnet(&c, &own).expect("subnet");
        assert_eq!(r.id, "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1");
        assert_eq!(r.attr("map_public_ip_on_launch").as_bool(), Some(true));
        assert_eq!(r.attr("availability_zone").as_str(), Some("us-east-1a"));
        // A subnet shared by another account keeps its ARN but gets a local id.
        let shared = Subnet::builder()
            .subnet_id("subnet-2")
            .owner_id("999999999999")
            .build();
        let r = subnet(&c, &shared).expect("subnet");
        assert_eq!(r.id, "aws_subnet:us-east-1:subnet-2");
        assert_eq!(
            r.attr("arn").as_str(),
            Some("arn:aws:ec2:us-east-1:999999999999:subnet/subnet-2")
        );
        assert_eq!(r.attr("map_public_ip_on_launch").as_bool(), Some(false));
    }

    #[test]
    fn links_follow_ids_within_account_and_region() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let mut out = LoadOutput::default();
        out.resources.push(
            subnet(
                &c,
                &Subnet::builder().subnet_id("subnet-a").vpc_id("vpc-1").build(),
            )
            .expect("subnet"),
        );
        out.resources.push(
            network_acl(
                &c,
                &NetworkAcl::builder()
                    .network_acl_id("acl-1")
                    .vpc_id("vpc-1")
                    .associations(NetworkAclAssociation::builder().subnet_id("subnet-a").build())
                    .associations(NetworkAclAssociation::builder().subnet_id("subnet-z").build())
                    .build(),
            )
            .expect("acl"),
        );
        let other = Session::for_tests("eu-west-1");
        let c2 = Ctx::new(&other, Some("123456789012".into()));
        out.resources
            .push(subnet(&c2, &Subnet::builder().subnet_id("subnet-z").build()).expect("subnet"));
        let refs = link(&out);
        assert_eq!(
            refs,
            vec![Reference {
                from: "arn:aws:ec2:us-east-1:123456789012:network-acl/acl-1".into(),
                path: "subnet_ids.0".into(),
                to: "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a".into(),
            }]
        );
    }
}
