//! Classic Elastic Load Balancing `DescribeLoadBalancers` and `DescribeLoadBalancerAttributes` →
//! `aws_elb` (`listener`, `access_logs`, `cross_zone_load_balancing`, `connection_draining`,
//! `idle_timeout`), and the references of the load balancing family:
//!
//! - `aws_elb` → `aws_security_group` (`security_groups.N`) and → `aws_s3_bucket`
//!   (`access_logs.0.bucket`);
//! - `aws_lb` → `aws_s3_bucket` (`access_logs.0.bucket`);
//! - `aws_lb_listener` → `aws_lb` (`load_balancer_arn`);
//! - `aws_lb_listener_rule` → `aws_lb_listener` (`listener_arn`).
//!
//! Classic load balancers are read in the job of `elbv2` (see [`collect`]). When they cannot be
//! listed, one `aws_elb` placeholder stands for them (its
//! security groups unknown), so that rules on security groups fronted by load balancers say
//! `unknown`.

use aws_sdk_elasticloadbalancing::types::{LoadBalancerAttributes, LoadBalancerDescription};
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource};

use super::targets::{Targets, ANY_REGION};
use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// `DescribeLoadBalancerAttributes` calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes only `DescribeLoadBalancerAttributes` tells.
const ATTRIBUTES: &[&str] = &[
    "access_logs",
    "cross_zone_load_balancing",
    "connection_draining",
    "connection_draining_timeout",
    "idle_timeout",
];

// Classic load balancers are read by `super::elbv2::collect` through [`classic`], in the same
// job as the v2 load balancers, because both APIs answer to the same IAM action
// (`elasticloadbalancing:DescribeLoadBalancers`): one denied permission reports once.

/// The classic load balancers of a region, and the error of `DescribeLoadBalancers` if it failed
/// (not in the output's errors: the caller reports it). Per-load-balancer errors are in the output.
pub async fn classic(c: &Ctx<'_>) -> (LoadOutput, Option<ApiError>) {
    let elb = client!(c.session, aws_sdk_elasticloadbalancing, "elasticloadbalancing");
    let (lbs, err) = drain(elb.describe_load_balancers().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = &err {
        // Security groups of unreadable classic load balancers: an open group may front one.
        out.resources.push(placeholder(
            c,
            "aws_elb",
            &["security_groups", "internal", "listener"],
            &e.unknown_reason("elasticloadbalancing", "DescribeLoadBalancers"),
        ));
    }
    let elb = &elb;
    let described: Vec<(
        LoadBalancerDescription,
        Result<Option<LoadBalancerAttributes>, ApiError>,
    )> = futures::stream::iter(lbs)
        .map(|lb| async move {
            let r = elb
                .describe_load_balancer_attributes()
                .load_balancer_name(lb.load_balancer_name().unwrap_or_default())
                .send()
                .await
                .map(|o| o.load_balancer_attributes)
                .map_err(|e| ApiError::from_sdk(&e));
            (lb, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (lb, r) in described {
        if let Err(e) = &r {
            out.errors.push(c.error(
                "elasticloadbalancing",
                "DescribeLoadBalancerAttributes",
                format!(
                    "load balancer {}: {}",
                    lb.load_balancer_name().unwrap_or_default(),
                    e.message
                ),
            ));
        }
        out.resources
            .extend(load_balancer(c, &lb, r.as_ref().map(Option::as_ref)));
    }
    (out, err)
}

/// A classic load balancer; `attributes` is its `DescribeLoadBalancerAttributes` answer.
pub fn load_balancer(
    c: &Ctx<'_>,
    lb: &LoadBalancerDescription,
    attributes: Result<Option<&LoadBalancerAttributes>, &ApiError>,
) -> Option<Resource> {
    let name = lb.load_balancer_name()?;
    let arn = c.arn("elasticloadbalancing", &format!("loadbalancer/{name}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert("dns_name".into(), json!(lb.dns_name()));
    a.insert("internal".into(), json!(lb.scheme() == Some("internal")));
    a.insert("security_groups".into(), json!(lb.security_groups()));
    a.insert("subnets".into(), json!(lb.subnets()));
    a.insert("availability_zones".into(), json!(lb.availability_zones()));
    a.insert(
        "instances".into(),
        json!(lb
            .instances()
            .iter()
            .filter_map(|i| i.instance_id())
            .collect::<Vec<_>>()),
    );
    a.insert(
        "listener".into(),
        Json::Array(
            lb.listener_descriptions()
                .iter()
                .filter_map(|d| d.listener())
                .map(|l| {
                    // The provider shows protocols in lower case.
                    json!({
                        "lb_port": l.load_balancer_port(),
                        "lb_protocol": l.protocol().to_ascii_lowercase(),
                        "instance_port": l.instance_port(),
                        "instance_protocol": l.instance_protocol().unwrap_or(l.protocol()).to_ascii_lowercase(),
                        "ssl_certificate_id": l.ssl_certificate_id().unwrap_or_default(),
                    })
                })
                .collect(),
        ),
    );
    match attributes {
        Ok(attrs) => {
            let log = attrs.and_then(|x| x.access_log());
            a.insert(
                "access_logs".into(),
                match log {
                    Some(l) => json!([{
                        "enabled": l.enabled(),
                        "bucket": l.s3_bucket_name().unwrap_or_default(),
                        "bucket_prefix": l.s3_bucket_prefix().unwrap_or_default(),
                        "interval": l.emit_interval().unwrap_or(60),
                    }]),
                    None => json!([]),
                },
            );
            a.insert(
                "cross_zone_load_balancing".into(),
                json!(attrs
                    .and_then(|x| x.cross_zone_load_balancing())
                    .is_some_and(|z| z.enabled())),
            );
            let draining = attrs.and_then(|x| x.connection_draining());
            a.insert(
                "connection_draining".into(),
                json!(draining.is_some_and(|d| d.enabled())),
            );
            a.insert(
                "connection_draining_timeout".into(),
                json!(draining.and_then(|d| d.timeout()).unwrap_or(300)),
            );
            a.insert(
                "idle_timeout".into(),
                json!(attrs
                    .and_then(|x| x.connection_settings())
                    .map(|s| s.idle_timeout())
                    .unwrap_or(60)),
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("elasticloadbalancing", "DescribeLoadBalancerAttributes");
            for key in ATTRIBUTES {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id("aws_elb", name));
    Some(c.resource(rid, "aws_elb", Some(name), a))
}

/// References of the load balancing family (see the module documentation).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let targets = Targets::build(
        out,
        &[
            ("aws_security_group", &["id"]),
            ("aws_s3_bucket", &["bucket", "id"]),
            ("aws_lb", &["arn"]),
            ("aws_lb_listener", &["arn"]),
        ],
    );
    let mut refs = Vec::new();
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        match r.resource_type.as_str() {
            "aws_elb" => {
                targets.edges(r, "security_groups", &["aws_security_group"], None, &mut refs);
                targets.edges(
                    r,
                    "access_logs.0.bucket",
                    &["aws_s3_bucket"],
                    Some(ANY_REGION),
                    &mut refs,
                );
            }
            "aws_lb" => {
                targets.edges(
                    r,
                    "access_logs.0.bucket",
                    &["aws_s3_bucket"],
                    Some(ANY_REGION),
                    &mut refs,
                );
            }
            "aws_lb_listener" => {
                targets.edges(r, "load_balancer_arn", &["aws_lb"], None, &mut refs);
            }
            _ => {}
        }
    }
    // Listener rules may be placeholders (mode data) standing for rules that could not be read:
    // they are linked too, so that the listener's verdict sees them.
    for r in out
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_lb_listener_rule")
    {
        targets.edges(r, "listener_arn", &["aws_lb_listener"], None, &mut refs);
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_elasticloadbalancing::types::{
        AccessLog, ConnectionDraining, CrossZoneLoadBalancing, Listener, ListenerDescription,
    };

    use super::*;
    use crate::ctx::Session;

    fn description() -> LoadBalancerDescription {
        LoadBalancerDescription::builder()
            .load_balancer_name("old")
            .scheme("internet-facing")
            .security_groups("sg-1")
            .listener_descriptions(
                ListenerDescription::builder()
                    .listener(
                        Listener::builder()
                            .protocol("HTTP")
                            .load_balancer_port(80)
                            .instance_protocol("HTTP")
                            .instance_port(8080)
                            .build()
                            .expect("listener"),
                    )
                    .build(),
            )
            .build()
    }

    #[test]
    fn classic_load_balancer_with_attributes() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let attrs = LoadBalancerAttributes::builder()
            .access_log(
                AccessLog::builder()
                    .enabled(true)
                    .s3_bucket_name("logs")
                    .emit_interval(5)
                    .build(),
            )
            .cross_zone_load_balancing(CrossZoneLoadBalancing::builder().enabled(false).build())
            .connection_draining(ConnectionDraining::builder().enabled(true).timeout(30).build())
            .build();
        let r = load_balancer(&c, &description(), Ok(Some(&attrs))).expect("elb");
        assert_eq!(
            r.id,
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/old"
        );
        assert_eq!(r.physical_id.as_deref(), Some("old"));
        assert_eq!(
            r.attr("listener").to_json(),
            json!([{"lb_port": 80, "lb_protocol": "http", "instance_port": 8080, "instance_protocol": "http", "ssl_certificate_id": ""}])
        );
        assert_eq!(r.attr("access_logs.bucket").as_str(), Some("logs"));
        assert_eq!(r.attr("access_logs.enabled").as_bool(), Some(true));
        assert_eq!(r.attr("cross_zone_load_balancing").as_bool(), Some(false));
        assert_eq!(r.attr("connection_draining_timeout").as_i64(), Some(30));
    }

    #[test]
    fn denied_attributes_are_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "AccessDenied".into(),
            message: "not allowed".into(),
        };
        let r = load_balancer(&c, &description(), Err(&denied)).expect("elb");
        assert_eq!(
            r.attr("access_logs"),
            &attest_core::Value::Unknown(
                "AccessDenied on elasticloadbalancing:DescribeLoadBalancerAttributes".into()
            )
        );
        assert!(r.attr("cross_zone_load_balancing").is_unknown());
        // The listeners come from DescribeLoadBalancers and stay known.
        assert_eq!(r.attr("listener.lb_protocol").as_str(), Some("http"));
    }

    #[test]
    fn links_follow_names_within_account_and_region() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let other = Session::for_tests("eu-west-1");
        let c2 = Ctx::new(&other, Some("123456789012".into()));
        let elb = load_balancer(&c, &description(), Ok(None)).expect("elb");
        let sg = c.resource("arn:sg-1".into(), "aws_security_group", Some("sg-1"), Map::new());
        let sg_elsewhere = c2.resource(
            "arn:eu:sg-1".into(),
            "aws_security_group",
            Some("sg-1"),
            Map::new(),
        );
        let mut l = Map::new();
        l.insert("load_balancer_arn".into(), json!("arn:lb"));
        let listener = c.resource("arn:listener".into(), "aws_lb_listener", Some("arn:listener"), l);
        let lb = c.resource("arn:lb".into(), "aws_lb", Some("arn:lb"), Map::new());
        let mut rule = Map::new();
        rule.insert("listener_arn".into(), json!("arn:listener"));
        let mut placeholder_rule = c.resource("p".into(), "aws_lb_listener_rule", None, rule);
        placeholder_rule.mode = Mode::Data;
        let out = LoadOutput {
            resources: vec![elb, sg, sg_elsewhere, listener, lb, placeholder_rule],
            ..LoadOutput::default()
        };
        let refs: Vec<(String, String, String)> =
            link(&out).into_iter().map(|r| (r.from, r.path, r.to)).collect();
        assert_eq!(
            refs,
            vec![
                (
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/old".to_string(),
                    "security_groups.0".to_string(),
                    "arn:sg-1".to_string()
                ),
                (
                    "arn:listener".to_string(),
                    "load_balancer_arn".to_string(),
                    "arn:lb".to_string()
                ),
                (
                    "p".to_string(),
                    "listener_arn".to_string(),
                    "arn:listener".to_string()
                ),
            ]
        );
    }
}
