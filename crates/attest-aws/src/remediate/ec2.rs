//! ec2 calls of remediation plans: security group rules, network ACL entries, tags, EBS
//! encryption by default, flow logs, and deleting added groups, ACLs and flow logs.

use aws_sdk_ec2::types::{
    FlowLogsResourceType, IcmpTypeCode, IpPermission, IpRange, Ipv6Range, LogDestinationType, PortRange,
    PrefixListId, ResourceType, RuleAction, Tag, TagSpecification, TrafficType, UnsuccessfulItem,
    UserIdGroupPair,
};
use serde_json::Value;

use super::params::{self, list, opt_str, str};
use super::sdk_error;
use crate::ctx::{client, Session};

/// Authorizes or revokes a group's permissions (`GroupId`, `IpPermissions`); revokes also check
/// that every permission was there (`not_found`).
macro_rules! group_permissions {
    ($ec2:expr, $p:expr, $method:ident, $verb:literal, $direction:literal $(, $check:ident)?) => {{
        let perms = permissions($p)?;
        let n = perms.len();
        let r = $ec2
            .$method()
            .group_id(str($p, "GroupId")?)
            .set_ip_permissions(Some(perms))
            .send()
            .await
            .map_err(|x| sdk_error(&x))?;
        refused(r.r#return())?;
        $($check(r.unknown_ip_permissions())?;)?
        Ok(format!(concat!($verb, " {} ", $direction, " permission(s)"), n))
    }};
}

pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let ec2 = client!(s, aws_sdk_ec2, "ec2");
    match op {
        "AuthorizeSecurityGroupIngress" => {
            group_permissions!(ec2, p, authorize_security_group_ingress, "authorized", "ingress")
        }
        "AuthorizeSecurityGroupEgress" => {
            group_permissions!(ec2, p, authorize_security_group_egress, "authorized", "egress")
        }
        "RevokeSecurityGroupIngress" => {
            group_permissions!(
                ec2,
                p,
                revoke_security_group_ingress,
                "revoked",
                "ingress",
                not_found
            )
        }
        "RevokeSecurityGroupEgress" => {
            group_permissions!(
                ec2,
                p,
                revoke_security_group_egress,
                "revoked",
                "egress",
                not_found
            )
        }
        "UpdateSecurityGroupRuleDescriptionsIngress" => {
            let r = ec2
                .update_security_group_rule_descriptions_ingress()
                .group_id(str(p, "GroupId")?)
                .set_ip_permissions(Some(permissions(p)?))
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            refused(r.r#return())?;
            Ok("updated ingress rule descriptions".into())
        }
        "UpdateSecurityGroupRuleDescriptionsEgress" => {
            let r = ec2
                .update_security_group_rule_descriptions_egress()
                .group_id(str(p, "GroupId")?)
                .set_ip_permissions(Some(permissions(p)?))
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            refused(r.r#return())?;
            Ok("updated egress rule descriptions".into())
        }
        "DeleteSecurityGroup" => {
            let id = str(p, "GroupId")?;
            ec2.delete_security_group()
                .group_id(id)
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("deleted {id}"))
        }
        "CreateTags" => {
            let tags = tag_list(p, true)?;
            let n = tags.len();
            ec2.create_tags()
                .set_resources(Some(strings(p, "Resources")?))
                .set_tags(Some(tags))
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("set {n} tag(s)"))
        }
        "DeleteTags" => {
            let tags = tag_list(p, false)?;
            let n = tags.len();
            ec2.delete_tags()
                .set_resources(Some(strings(p, "Resources")?))
                .set_tags(Some(tags))
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("removed {n} tag(s)"))
        }
        "CreateNetworkAclEntry" => {
            let entry = AclEntry::from_params(p)?;
            ec2.create_network_acl_entry()
                .network_acl_id(str(p, "NetworkAclId")?)
                .rule_number(entry.number)
                .egress(params::bool(p, "Egress")?)
                .protocol(entry.protocol)
                .rule_action(entry.action)
                .set_cidr_block(entry.cidr)
                .set_ipv6_cidr_block(entry.ipv6)
                .set_port_range(entry.ports)
                .set_icmp_type_code(entry.icmp)
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("created entry {}", entry.number))
        }
        "ReplaceNetworkAclEntry" => {
            let entry = AclEntry::from_params(p)?;
            ec2.replace_network_acl_entry()
                .network_acl_id(str(p, "NetworkAclId")?)
                .rule_number(entry.number)
                .egress(params::bool(p, "Egress")?)
                .protocol(entry.protocol)
                .rule_action(entry.action)
                .set_cidr_block(entry.cidr)
                .set_ipv6_cidr_block(entry.ipv6)
                .set_port_range(entry.ports)
                .set_icmp_type_code(entry.icmp)
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("replaced entry {}", entry.number))
        }
        "DeleteNetworkAclEntry" => {
            let number = int(p, "RuleNumber")?;
            ec2.delete_network_acl_entry()
                .network_acl_id(str(p, "NetworkAclId")?)
                .rule_number(number)
                .egress(params::bool(p, "Egress")?)
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("deleted entry {number}"))
        }
        "DeleteNetworkAcl" => {
            let id = str(p, "NetworkAclId")?;
            ec2.delete_network_acl()
                .network_acl_id(id)
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            Ok(format!("deleted {id}"))
        }
        "EnableEbsEncryptionByDefault" => {
            let r = ec2
                .enable_ebs_encryption_by_default()
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            match r.ebs_encryption_by_default() {
                Some(false) => Err("EBS encryption by default is still off after the call".into()),
                _ => Ok("EBS encryption by default is on".into()),
            }
        }
        "DisableEbsEncryptionByDefault" => {
            let r = ec2
                .disable_ebs_encryption_by_default()
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            match r.ebs_encryption_by_default() {
                Some(true) => Err("EBS encryption by default is still on after the call".into()),
                _ => Ok("EBS encryption by default is off".into()),
            }
        }
        "CreateFlowLogs" => {
            let mut req = ec2
                .create_flow_logs()
                .set_resource_ids(Some(strings(p, "ResourceIds")?))
                .resource_type(FlowLogsResourceType::from(str(p, "ResourceType")?))
                .set_traffic_type(opt_str(p, "TrafficType").map(TrafficType::from))
                .set_log_destination_type(opt_str(p, "LogDestinationType").map(LogDestinationType::from))
                .set_log_destination(opt_str(p, "LogDestination").map(str::to_string))
                .set_log_group_name(opt_str(p, "LogGroupName").map(str::to_string))
                .set_deliver_logs_permission_arn(opt_str(p, "DeliverLogsPermissionArn").map(str::to_string))
                .set_log_format(opt_str(p, "LogFormat").map(str::to_string));
            if p.get("MaxAggregationInterval").is_some() {
                req = req.max_aggregation_interval(int(p, "MaxAggregationInterval")?);
            }
            for spec in list(p, "TagSpecifications") {
                let tags = tag_list(spec, true)?;
                req = req.tag_specifications(
                    TagSpecification::builder()
                        .resource_type(ResourceType::from(str(spec, "ResourceType")?))
                        .set_tags(Some(tags))
                        .build(),
                );
            }
            let r = req.send().await.map_err(|x| sdk_error(&x))?;
            unsuccessful(r.unsuccessful())?;
            match r.flow_log_ids() {
                [] => Err("CreateFlowLogs answered without a flow log id".into()),
                ids => Ok(format!("created {}", ids.join(", "))),
            }
        }
        "DeleteFlowLogs" => {
            let ids = strings(p, "FlowLogIds")?;
            let note = format!("deleted {}", ids.join(", "));
            let r = ec2
                .delete_flow_logs()
                .set_flow_log_ids(Some(ids))
                .send()
                .await
                .map_err(|x| sdk_error(&x))?;
            unsuccessful(r.unsuccessful())?;
            Ok(note)
        }
        _ => Err(params::unsupported("ec2", op)),
    }
}

/// A `Return: false` answer.
fn refused(ret: Option<bool>) -> Result<(), String> {
    match ret {
        Some(false) => Err("the call answered Return=false".into()),
        _ => Ok(()),
    }
}

/// Revocations of rules the group does not have succeed with the rules listed as unknown.
fn not_found(unknown: &[IpPermission]) -> Result<(), String> {
    if unknown.is_empty() {
        return Ok(());
    }
    let what: Vec<String> = unknown
        .iter()
        .map(|u| {
            let sources: Vec<&str> = u
                .ip_ranges()
                .iter()
                .filter_map(|r| r.cidr_ip())
                .chain(u.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6()))
                .chain(u.prefix_list_ids().iter().filter_map(|r| r.prefix_list_id()))
                .chain(u.user_id_group_pairs().iter().filter_map(|r| r.group_id()))
                .collect();
            format!(
                "{} {}-{} from {}",
                u.ip_protocol().unwrap_or("?"),
                u.from_port().unwrap_or(0),
                u.to_port().unwrap_or(0),
                sources.join(", ")
            )
        })
        .collect();
    Err(format!("the group has no such rule: {}", what.join("; ")))
}

/// The errors of a batch call that answers per item.
fn unsuccessful(items: &[UnsuccessfulItem]) -> Result<(), String> {
    if items.is_empty() {
        return Ok(());
    }
    let errors: Vec<String> = items
        .iter()
        .map(|i| {
            let e = i.error();
            format!(
                "{}: {}: {}",
                i.resource_id().unwrap_or("?"),
                e.and_then(|e| e.code()).unwrap_or("Error"),
                e.and_then(|e| e.message()).unwrap_or("failed")
            )
        })
        .collect();
    Err(errors.join("; "))
}

/// A required integer parameter that fits the API's 32 bits.
fn int(p: &Value, key: &str) -> Result<i32, String> {
    params::opt_i64(p, key)
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| format!("the plan's `{key}` parameter is missing or not a 32-bit integer"))
}

/// A required, non-empty list of strings.
fn strings(p: &Value, key: &str) -> Result<Vec<String>, String> {
    match super::params::strings(p, key) {
        Ok(Some(v)) if !v.is_empty() => Ok(v),
        _ => Err(format!(
            "the plan's `{key}` parameter is missing or not a list of strings"
        )),
    }
}

/// `Tags: [{Key, Value}]`; values are required when `with_values`.
fn tag_list(p: &Value, with_values: bool) -> Result<Vec<Tag>, String> {
    let tags = list(p, "Tags");
    if tags.is_empty() {
        return Err("the plan's `Tags` parameter is missing or empty".into());
    }
    tags.iter()
        .map(|t| {
            let value = if with_values {
                Some(str(t, "Value")?.to_string())
            } else {
                opt_str(t, "Value").map(str::to_string)
            };
            Ok(Tag::builder().key(str(t, "Key")?).set_value(value).build())
        })
        .collect()
}

/// `IpPermissions`, as the plan writes them.
fn permissions(p: &Value) -> Result<Vec<IpPermission>, String> {
    let items = list(p, "IpPermissions");
    if items.is_empty() {
        return Err("the plan's `IpPermissions` parameter is missing or empty".into());
    }
    items.iter().map(permission).collect()
}

fn permission(p: &Value) -> Result<IpPermission, String> {
    let mut b = IpPermission::builder().ip_protocol(str(p, "IpProtocol")?);
    if p.get("FromPort").is_some() || p.get("ToPort").is_some() {
        b = b.from_port(int(p, "FromPort")?).to_port(int(p, "ToPort")?);
    }
    for r in list(p, "IpRanges") {
        b = b.ip_ranges(
            IpRange::builder()
                .cidr_ip(str(r, "CidrIp")?)
                .set_description(opt_str(r, "Description").map(str::to_string))
                .build(),
        );
    }
    for r in list(p, "Ipv6Ranges") {
        b = b.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(str(r, "CidrIpv6")?)
                .set_description(opt_str(r, "Description").map(str::to_string))
                .build(),
        );
    }
    for r in list(p, "PrefixListIds") {
        b = b.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(str(r, "PrefixListId")?)
                .set_description(opt_str(r, "Description").map(str::to_string))
                .build(),
        );
    }
    for r in list(p, "UserIdGroupPairs") {
        b = b.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(str(r, "GroupId")?)
                .set_user_id(opt_str(r, "UserId").map(str::to_string))
                .set_description(opt_str(r, "Description").map(str::to_string))
                .build(),
        );
    }
    Ok(b.build())
}

/// The entry fields of `CreateNetworkAclEntry` / `ReplaceNetworkAclEntry`.
struct AclEntry {
    number: i32,
    protocol: String,
    action: RuleAction,
    cidr: Option<String>,
    ipv6: Option<String>,
    ports: Option<PortRange>,
    icmp: Option<IcmpTypeCode>,
}

impl AclEntry {
    fn from_params(p: &Value) -> Result<AclEntry, String> {
        let ports = match p.get("PortRange") {
            None => None,
            Some(r) => Some(
                PortRange::builder()
                    .from(int(r, "From")?)
                    .to(int(r, "To")?)
                    .build(),
            ),
        };
        let icmp = match p.get("IcmpTypeCode") {
            None => None,
            Some(i) => Some(
                IcmpTypeCode::builder()
                    .r#type(int(i, "Type")?)
                    .code(int(i, "Code")?)
                    .build(),
            ),
        };
        let cidr = opt_str(p, "CidrBlock").map(str::to_string);
        let ipv6 = opt_str(p, "Ipv6CidrBlock").map(str::to_string);
        if cidr.is_none() && ipv6.is_none() {
            return Err("the plan has neither a `CidrBlock` nor an `Ipv6CidrBlock` parameter".into());
        }
        Ok(AclEntry {
            number: int(p, "RuleNumber")?,
            protocol: str(p, "Protocol")?.to_string(),
            action: RuleAction::from(str(p, "RuleAction")?),
            cidr,
            ipv6,
            ports,
            icmp,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn permissions_are_read_from_the_plan() {
        let p = json!({"GroupId": "sg-1", "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
            "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}],
            "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            "PrefixListIds": [{"PrefixListId": "pl-1"}],
            "UserIdGroupPairs": [{"GroupId": "sg-2"}],
        }, {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]});
        let perms = permissions(&p).expect("permissions");
        assert_eq!(perms.len(), 2);
        let first = &perms[0];
        assert_eq!((first.from_port(), first.to_port()), (Some(22), Some(22)));
        assert_eq!(first.ip_ranges()[0].description(), Some("ssh"));
        assert_eq!(first.ipv6_ranges()[0].cidr_ipv6(), Some("::/0"));
        assert_eq!(first.prefix_list_ids()[0].prefix_list_id(), Some("pl-1"));
        assert_eq!(first.user_id_group_pairs()[0].group_id(), Some("sg-2"));
        // All traffic has no ports.
        assert_eq!(perms[1].from_port(), None);

        let err = permissions(&json!({"GroupId": "sg-1"})).expect_err("missing");
        assert!(err.contains("`IpPermissions`"), "{err}");
        let err = permissions(&json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22}]}))
            .expect_err("no ToPort");
        assert!(err.contains("`ToPort`"), "{err}");
        let err =
            permissions(&json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 1e12, "ToPort": 1}]}))
                .expect_err("too large");
        assert!(err.contains("`FromPort`"), "{err}");
    }

    #[test]
    fn acl_entries_and_tags_are_read_from_the_plan() {
        let e = AclEntry::from_params(&json!({"NetworkAclId": "acl-1", "RuleNumber": 100, "Protocol": "6",
            "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 23}}))
        .expect("entry");
        assert_eq!(e.number, 100);
        assert_eq!(e.action, RuleAction::Deny);
        assert_eq!(e.ports.as_ref().and_then(|r| r.to()), Some(23));
        assert!(e.icmp.is_none());
        let err = AclEntry::from_params(&json!({"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow"}))
            .err()
            .unwrap_or_default();
        assert!(err.contains("`CidrBlock`"), "{err}");

        let tags = tag_list(&json!({"Tags": [{"Key": "Name", "Value": "web"}]}), true).expect("tags");
        assert_eq!((tags[0].key(), tags[0].value()), (Some("Name"), Some("web")));
        assert!(tag_list(&json!({"Tags": [{"Key": "Name"}]}), true).is_err());
        assert!(tag_list(&json!({"Tags": [{"Key": "Name"}]}), false).is_ok());
        assert!(strings(&json!({"Resources": []}), "Resources").is_err());
        assert!(strings(&json!({"Resources": ["sg-1", 2]}), "Resources").is_err());
    }

    #[test]
    fn batch_errors_and_unknown_rules_fail_the_call() {
        let item = UnsuccessfulItem::builder()
            .resource_id("vpc-1")
            .error(
                aws_sdk_ec2::types::UnsuccessfulItemError::builder()
                    .code("FlowLogAlreadyExists")
                    .message("exists")
                    .build(),
            )
            .build();
        assert_eq!(
            unsuccessful(&[item]),
            Err("vpc-1: FlowLogAlreadyExists: exists".to_string())
        );
        assert_eq!(unsuccessful(&[]), Ok(()));
        let unknown = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(22)
            .to_port(22)
            .ip_ranges(IpRange::builder().cidr_ip("1.2.3.4/32").build())
            .build();
        assert_eq!(
            not_found(&[unknown]),
            Err("the group has no such rule: tcp 22-22 from 1.2.3.4/32".to_string())
        );
        assert!(refused(Some(false)).is_err());
        assert_eq!(refused(None), Ok(()));
    }
}
