//! Elastic Load Balancing v2 `DescribeLoadBalancers` → `aws_lb`.

use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, LoadBalancerSchemeEnum};
use serde_json::{json, Map};

use attest_core::{LoadOutput, Resource};

use super::{drain, placeholder};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let elb = client!(c.session, aws_sdk_elasticloadbalancingv2, "elasticloadbalancing");
    let (lbs, err) = drain(elb.describe_load_balancers().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("elasticloadbalancing", "DescribeLoadBalancers", &e.message));
        // Security groups of unreadable load balancers: an open group may front one.
        out.resources.push(placeholder(
            c,
            "aws_lb",
            &["security_groups", "internal", "load_balancer_type"],
            &e.unknown_reason("elasticloadbalancing", "DescribeLoadBalancers"),
        ));
    }
    out.resources
        .extend(lbs.iter().filter_map(|lb| load_balancer(c, lb)));
    out
}

fn load_balancer(c: &Ctx<'_>, lb: &LoadBalancer) -> Option<Resource> {
    let arn = lb.load_balancer_arn()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(lb.load_balancer_name()));
    a.insert("dns_name".into(), json!(lb.dns_name()));
    a.insert(
        "internal".into(),
        json!(lb.scheme() == Some(&LoadBalancerSchemeEnum::Internal)),
    );
    a.insert(
        "load_balancer_type".into(),
        json!(lb.r#type().map(|t| t.as_str())),
    );
    a.insert("vpc_id".into(), json!(lb.vpc_id()));
    a.insert("security_groups".into(), json!(lb.security_groups()));
    super::not_collected(
        &mut a,
        &[
            "access_logs",
            "enable_deletion_protection",
            "drop_invalid_header_fields",
        ],
    );
    Some(c.resource(arn.to_string(), "aws_lb", Some(arn), a))
}
