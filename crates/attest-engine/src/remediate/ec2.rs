//! Remediation of EC2 network and compute settings:
//!
//! - security groups (`aws_security_group`, `aws_default_security_group`): rules that left are
//!   authorized again, rules that joined are revoked, rule descriptions are set back. The API
//!   groups the sources of one protocol and port range into one permission (the collector shows
//!   it as one rule block), so a CIDR added to an existing rule shows as that rule leaving and a
//!   larger one joining: rules are compared source by source and only the sources that differ
//!   are authorized or revoked;
//! - network ACLs (`aws_network_acl`, `aws_default_network_acl`): entries that left are created
//!   again, entries that joined are deleted, an entry whose rule number is on both sides with
//!   other values is replaced in one call;
//! - `aws_ebs_encryption_by_default`: turned back on (or off);
//! - flow logs (`aws_flow_log`): a removed flow log is created again from the baseline's
//!   settings. It gets a new id, and drift keys flow logs by id: after the re-creation the
//!   baseline's flow log still shows as removed and the new one as added. A flow log cannot be
//!   changed in place, so other changes of one stay manual;
//! - tags of all of them are set back with `CreateTags` / `DeleteTags`.
//!
//! Names, descriptions and VPCs of security groups, subnet associations of network ACLs and
//! removed groups and ACLs (a re-created one has a new id that references do not follow) are
//! left to a person.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::util::{known, str_of, top};
use super::{Out, Step, Subject};
use crate::drift::{AttributeChange, DriftKind};

pub(super) const TYPES: &[&str] = &[
    "aws_security_group",
    "aws_default_security_group",
    "aws_network_acl",
    "aws_default_network_acl",
    "aws_ebs_encryption_by_default",
    "aws_flow_log",
];

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    let ty = s.drift.resource_type.as_str();
    if s.drift.kind == DriftKind::Removed {
        match ty {
            "aws_flow_log" => recreate_flow_log(s, out),
            _ => out.manual(s, None, removed_reason(ty)),
        }
        return;
    }
    match ty {
        "aws_security_group" | "aws_default_security_group" => security_group(s, out),
        "aws_network_acl" | "aws_default_network_acl" => network_acl(s, out),
        "aws_ebs_encryption_by_default" => encryption_by_default(s, out),
        "aws_flow_log" => flow_log(s, out),
        _ => out.manual(s, None, format!("attest has no automatic revert for {ty}")),
    }
}

pub(super) fn delete(s: &Subject<'_>, out: &mut Out<'_>) -> bool {
    let ty = s.drift.resource_type.as_str();
    let (operation, params, what) = match ty {
        "aws_security_group" => ("DeleteSecurityGroup", "GroupId", "security group"),
        "aws_network_acl" => ("DeleteNetworkAcl", "NetworkAclId", "network ACL"),
        "aws_flow_log" => ("DeleteFlowLogs", "FlowLogIds", "flow log"),
        _ => return false,
    };
    let Some(id) = resource_id(s) else {
        out.manual(
            s,
            None,
            format!("the {what}'s id is not known: delete it by hand"),
        );
        return true;
    };
    if ty == "aws_network_acl" {
        let subnets = s.attributes().get("subnet_ids");
        if subnets.is_some_and(|v| !known(v) || v.as_array().is_some_and(|l| !l.is_empty())) {
            out.manual(
                s,
                None,
                "the network ACL is associated with subnets (or its associations are not known): move them \
                 to another network ACL, then delete it",
            );
            return true;
        }
    }
    let value = if operation == "DeleteFlowLogs" {
        json!([id])
    } else {
        json!(id)
    };
    out.action(
        s,
        Step::DeleteAdded,
        &[],
        format!("delete {what} {id}"),
        "ec2",
        operation,
        json!({ params: value }),
        Some(s.attributes().clone()),
        None,
    );
    true
}

/// Why a removed resource of the family is not created again.
fn removed_reason(ty: &str) -> String {
    match ty {
        "aws_security_group" => {
            "a deleted security group cannot come back with its id: re-create it from code, \
                                 with its rules, and attach it again where it was used"
                .into()
        }
        "aws_network_acl" => {
            "a deleted network ACL cannot come back with its id: re-create it from code and \
                              associate its subnets again"
                .into()
        }
        "aws_default_security_group" | "aws_default_network_acl" => {
            "a VPC's default security group and network ACL go only with the VPC: re-create the VPC from code"
                .into()
        }
        "aws_ebs_encryption_by_default" => "every region has this setting: the current scan did not read it \
                                            (a region or service left out); scan that region again"
            .into(),
        _ => format!("attest does not re-create a removed {ty}: re-create it from code"),
    }
}

/// The resource's cloud id, from its `id` attribute.
fn resource_id(s: &Subject<'_>) -> Option<String> {
    str_of(s.attributes(), "id")
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// Marks every change of the resource manual for one reason.
fn all_manual(s: &Subject<'_>, out: &mut Out<'_>, reason: &str) {
    for c in s.changes() {
        out.manual(s, Some(&c.path), reason);
    }
}

/// The one element of a list, the list itself when there are several, none when empty.
fn one_or_list(values: &[&Value]) -> Option<Value> {
    match values {
        [] => None,
        [v] => Some((*v).clone()),
        many => Some(Value::Array(many.iter().map(|v| (*v).clone()).collect())),
    }
}

// ---------------------------------------------------------------------------------------------
// Tags

/// Sets tags back with `CreateTags` and removes added ones with `DeleteTags` (the `tags.KEY`
/// changes, or a whole `tags` change).
fn tags(s: &Subject<'_>, out: &mut Out<'_>, id: &str, changes: &[&AttributeChange]) {
    let mut set: BTreeMap<String, (Option<Value>, String)> = BTreeMap::new();
    let mut unset: BTreeMap<String, Value> = BTreeMap::new();
    let (mut set_paths, mut unset_paths): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for c in changes {
        let pairs: Vec<(String, Option<&Value>, Option<&Value>)> = match c.path.strip_prefix("tags.") {
            Some(key) => vec![(key.to_string(), c.old.as_ref(), c.new.as_ref())],
            None => {
                let as_map = |v: Option<&Value>| match v {
                    None | Some(Value::Null) => Some(Map::new()),
                    Some(Value::Object(m)) => Some(m.clone()),
                    Some(_) => None,
                };
                let (Some(old), Some(new)) = (as_map(c.old.as_ref()), as_map(c.new.as_ref())) else {
                    out.manual(s, Some(&c.path), "the tags are not a map of keys to values");
                    continue;
                };
                let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
                keys.sort();
                keys.dedup();
                keys.into_iter()
                    .filter(|k| old.get(*k) != new.get(*k))
                    .map(|k| {
                        let o = c.old.as_ref().and_then(|v| v.get(k.as_str()));
                        let n = c.new.as_ref().and_then(|v| v.get(k.as_str()));
                        (k.clone(), o, n)
                    })
                    .collect()
            }
        };
        let mut ok = true;
        for (key, old, new) in &pairs {
            if key.starts_with("aws:") {
                ok = false;
                out.manual(s, Some(&c.path), format!("the tag `{key}` is managed by AWS"));
            } else if old.is_some_and(|v| !v.is_string())
                || new.is_some_and(|v| !v.is_string() && !v.is_null())
            {
                ok = false;
                out.manual(
                    s,
                    Some(&c.path),
                    format!("the value of tag `{key}` is not a string"),
                );
            }
        }
        if !ok {
            continue;
        }
        for (key, old, new) in pairs {
            match old.and_then(Value::as_str) {
                Some(v) => {
                    set.insert(key, (new.cloned(), v.to_string()));
                    set_paths.push(&c.path);
                }
                None => {
                    unset.insert(key, new.cloned().unwrap_or(Value::Null));
                    unset_paths.push(&c.path);
                }
            }
        }
    }
    set_paths.dedup();
    unset_paths.dedup();
    if !set.is_empty() {
        let keys: Vec<&str> = set.keys().map(String::as_str).collect();
        out.action(
            s,
            Step::Modify,
            &set_paths,
            format!("set tags {} back", keys.join(", ")),
            "ec2",
            "CreateTags",
            json!({
                "Resources": [id],
                "Tags": set.iter().map(|(k, (_, v))| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
            }),
            Some(Value::Object(
                set.iter()
                    .filter_map(|(k, (now, _))| Some((k.clone(), now.clone()?)))
                    .collect(),
            )),
            Some(Value::Object(
                set.iter().map(|(k, (_, v))| (k.clone(), json!(v))).collect(),
            )),
        );
    }
    if !unset.is_empty() {
        let keys: Vec<&str> = unset.keys().map(String::as_str).collect();
        out.action(
            s,
            Step::Modify,
            &unset_paths,
            format!("remove tags {}", keys.join(", ")),
            "ec2",
            "DeleteTags",
            json!({
                "Resources": [id],
                "Tags": unset.keys().map(|k| json!({"Key": k})).collect::<Vec<_>>(),
            }),
            Some(Value::Object(unset.into_iter().collect())),
            None,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Security groups

/// The protocol and port range of a rule: what the API groups sources by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Ports {
    protocol: String,
    /// `None` for all traffic (`-1`), which has no ports.
    range: Option<(i64, i64)>,
}

impl Ports {
    fn describe(&self) -> String {
        let p = self.protocol.as_str();
        match self.range {
            None => "all traffic".to_string(),
            Some((t, c)) if matches!(p, "icmp" | "1" | "icmpv6" | "58") => format!("{p} type {t} code {c}"),
            Some((f, t)) if f == t => format!("{p} {f}"),
            Some((f, t)) => format!("{p} {f}-{t}"),
        }
    }
}

/// One source of a rule: what AWS authorizes and revokes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Cidr(String),
    Ipv6(String),
    PrefixList(String),
    Group(String),
}

impl Source {
    fn name(&self) -> &str {
        match self {
            Source::Cidr(v) | Source::Ipv6(v) | Source::PrefixList(v) | Source::Group(v) => v,
        }
    }

    /// Whether the collector reads this source's description (it reads those of CIDR ranges).
    fn has_description(&self) -> bool {
        matches!(self, Source::Cidr(_) | Source::Ipv6(_))
    }
}

/// The sources of one rule block and their descriptions (`None`: none, or not read).
type Sources = BTreeMap<Source, Option<String>>;

/// A Terraform rule block (`from_port`, `to_port`, `protocol`, `cidr_blocks`,
/// `ipv6_cidr_blocks`, `prefix_list_ids`, `security_groups`, `self`, `description`) as its
/// ports and sources. `self` is the group itself (`own_id`).
fn parse_rule(v: &Value, own_id: &str) -> Result<(Ports, Sources), String> {
    let protocol = str_of(v, "protocol").ok_or("the rule has no protocol")?;
    let range = if protocol == "-1" {
        None
    } else {
        let port = |k: &str| {
            v.get(k)
                .and_then(Value::as_i64)
                .ok_or_else(|| format!("the rule's `{k}` is not a known number"))
        };
        Some((port("from_port")?, port("to_port")?))
    };
    let description = match v.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) if d.is_empty() => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => return Err("the rule's description is not a string".into()),
    };
    let mut sources = Sources::new();
    type Make = fn(String) -> Source;
    let lists: [(&str, Make); 4] = [
        ("cidr_blocks", Source::Cidr),
        ("ipv6_cidr_blocks", Source::Ipv6),
        ("prefix_list_ids", Source::PrefixList),
        ("security_groups", Source::Group),
    ];
    for (key, make) in lists {
        let items = match v.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(items)) => items,
            Some(_) => return Err(format!("the rule's `{key}` is not a list")),
        };
        for item in items {
            let id = item
                .as_str()
                .filter(|i| !i.is_empty())
                .ok_or_else(|| format!("the rule's `{key}` holds a value that is not a known string"))?;
            let source = make(id.to_string());
            let d = if source.has_description() {
                description.clone()
            } else {
                None
            };
            sources.entry(source).or_insert(d);
        }
    }
    match v.get("self") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            sources.entry(Source::Group(own_id.to_string())).or_insert(None);
        }
        Some(_) => return Err("the rule's `self` is not a boolean".into()),
    }
    Ok((
        Ports {
            protocol: protocol.to_string(),
            range,
        },
        sources,
    ))
}

/// One `IpPermissions` element: the sources of one protocol and port range. Descriptions go
/// with CIDR ranges only when `descriptions` (revocations match without them).
fn ip_permission(ports: &Ports, sources: &[(&Source, &Option<String>)], descriptions: bool) -> Value {
    let mut p = Map::new();
    p.insert("IpProtocol".into(), json!(ports.protocol));
    if let Some((from, to)) = ports.range {
        p.insert("FromPort".into(), json!(from));
        p.insert("ToPort".into(), json!(to));
    }
    let range = |key: &str, value: &str, d: &Option<String>| {
        let mut r = Map::new();
        r.insert(key.into(), json!(value));
        if let (true, Some(d)) = (descriptions, d) {
            r.insert("Description".into(), json!(d));
        }
        Value::Object(r)
    };
    let (mut v4, mut v6, mut lists, mut groups) = (vec![], vec![], vec![], vec![]);
    for (source, d) in sources {
        match source {
            Source::Cidr(c) => v4.push(range("CidrIp", c, d)),
            Source::Ipv6(c) => v6.push(range("CidrIpv6", c, d)),
            Source::PrefixList(id) => lists.push(json!({"PrefixListId": id})),
            Source::Group(id) => groups.push(json!({"GroupId": id})),
        }
    }
    for (key, list) in [
        ("IpRanges", v4),
        ("Ipv6Ranges", v6),
        ("PrefixListIds", lists),
        ("UserIdGroupPairs", groups),
    ] {
        if !list.is_empty() {
            p.insert(key.into(), Value::Array(list));
        }
    }
    Value::Object(p)
}

fn security_group(s: &Subject<'_>, out: &mut Out<'_>) {
    let Some(group_id) = resource_id(s) else {
        all_manual(s, out, "the security group's id is not known");
        return;
    };
    let mut rules: BTreeMap<&str, (Vec<&Value>, Vec<&Value>)> = BTreeMap::new();
    let mut tag_changes = Vec::new();
    for c in s.changes() {
        match c.path.as_str() {
            "ingress[]" | "egress[]" => {
                let (removed, added) = rules.entry(top(&c.path)).or_default();
                removed.extend(c.old.as_ref());
                added.extend(c.new.as_ref());
            }
            "name" => out.manual(
                s,
                Some(&c.path),
                "the name of a security group cannot be changed: replace the group",
            ),
            "description" => out.manual(
                s,
                Some(&c.path),
                "the description of a security group cannot be changed: replace the group",
            ),
            "vpc_id" => out.manual(
                s,
                Some(&c.path),
                "a security group cannot move to another VPC: replace the group",
            ),
            p if top(p) == "tags" => tag_changes.push(c),
            p => out.manual(
                s,
                Some(p),
                format!("attest has no automatic revert for `{p}` of a security group"),
            ),
        }
    }
    for (direction, (removed, added)) in rules {
        security_group_rules(s, out, &group_id, direction, &removed, &added);
    }
    tags(s, out, &group_id, &tag_changes);
}

/// The calls that turn the rules of one direction (`ingress` / `egress`) that joined (`added`)
/// back into those that left (`removed`).
fn security_group_rules(
    s: &Subject<'_>,
    out: &mut Out<'_>,
    group_id: &str,
    direction: &str,
    removed: &[&Value],
    added: &[&Value],
) {
    let path = format!("{direction}[]");
    let verb = if direction == "ingress" {
        "Ingress"
    } else {
        "Egress"
    };
    // Rule blocks by ports: (baseline values, baseline sources, current values, current sources).
    #[derive(Default)]
    struct Side<'v> {
        values: Vec<&'v Value>,
        sources: Sources,
    }
    let mut by_ports: BTreeMap<Ports, (Side<'_>, Side<'_>)> = BTreeMap::new();
    for (values, baseline) in [(removed, true), (added, false)] {
        for v in values {
            let (ports, sources) = match parse_rule(v, group_id) {
                Ok(r) => r,
                Err(why) => {
                    out.manual(
                        s,
                        Some(&path),
                        format!("{why}: attest cannot tell which {direction} rules to change"),
                    );
                    return;
                }
            };
            let entry = by_ports.entry(ports).or_default();
            let side = if baseline { &mut entry.0 } else { &mut entry.1 };
            side.values.push(v);
            for (source, d) in sources {
                side.sources.entry(source).or_insert(d);
            }
        }
    }
    for (ports, (base, now)) in &by_ports {
        let before = one_or_list(&now.values);
        let after = one_or_list(&base.values);
        let missing: Vec<(&Source, &Option<String>)> = base
            .sources
            .iter()
            .filter(|(k, _)| !now.sources.contains_key(*k))
            .collect();
        let extra: Vec<(&Source, &Option<String>)> = now
            .sources
            .iter()
            .filter(|(k, _)| !base.sources.contains_key(*k))
            .collect();
        let described: Vec<(&Source, &Option<String>)> = base
            .sources
            .iter()
            .filter(|(k, d)| k.has_description() && now.sources.get(*k).is_some_and(|n| n != *d))
            .collect();
        let names = |list: &[(&Source, &Option<String>)]| {
            list.iter().map(|(k, _)| k.name()).collect::<Vec<_>>().join(", ")
        };
        let mut planned = false;
        if !missing.is_empty() {
            planned = true;
            out.action(
                s,
                Step::Restore,
                &[&path],
                format!(
                    "authorize {direction} {} from {}",
                    ports.describe(),
                    names(&missing)
                ),
                "ec2",
                &format!("AuthorizeSecurityGroup{verb}"),
                json!({"GroupId": group_id, "IpPermissions": [ip_permission(ports, &missing, true)]}),
                before.clone(),
                after.clone(),
            );
        }
        if !described.is_empty() {
            planned = true;
            out.action(
                s,
                Step::Modify,
                &[&path],
                format!(
                    "set the description of {direction} {} from {} back",
                    ports.describe(),
                    names(&described)
                ),
                "ec2",
                &format!("UpdateSecurityGroupRuleDescriptions{verb}"),
                json!({"GroupId": group_id, "IpPermissions": [ip_permission(ports, &described, true)]}),
                before.clone(),
                after.clone(),
            );
        }
        if !extra.is_empty() {
            planned = true;
            out.action(
                s,
                Step::Remove,
                &[&path],
                format!("revoke {direction} {} from {}", ports.describe(), names(&extra)),
                "ec2",
                &format!("RevokeSecurityGroup{verb}"),
                json!({"GroupId": group_id, "IpPermissions": [ip_permission(ports, &extra, false)]}),
                before.clone(),
                after.clone(),
            );
        }
        if !planned {
            out.manual(
                s,
                Some(&path),
                format!(
                    "the {direction} rules for {} allow the same sources as in the baseline, listed \
                     differently: there is nothing to change",
                    ports.describe()
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Network ACLs

/// The request fields of a Terraform network ACL entry (`rule_no`, `action`, `protocol`,
/// `from_port`, `to_port`, `cidr_block`, `ipv6_cidr_block`, `icmp_type`, `icmp_code`), and a
/// few words saying what it allows or denies.
fn acl_entry(v: &Value) -> Result<(Map<String, Value>, String), String> {
    let number = |k: &str| {
        v.get(k)
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("the entry's `{k}` is not a known number"))
    };
    let rule_no = number("rule_no")?;
    let action = str_of(v, "action").ok_or("the entry has no action")?;
    let protocol = str_of(v, "protocol").ok_or("the entry has no protocol")?;
    let mut p = Map::new();
    p.insert("RuleNumber".into(), json!(rule_no));
    p.insert("Protocol".into(), json!(protocol));
    p.insert("RuleAction".into(), json!(action));
    let cidr = str_of(v, "cidr_block").filter(|c| !c.is_empty());
    let ipv6 = str_of(v, "ipv6_cidr_block").filter(|c| !c.is_empty());
    let source = match (cidr, ipv6) {
        (Some(c), None) => {
            p.insert("CidrBlock".into(), json!(c));
            c
        }
        (None, Some(c)) => {
            p.insert("Ipv6CidrBlock".into(), json!(c));
            c
        }
        _ => return Err("the entry has not exactly one of `cidr_block` and `ipv6_cidr_block`".into()),
    };
    let traffic = match protocol {
        "6" | "17" | "tcp" | "udp" => {
            let (from, to) = (number("from_port")?, number("to_port")?);
            p.insert("PortRange".into(), json!({"From": from, "To": to}));
            format!("protocol {protocol} ports {from}-{to}")
        }
        "1" | "58" | "icmp" | "icmpv6" => {
            let (t, c) = (number("icmp_type")?, number("icmp_code")?);
            p.insert("IcmpTypeCode".into(), json!({"Type": t, "Code": c}));
            format!("protocol {protocol} type {t} code {c}")
        }
        "-1" => "all traffic".to_string(),
        other => format!("protocol {other}"),
    };
    Ok((p, format!("{action} {traffic} {source}")))
}

fn network_acl(s: &Subject<'_>, out: &mut Out<'_>) {
    let Some(acl_id) = resource_id(s) else {
        all_manual(s, out, "the network ACL's id is not known");
        return;
    };
    let mut entries: BTreeMap<&str, (Vec<&Value>, Vec<&Value>)> = BTreeMap::new();
    let mut tag_changes = Vec::new();
    for c in s.changes() {
        match c.path.as_str() {
            "ingress[]" | "egress[]" => {
                let (removed, added) = entries.entry(top(&c.path)).or_default();
                removed.extend(c.old.as_ref());
                added.extend(c.new.as_ref());
            }
            p if top(p) == "subnet_ids" => out.manual(
                s,
                Some(p),
                "subnets move between network ACLs by replacing the association they have now, which \
                 this resource does not show: associate the subnets again by hand",
            ),
            "vpc_id" => out.manual(
                s,
                Some(&c.path),
                "a network ACL cannot move to another VPC: replace it",
            ),
            p if top(p) == "tags" => tag_changes.push(c),
            p => out.manual(
                s,
                Some(p),
                format!("attest has no automatic revert for `{p}` of a network ACL"),
            ),
        }
    }
    for (direction, (removed, added)) in entries {
        network_acl_entries(s, out, &acl_id, direction, &removed, &added);
    }
    tags(s, out, &acl_id, &tag_changes);
}

/// The calls that turn the entries of one direction that joined (`added`) back into those that
/// left (`removed`), by rule number.
fn network_acl_entries(
    s: &Subject<'_>,
    out: &mut Out<'_>,
    acl_id: &str,
    direction: &str,
    removed: &[&Value],
    added: &[&Value],
) {
    let path = format!("{direction}[]");
    let egress = direction == "egress";
    let mut by_number: BTreeMap<i64, (Vec<&Value>, Vec<&Value>)> = BTreeMap::new();
    for (values, baseline) in [(removed, true), (added, false)] {
        for v in values {
            let Some(no) = v.get("rule_no").and_then(Value::as_i64) else {
                out.manual(
                    s,
                    Some(&path),
                    format!(
                        "an {direction} entry has no known rule number: attest cannot tell which to change"
                    ),
                );
                return;
            };
            let entry = by_number.entry(no).or_default();
            if baseline {
                entry.0.push(v)
            } else {
                entry.1.push(v)
            }
        }
    }
    let request = |p: Map<String, Value>| {
        let mut all = Map::new();
        all.insert("NetworkAclId".into(), json!(acl_id));
        all.insert("Egress".into(), json!(egress));
        all.extend(p);
        Value::Object(all)
    };
    for (no, (base, now)) in by_number {
        match (base.as_slice(), now.as_slice()) {
            ([b], now @ ([] | [_])) => match acl_entry(b) {
                Ok((p, text)) => {
                    let (step, verb, operation) = if now.is_empty() {
                        (Step::Restore, "create", "CreateNetworkAclEntry")
                    } else {
                        (Step::Modify, "replace", "ReplaceNetworkAclEntry")
                    };
                    out.action(
                        s,
                        step,
                        &[&path],
                        format!("{verb} {direction} entry {no}: {text}"),
                        "ec2",
                        operation,
                        request(p),
                        now.first().map(|v| (*v).clone()),
                        Some((*b).clone()),
                    );
                }
                Err(why) => out.manual(s, Some(&path), format!("{direction} entry {no}: {why}")),
            },
            ([], [n]) => out.action(
                s,
                Step::Remove,
                &[&path],
                format!("delete {direction} entry {no}"),
                "ec2",
                "DeleteNetworkAclEntry",
                json!({"NetworkAclId": acl_id, "RuleNumber": no, "Egress": egress}),
                Some((*n).clone()),
                None,
            ),
            _ => out.manual(
                s,
                Some(&path),
                format!("{direction} rule number {no} appears more than once on a side: fix it by hand"),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// EBS encryption by default

fn encryption_by_default(s: &Subject<'_>, out: &mut Out<'_>) {
    for c in s.changes() {
        match (c.path.as_str(), c.old.as_ref().and_then(Value::as_bool)) {
            ("enabled", Some(on)) => {
                let region = s.drift.region.as_deref().unwrap_or("its region");
                let (verb, operation) = if on {
                    ("enable", "EnableEbsEncryptionByDefault")
                } else {
                    ("disable", "DisableEbsEncryptionByDefault")
                };
                out.action(
                    s,
                    Step::Modify,
                    &["enabled"],
                    format!("{verb} EBS encryption by default in {region}"),
                    "ec2",
                    operation,
                    json!({}),
                    c.new.clone(),
                    c.old.clone(),
                );
            }
            (p, _) => out.manual(
                s,
                Some(p),
                format!("attest has no automatic revert for `{p}` of EBS encryption by default"),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Flow logs

/// The attributes naming what a flow log watches, with the API's `ResourceType`.
const FLOW_LOG_TARGETS: &[(&str, &str)] = &[
    ("vpc_id", "VPC"),
    ("subnet_id", "Subnet"),
    ("eni_id", "NetworkInterface"),
    ("transit_gateway_id", "TransitGateway"),
    ("transit_gateway_attachment_id", "TransitGatewayAttachment"),
];

/// The `CreateFlowLogs` request that re-creates the baseline's flow log `a`, and a few words
/// saying what it logs; the error names what is missing.
fn flow_log_request(a: &Value) -> Result<(Value, String), String> {
    // An optional string: absent, null and "" are none; an unknown one is an error.
    let opt = |k: &str| -> Result<Option<&str>, String> {
        match a.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(v)) if v.is_empty() => Ok(None),
            Some(Value::String(v)) => Ok(Some(v.as_str())),
            Some(_) => Err(format!("its `{k}` is not known")),
        }
    };
    let mut target = None;
    for (key, kind) in FLOW_LOG_TARGETS {
        if let Some(id) = opt(key)? {
            target = Some((id, *kind));
            break;
        }
    }
    let (resource, kind) = target.ok_or("the resource it watches is not known")?;
    let mut p = Map::new();
    p.insert("ResourceIds".into(), json!([resource]));
    p.insert("ResourceType".into(), json!(kind));
    let traffic = opt("traffic_type")?;
    if let Some(t) = traffic {
        p.insert("TrafficType".into(), json!(t));
    }
    let destination_type = opt("log_destination_type")?.unwrap_or("cloud-watch-logs");
    p.insert("LogDestinationType".into(), json!(destination_type));
    let role = opt("iam_role_arn")?;
    let destination = if destination_type == "cloud-watch-logs" {
        let role = role.ok_or("its role for delivering to CloudWatch Logs is not known")?;
        p.insert("DeliverLogsPermissionArn".into(), json!(role));
        // The API takes the group's name or its ARN, not both.
        match (opt("log_group_name")?, opt("log_destination")?) {
            (Some(name), _) => {
                p.insert("LogGroupName".into(), json!(name));
                name
            }
            (None, Some(arn)) => {
                p.insert("LogDestination".into(), json!(arn));
                arn
            }
            (None, None) => return Err("its log group is not known".into()),
        }
    } else {
        if let Some(role) = role {
            p.insert("DeliverLogsPermissionArn".into(), json!(role));
        }
        let d = opt("log_destination")?.ok_or("its destination is not known")?;
        p.insert("LogDestination".into(), json!(d));
        d
    };
    if let Some(format) = opt("log_format")? {
        p.insert("LogFormat".into(), json!(format));
    }
    match a.get("max_aggregation_interval") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let i = v.as_i64().ok_or("its `max_aggregation_interval` is not known")?;
            p.insert("MaxAggregationInterval".into(), json!(i));
        }
    }
    let tags: Vec<Value> = match a.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(m)) => m
            .iter()
            .filter(|(k, _)| !k.starts_with("aws:"))
            .map(|(k, v)| match v.as_str() {
                Some(v) => Ok(json!({"Key": k, "Value": v})),
                None => Err(format!("the value of its tag `{k}` is not known")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("its tags are not known".into()),
    };
    if !tags.is_empty() {
        p.insert(
            "TagSpecifications".into(),
            json!([{"ResourceType": "vpc-flow-log", "Tags": tags}]),
        );
    }
    let text = format!(
        "{} traffic of {resource} to {destination}",
        traffic.unwrap_or("the")
    );
    Ok((Value::Object(p), text))
}

fn recreate_flow_log(s: &Subject<'_>, out: &mut Out<'_>) {
    let Some(base) = s.baseline else {
        out.manual(s, None, "the baseline does not hold the flow log's settings");
        return;
    };
    match flow_log_request(&base.attributes) {
        Ok((params, text)) => out.action(
            s,
            Step::Restore,
            &[],
            format!("re-create the flow log of {text} (it gets a new id)"),
            "ec2",
            "CreateFlowLogs",
            params,
            None,
            Some(base.attributes.clone()),
        ),
        Err(why) => out.manual(
            s,
            None,
            format!("the flow log cannot be re-created: {why}; re-create it from code"),
        ),
    }
}

fn flow_log(s: &Subject<'_>, out: &mut Out<'_>) {
    let id = resource_id(s);
    let mut tag_changes = Vec::new();
    for c in s.changes() {
        match (top(&c.path), &id) {
            ("tags", Some(_)) => tag_changes.push(c),
            (_, _) => out.manual(
                s,
                Some(&c.path),
                "a flow log cannot be changed: delete it and create one with the baseline's settings",
            ),
        }
    }
    if let Some(id) = id {
        tags(s, out, &id, &tag_changes);
    }
}

#[cfg(test)]
mod tests {
    use attest_core::{Snapshot, SnapshotResource};
    use serde_json::{json, Value};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Action, Plan, PlanOptions, Step};

    fn res(key: &str, ty: &str, attrs: Value) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: attrs["id"].as_str().map(str::to_string),
            account: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            attributes: attrs,
        }
    }

    /// The plan for one resource of type `ty` going from `base` to `now` (absent: not there).
    fn plan_with(ty: &str, base: Option<Value>, now: Option<Value>, opts: &PlanOptions) -> Plan {
        let snap = |a: Option<Value>| Snapshot::new(a.map(|a| res("r", ty, a)).into_iter().collect(), vec![]);
        let (b, c) = (snap(base), snap(now));
        let drift = diff(&b, &c, &Ignore::none());
        plan(&drift, &b, &c, opts)
    }

    fn plan_for(ty: &str, base: Value, now: Value) -> Plan {
        plan_with(ty, Some(base), Some(now), &PlanOptions::default())
    }

    fn calls(p: &Plan) -> Vec<(Step, &str, Value)> {
        p.actions
            .iter()
            .map(|a: &Action| (a.step, a.call.operation.as_str(), a.call.params.clone()))
            .collect()
    }

    fn rule(protocol: &str, from: i64, to: i64, cidrs: &[&str]) -> Value {
        json!({
            "from_port": from, "to_port": to, "protocol": protocol, "cidr_blocks": cidrs,
            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false,
            "description": "",
        })
    }

    fn group(ingress: Vec<Value>, egress: Vec<Value>) -> Value {
        json!({
            "id": "sg-1", "arn": "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1",
            "name": "web", "description": "web", "vpc_id": "vpc-1", "owner_id": "123456789012",
            "ingress": ingress, "egress": egress, "tags": {"Name": "web"},
        })
    }

    #[test]
    fn removed_rules_are_authorized_and_added_ones_revoked() {
        let mut ssh = rule("tcp", 22, 22, &["10.0.0.0/8"]);
        ssh["description"] = json!("ssh");
        let all = rule("-1", 0, 0, &["0.0.0.0/0"]);
        let base = group(vec![ssh.clone()], vec![all.clone()]);
        let now = group(vec![rule("tcp", 3389, 3389, &["0.0.0.0/0"])], vec![]);
        let p = plan_for("aws_security_group", base, now);
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            [
                (
                    Step::Restore,
                    "AuthorizeSecurityGroupEgress",
                    json!({"GroupId": "sg-1", "IpPermissions": [
                        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
                ),
                (
                    Step::Restore,
                    "AuthorizeSecurityGroupIngress",
                    json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22,
                        "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}]}]}),
                ),
                (
                    Step::Remove,
                    "RevokeSecurityGroupIngress",
                    json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 3389,
                        "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}),
                ),
            ]
        );
        let revoke = &p.actions[2];
        assert_eq!(revoke.paths, ["ingress[]"]);
        assert_eq!(revoke.summary, "revoke ingress tcp 3389 from 0.0.0.0/0");
        assert_eq!(revoke.before, Some(rule("tcp", 3389, 3389, &["0.0.0.0/0"])));
        assert_eq!(revoke.after, None);
        assert_eq!(p.actions[1].after, Some(ssh));
        assert_eq!(p.actions[1].key, "r");
        assert_eq!(p.actions[1].region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn a_source_added_to_an_existing_rule_is_revoked_alone() {
        // AWS answers one permission per protocol and ports: 1.2.3.4/32 joined the ssh rule.
        let base = group(vec![rule("tcp", 22, 22, &["10.0.0.0/8"])], vec![]);
        let now = group(vec![rule("tcp", 22, 22, &["10.0.0.0/8", "1.2.3.4/32"])], vec![]);
        let p = plan_for("aws_security_group", base.clone(), now.clone());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            [(
                Step::Remove,
                "RevokeSecurityGroupIngress",
                json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22,
                    "ToPort": 22, "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}]}),
            )]
        );
        assert_eq!(p.actions[0].after, Some(rule("tcp", 22, 22, &["10.0.0.0/8"])));
        // And the other way round: only the source that left is authorized.
        let p = plan_for("aws_security_group", now, base);
        assert_eq!(
            calls(&p),
            [(
                Step::Restore,
                "AuthorizeSecurityGroupIngress",
                json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22,
                    "ToPort": 22, "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}]}),
            )]
        );
    }

    #[test]
    fn every_kind_of_source_maps_to_the_api_shape() {
        let full = json!({
            "from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"],
            "ipv6_cidr_blocks": ["::/0"], "prefix_list_ids": ["pl-1"], "security_groups": ["sg-2"],
            "self": true, "description": "web",
        });
        let p = plan_for(
            "aws_default_security_group",
            group(vec![full], vec![]),
            group(vec![], vec![]),
        );
        assert_eq!(
            calls(&p),
            [(
                Step::Restore,
                "AuthorizeSecurityGroupIngress",
                json!({"GroupId": "sg-1", "IpPermissions": [{
                    "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                    "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "web"}],
                    "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "web"}],
                    "PrefixListIds": [{"PrefixListId": "pl-1"}],
                    // `self` is the group's own id.
                    "UserIdGroupPairs": [{"GroupId": "sg-1"}, {"GroupId": "sg-2"}],
                }]}),
            )]
        );
        assert_eq!(p.actions[0].resource_type, "aws_default_security_group");
    }

    #[test]
    fn a_changed_rule_description_is_set_back() {
        let mut old = rule("tcp", 22, 22, &["10.0.0.0/8"]);
        old["description"] = json!("ssh from the office");
        let mut new = old.clone();
        new["description"] = json!("anything");
        let p = plan_for(
            "aws_security_group",
            group(vec![], vec![old]),
            group(vec![], vec![new]),
        );
        assert_eq!(
            calls(&p),
            [(
                Step::Modify,
                "UpdateSecurityGroupRuleDescriptionsEgress",
                json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22,
                    "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh from the office"}]}]}),
            )]
        );
        assert!(p.manual.is_empty());
    }

    #[test]
    fn what_a_group_cannot_change_in_place_is_manual() {
        let base = group(vec![], vec![]);
        let mut now = base.clone();
        now["name"] = json!("web2");
        now["description"] = json!("other");
        now["vpc_id"] = json!("vpc-2");
        now["ingress"] =
            json!([{"protocol": "tcp", "from_port": null, "to_port": 22, "cidr_blocks": ["1.1.1.1/32"]}]);
        let p = plan_for("aws_security_group", base, now);
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        let manual: Vec<(&str, &str)> = p
            .manual
            .iter()
            .map(|m| (m.path.as_deref().unwrap_or(""), m.reason.as_str()))
            .collect();
        assert_eq!(manual.len(), 4, "{manual:?}");
        assert!(manual.contains(&(
            "name",
            "the name of a security group cannot be changed: replace the group"
        )));
        assert!(manual
            .iter()
            .any(|(p, r)| *p == "description" && r.contains("replace")));
        assert!(manual
            .iter()
            .any(|(p, r)| *p == "vpc_id" && r.contains("another VPC")));
        assert!(manual
            .iter()
            .any(|(p, r)| *p == "ingress[]" && r.contains("`from_port` is not a known number")));
    }

    #[test]
    fn tags_are_set_back_and_added_ones_removed() {
        let base = group(vec![], vec![]);
        let mut now = base.clone();
        now["tags"] = json!({"Name": "changed", "Owner": "me"});
        let p = plan_for("aws_security_group", base, now);
        assert_eq!(
            calls(&p),
            [
                (
                    Step::Modify,
                    "CreateTags",
                    json!({"Resources": ["sg-1"], "Tags": [{"Key": "Name", "Value": "web"}]}),
                ),
                (
                    Step::Modify,
                    "DeleteTags",
                    json!({"Resources": ["sg-1"], "Tags": [{"Key": "Owner"}]}),
                ),
            ]
        );
        assert_eq!(p.actions[0].paths, ["tags.Name"]);
        assert_eq!(p.actions[0].before, Some(json!({"Name": "changed"})));
        assert_eq!(p.actions[1].paths, ["tags.Owner"]);
    }

    #[test]
    fn removed_groups_are_manual_and_added_ones_deleted_on_request() {
        let p = plan_with(
            "aws_security_group",
            Some(group(vec![], vec![])),
            None,
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        assert!(
            p.manual[0].reason.contains("re-create it from code"),
            "{:?}",
            p.manual
        );

        let p = plan_with(
            "aws_security_group",
            None,
            Some(group(vec![], vec![])),
            &PlanOptions::default(),
        );
        assert_eq!(p.kept.len(), 1);
        assert!(p.actions.is_empty());

        let delete = PlanOptions {
            delete_added: vec!["aws_security_group".into(), "aws_default_security_group".into()],
            ..PlanOptions::default()
        };
        let p = plan_with("aws_security_group", None, Some(group(vec![], vec![])), &delete);
        assert_eq!(
            calls(&p),
            [(
                Step::DeleteAdded,
                "DeleteSecurityGroup",
                json!({"GroupId": "sg-1"})
            )]
        );
        // The default group of a VPC has no delete.
        let p = plan_with(
            "aws_default_security_group",
            None,
            Some(group(vec![], vec![])),
            &delete,
        );
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
    }

    fn entry(no: i64, protocol: &str, ports: (Value, Value), cidr: &str, action: &str) -> Value {
        json!({
            "rule_no": no, "action": action, "protocol": protocol, "from_port": ports.0, "to_port": ports.1,
            "cidr_block": if cidr.contains(':') { "" } else { cidr },
            "ipv6_cidr_block": if cidr.contains(':') { cidr } else { "" },
            "icmp_type": 0, "icmp_code": 0,
        })
    }

    fn acl(ingress: Vec<Value>, egress: Vec<Value>, subnets: &[&str]) -> Value {
        json!({
            "id": "acl-1", "arn": "arn:aws:ec2:us-east-1:123456789012:network-acl/acl-1", "vpc_id": "vpc-1",
            "owner_id": "123456789012", "subnet_ids": subnets, "ingress": ingress, "egress": egress, "tags": {},
        })
    }

    #[test]
    fn network_acl_entries_are_created_replaced_and_deleted() {
        let ssh = entry(100, "6", (json!(22), json!(22)), "10.0.0.0/8", "allow");
        let ping = json!({"rule_no": 110, "action": "allow", "protocol": "1", "from_port": 0, "to_port": 0,
            "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "", "icmp_type": 8, "icmp_code": -1});
        let out_all = entry(100, "-1", (json!(0), json!(0)), "::/0", "allow");
        let base = acl(vec![ssh.clone(), ping], vec![out_all], &[]);
        let widened = entry(100, "6", (json!(0), json!(65535)), "0.0.0.0/0", "allow");
        let added = entry(200, "-1", (json!(0), json!(0)), "0.0.0.0/0", "allow");
        let now = acl(vec![widened.clone(), added], vec![], &[]);
        let p = plan_for("aws_network_acl", base, now);
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            [
                (
                    Step::Restore,
                    "CreateNetworkAclEntry",
                    json!({"NetworkAclId": "acl-1", "Egress": true, "RuleNumber": 100, "Protocol": "-1",
                        "RuleAction": "allow", "Ipv6CidrBlock": "::/0"}),
                ),
                (
                    Step::Restore,
                    "CreateNetworkAclEntry",
                    json!({"NetworkAclId": "acl-1", "Egress": false, "RuleNumber": 110, "Protocol": "1",
                        "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "IcmpTypeCode": {"Type": 8, "Code": -1}}),
                ),
                (
                    Step::Modify,
                    "ReplaceNetworkAclEntry",
                    json!({"NetworkAclId": "acl-1", "Egress": false, "RuleNumber": 100, "Protocol": "6",
                        "RuleAction": "allow", "CidrBlock": "10.0.0.0/8", "PortRange": {"From": 22, "To": 22}}),
                ),
                (
                    Step::Remove,
                    "DeleteNetworkAclEntry",
                    json!({"NetworkAclId": "acl-1", "RuleNumber": 200, "Egress": false}),
                ),
            ]
        );
        let replace = &p.actions[2];
        assert_eq!(
            (replace.before.clone(), replace.after.clone()),
            (Some(widened), Some(ssh))
        );
        assert_eq!(
            replace.summary,
            "replace ingress entry 100: allow protocol 6 ports 22-22 10.0.0.0/8"
        );
    }

    #[test]
    fn network_acl_associations_and_unknown_ports_are_manual() {
        let tcp_no_ports = entry(100, "6", (Value::Null, Value::Null), "10.0.0.0/8", "allow");
        let base = acl(vec![tcp_no_ports], vec![], &["subnet-1"]);
        let mut now = acl(vec![], vec![], &["subnet-2"]);
        now["vpc_id"] = json!("vpc-9");
        let p = plan_for("aws_default_network_acl", base, now);
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        let mut paths: Vec<&str> = p.manual.iter().filter_map(|m| m.path.as_deref()).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["ingress[]", "subnet_ids[]", "subnet_ids[]", "vpc_id"]);
        let reason = |path: &str| {
            p.manual
                .iter()
                .find(|m| m.path.as_deref() == Some(path))
                .map(|m| m.reason.clone())
                .unwrap_or_default()
        };
        assert!(reason("ingress[]").contains("`from_port` is not a known number"));
        assert!(reason("subnet_ids[]").contains("associate the subnets again"));
    }

    #[test]
    fn network_acls_are_deleted_only_without_subnets() {
        let delete = PlanOptions {
            delete_added: vec!["aws_network_acl".into()],
            ..PlanOptions::default()
        };
        let p = plan_with("aws_network_acl", None, Some(acl(vec![], vec![], &[])), &delete);
        assert_eq!(
            calls(&p),
            [(
                Step::DeleteAdded,
                "DeleteNetworkAcl",
                json!({"NetworkAclId": "acl-1"})
            )]
        );
        let p = plan_with(
            "aws_network_acl",
            None,
            Some(acl(vec![], vec![], &["subnet-1"])),
            &delete,
        );
        assert!(p.actions.is_empty());
        assert!(
            p.manual[0].reason.contains("associated with subnets"),
            "{:?}",
            p.manual
        );
        let p = plan_with(
            "aws_network_acl",
            Some(acl(vec![], vec![], &[])),
            None,
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("re-create it from code"));
    }

    fn ebs(enabled: Value) -> Value {
        json!({"id": "us-east-1", "enabled": enabled})
    }

    #[test]
    fn encryption_by_default_is_turned_back_on_or_off() {
        let p = plan_for(
            "aws_ebs_encryption_by_default",
            ebs(json!(true)),
            ebs(json!(false)),
        );
        assert_eq!(
            calls(&p),
            [(Step::Modify, "EnableEbsEncryptionByDefault", json!({}))]
        );
        assert_eq!(
            p.actions[0].summary,
            "enable EBS encryption by default in us-east-1"
        );
        assert_eq!(
            (p.actions[0].before.clone(), p.actions[0].after.clone()),
            (Some(json!(false)), Some(json!(true)))
        );
        let p = plan_for(
            "aws_ebs_encryption_by_default",
            ebs(json!(false)),
            ebs(json!(true)),
        );
        assert_eq!(
            calls(&p),
            [(Step::Modify, "DisableEbsEncryptionByDefault", json!({}))]
        );
        // Unknown now: no drift, no call.
        let p = plan_for(
            "aws_ebs_encryption_by_default",
            ebs(json!(true)),
            ebs(json!({"$unknown": "AccessDenied"})),
        );
        assert!(p.is_empty());
        let p = plan_with(
            "aws_ebs_encryption_by_default",
            Some(ebs(json!(true))),
            None,
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("did not read it"));
    }

    fn flow(extra: Value) -> Value {
        let mut a = json!({
            "id": "fl-1", "arn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-1", "vpc_id": "vpc-1",
            "traffic_type": "ALL", "log_destination_type": "cloud-watch-logs",
            "log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:flows",
            "log_group_name": "flows", "iam_role_arn": "arn:aws:iam::123456789012:role/flows",
            "log_format": "${version} ${srcaddr}", "max_aggregation_interval": 600, "tags": {"Name": "flows"},
        });
        if let (Some(a), Some(extra)) = (a.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                a.insert(k.clone(), v.clone());
            }
        }
        a
    }

    #[test]
    fn a_removed_flow_log_is_created_again() {
        let p = plan_with(
            "aws_flow_log",
            Some(flow(json!({}))),
            None,
            &PlanOptions::default(),
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            [(
                Step::Restore,
                "CreateFlowLogs",
                json!({
                    "ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL",
                    "LogDestinationType": "cloud-watch-logs",
                    "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flows",
                    "LogGroupName": "flows", "LogFormat": "${version} ${srcaddr}", "MaxAggregationInterval": 600,
                    "TagSpecifications": [{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "Name", "Value": "flows"}]}],
                }),
            )]
        );
        assert!(p.actions[0].summary.contains("new id"));

        // To S3, from a subnet, without a role.
        let s3 = flow(json!({
            "vpc_id": null, "subnet_id": "subnet-1", "log_destination_type": "s3",
            "log_destination": "arn:aws:s3:::flow-bucket", "log_group_name": null, "iam_role_arn": null,
            "log_format": null, "max_aggregation_interval": null, "tags": {}, "traffic_type": "REJECT",
        }));
        let p = plan_with("aws_flow_log", Some(s3), None, &PlanOptions::default());
        assert_eq!(
            calls(&p),
            [(
                Step::Restore,
                "CreateFlowLogs",
                json!({"ResourceIds": ["subnet-1"], "ResourceType": "Subnet", "TrafficType": "REJECT",
                    "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::flow-bucket"}),
            )]
        );
    }

    #[test]
    fn a_flow_log_with_unknown_settings_is_not_guessed() {
        for (key, value) in [
            ("iam_role_arn", json!(null)),
            ("vpc_id", json!({"$unknown": "AccessDenied"})),
            ("log_group_name", json!({"$unknown": "AccessDenied"})),
        ] {
            let p = plan_with(
                "aws_flow_log",
                Some(flow(json!({ key: value }))),
                None,
                &PlanOptions::default(),
            );
            assert!(p.actions.is_empty(), "{key}: {:?}", p.actions);
            assert_eq!(p.manual.len(), 1, "{key}");
            assert!(
                p.manual[0]
                    .reason
                    .starts_with("the flow log cannot be re-created"),
                "{:?}",
                p.manual
            );
        }
    }

    #[test]
    fn a_changed_flow_log_is_manual_but_for_its_tags() {
        let base = flow(json!({}));
        let now = flow(json!({"traffic_type": "ACCEPT", "tags": {"Name": "x"}}));
        let p = plan_for("aws_flow_log", base, now);
        assert_eq!(
            calls(&p),
            [(
                Step::Modify,
                "CreateTags",
                json!({"Resources": ["fl-1"], "Tags": [{"Key": "Name", "Value": "flows"}]}),
            )]
        );
        assert_eq!(p.manual.len(), 1);
        assert_eq!(p.manual[0].path.as_deref(), Some("traffic_type"));
        assert!(p.manual[0].reason.contains("cannot be changed"));

        let delete = PlanOptions {
            delete_added: vec!["aws_flow_log".into()],
            ..PlanOptions::default()
        };
        let p = plan_with("aws_flow_log", None, Some(flow(json!({}))), &delete);
        assert_eq!(
            calls(&p),
            [(
                Step::DeleteAdded,
                "DeleteFlowLogs",
                json!({"FlowLogIds": ["fl-1"]})
            )]
        );
        // A stand-in without an id is never deleted.
        let p = plan_with(
            "aws_flow_log",
            None,
            Some(json!({"vpc_id": {"$unknown": "AccessDenied"}})),
            &delete,
        );
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("id is not known"));
    }
}
