//! CloudFront `ListDistributions` → `aws_cloudfront_distribution` (global).

use aws_sdk_cloudfront::types::DistributionSummary;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Resource};

use super::drain;
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let cf = client!(c.session, aws_sdk_cloudfront, "cloudfront");
    let (items, err) = drain(cf.list_distributions().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("cloudfront", "ListDistributions", e.message));
    }
    out.resources.extend(items.iter().map(|d| distribution(c, d)));
    out
}

fn distribution(c: &Ctx<'_>, d: &DistributionSummary) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(d.id()));
    a.insert("arn".into(), json!(d.arn()));
    a.insert("domain_name".into(), json!(d.domain_name()));
    a.insert("enabled".into(), json!(d.enabled()));
    a.insert("status".into(), json!(d.status()));
    a.insert("comment".into(), json!(d.comment()));
    a.insert("web_acl_id".into(), json!(d.web_acl_id()));
    a.insert("is_ipv6_enabled".into(), json!(d.is_ipv6_enabled()));
    super::not_collected(
        &mut a,
        &[
            "logging_config",
            "restrictions",
            "default_cache_behavior",
            "ordered_cache_behavior",
            "origin",
            "viewer_certificate",
        ],
    );
    a.insert(
        "aliases".into(),
        json!(d.aliases().map(|x| x.items()).unwrap_or_default()),
    );
    let id = if d.arn().is_empty() {
        c.local_id("aws_cloudfront_distribution", d.id())
    } else {
        d.arn().to_string()
    };
    c.resource(id, "aws_cloudfront_distribution", Some(d.id()), a)
}
