//! Live collection against moto (an AWS API emulator), judged by the five SOC 2 rules.
//!
//! `scripts/services.sh` starts moto and exports `ATTEST_MOTO_ENDPOINT` and test credentials.
//! Without `ATTEST_MOTO_ENDPOINT` these tests print a notice and return (and fail when `CI` is set).
//!
//! Resources are seeded through the AWS SDK for Rust. The tests share one moto and reset it, so
//! they take turns (`MOTO`).

mod common;

use std::path::Path;

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic};
use aws_sdk_cloudwatchlogs::types::MetricTransformation;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, SseSpecification,
    SseType,
};
use aws_sdk_ec2::types::{FlowLogsResourceType, IpPermission, IpRange, TrafficType};

use attest_aws::{collect, AwsOptions};
use attest_core::{LoadOutput, Verdict};
use common::{endpoint, reset, sdk, Seeded, MOTO, REGION};

const SOC2_RULES: &[&str] = &[
    "aws-iam-no-admin-policy",
    "aws-ec2-sg-no-public-http",
    "aws-cloudwatch-flow-log-reject-alarm",
    "aws-cloudwatch-cloudfront-4xx-alarm",
    "aws-dynamodb-kms-encryption",
];
const REJECT_PATTERN: &str = "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=\"REJECT\", flowlogstatus]";

/// The services the five SOC 2 rules read.
const SOC2_SERVICES: &[&str] = &[
    "ec2",
    "elasticloadbalancing",
    "iam",
    "logs",
    "cloudwatch",
    "dynamodb",
    "cloudfront",
];

fn http80(cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(80)
        .to_port(80)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

async fn seed(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let ec2 = aws_sdk_ec2::Client::new(cfg);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(cfg);
    let iam = aws_sdk_iam::Client::new(cfg);
    let ddb = aws_sdk_dynamodb::Client::new(cfg);
    let logs = aws_sdk_cloudwatchlogs::Client::new(cfg);
    let cw = aws_sdk_cloudwatch::Client::new(cfg);

    // Network: two VPCs, three security groups, an ALB in front of one of them.
    let mut vpcs = Vec::new();
    for cidr in ["10.0.0.0/16", "10.1.0.0/16"] {
        let v = ec2.create_vpc().cidr_block(cidr).send().await.expect("CreateVpc");
        vpcs.push(v.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string());
    }
    s.set("vpc-a", &vpcs[0]);
    s.set("vpc-b", &vpcs[1]);
    for (role, cidr) in [
        ("sg-open", "0.0.0.0/0"),
        ("sg-alb", "0.0.0.0/0"),
        ("sg-private", "10.0.0.0/8"),
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
            .ip_permissions(http80(cidr))
            .send()
            .await
            .expect("AuthorizeSecurityGroupIngress");
        s.set(role, id);
    }
    let mut subnets = Vec::new();
    for (cidr, az) in [("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b")] {
        let sn = ec2
            .create_subnet()
            .vpc_id(&vpcs[0])
            .cidr_block(cidr)
            .availability_zone(az)
            .send()
            .await
            .expect("CreateSubnet");
        subnets.push(
            sn.subnet()
                .and_then(|x| x.subnet_id())
                .expect("subnet id")
                .to_string(),
        );
    }
    elb.create_load_balancer()
        .name("web")
        .set_subnets(Some(subnets))
        .security_groups(s.get("sg-alb"))
        .send()
        .await
        .expect("CreateLoadBalancer");

    // IAM: one policy granting everything, one scoped.
    for (role, name, doc) in [
        (
            "policy-admin",
            "admin-all",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:*","Resource":"*"}]}"#,
        ),
        (
            "policy-scoped",
            "read-artifacts",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::artifacts/*"}]}"#,
        ),
    ] {
        let p = iam
            .create_policy()
            .policy_name(name)
            .policy_document(doc)
            .send()
            .await
            .expect("CreatePolicy");
        s.set(role, p.policy().and_then(|p| p.arn()).expect("policy arn"));
    }

    // Flow logs: VPC A → a group with a REJECT filter and an alarm; VPC B → a group without.
    for (vpc, group, role) in [(&vpcs[0], "flow-a", "flow-a"), (&vpcs[1], "flow-b", "flow-b")] {
        logs.create_log_group()
            .log_group_name(group)
            .send()
            .await
            .expect("CreateLogGroup");
        let fl = ec2
            .create_flow_logs()
            .resource_ids(vpc.as_str())
            .resource_type(FlowLogsResourceType::Vpc)
            .traffic_type(TrafficType::All)
            .log_group_name(group)
            .deliver_logs_permission_arn("arn:aws:iam::123456789012:role/flow-logs")
            .send()
            .await
            .expect("CreateFlowLogs");
        s.set(role, fl.flow_log_ids().first().expect("flow log id"));
    }
    logs.put_metric_filter()
        .log_group_name("flow-a")
        .filter_name("rejected")
        .filter_pattern(REJECT_PATTERN)
        .metric_transformations(
            MetricTransformation::builder()
                .metric_name("RejectedConnections")
                .metric_namespace("VPCFlowLogs")
                .metric_value("1")
                .build()
                .expect("transformation"),
        )
        .send()
        .await
        .expect("PutMetricFilter");
    cw.put_metric_alarm()
        .alarm_name("vpc-rejected")
        .metric_name("RejectedConnections")
        .namespace("VPCFlowLogs")
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(10.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .alarm_actions("arn:aws:sns:us-east-1:123456789012:security")
        .send()
        .await
        .expect("PutMetricAlarm");

    // DynamoDB: one table with KMS encryption, one with the AWS-owned key.
    for (name, kms) in [("orders-kms", true), ("orders-plain", false)] {
        let mut t = ddb
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .expect("attribute"),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()
                    .expect("key"),
            );
        if kms {
            t = t.sse_specification(
                SseSpecification::builder()
                    .enabled(true)
                    .sse_type(SseType::Kms)
                    .build(),
            );
        }
        t.send().await.expect("CreateTable");
        s.set(if kms { "table-kms" } else { "table-plain" }, name);
    }

    // CloudFront: two distributions, a 4xx alarm on the first.
    for role in ["dist-alarmed", "dist-bare"] {
        let id = create_distribution(cfg, role).await;
        s.set(role, id);
    }
    cw.put_metric_alarm()
        .alarm_name("cdn-4xx")
        .metric_name("4xxErrorRate")
        .namespace("AWS/CloudFront")
        .dimensions(
            Dimension::builder()
                .name("DistributionId")
                .value(s.get("dist-alarmed"))
                .build(),
        )
        .dimensions(Dimension::builder().name("Region").value("Global").build())
        .statistic(Statistic::Average)
        .period(300)
        .evaluation_periods(1)
        .threshold(5.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("PutMetricAlarm");
    s
}

async fn create_distribution(cfg: &SdkConfig, reference: &str) -> String {
    use aws_sdk_cloudfront::types::{
        CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, Origin, OriginProtocolPolicy, Origins,
        ViewerProtocolPolicy,
    };
    let cf = aws_sdk_cloudfront::Client::new(cfg);
    let origin = Origin::builder()
        .id("site")
        .domain_name("example.com")
        .custom_origin_config(
            CustomOriginConfig::builder()
                .http_port(80)
                .https_port(443)
                .origin_protocol_policy(OriginProtocolPolicy::HttpsOnly)
                .build()
                .expect("origin config"),
        )
        .build()
        .expect("origin");
    let behavior = DefaultCacheBehavior::builder()
        .target_origin_id("site")
        .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
        // The AWS-managed CachingOptimized policy.
        .cache_policy_id("658327ea-f89d-4fab-a63d-7e88639e58f6")
        .build()
        .expect("behavior");
    let config = DistributionConfig::builder()
        .caller_reference(reference)
        .origins(
            Origins::builder()
                .quantity(1)
                .items(origin)
                .build()
                .expect("origins"),
        )
        .default_cache_behavior(behavior)
        .comment(reference)
        .enabled(true)
        .build()
        .expect("distribution config");
    let d = cf
        .create_distribution()
        .distribution_config(config)
        .send()
        .await
        .expect("CreateDistribution");
    d.distribution()
        .map(|d| d.id().to_string())
        .expect("distribution id")
}

/// (rule, role or resource id, verdict) of the five SOC 2 rules.
fn judge(out: &LoadOutput, seeded: &Seeded) -> Vec<(String, String, Verdict)> {
    common::judge(out, seeded, SOC2_RULES)
}

fn verdict_of(verdicts: &[(String, String, Verdict)], rule: &str, who: &str) -> Option<Verdict> {
    common::verdict_of(verdicts, rule, who)
}

fn options(endpoint: &str) -> AwsOptions {
    common::options(endpoint, SOC2_SERVICES)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soc2_rules_on_a_live_account() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed(&cfg).await;

    let out = collect(&options(&endpoint)).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = judge(&out, &seeded);
    let expect = [
        ("aws-iam-no-admin-policy", "policy-admin", Verdict::Fail),
        ("aws-iam-no-admin-policy", "policy-scoped", Verdict::Pass),
        ("aws-ec2-sg-no-public-http", "sg-open", Verdict::Fail),
        ("aws-ec2-sg-no-public-http", "sg-alb", Verdict::Pass),
        ("aws-ec2-sg-no-public-http", "sg-private", Verdict::Pass),
        ("aws-cloudwatch-flow-log-reject-alarm", "flow-a", Verdict::Pass),
        ("aws-cloudwatch-flow-log-reject-alarm", "flow-b", Verdict::Fail),
        (
            "aws-cloudwatch-cloudfront-4xx-alarm",
            "dist-alarmed",
            Verdict::Pass,
        ),
        ("aws-cloudwatch-cloudfront-4xx-alarm", "dist-bare", Verdict::Fail),
        ("aws-dynamodb-kms-encryption", "table-kms", Verdict::Pass),
        ("aws-dynamodb-kms-encryption", "table-plain", Verdict::Fail),
    ];
    for (rule, who, verdict) in expect {
        assert_eq!(
            verdict_of(&verdicts, rule, who),
            Some(verdict),
            "{rule} on {who}: {verdicts:#?}"
        );
    }
    // Everything else judged is one of the default security groups (no public ingress): a pass.
    let seeded_roles: Vec<&str> = expect.iter().map(|(_, w, _)| *w).collect();
    for (rule, who, verdict) in &verdicts {
        if !seeded_roles.contains(&who.as_str()) {
            assert_eq!(
                (rule.as_str(), *verdict),
                ("aws-ec2-sg-no-public-http", Verdict::Pass),
                "unexpected {who}"
            );
        }
    }

    // Live resources: ARNs as ids, provenance and references.
    let sg = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some(seeded.get("sg-alb")))
        .expect("the ALB's security group");
    assert_eq!(
        sg.id,
        format!(
            "arn:aws:ec2:us-east-1:123456789012:security-group/{}",
            seeded.get("sg-alb")
        )
    );
    assert_eq!(sg.provenance.account.as_deref(), Some("123456789012"));
    assert_eq!(sg.provenance.region.as_deref(), Some(REGION));
    assert!(out
        .references
        .iter()
        .any(|r| r.to == sg.id && r.path == "security_groups.0"));
    assert!(out
        .references
        .iter()
        .any(|r| r.path == "log_group_name" && r.to.ends_with("log-group:flow-a")));

    // The snapshot reads back to the same verdicts.
    let doc = attest_aws::inventory_document(&out, "attest test");
    let text = serde_json::to_string(&doc).expect("inventory serializes");
    let reread: serde_json::Value = serde_json::from_str(&text).expect("inventory parses");
    let back = attest_iac::inventory::load_inventory(Path::new("inventory.json"), &reread);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(back.resources, out.resources);
    assert_eq!(judge(&back, &seeded), verdicts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_calls_make_dependent_verdicts_unknown() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed(&cfg).await;

    // Load balancers, alarms and DynamoDB are unreachable (a closed port): what depended on them
    // must not pass.
    let closed = "http://127.0.0.1:9";
    let opts = options(&endpoint)
        .with_service_endpoint("elasticloadbalancing", closed)
        .with_service_endpoint("cloudwatch", closed)
        .with_service_endpoint("dynamodb", closed)
        .with_max_attempts(1);
    let out = collect(&opts).await;
    let files: Vec<&str> = out.errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        vec![
            "aws:us-east-1:cloudwatch.DescribeAlarms",
            "aws:us-east-1:dynamodb.ListTables",
            "aws:us-east-1:elasticloadbalancing.DescribeLoadBalancers",
        ],
        "{:#?}",
        out.errors
    );
    let verdicts = judge(&out, &seeded);
    let expect = [
        // Might front an unreadable load balancer.
        ("aws-ec2-sg-no-public-http", "sg-alb", Verdict::Unknown),
        ("aws-ec2-sg-no-public-http", "sg-open", Verdict::Unknown),
        ("aws-ec2-sg-no-public-http", "sg-private", Verdict::Pass),
        // The filter exists; whether an alarm watches it could not be read.
        ("aws-cloudwatch-flow-log-reject-alarm", "flow-a", Verdict::Unknown),
        ("aws-cloudwatch-flow-log-reject-alarm", "flow-b", Verdict::Fail),
        (
            "aws-cloudwatch-cloudfront-4xx-alarm",
            "dist-alarmed",
            Verdict::Unknown,
        ),
        (
            "aws-cloudwatch-cloudfront-4xx-alarm",
            "dist-bare",
            Verdict::Unknown,
        ),
        ("aws-iam-no-admin-policy", "policy-admin", Verdict::Fail),
    ];
    for (rule, who, verdict) in expect {
        assert_eq!(
            verdict_of(&verdicts, rule, who),
            Some(verdict),
            "{rule} on {who}: {verdicts:#?}"
        );
    }
    // No table could be listed: the DynamoDB rule has nothing to judge, and the error says why.
    assert!(!verdicts
        .iter()
        .any(|(r, _, _)| r == "aws-dynamodb-kms-encryption"));
    assert!(
        out.errors[1].message.contains("ConnectionError"),
        "{}",
        out.errors[1].message
    );
}
