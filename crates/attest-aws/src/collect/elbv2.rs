//! Elastic Load Balancing: application, network and gateway load balancers, their listeners and
//! listener rules, and (through [`super::elb_classic::classic`]) classic load balancers.
//!
//! | API call | canonical |
//! |---|---|
//! | `DescribeLoadBalancers` (v2) | `aws_lb` (`internal`, `load_balancer_type`, `security_groups`, `subnets`…) |
//! | `DescribeLoadBalancerAttributes` (v2) | `aws_lb` `access_logs`, `connection_logs`, `enable_deletion_protection`, `drop_invalid_header_fields`, `enable_cross_zone_load_balancing`, `idle_timeout`, `enable_http2`, `desync_mitigation_mode`, `enable_waf_fail_open` |
//! | `DescribeListeners` | `aws_lb_listener` (`port`, `protocol`, `ssl_policy`, `certificate_arn`, `default_action` with `redirect` / `fixed_response` / `forward`) |
//! | `DescribeRules` (HTTP listeners only) | `aws_lb_listener_rule` (`listener_arn`, `priority`, `action`, `condition`), the default rule left out (it is the listener's `default_action`) |
//!
//! Listener rules matter only for plain HTTP listeners (a rule forwarding instead of redirecting
//! makes the listener serve HTTP), so only their rules are read. When `DescribeRules` fails for
//! an HTTP listener, one `aws_lb_listener_rule` placeholder (mode `data`, `action` unknown) is
//! linked to it, so that the listener's verdict is `unknown`. Authentication actions are kept
//! as their type only (their configuration holds client secrets).
//!
//! Attributes the answer leaves out take ELB's default (logging, deletion protection and header
//! dropping off). `DescribeLoadBalancers` of both APIs answers to one IAM action: when both
//! fail, one error is reported.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, Listener, LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum, ProtocolEnum, Rule,
    RuleCondition,
};
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Resource};

use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

type Client = aws_sdk_elasticloadbalancingv2::Client;

/// Load balancers read (attributes, listeners, rules) at once.
const CONCURRENCY: usize = 8;

/// The attributes only `DescribeLoadBalancerAttributes` tells.
const ATTRIBUTES: &[&str] = &[
    "access_logs",
    "connection_logs",
    "enable_deletion_protection",
    "drop_invalid_header_fields",
    "enable_cross_zone_load_balancing",
    "idle_timeout",
    "enable_http2",
    "desync_mitigation_mode",
    "enable_waf_fail_open",
];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ((mut out, v2_err), (classic, classic_err)) = tokio::join!(v2(c), super::elb_classic::classic(c));
    out.extend(classic);
    let message = match (&v2_err, &classic_err) {
        (Some(a), Some(b)) if a.code == b.code => Some(a.message.clone()),
        (Some(a), Some(b)) => Some(format!("{} (classic load balancers: {})", a.message, b.message)),
        (Some(a), None) => Some(a.message.clone()),
        (None, Some(b)) => Some(format!("classic load balancers: {}", b.message)),
        (None, None) => None,
    };
    if let Some(m) = message {
        out.errors
            .push(c.error("elasticloadbalancing", "DescribeLoadBalancers", m));
    }
    out
}

/// The v2 load balancers with their attributes, listeners and HTTP listeners' rules, and the
/// error of `DescribeLoadBalancers` if it failed (reported by the caller).
async fn v2(c: &Ctx<'_>) -> (LoadOutput, Option<ApiError>) {
    let elb = client!(c.session, aws_sdk_elasticloadbalancingv2, "elasticloadbalancing");
    let (lbs, err) = drain(elb.describe_load_balancers().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = &err {
        // Security groups of unreadable load balancers: an open group may front one.
        out.resources.push(placeholder(
            c,
            "aws_lb",
            &["security_groups", "internal", "load_balancer_type"],
            &e.unknown_reason("elasticloadbalancing", "DescribeLoadBalancers"),
        ));
    }
    let elb = &elb;
    let parts: Vec<LoadOutput> = futures::stream::iter(lbs)
        .map(|lb| async move { read_load_balancer(c, elb, &lb).await })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for p in parts {
        out.extend(p);
    }
    (out, err)
}

/// One load balancer: its attributes, its listeners and the rules of its HTTP listeners.
async fn read_load_balancer(c: &Ctx<'_>, elb: &Client, lb: &LoadBalancer) -> LoadOutput {
    let mut out = LoadOutput::default();
    let Some(arn) = lb.load_balancer_arn() else {
        return out;
    };
    let attributes = elb
        .describe_load_balancer_attributes()
        .load_balancer_arn(arn)
        .send()
        .await
        .map(|o| o.attributes.unwrap_or_default())
        .map_err(|e| ApiError::from_sdk(&e));
    if let Err(e) = &attributes {
        out.errors.push(c.error(
            "elasticloadbalancing",
            "DescribeLoadBalancerAttributes",
            format!("load balancer {arn}: {}", e.message),
        ));
    }
    out.resources.extend(load_balancer(c, lb, attributes.as_deref()));

    let (listeners, err) = drain(
        elb.describe_listeners()
            .load_balancer_arn(arn)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    if let Some(e) = err {
        out.errors.push(c.error(
            "elasticloadbalancing",
            "DescribeListeners",
            format!("load balancer {arn}: {}", e.message),
        ));
    }
    for l in &listeners {
        let Some(resource) = listener(c, l) else {
            continue;
        };
        let listener_arn = resource.id.clone();
        out.resources.push(resource);
        if l.protocol() != Some(&ProtocolEnum::Http) {
            continue;
        }
        let (rules, err) = drain(
            elb.describe_rules()
                .listener_arn(&listener_arn)
                .into_paginator()
                .items()
                .send(),
        )
        .await;
        out.resources.extend(
            rules
                .iter()
                .filter(|r| r.is_default() != Some(true))
                .filter_map(|r| listener_rule(c, &listener_arn, r)),
        );
        if let Some(e) = err {
            out.errors.push(c.error(
                "elasticloadbalancing",
                "DescribeRules",
                format!("listener {listener_arn}: {}", e.message),
            ));
            out.resources.push(unreadable_rules(c, &listener_arn, &e));
        }
    }
    out
}

/// The value of one load balancer attribute.
fn attribute<'a>(attrs: &'a [LoadBalancerAttribute], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.key() == Some(key))
        .and_then(|a| a.value())
}

/// A boolean load balancer attribute; absent takes `default`.
fn flag(attrs: &[LoadBalancerAttribute], key: &str, default: bool) -> bool {
    attribute(attrs, key).map_or(default, |v| v.eq_ignore_ascii_case("true"))
}

/// An `access_logs`-style block from the `<prefix>.s3.*` attributes.
fn log_block(attrs: &[LoadBalancerAttribute], prefix: &str) -> Json {
    json!([{
        "enabled": flag(attrs, &format!("{prefix}.s3.enabled"), false),
        "bucket": attribute(attrs, &format!("{prefix}.s3.bucket")).unwrap_or_default(),
        "prefix": attribute(attrs, &format!("{prefix}.s3.prefix")).unwrap_or_default(),
    }])
}

/// A v2 load balancer; `attributes` is its `DescribeLoadBalancerAttributes` answer.
pub fn load_balancer(
    c: &Ctx<'_>,
    lb: &LoadBalancer,
    attributes: Result<&[LoadBalancerAttribute], &ApiError>,
) -> Option<Resource> {
    let arn = lb.load_balancer_arn()?;
    let ty = lb.r#type().map(|t| t.as_str());
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(lb.load_balancer_name()));
    a.insert("dns_name".into(), json!(lb.dns_name()));
    a.insert(
        "internal".into(),
        json!(lb.scheme() == Some(&LoadBalancerSchemeEnum::Internal)),
    );
    a.insert("load_balancer_type".into(), json!(ty));
    a.insert("vpc_id".into(), json!(lb.vpc_id()));
    a.insert("security_groups".into(), json!(lb.security_groups()));
    a.insert(
        "subnets".into(),
        json!(lb
            .availability_zones()
            .iter()
            .filter_map(|z| z.subnet_id())
            .collect::<Vec<_>>()),
    );
    a.insert(
        "ip_address_type".into(),
        json!(lb.ip_address_type().map(|t| t.as_str())),
    );
    match attributes {
        Ok(attrs) => {
            a.insert("access_logs".into(), log_block(attrs, "access_logs"));
            a.insert("connection_logs".into(), log_block(attrs, "connection_logs"));
            a.insert(
                "enable_deletion_protection".into(),
                json!(flag(attrs, "deletion_protection.enabled", false)),
            );
            a.insert(
                "drop_invalid_header_fields".into(),
                json!(flag(
                    attrs,
                    "routing.http.drop_invalid_header_fields.enabled",
                    false
                )),
            );
            // Cross-zone load balancing is always on for application load balancers.
            a.insert(
                "enable_cross_zone_load_balancing".into(),
                json!(flag(
                    attrs,
                    "load_balancing.cross_zone.enabled",
                    ty == Some("application")
                )),
            );
            a.insert(
                "idle_timeout".into(),
                json!(attribute(attrs, "idle_timeout.timeout_seconds").and_then(|v| v.parse::<i64>().ok())),
            );
            a.insert(
                "enable_http2".into(),
                json!(flag(attrs, "routing.http2.enabled", true)),
            );
            a.insert(
                "desync_mitigation_mode".into(),
                json!(attribute(attrs, "routing.http.desync_mitigation_mode")),
            );
            a.insert(
                "enable_waf_fail_open".into(),
                json!(flag(attrs, "waf.fail_open.enabled", false)),
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("elasticloadbalancing", "DescribeLoadBalancerAttributes");
            for key in ATTRIBUTES {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    Some(c.resource(arn.to_string(), "aws_lb", Some(arn), a))
}

/// A listener or rule action as Terraform's action block.
fn action(x: &Action) -> Json {
    let mut m = Map::new();
    m.insert("type".into(), json!(x.r#type().map(|t| t.as_str())));
    m.insert("order".into(), json!(x.order()));
    m.insert("target_group_arn".into(), json!(x.target_group_arn()));
    m.insert(
        "redirect".into(),
        Json::Array(
            x.redirect_config()
                .map(|r| {
                    json!({
                        "protocol": r.protocol(),
                        "port": r.port(),
                        "host": r.host(),
                        "path": r.path(),
                        "query": r.query(),
                        "status_code": r.status_code().map(|s| s.as_str()),
                    })
                })
                .into_iter()
                .collect(),
        ),
    );
    m.insert(
        "fixed_response".into(),
        Json::Array(
            x.fixed_response_config()
                .map(|f| {
                    json!({
                        "content_type": f.content_type(),
                        "message_body": f.message_body(),
                        "status_code": f.status_code(),
                    })
                })
                .into_iter()
                .collect(),
        ),
    );
    m.insert(
        "forward".into(),
        Json::Array(
            x.forward_config()
                .map(|f| {
                    json!({
                        "target_group": f.target_groups().iter().map(|t| json!({
                            "arn": t.target_group_arn(),
                            "weight": t.weight(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .into_iter()
                .collect(),
        ),
    );
    Json::Object(m)
}

/// A listener.
pub fn listener(c: &Ctx<'_>, l: &Listener) -> Option<Resource> {
    let arn = l.listener_arn()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("arn".into(), json!(arn));
    a.insert("load_balancer_arn".into(), json!(l.load_balancer_arn()));
    a.insert("port".into(), json!(l.port()));
    a.insert("protocol".into(), json!(l.protocol().map(|p| p.as_str())));
    a.insert("ssl_policy".into(), json!(l.ssl_policy()));
    let certificate = l
        .certificates()
        .iter()
        .find(|x| x.is_default() != Some(false))
        .and_then(|x| x.certificate_arn());
    a.insert("certificate_arn".into(), json!(certificate));
    a.insert("alpn_policy".into(), json!(l.alpn_policy().first()));
    let mut actions: Vec<&Action> = l.default_actions().iter().collect();
    actions.sort_by_key(|x| x.order().unwrap_or(i32::MAX));
    a.insert(
        "default_action".into(),
        Json::Array(actions.into_iter().map(action).collect()),
    );
    Some(c.resource(arn.to_string(), "aws_lb_listener", Some(arn), a))
}

/// `{values}` blocks of one condition configuration.
fn values(v: &[String]) -> Json {
    json!([{ "values": v }])
}

/// A rule condition as Terraform's condition block (the legacy `Field` / `Values` form too).
fn condition(x: &RuleCondition) -> Json {
    let mut m = Map::new();
    let legacy =
        |field: &str| (x.field() == Some(field) && !x.values().is_empty()).then(|| values(x.values()));
    if let Some(v) = x
        .host_header_config()
        .map(|h| values(h.values()))
        .or_else(|| legacy("host-header"))
    {
        m.insert("host_header".into(), v);
    }
    if let Some(v) = x
        .path_pattern_config()
        .map(|h| values(h.values()))
        .or_else(|| legacy("path-pattern"))
    {
        m.insert("path_pattern".into(), v);
    }
    if let Some(h) = x.http_request_method_config() {
        m.insert("http_request_method".into(), values(h.values()));
    }
    if let Some(h) = x.source_ip_config() {
        m.insert("source_ip".into(), values(h.values()));
    }
    if let Some(h) = x.http_header_config() {
        m.insert(
            "http_header".into(),
            json!([{ "http_header_name": h.http_header_name(), "values": h.values() }]),
        );
    }
    if let Some(q) = x.query_string_config() {
        m.insert(
            "query_string".into(),
            Json::Array(
                q.values()
                    .iter()
                    .map(|p| json!({"key": p.key(), "value": p.value()}))
                    .collect(),
            ),
        );
    }
    Json::Object(m)
}

/// A (non-default) listener rule.
pub fn listener_rule(c: &Ctx<'_>, listener_arn: &str, r: &Rule) -> Option<Resource> {
    let arn = r.rule_arn()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("arn".into(), json!(arn));
    a.insert("listener_arn".into(), json!(listener_arn));
    a.insert(
        "priority".into(),
        json!(r.priority().and_then(|p| p.parse::<i64>().ok())),
    );
    let mut actions: Vec<&Action> = r.actions().iter().collect();
    actions.sort_by_key(|x| x.order().unwrap_or(i32::MAX));
    a.insert(
        "action".into(),
        Json::Array(actions.into_iter().map(action).collect()),
    );
    a.insert(
        "condition".into(),
        Json::Array(r.conditions().iter().map(condition).collect()),
    );
    Some(c.resource(arn.to_string(), "aws_lb_listener_rule", Some(arn), a))
}

/// The placeholder for the rules of an HTTP listener that `DescribeRules` could not read.
fn unreadable_rules(c: &Ctx<'_>, listener_arn: &str, e: &ApiError) -> Resource {
    let mut a = Map::new();
    a.insert("listener_arn".into(), json!(listener_arn));
    a.insert(
        "action".into(),
        unknown(&e.unknown_reason("elasticloadbalancing", "DescribeRules")),
    );
    let mut r = c.resource(
        format!("aws_lb_listener_rule:{}:{listener_arn}:unreadable", c.label),
        "aws_lb_listener_rule",
        None,
        a,
    );
    r.mode = Mode::Data;
    r
}

#[cfg(test)]
mod tests {
    use aws_sdk_elasticloadbalancingv2::types::{
        ActionTypeEnum, LoadBalancerTypeEnum, RedirectActionConfig, RedirectActionStatusCodeEnum,
    };

    use super::*;
    use crate::ctx::Session;

    fn kv(k: &str, v: &str) -> LoadBalancerAttribute {
        LoadBalancerAttribute::builder().key(k).value(v).build()
    }

    fn alb() -> LoadBalancer {
        LoadBalancer::builder()
            .load_balancer_arn("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1")
            .load_balancer_name("web")
            .r#type(LoadBalancerTypeEnum::Application)
            .scheme(LoadBalancerSchemeEnum::InternetFacing)
            .security_groups("sg-1")
            .build()
    }

    #[test]
    fn attributes_map_to_the_terraform_arguments() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let attrs = vec![
            kv("access_logs.s3.enabled", "true"),
            kv("access_logs.s3.bucket", "logs"),
            kv("deletion_protection.enabled", "true"),
            kv("routing.http.drop_invalid_header_fields.enabled", "false"),
            kv("idle_timeout.timeout_seconds", "60"),
        ];
        let r = load_balancer(&c, &alb(), Ok(&attrs)).expect("lb");
        assert_eq!(
            r.attr("access_logs").to_json(),
            json!([{"enabled": true, "bucket": "logs", "prefix": ""}])
        );
        assert_eq!(r.attr("enable_deletion_protection").as_bool(), Some(true));
        assert_eq!(r.attr("drop_invalid_header_fields").as_bool(), Some(false));
        assert_eq!(r.attr("idle_timeout").as_i64(), Some(60));
        assert_eq!(r.attr("enable_cross_zone_load_balancing").as_bool(), Some(true));
        // Absent attributes take ELB's defaults.
        let bare = load_balancer(&c, &alb(), Ok(&[])).expect("lb");
        assert_eq!(bare.attr("access_logs.enabled").as_bool(), Some(false));
        assert_eq!(bare.attr("enable_deletion_protection").as_bool(), Some(false));
    }

    #[test]
    fn denied_attributes_are_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "AccessDenied".into(),
            message: "not allowed".into(),
        };
        let r = load_balancer(&c, &alb(), Err(&denied)).expect("lb");
        assert_eq!(
            r.attr("drop_invalid_header_fields"),
            &attest_core::Value::Unknown(
                "AccessDenied on elasticloadbalancing:DescribeLoadBalancerAttributes".into()
            )
        );
        assert!(r.attr("access_logs").is_unknown());
        assert_eq!(r.attr("security_groups").to_json(), json!(["sg-1"]));
    }

    #[test]
    fn listener_with_a_redirect_and_unreadable_rules() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let l = Listener::builder()
            .listener_arn("arn:listener")
            .load_balancer_arn("arn:lb")
            .port(80)
            .protocol(ProtocolEnum::Http)
            .default_actions(
                Action::builder()
                    .r#type(ActionTypeEnum::Redirect)
                    .order(1)
                    .redirect_config(
                        RedirectActionConfig::builder()
                            .protocol("HTTPS")
                            .port("443")
                            .status_code(RedirectActionStatusCodeEnum::Http301)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let r = listener(&c, &l).expect("listener");
        assert_eq!(r.attr("protocol").as_str(), Some("HTTP"));
        assert_eq!(r.attr("default_action.0.type").as_str(), Some("redirect"));
        assert_eq!(
            r.attr("default_action.0.redirect.protocol").as_str(),
            Some("HTTPS")
        );
        assert_eq!(
            r.attr("default_action.0.redirect.status_code").as_str(),
            Some("HTTP_301")
        );
        let denied = ApiError {
            code: "AccessDenied".into(),
            message: "not allowed".into(),
        };
        let p = unreadable_rules(&c, "arn:listener", &denied);
        assert_eq!(p.mode, Mode::Data);
        assert_eq!(p.attr("listener_arn").as_str(), Some("arn:listener"));
        assert!(p.attr("action").is_unknown());
    }

    #[test]
    fn rule_conditions_and_actions() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let rule = Rule::builder()
            .rule_arn("arn:rule")
            .priority("10")
            .conditions(
                RuleCondition::builder()
                    .field("path-pattern")
                    .values("/api/*")
                    .build(),
            )
            .actions(
                Action::builder()
                    .r#type(ActionTypeEnum::Forward)
                    .target_group_arn("arn:tg")
                    .build(),
            )
            .build();
        let r = listener_rule(&c, "arn:listener", &rule).expect("rule");
        assert_eq!(r.attr("priority").as_i64(), Some(10));
        assert_eq!(
            r.attr("condition").to_json(),
            json!([{"path_pattern": [{"values": ["/api/*"]}]}])
        );
        assert_eq!(r.attr("action.0.type").as_str(), Some("forward"));
    }
}
