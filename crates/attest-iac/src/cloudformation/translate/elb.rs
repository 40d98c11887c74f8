//! Elastic Load Balancing: application / network load balancers (v2), their listeners and
//! listener rules, and classic load balancers.
//!
//! | CloudFormation | canonical |
//! |---|---|
//! | `AWS::ElasticLoadBalancingV2::LoadBalancer` | `aws_lb`; the `LoadBalancerAttributes` key/value list becomes `access_logs`, `enable_deletion_protection`, `drop_invalid_header_fields` (`"true"` / `"false"` as booleans) |
//! | `AWS::ElasticLoadBalancingV2::Listener` | `aws_lb_listener` (`DefaultActions` → `default_action` with `redirect`, `fixed_response`, `forward` blocks) |
//! | `AWS::ElasticLoadBalancingV2::ListenerRule` | `aws_lb_listener_rule` (`Actions` → `action`, `Conditions` → `condition`) |
//! | `AWS::ElasticLoadBalancing::LoadBalancer` | `aws_elb` (`Listeners` → `listener`, `AccessLoggingPolicy` → `access_logs`, `CrossZone` → `cross_zone_load_balancing`) |
//!
//! CloudFormation creates a classic load balancer through the API, where cross-zone load balancing
//! is off unless `CrossZone` is `true` (the Terraform provider's default is on): an absent
//! `CrossZone` becomes `cross_zone_load_balancing = false`.

use attest_core::Value;

use super::{block, each, equals, obj, one_or_list, tags, Ctx, Source, Translated};

/// A `LoadBalancerAttributes` entry by key. An entry whose key is unknown may be this one: the
/// value is then unknown.
fn attribute(p: &Value, key: &str) -> Value {
    match p.get("LoadBalancerAttributes") {
        Value::List(items) => {
            if let Some(a) = items.iter().find(|a| a.get("Key").as_str() == Some(key)) {
                return a.get("Value").clone();
            }
            match items.iter().find(|a| a.is_unknown() || a.get("Key").is_unknown()) {
                Some(_) => Value::unknown(format!(
                    "the load balancer attribute {key} is not known before deployment"
                )),
                None => Value::Null,
            }
        }
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        _ => Value::Null,
    }
}

/// A boolean load balancer attribute: CloudFormation writes `"true"` / `"false"` strings.
fn flag(v: Value) -> Value {
    match &v {
        Value::String(s) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        _ => v,
    }
}

pub fn load_balancer_v2(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let ty = match p.get("Type") {
        Value::Null => Value::from("application"),
        other => other.clone(),
    };
    let logs_enabled = flag(attribute(p, "access_logs.s3.enabled"));
    let access_logs = if logs_enabled.is_null() {
        Value::Null
    } else {
        Value::List(vec![obj(vec![
            ("enabled", logs_enabled),
            ("bucket", attribute(p, "access_logs.s3.bucket")),
            ("prefix", attribute(p, "access_logs.s3.prefix")),
        ])])
    };
    vec![Translated::new(
        s.id,
        "aws_lb",
        obj(vec![
            ("name", p.get("Name").clone()),
            ("internal", equals(p.get("Scheme"), "internal")),
            ("load_balancer_type", ty),
            ("security_groups", one_or_list(p.get("SecurityGroups"))),
            ("subnets", one_or_list(p.get("Subnets"))),
            ("ip_address_type", p.get("IpAddressType").clone()),
            ("access_logs", access_logs),
            (
                "enable_deletion_protection",
                flag(attribute(p, "deletion_protection.enabled")),
            ),
            (
                "drop_invalid_header_fields",
                flag(attribute(p, "routing.http.drop_invalid_header_fields.enabled")),
            ),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn classic(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let listener = each(p.get("Listeners"), |l| {
        obj(vec![
            ("instance_port", l.get("InstancePort").clone()),
            ("instance_protocol", l.get("InstanceProtocol").clone()),
            ("lb_port", l.get("LoadBalancerPort").clone()),
            ("lb_protocol", l.get("Protocol").clone()),
            ("ssl_certificate_id", l.get("SSLCertificateId").clone()),
        ])
    });
    let access_logs = block(p.get("AccessLoggingPolicy"), |a| {
        obj(vec![
            ("enabled", a.get("Enabled").clone()),
            ("bucket", a.get("S3BucketName").clone()),
            ("bucket_prefix", a.get("S3BucketPrefix").clone()),
            ("interval", a.get("EmitInterval").clone()),
        ])
    });
    let cross_zone = match p.get("CrossZone") {
        Value::Null => Value::Bool(false),
        other => other.clone(),
    };
    vec![Translated::new(
        s.id,
        "aws_elb",
        obj(vec![
            ("name", p.get("LoadBalancerName").clone()),
            ("internal", equals(p.get("Scheme"), "internal")),
            ("security_groups", one_or_list(p.get("SecurityGroups"))),
            ("subnets", one_or_list(p.get("Subnets"))),
            ("availability_zones", one_or_list(p.get("AvailabilityZones"))),
            ("listener", listener),
            ("access_logs", access_logs),
            ("cross_zone_load_balancing", cross_zone),
            (
                "connection_draining",
                p.path("ConnectionDrainingPolicy.Enabled").clone(),
            ),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

/// A listener action (`DefaultActions` / `Actions` entry) as Terraform's action block.
fn action(a: &Value) -> Value {
    obj(vec![
        ("type", a.get("Type").clone()),
        ("order", a.get("Order").clone()),
        ("target_group_arn", a.get("TargetGroupArn").clone()),
        (
            "redirect",
            block(a.get("RedirectConfig"), |r| {
                obj(vec![
                    ("protocol", r.get("Protocol").clone()),
                    ("port", r.get("Port").clone()),
                    ("host", r.get("Host").clone()),
                    ("path", r.get("Path").clone()),
                    ("query", r.get("Query").clone()),
                    ("status_code", r.get("StatusCode").clone()),
                ])
            }),
        ),
        (
            "fixed_response",
            block(a.get("FixedResponseConfig"), |f| {
                obj(vec![
                    ("content_type", f.get("ContentType").clone()),
                    ("message_body", f.get("MessageBody").clone()),
                    ("status_code", f.get("StatusCode").clone()),
                ])
            }),
        ),
        (
            "forward",
            block(a.get("ForwardConfig"), |f| {
                obj(vec![(
                    "target_group",
                    each(f.get("TargetGroups"), |t| {
                        obj(vec![
                            ("arn", t.get("TargetGroupArn").clone()),
                            ("weight", t.get("Weight").clone()),
                        ])
                    }),
                )])
            }),
        ),
    ])
}

pub fn listener(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let certificate = match p.get("Certificates") {
        Value::List(items) => items
            .first()
            .map(|c| c.get("CertificateArn").clone())
            .unwrap_or(Value::Null),
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        _ => Value::Null,
    };
    vec![Translated::new(
        s.id,
        "aws_lb_listener",
        obj(vec![
            ("load_balancer_arn", p.get("LoadBalancerArn").clone()),
            ("port", p.get("Port").clone()),
            ("protocol", p.get("Protocol").clone()),
            ("ssl_policy", p.get("SslPolicy").clone()),
            ("certificate_arn", certificate),
            ("alpn_policy", p.get("AlpnPolicy").clone()),
            ("default_action", each(p.get("DefaultActions"), action)),
        ]),
    )]
}

/// `{Values: [...]}` condition configurations as `[{values}]` blocks.
fn values_block(v: &Value) -> Value {
    block(v, |c| obj(vec![("values", one_or_list(c.get("Values")))]))
}

fn condition(c: &Value) -> Value {
    // The legacy form names the field and its values directly.
    let legacy = |field: &str| match c.get("Field").as_str() {
        Some(f) if f == field && !c.get("Values").is_null() => {
            Value::List(vec![obj(vec![("values", one_or_list(c.get("Values")))])])
        }
        _ => Value::Null,
    };
    let or = |a: Value, b: Value| if a.is_null() { b } else { a };
    obj(vec![
        (
            "host_header",
            or(values_block(c.get("HostHeaderConfig")), legacy("host-header")),
        ),
        (
            "path_pattern",
            or(values_block(c.get("PathPatternConfig")), legacy("path-pattern")),
        ),
        (
            "http_request_method",
            values_block(c.get("HttpRequestMethodConfig")),
        ),
        ("source_ip", values_block(c.get("SourceIpConfig"))),
        (
            "http_header",
            block(c.get("HttpHeaderConfig"), |h| {
                obj(vec![
                    ("http_header_name", h.get("HttpHeaderName").clone()),
                    ("values", one_or_list(h.get("Values"))),
                ])
            }),
        ),
        (
            "query_string",
            each(c.path("QueryStringConfig.Values"), |q| {
                obj(vec![
                    ("key", q.get("Key").clone()),
                    ("value", q.get("Value").clone()),
                ])
            }),
        ),
    ])
}

pub fn listener_rule(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_lb_listener_rule",
        obj(vec![
            ("listener_arn", p.get("ListenerArn").clone()),
            ("priority", p.get("Priority").clone()),
            ("action", each(p.get("Actions"), action)),
            ("condition", each(p.get("Conditions"), condition)),
        ]),
    )]
}
