//! AccessDenied, for real: a proxy in front of moto answers chosen operations with the error each
//! AWS protocol uses for a denied call (and forwards everything else), so the SDK parses a genuine
//! `AccessDenied` / `AccessDeniedException` / `UnauthorizedOperation`. What the denied calls would
//! have told must be `unknown`, never `pass`, and each denied call is one error naming it.

mod common;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, SseSpecification,
    SseType,
};
use aws_sdk_ec2::types::{FlowLogsResourceType, IpPermission, IpRange, TrafficType};

use attest_aws::collect;
use attest_core::Verdict;
use common::deny::{deny_proxy, Denied};
use common::{endpoint, reset, sdk, Seeded, MOTO};

async fn seed(cfg: &aws_config::SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let ec2 = aws_sdk_ec2::Client::new(cfg);
    let iam = aws_sdk_iam::Client::new(cfg);
    let ddb = aws_sdk_dynamodb::Client::new(cfg);
    let logs = aws_sdk_cloudwatchlogs::Client::new(cfg);

    let vpc = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .send()
        .await
        .expect("CreateVpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string();
    s.set("vpc", &vpc);
    let g = ec2
        .create_security_group()
        .group_name("web")
        .description("web")
        .vpc_id(&vpc)
        .send()
        .await
        .expect("CreateSecurityGroup");
    let sg = g.group_id().expect("group id").to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&sg)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(80)
                .to_port(80)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("AuthorizeSecurityGroupIngress");
    s.set("sg-open", sg);
    logs.create_log_group()
        .log_group_name("flow")
        .send()
        .await
        .expect("CreateLogGroup");
    let fl = ec2
        .create_flow_logs()
        .resource_ids(vpc.as_str())
        .resource_type(FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::All)
        .log_group_name("flow")
        .deliver_logs_permission_arn("arn:aws:iam::123456789012:role/flow-logs")
        .send()
        .await
        .expect("CreateFlowLogs");
    s.set("flow", fl.flow_log_ids().first().expect("flow log id"));

    let p = iam
        .create_policy()
        .policy_name("admin-all")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .send()
        .await
        .expect("CreatePolicy");
    s.set(
        "policy-admin",
        p.policy().and_then(|p| p.arn()).expect("policy arn"),
    );

    ddb.create_table()
        .table_name("orders")
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
        )
        .sse_specification(
            SseSpecification::builder()
                .enabled(true)
                .sse_type(SseType::Kms)
                .build(),
        )
        .send()
        .await
        .expect("CreateTable");
    s.set("table", "orders");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_denied_gives_unknown_not_pass() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed(&cfg).await;

    // The listings are allowed; the calls that read one resource's details are denied, and the
    // load balancers (which might front the open group) cannot be listed at all.
    let proxy = deny_proxy(
        &endpoint,
        vec![
            Denied::Json("DescribeTable"),
            Denied::Query("GetPolicyVersion"),
            Denied::Query("DescribeLoadBalancers"),
            Denied::Ec2("DescribeFlowLogs"),
        ],
    )
    .await;
    let opts = common::options(
        &endpoint,
        &[
            "dynamodb",
            "iam",
            "ec2",
            "elasticloadbalancing",
            "logs",
            "cloudwatch",
        ],
    )
    .with_service_endpoint("dynamodb", &proxy)
    .with_service_endpoint("iam", &proxy)
    .with_service_endpoint("elasticloadbalancing", &proxy)
    .with_service_endpoint("ec2", &proxy)
    .with_max_attempts(1);
    let out = collect(&opts).await;

    let denied: Vec<(&str, bool)> = out
        .errors
        .iter()
        .map(|e| {
            (
                e.file.as_str(),
                e.message.contains("AccessDenied") || e.message.contains("UnauthorizedOperation"),
            )
        })
        .collect();
    assert_eq!(
        denied,
        vec![
            ("aws:global:iam.GetPolicyVersion", true),
            ("aws:us-east-1:dynamodb.DescribeTable", true),
            ("aws:us-east-1:ec2.DescribeFlowLogs", true),
            ("aws:us-east-1:elasticloadbalancing.DescribeLoadBalancers", true),
        ],
        "{:#?}",
        out.errors
    );
    let table = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_dynamodb_table")
        .expect("the listed table is collected");
    assert_eq!(
        table.attr("server_side_encryption"),
        &attest_core::Value::Unknown("AccessDeniedException on dynamodb:DescribeTable".into())
    );

    let rules = [
        "aws-dynamodb-kms-encryption",
        "aws-iam-no-admin-policy",
        "aws-ec2-sg-no-public-http",
        "aws-vpc-flow-logging",
    ];
    let verdicts = common::judge(&out, &seeded, &rules);
    common::assert_verdicts(
        &verdicts,
        &[
            ("aws-dynamodb-kms-encryption", "table", Verdict::Unknown),
            ("aws-iam-no-admin-policy", "policy-admin", Verdict::Unknown),
            ("aws-ec2-sg-no-public-http", "sg-open", Verdict::Unknown),
            ("aws-vpc-flow-logging", "vpc", Verdict::Unknown),
        ],
    );
    // Nothing that depended on a denied call passes.
    for (rule, who, verdict) in &verdicts {
        if ["table", "policy-admin", "sg-open", "vpc"].contains(&who.as_str()) {
            assert_ne!(*verdict, Verdict::Pass, "{rule} on {who}");
        }
    }
}
