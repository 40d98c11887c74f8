//! Live collection of EC2 and VPC resources against moto (an AWS API emulator), judged by the
//! EC2, VPC and EBS rules.
//!
//! `scripts/services.sh` starts moto and exports `ATTEST_MOTO_ENDPOINT` and test credentials.
//! Without `ATTEST_MOTO_ENDPOINT` these tests print a notice and return (and fail when `CI` is set).
//!
//! moto differences that shape the seeds: a VPC's default security group has only the
//! allow-all egress rule (AWS adds an ingress rule from the group itself too); custom network
//! ACLs start without entries (AWS adds the final deny entries, which Terraform and attest leave
//! out anyway); moto has no `GetEbsDefaultKmsKeyId`, which is not read (no rule needs it).
//! There is no rule on a subnet's own `map_public_ip_on_launch`: the live `aws_instance` always
//! carries `associate_public_ip_address`, so the instance rule never needs its subnet's setting.

mod common;

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, FlowLogsResourceType, HttpTokensState, IamInstanceProfileSpecification,
    InstanceMetadataOptionsRequest, IpPermission, IpRange, LaunchTemplateHttpTokensState,
    LaunchTemplateInstanceMetadataOptionsRequest, PortRange, RequestLaunchTemplateData, RuleAction,
    TrafficType,
};

use attest_aws::collect;
use attest_core::{LoadOutput, Mode, Verdict};
use common::{assert_verdicts, endpoint, reset, sdk, Seeded, MOTO};

const RULES: &[&str] = &[
    "aws-ec2-imdsv2-required",
    "aws-ec2-instance-no-public-ip",
    "aws-ec2-instance-profile",
    "aws-ec2-instance-sg-no-public-all-ports",
    "aws-ec2-sg-no-public-ssh",
    "aws-ec2-sg-no-public-rdp",
    "aws-ec2-sg-no-public-all-traffic",
    "aws-ec2-sg-no-public-all-ports",
    "aws-vpc-nacl-no-public-ssh",
    "aws-vpc-nacl-no-public-rdp",
    "aws-vpc-default-sg-restricts-all",
    "aws-vpc-peering-routes-least-access",
    "aws-vpc-flow-logging",
    "aws-ebs-volume-encryption",
    "aws-ebs-encryption-by-default",
];

/// The region scope of the scan (the `aws_region` data resource), the subject of region-level
/// rules.
const REGION_SCOPE: &str = "aws_region:us-east-1";

/// A moto AMI.
const AMI: &str = "ami-12c6146b";

fn ingress(protocol: &str, ports: Option<(i32, i32)>, cidr: &str) -> IpPermission {
    let mut p = IpPermission::builder()
        .ip_protocol(protocol)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build());
    if let Some((from, to)) = ports {
        p = p.from_port(from).to_port(to);
    }
    p.build()
}

fn by(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

async fn seed(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let ec2 = aws_sdk_ec2::Client::new(cfg);
    let iam = aws_sdk_iam::Client::new(cfg);

    // Two VPCs. A's default security group loses its rules, B's keeps them; A has a flow log.
    let mut vpcs = Vec::new();
    for cidr in ["10.0.0.0/16", "10.1.0.0/16"] {
        let v = ec2.create_vpc().cidr_block(cidr).send().await.expect("CreateVpc");
        vpcs.push(v.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string());
    }
    s.set("vpc-a", &vpcs[0]);
    s.set("vpc-b", &vpcs[1]);
    for (vpc, role) in [(&vpcs[0], "default-sg-a"), (&vpcs[1], "default-sg-b")] {
        let g = ec2
            .describe_security_groups()
            .filters(by("vpc-id", vpc))
            .filters(by("group-name", "default"))
            .send()
            .await
            .expect("DescribeSecurityGroups");
        let id = g
            .security_groups()
            .first()
            .and_then(|g| g.group_id())
            .expect("default group")
            .to_string();
        s.set(role, id);
    }
    ec2.revoke_security_group_egress()
        .group_id(s.get("default-sg-a"))
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("-1")
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("RevokeSecurityGroupEgress");
    ec2.create_flow_logs()
        .resource_ids(&vpcs[0])
        .resource_type(FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::All)
        .log_group_name("flows")
        .deliver_logs_permission_arn("arn:aws:iam::123456789012:role/flow-logs")
        .send()
        .await
        .expect("CreateFlowLogs");

    // Security groups of VPC A.
    for (role, permission) in [
        ("sg-ssh-open", ingress("tcp", Some((22, 22)), "0.0.0.0/0")),
        ("sg-rdp-open", ingress("tcp", Some((3389, 3389)), "0.0.0.0/0")),
        ("sg-all-open", ingress("-1", None, "0.0.0.0/0")),
        ("sg-private", ingress("tcp", Some((22, 22)), "10.0.0.0/8")),
    ] {
        let g = ec2
            .create_security_group()
            .group_name(role)
            .description(role)
            .vpc_id(&vpcs[0])
            .send()
            .await
            .expect("CreateSecurityGroup");
        let id = g.group_id().expect("group id").to_string();
        ec2.authorize_security_group_ingress()
            .group_id(&id)
            .ip_permissions(permission)
            .send()
            .await
            .expect("AuthorizeSecurityGroupIngress");
        s.set(role, id);
    }

    // Subnets: one that maps public IPs, one that does not.
    for (role, cidr, public) in [
        ("subnet-public", "10.0.1.0/24", true),
        ("subnet-private", "10.0.2.0/24", false),
    ] {
        let sn = ec2
            .create_subnet()
            .vpc_id(&vpcs[0])
            .cidr_block(cidr)
            .availability_zone("us-east-1a")
            .send()
            .await
            .expect("CreateSubnet");
        let id = sn
            .subnet()
            .and_then(|x| x.subnet_id())
            .expect("subnet id")
            .to_string();
        if public {
            ec2.modify_subnet_attribute()
                .subnet_id(&id)
                .map_public_ip_on_launch(AttributeBooleanValue::builder().value(true).build())
                .send()
                .await
                .expect("ModifySubnetAttribute");
        }
        s.set(role, id);
    }

    // Network ACLs of VPC A: SSH open, RDP open, SSH (TCP and UDP) denied before an allow-all;
    // VPC A's default.
    for (role, entries) in [
        (
            "nacl-ssh-open",
            vec![(100, RuleAction::Allow, "6", Some((22, 22)))],
        ),
        (
            "nacl-rdp-open",
            vec![(100, RuleAction::Allow, "6", Some((3389, 3389)))],
        ),
        (
            "nacl-ssh-denied",
            vec![
                (50, RuleAction::Deny, "6", Some((22, 22))),
                (60, RuleAction::Deny, "17", Some((22, 22))),
                (100, RuleAction::Allow, "-1", None),
            ],
        ),
    ] {
        let n = ec2
            .create_network_acl()
            .vpc_id(&vpcs[0])
            .send()
            .await
            .expect("CreateNetworkAcl");
        let id = n
            .network_acl()
            .and_then(|n| n.network_acl_id())
            .expect("acl id")
            .to_string();
        for (no, action, protocol, ports) in entries {
            let mut e = ec2
                .create_network_acl_entry()
                .network_acl_id(&id)
                .rule_number(no)
                .protocol(protocol)
                .rule_action(action)
                .egress(false)
                .cidr_block("0.0.0.0/0");
            if let Some((from, to)) = ports {
                e = e.port_range(PortRange::builder().from(from).to(to).build());
            }
            e.send().await.expect("CreateNetworkAclEntry");
        }
        s.set(role, id);
    }
    let acls = ec2
        .describe_network_acls()
        .filters(by("vpc-id", &vpcs[0]))
        .filters(by("default", "true"))
        .send()
        .await
        .expect("DescribeNetworkAcls");
    let default_acl = &acls.network_acls()[0];
    s.set(
        "default-nacl-a",
        default_acl.network_acl_id().expect("default acl id"),
    );
    // The public subnet moves from the default ACL to the SSH-open one.
    let association = default_acl
        .associations()
        .iter()
        .find(|a| a.subnet_id() == Some(s.get("subnet-public")))
        .and_then(|a| a.network_acl_association_id())
        .expect("association of the public subnet")
        .to_string();
    ec2.replace_network_acl_association()
        .association_id(association)
        .network_acl_id(s.get("nacl-ssh-open"))
        .send()
        .await
        .expect("ReplaceNetworkAclAssociation");

    // Route tables of VPC A over a peering connection to VPC B: the default route, a narrow one.
    let pcx = ec2
        .create_vpc_peering_connection()
        .vpc_id(&vpcs[0])
        .peer_vpc_id(&vpcs[1])
        .send()
        .await
        .expect("CreateVpcPeeringConnection");
    let pcx = pcx
        .vpc_peering_connection()
        .and_then(|p| p.vpc_peering_connection_id())
        .expect("peering id")
        .to_string();
    for (role, destination) in [
        ("rt-peer-default", "0.0.0.0/0"),
        ("rt-peer-narrow", "10.1.0.0/24"),
    ] {
        let t = ec2
            .create_route_table()
            .vpc_id(&vpcs[0])
            .send()
            .await
            .expect("CreateRouteTable");
        let id = t
            .route_table()
            .and_then(|t| t.route_table_id())
            .expect("route table id")
            .to_string();
        ec2.create_route()
            .route_table_id(&id)
            .destination_cidr_block(destination)
            .vpc_peering_connection_id(&pcx)
            .send()
            .await
            .expect("CreateRoute");
        s.set(role, id);
    }
    let main = ec2
        .describe_route_tables()
        .filters(by("vpc-id", &vpcs[0]))
        .filters(by("association.main", "true"))
        .send()
        .await
        .expect("DescribeRouteTables");
    s.set(
        "main-rt-a",
        main.route_tables()[0].route_table_id().expect("main table id"),
    );

    // Instances: an exposed one, a locked-down one with a profile, a terminated one.
    iam.create_role()
        .role_name("app")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .expect("CreateRole");
    iam.create_instance_profile()
        .instance_profile_name("app")
        .path("/apps/")
        .send()
        .await
        .expect("CreateInstanceProfile");
    iam.add_role_to_instance_profile()
        .instance_profile_name("app")
        .role_name("app")
        .send()
        .await
        .expect("AddRoleToInstanceProfile");
    let open = ec2
        .run_instances()
        .image_id(AMI)
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .subnet_id(s.get("subnet-public"))
        .security_group_ids(s.get("sg-all-open"))
        .send()
        .await
        .expect("RunInstances");
    s.set("i-open", open.instances()[0].instance_id().expect("instance id"));
    let private = ec2
        .run_instances()
        .image_id(AMI)
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .subnet_id(s.get("subnet-private"))
        .security_group_ids(s.get("sg-private"))
        .iam_instance_profile(IamInstanceProfileSpecification::builder().name("app").build())
        .metadata_options(
            InstanceMetadataOptionsRequest::builder()
                .http_tokens(HttpTokensState::Required)
                .build(),
        )
        .send()
        .await
        .expect("RunInstances");
    s.set(
        "i-private",
        private.instances()[0].instance_id().expect("instance id"),
    );
    let gone = ec2
        .run_instances()
        .image_id(AMI)
        .min_count(1)
        .max_count(1)
        .subnet_id(s.get("subnet-private"))
        .security_group_ids(s.get("sg-rdp-open"))
        .send()
        .await
        .expect("RunInstances");
    let gone = gone.instances()[0]
        .instance_id()
        .expect("instance id")
        .to_string();
    ec2.terminate_instances()
        .instance_ids(&gone)
        .send()
        .await
        .expect("TerminateInstances");
    s.set("i-gone", gone);

    // Launch templates: tokens required, and no metadata options at all.
    for (role, required) in [("lt-required", true), ("lt-default", false)] {
        let mut data = RequestLaunchTemplateData::builder().image_id(AMI);
        if required {
            data = data.metadata_options(
                LaunchTemplateInstanceMetadataOptionsRequest::builder()
                    .http_tokens(LaunchTemplateHttpTokensState::Required)
                    .build(),
            );
        }
        let t = ec2
            .create_launch_template()
            .launch_template_name(role)
            .launch_template_data(data.build())
            .send()
            .await
            .expect("CreateLaunchTemplate");
        s.set(
            role,
            t.launch_template()
                .and_then(|t| t.launch_template_id())
                .expect("template id"),
        );
    }

    // Volumes: encrypted and not.
    for (role, encrypted) in [("vol-encrypted", true), ("vol-plain", false)] {
        let v = ec2
            .create_volume()
            .availability_zone("us-east-1a")
            .size(8)
            .encrypted(encrypted)
            .send()
            .await
            .expect("CreateVolume");
        s.set(role, v.volume_id().expect("volume id"));
    }
    s
}

fn find<'a>(out: &'a LoadOutput, physical_id: &str) -> &'a attest_core::Resource {
    out.resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some(physical_id))
        .unwrap_or_else(|| panic!("{physical_id} collected"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ec2_vpc_and_ebs_rules_on_a_live_account() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed(&cfg).await;

    let out = collect(&common::options(&endpoint, &["ec2", "iam"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = common::judge(&out, &seeded, RULES);
    use Verdict::{Fail, Pass};
    assert_verdicts(
        &verdicts,
        &[
            // IMDSv2: required on the private instance and the template that says so.
            ("aws-ec2-imdsv2-required", "i-private", Pass),
            ("aws-ec2-imdsv2-required", "i-open", Fail),
            ("aws-ec2-imdsv2-required", "lt-required", Pass),
            ("aws-ec2-imdsv2-required", "lt-default", Fail),
            // The public subnet gave the open instance a public address.
            ("aws-ec2-instance-no-public-ip", "i-private", Pass),
            ("aws-ec2-instance-no-public-ip", "i-open", Fail),
            ("aws-ec2-instance-profile", "i-private", Pass),
            ("aws-ec2-instance-profile", "i-open", Fail),
            // Groups of instances: only the two groups running instances use are judged.
            ("aws-ec2-instance-sg-no-public-all-ports", "sg-all-open", Fail),
            ("aws-ec2-instance-sg-no-public-all-ports", "sg-private", Pass),
            ("aws-ec2-sg-no-public-ssh", "sg-ssh-open", Fail),
            ("aws-ec2-sg-no-public-ssh", "sg-all-open", Fail),
            ("aws-ec2-sg-no-public-ssh", "sg-private", Pass),
            ("aws-ec2-sg-no-public-ssh", "sg-rdp-open", Pass),
            ("aws-ec2-sg-no-public-rdp", "sg-rdp-open", Fail),
            ("aws-ec2-sg-no-public-rdp", "sg-ssh-open", Pass),
            ("aws-ec2-sg-no-public-all-traffic", "sg-all-open", Fail),
            ("aws-ec2-sg-no-public-all-traffic", "sg-ssh-open", Pass),
            ("aws-ec2-sg-no-public-all-ports", "sg-all-open", Fail),
            ("aws-ec2-sg-no-public-all-ports", "sg-rdp-open", Pass),
            // Default groups are judged as aws_default_security_group, by every port rule too.
            ("aws-vpc-default-sg-restricts-all", "default-sg-a", Pass),
            ("aws-vpc-default-sg-restricts-all", "default-sg-b", Fail),
            ("aws-ec2-sg-no-public-ssh", "default-sg-b", Pass),
            // Network ACLs, with rule order; the default ACL allows everything.
            ("aws-vpc-nacl-no-public-ssh", "nacl-ssh-open", Fail),
            ("aws-vpc-nacl-no-public-ssh", "nacl-rdp-open", Pass),
            ("aws-vpc-nacl-no-public-ssh", "nacl-ssh-denied", Pass),
            ("aws-vpc-nacl-no-public-ssh", "default-nacl-a", Fail),
            ("aws-vpc-nacl-no-public-rdp", "nacl-rdp-open", Fail),
            ("aws-vpc-nacl-no-public-rdp", "nacl-ssh-open", Pass),
            ("aws-vpc-nacl-no-public-rdp", "nacl-ssh-denied", Fail),
            ("aws-vpc-peering-routes-least-access", "rt-peer-default", Fail),
            ("aws-vpc-peering-routes-least-access", "rt-peer-narrow", Pass),
            ("aws-vpc-peering-routes-least-access", "main-rt-a", Pass),
            ("aws-vpc-flow-logging", "vpc-a", Pass),
            ("aws-vpc-flow-logging", "vpc-b", Fail),
            ("aws-ebs-volume-encryption", "vol-encrypted", Pass),
            ("aws-ebs-volume-encryption", "vol-plain", Fail),
            // One verdict per region read; moto starts with encryption by default off.
            ("aws-ebs-encryption-by-default", REGION_SCOPE, Fail),
        ],
    );
    // Unused groups are not judged by the instance rule; terminated instances are not collected.
    let judged = |rule: &str| -> Vec<&str> {
        verdicts
            .iter()
            .filter(|(r, _, _)| r == rule)
            .map(|(_, w, _)| w.as_str())
            .collect()
    };
    assert_eq!(
        judged("aws-ec2-instance-sg-no-public-all-ports"),
        vec!["sg-all-open", "sg-private"]
    );
    assert!(!out
        .resources
        .iter()
        .any(|r| r.physical_id.as_deref() == Some(seeded.get("i-gone"))));

    // Shapes and references.
    let open = find(&out, seeded.get("i-open"));
    assert_eq!(open.resource_type, "aws_instance");
    assert_eq!(
        open.id,
        format!(
            "arn:aws:ec2:us-east-1:123456789012:instance/{}",
            seeded.get("i-open")
        )
    );
    assert_eq!(open.attr("associate_public_ip_address").as_bool(), Some(true));
    assert_eq!(
        open.attr("metadata_options.0.http_tokens").as_str(),
        Some("optional")
    );
    assert_eq!(open.attr("root_block_device.0.encrypted").as_bool(), Some(false));
    let private = find(&out, seeded.get("i-private"));
    assert_eq!(private.attr("iam_instance_profile").as_str(), Some("app"));
    assert_eq!(private.attr("public_ip").as_str(), Some(""));
    let has_ref = |from: &str, path: &str, to_physical: &str| {
        let from = find(&out, from);
        let to = find(&out, to_physical);
        out.references
            .iter()
            .any(|r| r.from == from.id && r.path == path && r.to == to.id)
    };
    assert!(has_ref(
        seeded.get("i-open"),
        "vpc_security_group_ids.0",
        seeded.get("sg-all-open")
    ));
    assert!(has_ref(
        seeded.get("i-open"),
        "subnet_id",
        seeded.get("subnet-public")
    ));
    assert!(has_ref(
        seeded.get("nacl-ssh-open"),
        "subnet_ids.0",
        seeded.get("subnet-public")
    ));
    assert!(has_ref(
        seeded.get("subnet-public"),
        "vpc_id",
        seeded.get("vpc-a")
    ));
    let root_volume = open
        .attr("root_block_device.0.volume_id")
        .as_str()
        .expect("root volume id");
    assert!(has_ref(
        seeded.get("i-open"),
        "root_block_device.0.volume_id",
        root_volume
    ));
    let public = find(&out, seeded.get("subnet-public"));
    assert_eq!(public.attr("map_public_ip_on_launch").as_bool(), Some(true));
    assert_eq!(
        find(&out, seeded.get("default-sg-a")).resource_type,
        "aws_default_security_group"
    );
    assert_eq!(
        find(&out, seeded.get("default-nacl-a")).resource_type,
        "aws_default_network_acl"
    );
    assert_eq!(
        find(&out, seeded.get("main-rt-a")).resource_type,
        "aws_default_route_table"
    );
    let ssh = find(&out, seeded.get("nacl-ssh-open"));
    assert_eq!(ssh.attr("ingress.0.protocol").as_str(), Some("6"));
    assert_eq!(ssh.attr("ingress.0.from_port").as_i64(), Some(22));

    // Turning encryption by default on flips the region's verdict; explicit plain volumes still fail.
    let ec2 = aws_sdk_ec2::Client::new(&cfg);
    ec2.enable_ebs_encryption_by_default()
        .send()
        .await
        .expect("EnableEbsEncryptionByDefault");
    let out = collect(&common::options(&endpoint, &["ec2"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = common::judge(&out, &seeded, RULES);
    assert_verdicts(
        &verdicts,
        &[
            ("aws-ebs-encryption-by-default", REGION_SCOPE, Pass),
            ("aws-ebs-volume-encryption", "vol-plain", Fail),
            ("aws-ebs-volume-encryption", "vol-encrypted", Pass),
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_ec2_makes_region_settings_unknown() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed(&cfg).await;

    // EC2 is unreachable (a closed port).
    let opts = common::options(&endpoint, &["ec2"])
        .with_service_endpoint("ec2", "http://127.0.0.1:9")
        .with_max_attempts(1);
    let out = collect(&opts).await;
    let files: Vec<&str> = out.errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        vec![
            "aws:us-east-1:ec2.DescribeFlowLogs",
            "aws:us-east-1:ec2.DescribeInstances",
            "aws:us-east-1:ec2.DescribeLaunchTemplateVersions",
            "aws:us-east-1:ec2.DescribeLaunchTemplates",
            "aws:us-east-1:ec2.DescribeNetworkAcls",
            "aws:us-east-1:ec2.DescribeRouteTables",
            "aws:us-east-1:ec2.DescribeSecurityGroups",
            "aws:us-east-1:ec2.DescribeSubnets",
            "aws:us-east-1:ec2.DescribeVolumes",
            "aws:us-east-1:ec2.DescribeVpcs",
            "aws:us-east-1:ec2.GetEbsEncryptionByDefault",
        ],
        "{:#?}",
        out.errors
    );
    let verdicts = common::judge(&out, &seeded, RULES);
    // The region's setting could not be read (a placeholder stands for it): unknown, never a
    // pass or a fail. Nothing else could be listed, so nothing else is judged.
    assert_eq!(
        verdicts,
        vec![(
            "aws-ebs-encryption-by-default".to_string(),
            REGION_SCOPE.to_string(),
            Verdict::Unknown
        )]
    );
    let placeholder = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_instance")
        .expect("instance placeholder");
    assert_eq!(placeholder.mode, Mode::Data);
    assert!(placeholder.attr("vpc_security_group_ids").is_unknown());
}
