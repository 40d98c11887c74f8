//! EC2 beyond security groups: network ACLs and their entries, subnets, route tables and routes,
//! VPC peering connections, instances, launch templates and EBS volumes.
//!
//! - `AWS::EC2::NetworkAclEntry` becomes an `aws_network_acl_rule` (both stand alone, one entry
//!   each); the ACL itself has no inline entries. `Protocol` is a number in CloudFormation and a
//!   string in Terraform (`"6"`, `"-1"`); `PortRange` becomes `from_port` / `to_port`.
//! - `AWS::EC2::Route` becomes an `aws_route`; `AWS::EC2::RouteTable` has no inline routes.
//! - `AWS::EC2::Instance`: the primary network interface (`DeviceIndex` 0, else the first one)
//!   gives `associate_public_ip_address` and, when the instance does not set them itself,
//!   `subnet_id`; the groups of every interface the instance creates (`GroupSet`) count as
//!   `vpc_security_group_ids` when `SecurityGroupIds` is not written. `BlockDeviceMappings`
//!   become `ebs_block_device` entries: the template does not say which device is the AMI's root
//!   device, so none becomes `root_block_device`.
//! - Defaults CloudFormation applies (a subnet's public IP mapping, IMDS token settings) are left
//!   out, as Terraform leaves them out: the rules reason about the absent value.

use attest_core::Value;

use super::{block, each, obj, one_or_list, tags, Ctx, Source, Translated};

/// A protocol number (CloudFormation writes numbers) as the string Terraform holds.
fn protocol(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    }
}

/// Lists and single values joined into one list; an unknown part makes the whole unknown,
/// nothing at all is `Null`.
fn concat(parts: &[&Value]) -> Value {
    let mut out = Vec::new();
    let mut any = false;
    for part in parts {
        match part {
            Value::Null => {}
            Value::Unknown(_) => return (*part).clone(),
            Value::List(items) => {
                any = true;
                out.extend(items.iter().cloned());
            }
            other => {
                any = true;
                out.push((*other).clone());
            }
        }
    }
    if any {
        Value::List(out)
    } else {
        Value::Null
    }
}

/// The first value that is set.
fn first_set(values: &[&Value]) -> Value {
    values
        .iter()
        .find(|v| !v.is_null())
        .map(|v| (*v).clone())
        .unwrap_or(Value::Null)
}

pub fn network_acl(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_network_acl",
        obj(vec![
            ("vpc_id", p.get("VpcId").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn network_acl_entry(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let range = p.get("PortRange");
    let icmp = p.get("Icmp");
    vec![Translated::new(
        s.id,
        "aws_network_acl_rule",
        obj(vec![
            ("network_acl_id", p.get("NetworkAclId").clone()),
            ("rule_number", p.get("RuleNumber").clone()),
            ("egress", p.get("Egress").clone()),
            ("protocol", protocol(p.get("Protocol"))),
            ("rule_action", p.get("RuleAction").clone()),
            ("cidr_block", p.get("CidrBlock").clone()),
            ("ipv6_cidr_block", p.get("Ipv6CidrBlock").clone()),
            ("from_port", range.get("From").clone()),
            ("to_port", range.get("To").clone()),
            ("icmp_type", icmp.get("Type").clone()),
            ("icmp_code", icmp.get("Code").clone()),
        ]),
    )]
}

pub fn subnet(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_subnet",
        obj(vec![
            ("vpc_id", p.get("VpcId").clone()),
            ("cidr_block", p.get("CidrBlock").clone()),
            ("ipv6_cidr_block", p.get("Ipv6CidrBlock").clone()),
            ("availability_zone", p.get("AvailabilityZone").clone()),
            ("availability_zone_id", p.get("AvailabilityZoneId").clone()),
            ("map_public_ip_on_launch", p.get("MapPublicIpOnLaunch").clone()),
            (
                "assign_ipv6_address_on_creation",
                p.get("AssignIpv6AddressOnCreation").clone(),
            ),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn route_table(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_route_table",
        obj(vec![
            ("vpc_id", p.get("VpcId").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn route(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_route",
        obj(vec![
            ("route_table_id", p.get("RouteTableId").clone()),
            ("destination_cidr_block", p.get("DestinationCidrBlock").clone()),
            (
                "destination_ipv6_cidr_block",
                p.get("DestinationIpv6CidrBlock").clone(),
            ),
            (
                "destination_prefix_list_id",
                p.get("DestinationPrefixListId").clone(),
            ),
            ("gateway_id", p.get("GatewayId").clone()),
            ("nat_gateway_id", p.get("NatGatewayId").clone()),
            (
                "egress_only_gateway_id",
                p.get("EgressOnlyInternetGatewayId").clone(),
            ),
            ("transit_gateway_id", p.get("TransitGatewayId").clone()),
            (
                "vpc_peering_connection_id",
                p.get("VpcPeeringConnectionId").clone(),
            ),
            ("vpc_endpoint_id", p.get("VpcEndpointId").clone()),
            ("network_interface_id", p.get("NetworkInterfaceId").clone()),
            ("carrier_gateway_id", p.get("CarrierGatewayId").clone()),
            ("local_gateway_id", p.get("LocalGatewayId").clone()),
            ("core_network_arn", p.get("CoreNetworkArn").clone()),
        ]),
    )]
}

pub fn vpc_peering_connection(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_vpc_peering_connection",
        obj(vec![
            ("vpc_id", p.get("VpcId").clone()),
            ("peer_vpc_id", p.get("PeerVpcId").clone()),
            ("peer_owner_id", p.get("PeerOwnerId").clone()),
            ("peer_region", p.get("PeerRegion").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

/// `MetadataOptions` as Terraform's `metadata_options` block.
fn metadata_options(v: &Value) -> Value {
    block(v, |m| {
        obj(vec![
            ("http_endpoint", m.get("HttpEndpoint").clone()),
            ("http_tokens", m.get("HttpTokens").clone()),
            (
                "http_put_response_hop_limit",
                m.get("HttpPutResponseHopLimit").clone(),
            ),
            ("http_protocol_ipv6", m.get("HttpProtocolIpv6").clone()),
            ("instance_metadata_tags", m.get("InstanceMetadataTags").clone()),
        ])
    })
}

/// The EBS settings of a block device mapping, flat (`aws_instance.ebs_block_device`).
fn ebs_device(mapping: &Value) -> Value {
    let ebs = mapping.get("Ebs");
    obj(vec![
        ("device_name", mapping.get("DeviceName").clone()),
        ("encrypted", ebs.get("Encrypted").clone()),
        ("kms_key_id", ebs.get("KmsKeyId").clone()),
        ("volume_size", ebs.get("VolumeSize").clone()),
        ("volume_type", ebs.get("VolumeType").clone()),
        ("iops", ebs.get("Iops").clone()),
        ("throughput", ebs.get("Throughput").clone()),
        ("snapshot_id", ebs.get("SnapshotId").clone()),
        ("delete_on_termination", ebs.get("DeleteOnTermination").clone()),
    ])
}

/// Block device mappings that have an `Ebs` volume (an unknown list stays unknown).
fn ebs_mappings(v: &Value) -> Value {
    match v {
        Value::List(items) => {
            let ebs: Vec<Value> = items
                .iter()
                .filter(|m| m.is_unknown() || !m.get("Ebs").is_null())
                .map(|m| if m.is_unknown() { m.clone() } else { ebs_device(m) })
                .collect();
            if ebs.is_empty() {
                Value::Null
            } else {
                Value::List(ebs)
            }
        }
        other => each(other, ebs_device),
    }
}

/// The primary network interface of an instance: `DeviceIndex` 0, else the first one.
fn primary_interface(v: &Value) -> Value {
    match v {
        Value::List(items) => items
            .iter()
            .find(|i| i.get("DeviceIndex").as_i64() == Some(0))
            .or_else(|| items.first())
            .cloned()
            .unwrap_or(Value::Null),
        Value::Unknown(_) => v.clone(),
        _ => Value::Null,
    }
}

pub fn instance(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let interfaces = p.get("NetworkInterfaces");
    let primary = primary_interface(interfaces);
    let interface_groups: Vec<&Value> = match interfaces {
        Value::List(items) => items.iter().map(|i| i.get("GroupSet")).collect(),
        other => vec![other.get("GroupSet")],
    };
    let groups = match p.get("SecurityGroupIds") {
        Value::Null => concat(&interface_groups),
        other => one_or_list(other),
    };
    // Interfaces the instance creates are described above; `network_interface` lists the
    // existing ones it attaches, as in Terraform.
    let network_interface = match each(interfaces, |i| {
        obj(vec![
            ("device_index", i.get("DeviceIndex").clone()),
            ("network_interface_id", i.get("NetworkInterfaceId").clone()),
            ("delete_on_termination", i.get("DeleteOnTermination").clone()),
        ])
    }) {
        Value::List(items) => {
            let attached: Vec<Value> = items
                .into_iter()
                .filter(|i| i.is_unknown() || !i.get("network_interface_id").is_null())
                .collect();
            if attached.is_empty() {
                Value::Null
            } else {
                Value::List(attached)
            }
        }
        other => other,
    };
    vec![Translated::new(
        s.id,
        "aws_instance",
        obj(vec![
            ("ami", p.get("ImageId").clone()),
            ("instance_type", p.get("InstanceType").clone()),
            ("iam_instance_profile", p.get("IamInstanceProfile").clone()),
            (
                "subnet_id",
                first_set(&[p.get("SubnetId"), primary.get("SubnetId")]),
            ),
            ("availability_zone", p.get("AvailabilityZone").clone()),
            (
                "associate_public_ip_address",
                primary.get("AssociatePublicIpAddress").clone(),
            ),
            ("vpc_security_group_ids", groups),
            ("security_groups", one_or_list(p.get("SecurityGroups"))),
            ("network_interface", network_interface),
            ("metadata_options", metadata_options(p.get("MetadataOptions"))),
            ("ebs_block_device", ebs_mappings(p.get("BlockDeviceMappings"))),
            ("ebs_optimized", p.get("EbsOptimized").clone()),
            ("monitoring", p.get("Monitoring").clone()),
            ("key_name", p.get("KeyName").clone()),
            ("user_data", p.get("UserData").clone()),
            ("disable_api_termination", p.get("DisableApiTermination").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn launch_template(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let d = p.get("LaunchTemplateData");
    let profile = block(d.get("IamInstanceProfile"), |i| {
        obj(vec![
            ("arn", i.get("Arn").clone()),
            ("name", i.get("Name").clone()),
        ])
    });
    let interfaces = each(d.get("NetworkInterfaces"), |i| {
        obj(vec![
            ("device_index", i.get("DeviceIndex").clone()),
            (
                "associate_public_ip_address",
                i.get("AssociatePublicIpAddress").clone(),
            ),
            ("subnet_id", i.get("SubnetId").clone()),
            ("security_groups", one_or_list(i.get("Groups"))),
            ("network_interface_id", i.get("NetworkInterfaceId").clone()),
            ("delete_on_termination", i.get("DeleteOnTermination").clone()),
        ])
    });
    let devices = each(d.get("BlockDeviceMappings"), |m| {
        obj(vec![
            ("device_name", m.get("DeviceName").clone()),
            ("no_device", m.get("NoDevice").clone()),
            ("virtual_name", m.get("VirtualName").clone()),
            (
                "ebs",
                block(m.get("Ebs"), |e| {
                    obj(vec![
                        ("encrypted", e.get("Encrypted").clone()),
                        ("kms_key_id", e.get("KmsKeyId").clone()),
                        ("volume_size", e.get("VolumeSize").clone()),
                        ("volume_type", e.get("VolumeType").clone()),
                        ("iops", e.get("Iops").clone()),
                        ("throughput", e.get("Throughput").clone()),
                        ("snapshot_id", e.get("SnapshotId").clone()),
                        ("delete_on_termination", e.get("DeleteOnTermination").clone()),
                    ])
                }),
            ),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_launch_template",
        obj(vec![
            ("name", p.get("LaunchTemplateName").clone()),
            ("image_id", d.get("ImageId").clone()),
            ("instance_type", d.get("InstanceType").clone()),
            ("iam_instance_profile", profile),
            ("vpc_security_group_ids", one_or_list(d.get("SecurityGroupIds"))),
            ("security_group_names", one_or_list(d.get("SecurityGroups"))),
            ("network_interfaces", interfaces),
            ("block_device_mappings", devices),
            ("metadata_options", metadata_options(d.get("MetadataOptions"))),
            ("key_name", d.get("KeyName").clone()),
            ("user_data", d.get("UserData").clone()),
            ("ebs_optimized", d.get("EbsOptimized").clone()),
        ]),
    )]
}

pub fn volume(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_ebs_volume",
        obj(vec![
            ("availability_zone", p.get("AvailabilityZone").clone()),
            ("encrypted", p.get("Encrypted").clone()),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            ("size", p.get("Size").clone()),
            ("snapshot_id", p.get("SnapshotId").clone()),
            ("type", p.get("VolumeType").clone()),
            ("iops", p.get("Iops").clone()),
            ("throughput", p.get("Throughput").clone()),
            ("multi_attach_enabled", p.get("MultiAttachEnabled").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
