//! Auto Scaling groups and launch configurations.
//!
//! `VPCZoneIdentifier` becomes `vpc_zone_identifier` (the subnets, whose zones the rules read from
//! the `aws_subnet` resources they reference), the `LaunchTemplate` structure the
//! `launch_template` block, and `Tags` (with `PropagateAtLaunch`) the `tag` blocks.

use super::{block, each, obj, one_or_list, Ctx, Source, Translated};

pub fn group(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let template = block(p.get("LaunchTemplate"), |t| {
        obj(vec![
            ("id", t.get("LaunchTemplateId").clone()),
            ("name", t.get("LaunchTemplateName").clone()),
            ("version", t.get("Version").clone()),
        ])
    });
    let tag = each(p.get("Tags"), |t| {
        obj(vec![
            ("key", t.get("Key").clone()),
            ("value", t.get("Value").clone()),
            ("propagate_at_launch", t.get("PropagateAtLaunch").clone()),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_autoscaling_group",
        obj(vec![
            ("name", p.get("AutoScalingGroupName").clone()),
            ("min_size", p.get("MinSize").clone()),
            ("max_size", p.get("MaxSize").clone()),
            ("desired_capacity", p.get("DesiredCapacity").clone()),
            ("availability_zones", one_or_list(p.get("AvailabilityZones"))),
            ("vpc_zone_identifier", one_or_list(p.get("VPCZoneIdentifier"))),
            ("launch_configuration", p.get("LaunchConfigurationName").clone()),
            ("launch_template", template),
            ("health_check_type", p.get("HealthCheckType").clone()),
            (
                "health_check_grace_period",
                p.get("HealthCheckGracePeriod").clone(),
            ),
            ("target_group_arns", one_or_list(p.get("TargetGroupARNs"))),
            ("load_balancers", one_or_list(p.get("LoadBalancerNames"))),
            ("tag", tag),
        ]),
    )]
}

pub fn launch_configuration(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let metadata = block(p.get("MetadataOptions"), |m| {
        obj(vec![
            ("http_endpoint", m.get("HttpEndpoint").clone()),
            ("http_tokens", m.get("HttpTokens").clone()),
            (
                "http_put_response_hop_limit",
                m.get("HttpPutResponseHopLimit").clone(),
            ),
        ])
    });
    let devices = each(p.get("BlockDeviceMappings"), |m| {
        let ebs = m.get("Ebs");
        obj(vec![
            ("device_name", m.get("DeviceName").clone()),
            ("no_device", m.get("NoDevice").clone()),
            ("encrypted", ebs.get("Encrypted").clone()),
            ("volume_size", ebs.get("VolumeSize").clone()),
            ("volume_type", ebs.get("VolumeType").clone()),
            ("iops", ebs.get("Iops").clone()),
            ("snapshot_id", ebs.get("SnapshotId").clone()),
            ("delete_on_termination", ebs.get("DeleteOnTermination").clone()),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_launch_configuration",
        obj(vec![
            ("name", p.get("LaunchConfigurationName").clone()),
            ("image_id", p.get("ImageId").clone()),
            ("instance_type", p.get("InstanceType").clone()),
            ("iam_instance_profile", p.get("IamInstanceProfile").clone()),
            ("security_groups", one_or_list(p.get("SecurityGroups"))),
            (
                "associate_public_ip_address",
                p.get("AssociatePublicIpAddress").clone(),
            ),
            ("metadata_options", metadata),
            ("ebs_block_device", devices),
            ("key_name", p.get("KeyName").clone()),
            ("user_data", p.get("UserData").clone()),
            ("enable_monitoring", p.get("InstanceMonitoring").clone()),
        ]),
    )]
}
