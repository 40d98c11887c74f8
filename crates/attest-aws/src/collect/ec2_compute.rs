//! EC2 compute and block storage:
//!
//! - `DescribeInstances` → `aws_instance` (terminated instances left out): `instance_type`,
//!   `subnet_id`, `vpc_security_group_ids` (the groups of every attached interface),
//!   `associate_public_ip_address` (the primary interface has a public address) and `public_ip`,
//!   `iam_instance_profile` (the profile's name, as Terraform shows it), `metadata_options`,
//!   `monitoring`, `root_block_device` / `ebs_block_device`, whose `encrypted`, `kms_key_id`,
//!   size and type come from `DescribeVolumes`;
//! - `DescribeVolumes` → `aws_ebs_volume` (`encrypted`, `kms_key_id`, `size`, `type`,
//!   `availability_zone`…);
//! - `GetEbsEncryptionByDefault` → one `aws_ebs_encryption_by_default` (`enabled`) per region;
//! - `DescribeLaunchTemplates` and `DescribeLaunchTemplateVersions` (`$Latest` of every
//!   template, one call) → `aws_launch_template` with the latest version's data, as Terraform
//!   reads it (`metadata_options`, `block_device_mappings`, `network_interfaces`…). User data is
//!   never read (it may hold secrets).
//!
//! Failures: a failed `DescribeVolumes` leaves the volume attributes of block devices unknown; a
//! failed `GetEbsEncryptionByDefault` adds an `aws_ebs_encryption_by_default` placeholder (a
//! region-level setting: the region's verdict is unknown); a failed
//! `DescribeLaunchTemplateVersions` leaves the version data of every template unknown; a failed
//! `DescribeInstances` adds an `aws_instance` placeholder (the rules on security groups of
//! instances look for instances).
//!
//! [`link`] adds instance → subnet, security groups, instance profile and volumes; launch
//! template → security groups, subnets and instance profile; volume → KMS key.

use std::collections::HashMap;

use aws_sdk_ec2::types::{
    Instance, InstanceStateName, LaunchTemplate, LaunchTemplateVersion, MonitoringState,
    ResponseLaunchTemplateData, Volume,
};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource};

use super::ec2_network::SECURITY_GROUPS;
use super::targets::Targets;
use super::{drain, placeholder, tags, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// What a block device reads from `DescribeVolumes`.
const VOLUME_ATTRS: &[&str] = &[
    "encrypted",
    "kms_key_id",
    "volume_size",
    "volume_type",
    "iops",
    "throughput",
];

/// What a launch template reads from its latest version.
const VERSION_ATTRS: &[&str] = &[
    "image_id",
    "instance_type",
    "key_name",
    "ebs_optimized",
    "iam_instance_profile",
    "vpc_security_group_ids",
    "security_group_names",
    "network_interfaces",
    "block_device_mappings",
    "metadata_options",
    "monitoring",
    "disable_api_termination",
    "disable_api_stop",
];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ec2 = client!(c.session, aws_sdk_ec2, "ec2");
    let (
        (reservations, instance_err),
        (volumes, volume_err),
        by_default,
        (templates, template_err),
        (versions, version_err),
    ) = tokio::join!(
        drain(ec2.describe_instances().into_paginator().items().send()),
        drain(ec2.describe_volumes().into_paginator().items().send()),
        ec2.get_ebs_encryption_by_default().send(),
        drain(ec2.describe_launch_templates().into_paginator().items().send()),
        drain(
            ec2.describe_launch_template_versions()
                .versions("$Latest")
                .into_paginator()
                .items()
                .send()
        ),
    );
    let mut out = LoadOutput::default();

    if let Some(e) = &instance_err {
        out.errors.push(c.error("ec2", "DescribeInstances", &e.message));
        out.resources.push(placeholder(
            c,
            "aws_instance",
            &[
                "vpc_security_group_ids",
                "security_groups",
                "subnet_id",
                "associate_public_ip_address",
                "public_ip",
                "iam_instance_profile",
                "metadata_options",
            ],
            &e.unknown_reason("ec2", "DescribeInstances"),
        ));
    }
    // Volumes are read whole: block devices of instances need them even after a partial answer.
    let volume_index: Result<HashMap<&str, &Volume>, ApiError> = match volume_err {
        Some(e) => {
            out.errors.push(c.error("ec2", "DescribeVolumes", &e.message));
            Err(e)
        }
        None => Ok(volumes.iter().filter_map(|v| Some((v.volume_id()?, v))).collect()),
    };
    out.resources.extend(volumes.iter().filter_map(|v| volume(c, v)));
    out.resources.extend(
        reservations
            .iter()
            .flat_map(|r| r.instances())
            .filter_map(|i| instance(c, i, volume_index.as_ref())),
    );

    out.resources.push(match by_default {
        Ok(o) => encryption_by_default(c, o.ebs_encryption_by_default()),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            out.errors
                .push(c.error("ec2", "GetEbsEncryptionByDefault", &e.message));
            placeholder(
                c,
                "aws_ebs_encryption_by_default",
                &["enabled"],
                &e.unknown_reason("ec2", "GetEbsEncryptionByDefault"),
            )
        }
    });

    if let Some(e) = template_err {
        out.errors
            .push(c.error("ec2", "DescribeLaunchTemplates", e.message));
    }
    let version_index: Result<HashMap<&str, &LaunchTemplateVersion>, ApiError> = match version_err {
        Some(e) => {
            out.errors
                .push(c.error("ec2", "DescribeLaunchTemplateVersions", &e.message));
            Err(e)
        }
        None => Ok(versions
            .iter()
            .filter_map(|v| Some((v.launch_template_id()?, v)))
            .collect()),
    };
    out.resources.extend(templates.iter().filter_map(|t| {
        let version = match &version_index {
            Ok(index) => Ok(t.launch_template_id().and_then(|id| index.get(id).copied())),
            Err(e) => Err(e),
        };
        launch_template(c, t, version)
    }));
    out
}

/// The region's EBS encryption-by-default setting (`enabled` unknown in an answer without it).
pub fn encryption_by_default(c: &Ctx<'_>, enabled: Option<bool>) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(c.region));
    a.insert(
        "enabled".into(),
        match enabled {
            Some(on) => json!(on),
            None => unknown("GetEbsEncryptionByDefault answered without the setting"),
        },
    );
    c.resource(
        format!("aws_ebs_encryption_by_default:{}", c.label),
        "aws_ebs_encryption_by_default",
        Some(&c.region),
        a,
    )
}

pub fn volume(c: &Ctx<'_>, v: &Volume) -> Option<Resource> {
    let id = v.volume_id()?;
    let arn = v
        .volume_arn()
        .map(str::to_string)
        .or_else(|| c.arn("ec2", &format!("volume/{id}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("availability_zone".into(), json!(v.availability_zone()));
    a.insert(
        "encrypted".into(),
        match v.encrypted() {
            Some(e) => json!(e),
            None => unknown("DescribeVolumes answered without the Encrypted flag"),
        },
    );
    a.insert("kms_key_id".into(), json!(v.kms_key_id().unwrap_or_default()));
    a.insert("size".into(), json!(v.size()));
    a.insert("type".into(), json!(v.volume_type().map(|t| t.as_str())));
    a.insert("iops".into(), json!(v.iops()));
    a.insert("throughput".into(), json!(v.throughput()));
    a.insert("snapshot_id".into(), json!(v.snapshot_id().unwrap_or_default()));
    a.insert(
        "multi_attach_enabled".into(),
        json!(v.multi_attach_enabled().unwrap_or(false)),
    );
    a.insert("outpost_arn".into(), json!(v.outpost_arn().unwrap_or_default()));
    a.insert("tags".into(), tags(v.tags().iter().map(|t| (t.key(), t.value()))));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_ebs_volume", id));
    Some(c.resource(rid, "aws_ebs_volume", Some(id), a))
}

/// The name of an instance profile from its ARN (`…:instance-profile/path/name` → `name`), as
/// Terraform shows `iam_instance_profile`.
pub fn profile_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// One block device of an instance with its volume's settings from `DescribeVolumes`.
fn block_device(
    device: &str,
    volume_id: Option<&str>,
    delete_on_termination: Option<bool>,
    volumes: Result<&HashMap<&str, &Volume>, &ApiError>,
) -> Json {
    let mut d = Map::new();
    d.insert("device_name".into(), json!(device));
    d.insert("volume_id".into(), json!(volume_id));
    d.insert(
        "delete_on_termination".into(),
        json!(delete_on_termination.unwrap_or(false)),
    );
    let found = match (volumes, volume_id) {
        (Ok(index), Some(id)) => match index.get(id) {
            Some(v) => Ok(*v),
            None => Err(format!("volume {id} is not in the DescribeVolumes answer")),
        },
        (Ok(_), None) => Err("the block device names no volume".to_string()),
        (Err(e), _) => Err(e.unknown_reason("ec2", "DescribeVolumes")),
    };
    match found {
        Ok(v) => {
            d.insert(
                "encrypted".into(),
                match v.encrypted() {
                    Some(e) => json!(e),
                    None => unknown("DescribeVolumes answered without the Encrypted flag"),
                },
            );
            d.insert("kms_key_id".into(), json!(v.kms_key_id().unwrap_or_default()));
            d.insert("volume_size".into(), json!(v.size()));
            d.insert("volume_type".into(), json!(v.volume_type().map(|t| t.as_str())));
            d.insert("iops".into(), json!(v.iops()));
            d.insert("throughput".into(), json!(v.throughput()));
        }
        Err(reason) => {
            for key in VOLUME_ATTRS {
                d.insert((*key).into(), unknown(&reason));
            }
        }
    }
    Json::Object(d)
}

/// An instance as Terraform state shows it; `None` for terminated instances (and answers
/// without an id).
pub fn instance(
    c: &Ctx<'_>,
    i: &Instance,
    volumes: Result<&HashMap<&str, &Volume>, &ApiError>,
) -> Option<Resource> {
    let id = i.instance_id()?;
    let state = i.state().and_then(|s| s.name());
    if matches!(state, Some(InstanceStateName::Terminated)) {
        return None;
    }
    let arn = c.arn("ec2", &format!("instance/{id}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("ami".into(), json!(i.image_id()));
    a.insert(
        "instance_type".into(),
        json!(i.instance_type().map(|t| t.as_str())),
    );
    a.insert("instance_state".into(), json!(state.map(|s| s.as_str())));
    a.insert(
        "availability_zone".into(),
        json!(i.placement().and_then(|p| p.availability_zone())),
    );
    a.insert(
        "tenancy".into(),
        json!(i.placement().and_then(|p| p.tenancy()).map(|t| t.as_str())),
    );
    a.insert("subnet_id".into(), json!(i.subnet_id().unwrap_or_default()));
    a.insert("key_name".into(), json!(i.key_name().unwrap_or_default()));
    a.insert("private_ip".into(), json!(i.private_ip_address()));

    // The groups of the instance and of every interface attached to it: traffic reaches the
    // instance through any of them.
    let mut groups: Vec<&str> = Vec::new();
    let interface_groups = i
        .network_interfaces()
        .iter()
        .flat_map(|n| n.groups().iter().filter_map(|g| g.group_id()));
    for g in i
        .security_groups()
        .iter()
        .filter_map(|g| g.group_id())
        .chain(interface_groups)
    {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    a.insert("vpc_security_group_ids".into(), json!(groups));
    // Names would match same-named groups of other VPCs: the ids above say it all.
    a.insert("security_groups".into(), json!([]));

    let primary = i
        .network_interfaces()
        .iter()
        .find(|n| n.attachment().and_then(|t| t.device_index()) == Some(0));
    let public = match primary {
        Some(n) => n.association().and_then(|s| s.public_ip()).is_some(),
        None => i.public_ip_address().is_some(),
    };
    a.insert("associate_public_ip_address".into(), json!(public));
    a.insert(
        "public_ip".into(),
        json!(i.public_ip_address().unwrap_or_default()),
    );
    a.insert(
        "public_dns".into(),
        json!(i.public_dns_name().unwrap_or_default()),
    );
    a.insert(
        "ipv6_addresses".into(),
        json!(i
            .network_interfaces()
            .iter()
            .flat_map(|n| n.ipv6_addresses().iter().filter_map(|x| x.ipv6_address()))
            .collect::<Vec<_>>()),
    );
    a.insert(
        "iam_instance_profile".into(),
        json!(i
            .iam_instance_profile()
            .and_then(|p| p.arn())
            .map(profile_name)
            .unwrap_or_default()),
    );
    a.insert(
        "metadata_options".into(),
        match i.metadata_options() {
            Some(m) => json!([{
                "http_endpoint": m.http_endpoint().map(|v| v.as_str()),
                "http_tokens": m.http_tokens().map(|v| v.as_str()),
                "http_put_response_hop_limit": m.http_put_response_hop_limit(),
                "http_protocol_ipv6": m.http_protocol_ipv6().map(|v| v.as_str()),
                "instance_metadata_tags": m.instance_metadata_tags().map(|v| v.as_str()),
            }]),
            None => unknown("DescribeInstances answered without the instance's metadata options"),
        },
    );
    a.insert(
        "monitoring".into(),
        json!(matches!(
            i.monitoring().and_then(|m| m.state()),
            Some(MonitoringState::Enabled | MonitoringState::Pending)
        )),
    );
    a.insert("ebs_optimized".into(), json!(i.ebs_optimized().unwrap_or(false)));
    a.insert(
        "source_dest_check".into(),
        json!(i.source_dest_check().unwrap_or(true)),
    );

    let root_name = i.root_device_name().unwrap_or_default();
    let ebs_root = i.root_device_type().map(|t| t.as_str()) != Some("instance-store");
    let mut root = Vec::new();
    let mut others = Vec::new();
    for m in i.block_device_mappings() {
        let Some(ebs) = m.ebs() else { continue };
        let device = m.device_name().unwrap_or_default();
        let d = block_device(device, ebs.volume_id(), ebs.delete_on_termination(), volumes);
        if ebs_root && device == root_name && root.is_empty() {
            root.push(d);
        } else {
            others.push(d);
        }
    }
    a.insert("root_block_device".into(), Json::Array(root));
    a.insert("ebs_block_device".into(), Json::Array(others));
    a.insert("tags".into(), tags(i.tags().iter().map(|t| (t.key(), t.value()))));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_instance", id));
    Some(c.resource(rid, "aws_instance", Some(id), a))
}

/// A launch template with its latest version's data: `Ok(Some)` read, `Ok(None)` missing from
/// the versions answer, `Err` the versions call failed (the version data is then unknown).
pub fn launch_template(
    c: &Ctx<'_>,
    t: &LaunchTemplate,
    version: Result<Option<&LaunchTemplateVersion>, &ApiError>,
) -> Option<Resource> {
    let id = t.launch_template_id()?;
    let arn = c.arn("ec2", &format!("launch-template/{id}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(t.launch_template_name()));
    a.insert("default_version".into(), json!(t.default_version_number()));
    a.insert("latest_version".into(), json!(t.latest_version_number()));
    a.insert("tags".into(), tags(t.tags().iter().map(|t| (t.key(), t.value()))));
    let data = match version {
        Ok(Some(v)) => {
            a.insert(
                "description".into(),
                json!(v.version_description().unwrap_or_default()),
            );
            Ok(v.launch_template_data())
        }
        Ok(None) => Err(format!(
            "the latest version of {id} is not in the DescribeLaunchTemplateVersions answer"
        )),
        Err(e) => Err(e.unknown_reason("ec2", "DescribeLaunchTemplateVersions")),
    };
    match data {
        Ok(d) => template_data(&mut a, d),
        Err(reason) => {
            for key in VERSION_ATTRS {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id("aws_launch_template", id));
    Some(c.resource(rid, "aws_launch_template", Some(id), a))
}

/// The data of a launch template version as Terraform's `aws_launch_template` attributes. Blocks
/// the version does not set are empty lists, as in Terraform state.
fn template_data(a: &mut Map<String, Json>, d: Option<&ResponseLaunchTemplateData>) {
    let s = |v: Option<&str>| json!(v.unwrap_or_default());
    let empty = ResponseLaunchTemplateData::builder().build();
    let d = d.unwrap_or(&empty);
    a.insert("image_id".into(), s(d.image_id()));
    a.insert("instance_type".into(), s(d.instance_type().map(|t| t.as_str())));
    a.insert("key_name".into(), s(d.key_name()));
    a.insert("ebs_optimized".into(), json!(d.ebs_optimized()));
    a.insert(
        "disable_api_termination".into(),
        json!(d.disable_api_termination()),
    );
    a.insert("disable_api_stop".into(), json!(d.disable_api_stop()));
    a.insert(
        "iam_instance_profile".into(),
        match d.iam_instance_profile() {
            Some(p) => json!([{ "arn": s(p.arn()), "name": s(p.name()) }]),
            None => json!([]),
        },
    );
    a.insert("vpc_security_group_ids".into(), json!(d.security_group_ids()));
    a.insert("security_group_names".into(), json!(d.security_groups()));
    a.insert(
        "network_interfaces".into(),
        Json::Array(
            d.network_interfaces()
                .iter()
                .map(|n| {
                    json!({
                        "device_index": n.device_index(),
                        "associate_public_ip_address": n.associate_public_ip_address(),
                        "subnet_id": s(n.subnet_id()),
                        "security_groups": n.groups(),
                        "network_interface_id": s(n.network_interface_id()),
                        "delete_on_termination": n.delete_on_termination(),
                    })
                })
                .collect(),
        ),
    );
    a.insert(
        "block_device_mappings".into(),
        Json::Array(
            d.block_device_mappings()
                .iter()
                .map(|m| {
                    let ebs = match m.ebs() {
                        Some(e) => json!([{
                            "encrypted": e.encrypted(),
                            "kms_key_id": s(e.kms_key_id()),
                            "volume_size": e.volume_size(),
                            "volume_type": s(e.volume_type().map(|t| t.as_str())),
                            "iops": e.iops(),
                            "throughput": e.throughput(),
                            "snapshot_id": s(e.snapshot_id()),
                            "delete_on_termination": e.delete_on_termination(),
                        }]),
                        None => json!([]),
                    };
                    json!({
                        "device_name": s(m.device_name()),
                        "no_device": s(m.no_device()),
                        "virtual_name": s(m.virtual_name()),
                        "ebs": ebs,
                    })
                })
                .collect(),
        ),
    );
    a.insert(
        "metadata_options".into(),
        match d.metadata_options() {
            Some(m) => json!([{
                "http_endpoint": m.http_endpoint().map(|v| v.as_str()),
                "http_tokens": m.http_tokens().map(|v| v.as_str()),
                "http_put_response_hop_limit": m.http_put_response_hop_limit(),
                "http_protocol_ipv6": m.http_protocol_ipv6().map(|v| v.as_str()),
                "instance_metadata_tags": m.instance_metadata_tags().map(|v| v.as_str()),
            }]),
            None => json!([]),
        },
    );
    a.insert(
        "monitoring".into(),
        match d.monitoring() {
            Some(m) => json!([{ "enabled": m.enabled().unwrap_or(false) }]),
            None => json!([]),
        },
    );
}

const SUBNETS: &[&str] = &["aws_subnet"];
const VOLUMES: &[&str] = &["aws_ebs_volume"];
const PROFILES: &[&str] = &["aws_iam_instance_profile"];
const KEYS: &[&str] = &["aws_kms_key"];

/// References of the compute family: instance → subnet, security groups, instance profile and
/// volumes; launch template → security groups, subnets and instance profile; volume → KMS key.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let targets = Targets::new(
        out,
        &[SECURITY_GROUPS, SUBNETS, VOLUMES, PROFILES, KEYS].concat(),
        &["id", "arn", "name"],
    );
    let mut refs = Vec::new();
    let count = |r: &Resource, path: &str| r.attr(path).as_list().map_or(0, |l| l.len());
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        match r.resource_type.as_str() {
            "aws_instance" => {
                targets.edges(r, "subnet_id", SUBNETS, None, &mut refs);
                targets.edges(r, "vpc_security_group_ids", SECURITY_GROUPS, None, &mut refs);
                targets.edges(r, "iam_instance_profile", PROFILES, Some("global"), &mut refs);
                for list in ["root_block_device", "ebs_block_device"] {
                    for k in 0..count(r, list) {
                        targets.edges(r, &format!("{list}.{k}.volume_id"), VOLUMES, None, &mut refs);
                    }
                }
            }
            "aws_launch_template" => {
                targets.edges(r, "vpc_security_group_ids", SECURITY_GROUPS, None, &mut refs);
                for k in 0..count(r, "network_interfaces") {
                    let n = format!("network_interfaces.{k}");
                    targets.edges(
                        r,
                        &format!("{n}.security_groups"),
                        SECURITY_GROUPS,
                        None,
                        &mut refs,
                    );
                    targets.edges(r, &format!("{n}.subnet_id"), SUBNETS, None, &mut refs);
                }
                for key in ["arn", "name"] {
                    targets.edges(
                        r,
                        &format!("iam_instance_profile.0.{key}"),
                        PROFILES,
                        Some("global"),
                        &mut refs,
                    );
                }
            }
            "aws_ebs_volume" => targets.edges(r, "kms_key_id", KEYS, None, &mut refs),
            _ => {}
        }
    }
    refs.sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    refs.dedup();
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_ec2::types::{
        EbsInstanceBlockDevice, GroupIdentifier, HttpTokensState, IamInstanceProfile,
        InstanceBlockDeviceMapping, InstanceMetadataEndpointState, InstanceMetadataOptionsResponse,
        InstanceNetworkInterface, InstanceNetworkInterfaceAssociation, InstanceNetworkInterfaceAttachment,
        InstanceState, LaunchTemplateHttpTokensState, LaunchTemplateInstanceMetadataOptions, Monitoring,
        VolumeType,
    };

    use super::*;
    use crate::ctx::Session;

    fn denied() -> ApiError {
        ApiError {
            code: "UnauthorizedOperation".into(),
            message: "UnauthorizedOperation: not allowed".into(),
        }
    }

    fn sample_instance(state: InstanceStateName) -> Instance {
        Instance::builder()
            .instance_id("i-1")
            .state(InstanceState::builder().name(state).build())
            .subnet_id("subnet-1")
            .security_groups(
                GroupIdentifier::builder()
                    .group_id("sg-1")
                    .group_name("web")
                    .build(),
            )
            .network_interfaces(
                InstanceNetworkInterface::builder()
                    .attachment(
                        InstanceNetworkInterfaceAttachment::builder()
                            .device_index(0)
                            .build(),
                    )
                    .association(
                        InstanceNetworkInterfaceAssociation::builder()
                            .public_ip("3.3.3.3")
                            .build(),
                    )
                    .groups(GroupIdentifier::builder().group_id("sg-1").build())
                    .build(),
            )
            .network_interfaces(
                InstanceNetworkInterface::builder()
                    .attachment(
                        InstanceNetworkInterfaceAttachment::builder()
                            .device_index(1)
                            .build(),
                    )
                    .groups(GroupIdentifier::builder().group_id("sg-2").build())
                    .build(),
            )
            .public_ip_address("3.3.3.3")
            .iam_instance_profile(
                IamInstanceProfile::builder()
                    .arn("arn:aws:iam::123456789012:instance-profile/apps/app")
                    .build(),
            )
            .metadata_options(
                InstanceMetadataOptionsResponse::builder()
                    .http_tokens(HttpTokensState::Required)
                    .http_endpoint(InstanceMetadataEndpointState::Enabled)
                    .http_put_response_hop_limit(2)
                    .build(),
            )
            .monitoring(Monitoring::builder().state(MonitoringState::Disabled).build())
            .root_device_name("/dev/xvda")
            .block_device_mappings(
                InstanceBlockDeviceMapping::builder()
                    .device_name("/dev/xvda")
                    .ebs(EbsInstanceBlockDevice::builder().volume_id("vol-root").build())
                    .build(),
            )
            .block_device_mappings(
                InstanceBlockDeviceMapping::builder()
                    .device_name("/dev/sdf")
                    .ebs(EbsInstanceBlockDevice::builder().volume_id("vol-data").build())
                    .build(),
            )
            .build()
    }

    #[test]
    fn instances_as_terraform_state_shows_them() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let root = Volume::builder()
            .volume_id("vol-root")
            .encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .size(8)
            .volume_type(VolumeType::Gp3)
            .build();
        let index: HashMap<&str, &Volume> = [("vol-root", &root)].into_iter().collect();
        let r = instance(&c, &sample_instance(InstanceStateName::Running), Ok(&index)).expect("instance");
        assert_eq!(r.id, "arn:aws:ec2:us-east-1:123456789012:instance/i-1");
        let j = r.attributes.to_json();
        assert_eq!(j["vpc_security_group_ids"], json!(["sg-1", "sg-2"]));
        assert_eq!(j["security_groups"], json!([]));
        assert_eq!(j["associate_public_ip_address"], json!(true));
        assert_eq!(j["public_ip"], json!("3.3.3.3"));
        assert_eq!(j["iam_instance_profile"], json!("app"));
        assert_eq!(j["metadata_options"][0]["http_tokens"], json!("required"));
        assert_eq!(j["metadata_options"][0]["http_put_response_hop_limit"], json!(2));
        assert_eq!(j["monitoring"], json!(false));
        assert_eq!(j["root_block_device"][0]["encrypted"], json!(true));
        assert_eq!(j["root_block_device"][0]["volume_type"], json!("gp3"));
        // A volume missing from the answer: its settings are not known.
        assert!(r.attr("ebs_block_device.0.encrypted").is_unknown());
        assert_eq!(j["ebs_block_device"][0]["device_name"], json!("/dev/sdf"));

        // Terminated instances are gone.
        assert!(instance(&c, &sample_instance(InstanceStateName::Terminated), Ok(&index)).is_none());

        // A private instance without a profile.
        let private = Instance::builder()
            .instance_id("i-2")
            .network_interfaces(
                InstanceNetworkInterface::builder()
                    .attachment(
                        InstanceNetworkInterfaceAttachment::builder()
                            .device_index(0)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let r = instance(&c, &private, Ok(&index)).expect("instance");
        let j = r.attributes.to_json();
        assert_eq!(
            (j["associate_public_ip_address"].clone(), j["public_ip"].clone()),
            (json!(false), json!(""))
        );
        assert_eq!(j["iam_instance_profile"], json!(""));
        // No metadata options in the answer: unknown, not "IMDSv1 allowed".
        assert!(r.attr("metadata_options").is_unknown());
    }

    #[test]
    fn denied_volume_reads_leave_block_devices_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let e = denied();
        let r = instance(&c, &sample_instance(InstanceStateName::Stopped), Err(&e)).expect("instance");
        for key in VOLUME_ATTRS {
            assert_eq!(
                r.attr(&format!("root_block_device.0.{key}")),
                &attest_core::Value::unknown("UnauthorizedOperation on ec2:DescribeVolumes"),
                "{key}"
            );
        }
        assert_eq!(r.attr("root_block_device.0.volume_id").as_str(), Some("vol-root"));
        // What DescribeInstances tells stays known.
        assert_eq!(
            r.attr("metadata_options.0.http_tokens").as_str(),
            Some("required")
        );
    }

    #[test]
    fn volumes_and_the_region_setting() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let v = Volume::builder()
            .volume_id("vol-1")
            .availability_zone("us-east-1a")
            .encrypted(false)
            .size(20)
            .volume_type(VolumeType::Gp2)
            .build();
        let r = volume(&c, &v).expect("volume");
        assert_eq!(r.id, "arn:aws:ec2:us-east-1:123456789012:volume/vol-1");
        let j = r.attributes.to_json();
        assert_eq!(
            (
                j["encrypted"].clone(),
                j["kms_key_id"].clone(),
                j["type"].clone(),
                j["size"].clone()
            ),
            (json!(false), json!(""), json!("gp2"), json!(20))
        );
        let no_flag = volume(&c, &Volume::builder().volume_id("vol-2").build()).expect("volume");
        assert!(no_flag.attr("encrypted").is_unknown());

        let on = encryption_by_default(&c, Some(true));
        assert_eq!(on.id, "aws_ebs_encryption_by_default:us-east-1");
        assert_eq!(on.physical_id.as_deref(), Some("us-east-1"));
        assert_eq!(on.attr("enabled").as_bool(), Some(true));
        assert!(encryption_by_default(&c, None).attr("enabled").is_unknown());
    }

    #[test]
    fn launch_templates_read_their_latest_version() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let t = LaunchTemplate::builder()
            .launch_template_id("lt-1")
            .launch_template_name("app")
            .default_version_number(1)
            .latest_version_number(2)
            .build();
        let v = LaunchTemplateVersion::builder()
            .launch_template_id("lt-1")
            .version_number(2)
            .launch_template_data(
                ResponseLaunchTemplateData::builder()
                    .image_id("ami-1")
                    .security_group_ids("sg-1")
                    .metadata_options(
                        LaunchTemplateInstanceMetadataOptions::builder()
                            .http_tokens(LaunchTemplateHttpTokensState::Required)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let r = launch_template(&c, &t, Ok(Some(&v))).expect("template");
        assert_eq!(r.id, "arn:aws:ec2:us-east-1:123456789012:launch-template/lt-1");
        let j = r.attributes.to_json();
        assert_eq!(j["metadata_options"][0]["http_tokens"], json!("required"));
        assert_eq!(j["vpc_security_group_ids"], json!(["sg-1"]));
        assert_eq!(j["latest_version"], json!(2));

        // A version without metadata options: an empty block list, as Terraform shows it.
        let bare = LaunchTemplateVersion::builder()
            .launch_template_id("lt-1")
            .launch_template_data(ResponseLaunchTemplateData::builder().build())
            .build();
        let r = launch_template(&c, &t, Ok(Some(&bare))).expect("template");
        assert_eq!(r.attributes.to_json()["metadata_options"], json!([]));

        // The versions call was denied, or the version is missing: the data is unknown.
        let e = denied();
        let r = launch_template(&c, &t, Err(&e)).expect("template");
        assert_eq!(
            r.attr("metadata_options"),
            &attest_core::Value::unknown("UnauthorizedOperation on ec2:DescribeLaunchTemplateVersions")
        );
        assert_eq!(r.attr("name").as_str(), Some("app"));
        let r = launch_template(&c, &t, Ok(None)).expect("template");
        assert!(r.attr("block_device_mappings").is_unknown());
    }

    #[test]
    fn instances_link_to_groups_subnets_profiles_and_volumes() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let index = HashMap::new();
        let mut out = LoadOutput::default();
        out.resources
            .push(instance(&c, &sample_instance(InstanceStateName::Running), Ok(&index)).expect("instance"));
        out.resources.push(
            super::super::ec2_network::subnet(
                &c,
                &aws_sdk_ec2::types::Subnet::builder()
                    .subnet_id("subnet-1")
                    .build(),
            )
            .expect("subnet"),
        );
        out.resources.push(
            volume(
                &c,
                &Volume::builder().volume_id("vol-root").encrypted(true).build(),
            )
            .expect("volume"),
        );
        let group = |id: &str, ty: &str| {
            let mut a = Map::new();
            a.insert("id".into(), json!(id));
            c.resource(format!("sg:{id}"), ty, Some(id), a)
        };
        out.resources.push(group("sg-1", "aws_security_group"));
        out.resources.push(group("sg-2", "aws_default_security_group"));
        let g = crate::ctx::Ctx::global(&s, Some("123456789012".into()));
        let mut p = Map::new();
        p.insert("name".into(), json!("app"));
        out.resources
            .push(g.resource("profile:app".into(), "aws_iam_instance_profile", Some("app"), p));
        let refs: Vec<(String, String)> = link(&out).into_iter().map(|r| (r.path, r.to)).collect();
        assert_eq!(
            refs,
            vec![
                ("iam_instance_profile".to_string(), "profile:app".to_string()),
                (
                    "root_block_device.0.volume_id".to_string(),
                    "arn:aws:ec2:us-east-1:123456789012:volume/vol-root".to_string()
                ),
                (
                    "subnet_id".to_string(),
                    "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1".to_string()
                ),
                ("vpc_security_group_ids.0".to_string(), "sg:sg-1".to_string()),
                ("vpc_security_group_ids.1".to_string(), "sg:sg-2".to_string()),
            ]
        );
    }
}
