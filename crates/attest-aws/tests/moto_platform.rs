//! Live collection of the platform services against moto: API Gateway custom domain names, WAFv2
//! web ACLs (with CloudFront), ECR, EKS, ECS, OpenSearch, Auto Scaling and Elastic Load
//! Balancing (classic and v2, with attributes, listeners and listener rules), judged by the
//! rules that read them.
//!
//! moto serves everything these rules read, except what the collectors read beside it for real
//! AWS: the ECR registry scanning configuration is moto's default (basic scanning, no rules), so
//! the repository's own flag decides. moto omits the load balancer attributes that are off by
//! default (`access_logs.s3.enabled`, `routing.http.drop_invalid_header_fields.enabled`); the
//! collector reads an absent attribute as ELB's default, which is what AWS answers.

mod common;

use aws_config::SdkConfig;
use aws_sdk_ecr::types::{ImageScanningConfiguration, ImageTagMutability};
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, LoadBalancerAttribute, ProtocolEnum,
    RedirectActionConfig, RedirectActionStatusCodeEnum, RuleCondition,
};
use aws_sdk_wafv2::types::{
    DefaultAction, ManagedRuleGroupStatement, NoneAction, OverrideAction, Rule, Scope, Statement,
    VisibilityConfig,
};

use attest_core::{Mode, Verdict};
use common::{endpoint, reset, sdk, Seeded, MOTO};

const LB_RULES: &[&str] = &[
    "aws-elb-access-logs",
    "aws-lb-drop-invalid-headers",
    "aws-lb-deletion-protection",
    "aws-elb-https-listener",
    "aws-elb-cross-zone",
];

const CONTAINER_RULES: &[&str] = &[
    "aws-ecr-image-scan-on-push",
    "aws-ecr-tag-immutability",
    "aws-eks-endpoint-not-public",
    "aws-eks-secrets-encryption",
    "aws-ecs-task-no-privileged",
    "aws-opensearch-encryption-at-rest",
    "aws-opensearch-node-to-node-encryption",
    "aws-autoscaling-multi-az",
];

const EDGE_RULES: &[&str] = &[
    "aws-apigateway-domain-tls12",
    "aws-apigatewayv2-domain-tls12",
    "aws-wafv2-known-bad-inputs",
    "aws-cloudfront-waf",
];

/// Asserts the exact verdicts and that the rules judged nothing else.
fn assert_exactly(verdicts: &[(String, String, Verdict)], expect: &[(&str, &str, Verdict)]) {
    common::assert_verdicts(verdicts, expect);
    for (rule, who, verdict) in verdicts {
        assert!(
            expect.iter().any(|(r, w, _)| r == rule && w == who),
            "unexpected verdict {verdict:?} of {rule} on {who}"
        );
    }
}

async fn subnets(cfg: &SdkConfig) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(cfg);
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .send()
        .await
        .expect("CreateVpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string();
    let mut out = Vec::new();
    for (cidr, az) in [("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b")] {
        let sn = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(cidr)
            .availability_zone(az)
            .send()
            .await
            .expect("CreateSubnet");
        out.push(
            sn.subnet()
                .and_then(|s| s.subnet_id())
                .expect("subnet id")
                .to_string(),
        );
    }
    out
}

fn redirect_to_https() -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Redirect)
        .redirect_config(
            RedirectActionConfig::builder()
                .protocol("HTTPS")
                .port("443")
                .status_code(RedirectActionStatusCodeEnum::Http301)
                .build(),
        )
        .build()
}

fn fixed_response() -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::FixedResponse)
        .fixed_response_config(
            FixedResponseActionConfig::builder()
                .status_code("200")
                .content_type("text/plain")
                .message_body("ok")
                .build(),
        )
        .build()
}

async fn seed_load_balancers(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let subnets = subnets(cfg).await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(cfg);
    let mut arns = Vec::new();
    for name in ["hardened", "default"] {
        let lb = elb
            .create_load_balancer()
            .name(name)
            .set_subnets(Some(subnets.clone()))
            .send()
            .await
            .expect("CreateLoadBalancer");
        let arn = lb
            .load_balancers()
            .first()
            .and_then(|l| l.load_balancer_arn())
            .expect("load balancer arn")
            .to_string();
        s.set(
            if name == "hardened" {
                "alb-hardened"
            } else {
                "alb-default"
            },
            &arn,
        );
        arns.push(arn);
    }
    let attr = |k: &str, v: &str| LoadBalancerAttribute::builder().key(k).value(v).build();
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&arns[0])
        .attributes(attr("access_logs.s3.enabled", "true"))
        .attributes(attr("access_logs.s3.bucket", "lb-logs"))
        .attributes(attr("deletion_protection.enabled", "true"))
        .attributes(attr("routing.http.drop_invalid_header_fields.enabled", "true"))
        .send()
        .await
        .expect("ModifyLoadBalancerAttributes");

    // Listeners: on the hardened ALB an HTTP listener redirecting to HTTPS and an HTTPS one; on
    // the default ALB an HTTP listener answering itself, and one that redirects by default but
    // has a rule answering plain HTTP.
    let listener = |lb: &str, port: i32, protocol: ProtocolEnum, action: Action| {
        let mut b = elb
            .create_listener()
            .load_balancer_arn(lb)
            .port(port)
            .protocol(protocol.clone())
            .default_actions(action);
        if protocol == ProtocolEnum::Https {
            b = b
                .certificates(
                    aws_sdk_elasticloadbalancingv2::types::Certificate::builder()
                        .certificate_arn("arn:aws:iam::123456789012:server-certificate/site")
                        .build(),
                )
                .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06");
        }
        b.send()
    };
    for (role, lb, port, protocol, action) in [
        (
            "listener-redirect",
            &arns[0],
            80,
            ProtocolEnum::Http,
            redirect_to_https(),
        ),
        (
            "listener-https",
            &arns[0],
            443,
            ProtocolEnum::Https,
            fixed_response(),
        ),
        (
            "listener-http",
            &arns[1],
            80,
            ProtocolEnum::Http,
            fixed_response(),
        ),
        (
            "listener-http-rule",
            &arns[1],
            8080,
            ProtocolEnum::Http,
            redirect_to_https(),
        ),
    ] {
        let l = listener(lb, port, protocol, action)
            .await
            .expect("CreateListener");
        let arn = l
            .listeners()
            .first()
            .and_then(|l| l.listener_arn())
            .expect("listener arn")
            .to_string();
        s.set(role, arn);
    }
    elb.create_rule()
        .listener_arn(s.get("listener-http-rule"))
        .priority(10)
        .conditions(
            RuleCondition::builder()
                .field("path-pattern")
                .values("/health")
                .build(),
        )
        .actions(fixed_response())
        .send()
        .await
        .expect("CreateRule");

    // Classic load balancers: one HTTPS-only with access logs and cross-zone balancing, one
    // plain HTTP with neither.
    let classic = aws_sdk_elasticloadbalancing::Client::new(cfg);
    use aws_sdk_elasticloadbalancing::types::{
        AccessLog, CrossZoneLoadBalancing, Listener, LoadBalancerAttributes,
    };
    for (name, protocol, port, cert) in [
        (
            "classic-tls",
            "HTTPS",
            443,
            Some("arn:aws:iam::123456789012:server-certificate/site"),
        ),
        ("classic-http", "HTTP", 80, None),
    ] {
        classic
            .create_load_balancer()
            .load_balancer_name(name)
            .availability_zones("us-east-1a")
            .listeners(
                Listener::builder()
                    .protocol(protocol)
                    .load_balancer_port(port)
                    .instance_protocol("HTTP")
                    .instance_port(8080)
                    .set_ssl_certificate_id(cert.map(str::to_string))
                    .build()
                    .expect("listener"),
            )
            .send()
            .await
            .expect("CreateLoadBalancer (classic)");
        s.set(name, name);
    }
    classic
        .modify_load_balancer_attributes()
        .load_balancer_name("classic-tls")
        .load_balancer_attributes(
            LoadBalancerAttributes::builder()
                .access_log(
                    AccessLog::builder()
                        .enabled(true)
                        .s3_bucket_name("lb-logs")
                        .emit_interval(5)
                        .build(),
                )
                .cross_zone_load_balancing(CrossZoneLoadBalancing::builder().enabled(true).build())
                .build(),
        )
        .send()
        .await
        .expect("ModifyLoadBalancerAttributes (classic)");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_balancer_rules_on_a_live_account() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed_load_balancers(&cfg).await;

    let out = attest_aws::collect(&common::options(&endpoint, &["elasticloadbalancing"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = common::judge(&out, &seeded, LB_RULES);
    assert_exactly(
        &verdicts,
        &[
            ("aws-elb-access-logs", "alb-hardened", Verdict::Pass),
            ("aws-elb-access-logs", "alb-default", Verdict::Fail),
            ("aws-elb-access-logs", "classic-tls", Verdict::Pass),
            ("aws-elb-access-logs", "classic-http", Verdict::Fail),
            ("aws-lb-drop-invalid-headers", "alb-hardened", Verdict::Pass),
            ("aws-lb-drop-invalid-headers", "alb-default", Verdict::Fail),
            ("aws-lb-deletion-protection", "alb-hardened", Verdict::Pass),
            ("aws-lb-deletion-protection", "alb-default", Verdict::Fail),
            ("aws-elb-https-listener", "listener-redirect", Verdict::Pass),
            ("aws-elb-https-listener", "listener-https", Verdict::Pass),
            ("aws-elb-https-listener", "listener-http", Verdict::Fail),
            // Redirects by default, but its rule answers /health over plain HTTP.
            ("aws-elb-https-listener", "listener-http-rule", Verdict::Fail),
            ("aws-elb-https-listener", "classic-tls", Verdict::Pass),
            ("aws-elb-https-listener", "classic-http", Verdict::Fail),
            ("aws-elb-cross-zone", "classic-tls", Verdict::Pass),
            ("aws-elb-cross-zone", "classic-http", Verdict::Fail),
        ],
    );

    // Listeners and listener rules are linked to what they belong to.
    let id_of = |physical: &str| {
        out.resources
            .iter()
            .find(|r| r.physical_id.as_deref() == Some(physical))
            .map(|r| r.id.clone())
            .expect("collected")
    };
    assert!(out
        .references
        .iter()
        .any(|r| r.from == id_of(seeded.get("listener-http"))
            && r.path == "load_balancer_arn"
            && r.to == id_of(seeded.get("alb-default"))));
    assert!(out
        .references
        .iter()
        .any(|r| r.path == "listener_arn" && r.to == id_of(seeded.get("listener-http-rule"))));
    let classic = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some("classic-tls"))
        .expect("classic load balancer");
    assert_eq!(
        classic.id,
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/classic-tls"
    );
    assert_eq!(classic.attr("listener.lb_protocol").as_str(), Some("https"));
}

async fn seed_containers(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();

    // ECR: scan on push with immutable tags, and neither.
    let ecr = aws_sdk_ecr::Client::new(cfg);
    for (name, hardened) in [("repo-hardened", true), ("repo-default", false)] {
        let mut b = ecr.create_repository().repository_name(name);
        if hardened {
            b = b
                .image_tag_mutability(ImageTagMutability::Immutable)
                .image_scanning_configuration(
                    ImageScanningConfiguration::builder().scan_on_push(true).build(),
                );
        }
        b.send().await.expect("CreateRepository");
        s.set(name, name);
    }

    // EKS: a private endpoint with secrets encryption; a public endpoint limited to one range;
    // a public endpoint open to the internet without encryption.
    let eks = aws_sdk_eks::Client::new(cfg);
    use aws_sdk_eks::types::{EncryptionConfig, Provider, VpcConfigRequest};
    for (name, public, cidrs, encrypted) in [
        ("eks-private", false, vec![], true),
        ("eks-limited", true, vec!["203.0.113.0/24"], false),
        ("eks-open", true, vec!["0.0.0.0/0"], false),
    ] {
        let mut vpc = VpcConfigRequest::builder()
            .subnet_ids("subnet-1")
            .subnet_ids("subnet-2")
            .endpoint_public_access(public)
            .endpoint_private_access(!public);
        for c in cidrs {
            vpc = vpc.public_access_cidrs(c);
        }
        let mut b = eks
            .create_cluster()
            .name(name)
            .role_arn("arn:aws:iam::123456789012:role/eks")
            .resources_vpc_config(vpc.build());
        if encrypted {
            #[allow(deprecated)]
            let config = EncryptionConfig::builder()
                .resources("secrets")
                .provider(
                    Provider::builder()
                        .key_arn("arn:aws:kms:us-east-1:123456789012:key/eks")
                        .build(),
                )
                .build();
            b = b.encryption_config(config);
        }
        b.send().await.expect("CreateCluster");
        s.set(name, name);
    }

    // ECS: a privileged container and an unprivileged one (two revisions: the latest is judged).
    let ecs = aws_sdk_ecs::Client::new(cfg);
    use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair};
    for (family, privileged) in [
        ("task-privileged", true),
        ("task-plain", true),
        ("task-plain", false),
    ] {
        ecs.register_task_definition()
            .family(family)
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image("nginx")
                    .memory(512)
                    .privileged(privileged)
                    .environment(
                        KeyValuePair::builder()
                            .name("DB_PASSWORD")
                            .value("hunter2")
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("RegisterTaskDefinition");
        s.set(family, family);
    }

    // OpenSearch: encrypted at rest and between nodes, and neither.
    let os = aws_sdk_opensearch::Client::new(cfg);
    use aws_sdk_opensearch::types::{EncryptionAtRestOptions, NodeToNodeEncryptionOptions};
    for (name, encrypted) in [("search-encrypted", true), ("search-plain", false)] {
        let d = os
            .create_domain()
            .domain_name(name)
            .engine_version("OpenSearch_2.11")
            .encryption_at_rest_options(EncryptionAtRestOptions::builder().enabled(encrypted).build())
            .node_to_node_encryption_options(
                NodeToNodeEncryptionOptions::builder().enabled(encrypted).build(),
            )
            .send()
            .await
            .expect("CreateDomain");
        let arn = d
            .domain_status()
            .map(|x| x.arn().to_string())
            .expect("domain arn");
        s.set(name, arn);
    }

    // Auto Scaling: one group over two zones, one in a single zone.
    let asg = aws_sdk_autoscaling::Client::new(cfg);
    asg.create_launch_configuration()
        .launch_configuration_name("web")
        .image_id("ami-12c6146b")
        .instance_type("t3.micro")
        .send()
        .await
        .expect("CreateLaunchConfiguration");
    for (name, zones) in [
        ("asg-multi", vec!["us-east-1a", "us-east-1b"]),
        ("asg-single", vec!["us-east-1a"]),
    ] {
        asg.create_auto_scaling_group()
            .auto_scaling_group_name(name)
            .launch_configuration_name("web")
            .min_size(0)
            .max_size(2)
            .set_availability_zones(Some(zones.iter().map(|z| z.to_string()).collect()))
            .send()
            .await
            .expect("CreateAutoScalingGroup");
        s.set(name, name);
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_search_and_scaling_rules_on_a_live_account() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed_containers(&cfg).await;

    let out = attest_aws::collect(&common::options(
        &endpoint,
        &["ecr", "eks", "ecs", "opensearch", "autoscaling"],
    ))
    .await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = common::judge(&out, &seeded, CONTAINER_RULES);
    assert_exactly(
        &verdicts,
        &[
            ("aws-ecr-image-scan-on-push", "repo-hardened", Verdict::Pass),
            ("aws-ecr-image-scan-on-push", "repo-default", Verdict::Fail),
            ("aws-ecr-tag-immutability", "repo-hardened", Verdict::Pass),
            ("aws-ecr-tag-immutability", "repo-default", Verdict::Fail),
            ("aws-eks-endpoint-not-public", "eks-private", Verdict::Pass),
            ("aws-eks-endpoint-not-public", "eks-limited", Verdict::Pass),
            ("aws-eks-endpoint-not-public", "eks-open", Verdict::Fail),
            ("aws-eks-secrets-encryption", "eks-private", Verdict::Pass),
            ("aws-eks-secrets-encryption", "eks-limited", Verdict::Fail),
            ("aws-eks-secrets-encryption", "eks-open", Verdict::Fail),
            ("aws-ecs-task-no-privileged", "task-privileged", Verdict::Fail),
            // Revision 1 ran privileged; the latest active revision does not.
            ("aws-ecs-task-no-privileged", "task-plain", Verdict::Pass),
            (
                "aws-opensearch-encryption-at-rest",
                "search-encrypted",
                Verdict::Pass,
            ),
            ("aws-opensearch-encryption-at-rest", "search-plain", Verdict::Fail),
            (
                "aws-opensearch-node-to-node-encryption",
                "search-encrypted",
                Verdict::Pass,
            ),
            (
                "aws-opensearch-node-to-node-encryption",
                "search-plain",
                Verdict::Fail,
            ),
            ("aws-autoscaling-multi-az", "asg-multi", Verdict::Pass),
            ("aws-autoscaling-multi-az", "asg-single", Verdict::Fail),
        ],
    );

    // Environment values never reach the inventory.
    let task = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some("task-plain"))
        .expect("task definition");
    assert!(task.id.ends_with("task-definition/task-plain:2"), "{}", task.id);
    let containers = task.attr("container_definitions").as_str().expect("JSON string");
    assert!(!containers.contains("hunter2"), "{containers}");
    assert!(containers.contains("DB_PASSWORD"), "{containers}");
}

fn visibility(name: &str) -> VisibilityConfig {
    VisibilityConfig::builder()
        .sampled_requests_enabled(true)
        .cloud_watch_metrics_enabled(true)
        .metric_name(name)
        .build()
        .expect("visibility")
}

/// A web ACL, with the known-bad-inputs managed group when `kbi`; returns (id, ARN).
async fn web_acl(cfg: &SdkConfig, name: &str, scope: Scope, kbi: bool) -> (String, String) {
    let waf = aws_sdk_wafv2::Client::new(cfg);
    let mut b = waf
        .create_web_acl()
        .name(name)
        .scope(scope)
        .default_action(
            DefaultAction::builder()
                .allow(aws_sdk_wafv2::types::AllowAction::builder().build())
                .build(),
        )
        .visibility_config(visibility(name));
    let group = if kbi {
        "AWSManagedRulesKnownBadInputsRuleSet"
    } else {
        "AWSManagedRulesCommonRuleSet"
    };
    b = b.rules(
        Rule::builder()
            .name("managed")
            .priority(1)
            .statement(
                Statement::builder()
                    .managed_rule_group_statement(
                        ManagedRuleGroupStatement::builder()
                            .vendor_name("AWS")
                            .name(group)
                            .build()
                            .expect("group"),
                    )
                    .build(),
            )
            .override_action(
                OverrideAction::builder()
                    .none(NoneAction::builder().build())
                    .build(),
            )
            .visibility_config(visibility("managed"))
            .build()
            .expect("rule"),
    );
    let out = b.send().await.expect("CreateWebACL");
    let summary = out.summary().expect("summary");
    (
        summary.id().expect("id").to_string(),
        summary.arn().expect("arn").to_string(),
    )
}

async fn distribution(cfg: &SdkConfig, reference: &str, web_acl: Option<&str>) -> String {
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
        .set_web_acl_id(web_acl.map(str::to_string))
        .build()
        .expect("distribution config");
    cf.create_distribution()
        .distribution_config(config)
        .send()
        .await
        .expect("CreateDistribution")
        .distribution()
        .map(|d| d.id().to_string())
        .expect("distribution id")
}

async fn seed_edge(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let api = aws_sdk_apigateway::Client::new(cfg);
    use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, SecurityPolicy};
    for (name, policy) in [
        ("rest-tls12.example.com", SecurityPolicy::Tls12),
        ("rest-tls10.example.com", SecurityPolicy::Tls10),
    ] {
        api.create_domain_name()
            .domain_name(name)
            .regional_certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/c")
            .endpoint_configuration(
                EndpointConfiguration::builder()
                    .types(EndpointType::Regional)
                    .build(),
            )
            .security_policy(policy)
            .send()
            .await
            .expect("CreateDomainName");
        s.set(
            if name.contains("12") {
                "rest-tls12"
            } else {
                "rest-tls10"
            },
            name,
        );
    }
    let v2 = aws_sdk_apigatewayv2::Client::new(cfg);
    use aws_sdk_apigatewayv2::types::{
        DomainNameConfiguration, EndpointType as V2Endpoint, SecurityPolicy as V2Policy,
    };
    for (name, policy) in [
        ("ws-tls12.example.com", V2Policy::Tls12),
        ("ws-tls10.example.com", V2Policy::Tls10),
    ] {
        v2.create_domain_name()
            .domain_name(name)
            .domain_name_configurations(
                DomainNameConfiguration::builder()
                    .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/c")
                    .endpoint_type(V2Endpoint::Regional)
                    .security_policy(policy)
                    .build(),
            )
            .send()
            .await
            .expect("CreateDomainName (v2)");
        s.set(
            if name.contains("12") {
                "ws-tls12"
            } else {
                "ws-tls10"
            },
            name,
        );
    }

    let (id, _) = web_acl(cfg, "regional-kbi", Scope::Regional, true).await;
    s.set("acl-regional-kbi", id);
    let (id, _) = web_acl(cfg, "regional-common", Scope::Regional, false).await;
    s.set("acl-regional-common", id);
    let (id, edge_arn) = web_acl(cfg, "edge-kbi", Scope::Cloudfront, true).await;
    s.set("acl-edge-kbi", id);
    let id = distribution(cfg, "dist-protected", Some(&edge_arn)).await;
    s.set("dist-protected", id);
    let id = distribution(cfg, "dist-bare", None).await;
    s.set("dist-bare", id);
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_gateway_and_waf_rules_on_a_live_account() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed_edge(&cfg).await;

    let out = attest_aws::collect(&common::options(
        &endpoint,
        &["apigateway", "wafv2", "cloudfront"],
    ))
    .await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = common::judge(&out, &seeded, EDGE_RULES);
    assert_exactly(
        &verdicts,
        &[
            ("aws-apigateway-domain-tls12", "rest-tls12", Verdict::Pass),
            ("aws-apigateway-domain-tls12", "rest-tls10", Verdict::Fail),
            ("aws-apigatewayv2-domain-tls12", "ws-tls12", Verdict::Pass),
            ("aws-apigatewayv2-domain-tls12", "ws-tls10", Verdict::Fail),
            ("aws-wafv2-known-bad-inputs", "acl-regional-kbi", Verdict::Pass),
            ("aws-wafv2-known-bad-inputs", "acl-regional-common", Verdict::Fail),
            ("aws-wafv2-known-bad-inputs", "acl-edge-kbi", Verdict::Pass),
            ("aws-cloudfront-waf", "dist-protected", Verdict::Pass),
            ("aws-cloudfront-waf", "dist-bare", Verdict::Fail),
        ],
    );
    // The CloudFront web ACL is global, and the protected distribution refers to it.
    let edge = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some(seeded.get("acl-edge-kbi")))
        .expect("CloudFront web ACL");
    assert_eq!(edge.attr("scope").as_str(), Some("CLOUDFRONT"));
    assert_eq!(edge.provenance.region, None);
    assert!(out
        .references
        .iter()
        .any(|r| r.path == "web_acl_id" && r.to == edge.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_services_report_once_and_leave_placeholders() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;

    let closed = "http://127.0.0.1:9";
    let mut opts = common::options(
        &endpoint,
        &[
            "apigateway",
            "wafv2",
            "ecr",
            "eks",
            "ecs",
            "opensearch",
            "autoscaling",
            "elasticloadbalancing",
        ],
    )
    .with_max_attempts(1);
    for service in [
        "apigateway",
        "wafv2",
        "ecr",
        "eks",
        "ecs",
        "opensearch",
        "autoscaling",
        "elasticloadbalancing",
    ] {
        opts = opts.with_service_endpoint(service, closed);
    }
    let out = attest_aws::collect(&opts).await;
    let files: Vec<&str> = out.errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        vec![
            "aws:global:wafv2.ListWebACLs",
            "aws:us-east-1:apigateway.GetDomainNames",
            "aws:us-east-1:apigatewayv2.GetDomainNames",
            "aws:us-east-1:autoscaling.DescribeAutoScalingGroups",
            "aws:us-east-1:ecr.DescribeRepositories",
            "aws:us-east-1:ecs.ListTaskDefinitionFamilies",
            "aws:us-east-1:eks.ListClusters",
            // One error for the v2 and the classic API: both answer to one IAM action.
            "aws:us-east-1:elasticloadbalancing.DescribeLoadBalancers",
            "aws:us-east-1:opensearch.ListDomainNames",
            "aws:us-east-1:wafv2.ListWebACLs",
        ],
        "{:#?}",
        out.errors
    );
    // Load balancers of both kinds stand behind placeholders (security group rules read them).
    let placeholders: Vec<(&str, &str)> = out
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Data && r.id.ends_with(":unreadable"))
        .map(|r| (r.resource_type.as_str(), r.id.as_str()))
        .collect();
    assert_eq!(
        placeholders,
        vec![
            ("aws_elb", "aws_elb:us-east-1:unreadable"),
            ("aws_lb", "aws_lb:us-east-1:unreadable"),
        ]
    );
    let elb = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_elb")
        .expect("placeholder");
    assert!(elb.attr("security_groups").is_unknown());
    assert!(
        out.resources.iter().all(|r| r.mode == Mode::Data),
        "only scope resources and placeholders: {:#?}",
        out.resources
    );
}
