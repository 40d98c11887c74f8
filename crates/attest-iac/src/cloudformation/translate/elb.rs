//! Elastic Load Balancing: application / network load balancers (v2) and classic ones.

use attest_core::Value;

use super::{block, each, equals, obj, one_or_list, tags, Ctx, Source, Translated};

/// A `LoadBalancerAttributes` entry by key.
fn attribute(p: &Value, key: &str) -> Value {
    match p.get("LoadBalancerAttributes") {
        Value::List(items) => items
            .iter()
            .find(|a| a.get("Key").as_str() == Some(key))
            .map(|a| a.get("Value").clone())
            .unwrap_or(Value::Null),
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        _ => Value::Null,
    }
}

pub fn load_balancer_v2(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let ty = match p.get("Type") {
        Value::Null => Value::from("application"),
        other => other.clone(),
    };
    let logs_enabled = attribute(p, "access_logs.s3.enabled");
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
                attribute(p, "deletion_protection.enabled"),
            ),
            (
                "drop_invalid_header_fields",
                attribute(p, "routing.http.drop_invalid_header_fields.enabled"),
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
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
