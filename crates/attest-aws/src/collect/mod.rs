//! One collector per API family, the account id, placeholders for unreadable lists, and the
//! references between collected resources.

pub mod accessanalyzer;
pub mod apigateway;
pub mod autoscaling;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch_alarms;
pub mod config;
pub mod dynamodb;
pub mod ec2_compute;
pub mod ec2_network;
pub mod ec2_regions;
pub mod ec2_security_groups;
pub mod ec2_vpcs;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod eks;
pub mod elasticache;
pub mod elb_classic;
pub mod elbv2;
pub mod guardduty;
pub mod iam_account;
pub mod iam_credential_report;
pub mod iam_policies;
pub mod iam_principals;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod opensearch;
pub mod organizations;
pub mod rds;
pub mod redshift;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod targets;
pub mod wafv2;

use std::future::Future;
use std::pin::Pin;

use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use attest_core::{InputError, LoadOutput, Mode, Reference, Resource};

use crate::api::ApiError;
use crate::ctx::{client, Ctx, Session};

/// Reads every item of a paginated call. Items read before an error are kept; the error is
/// returned beside them.
pub async fn drain<T, E>(mut stream: PaginationStream<Result<T, E>>) -> (Vec<T>, Option<ApiError>)
where
    E: ProvideErrorMetadata + std::error::Error,
{
    let mut items = Vec::new();
    while let Some(next) = stream.next().await {
        match next {
            Ok(item) => items.push(item),
            Err(e) => return (items, Some(ApiError::from_sdk(&e))),
        }
    }
    (items, None)
}

/// An unknown attribute value in JSON form.
pub fn unknown(reason: &str) -> serde_json::Value {
    serde_json::json!({ attest_core::value::UNKNOWN_MARKER: reason })
}

/// Marks attributes that rules read but this collector does not fetch yet as unknown, so that
/// a rule reading one says `unknown` rather than judging an absent block as "not configured".
pub fn not_collected(a: &mut serde_json::Map<String, serde_json::Value>, keys: &[&str]) {
    for key in keys {
        a.insert(
            (*key).to_string(),
            unknown("not collected by attest's live AWS scan yet"),
        );
    }
}

/// Tags as a map, as Terraform shows them.
pub fn tags<'a>(pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .filter_map(|(k, v)| Some((k?.to_string(), serde_json::Value::from(v.unwrap_or_default()))))
        .collect();
    serde_json::Value::Object(map)
}

/// The id of the placeholder that stands for the unreadable resources of a type in a region.
pub fn placeholder_id(resource_type: &str, region: &str) -> String {
    format!("{resource_type}:{region}:unreadable")
}

/// A placeholder for resources a list call could not read: mode `data` (never judged itself),
/// every attribute the rules look at unknown, so that rules looking for such a resource say
/// `unknown` rather than pass or fail.
pub fn placeholder(c: &Ctx<'_>, resource_type: &str, attrs: &[&str], reason: &str) -> Resource {
    let map = attrs.iter().map(|a| (a.to_string(), unknown(reason))).collect();
    let mut r = c.resource(placeholder_id(resource_type, &c.label), resource_type, None, map);
    r.mode = Mode::Data;
    r
}

/// The account id from STS, or the error that kept it unknown.
pub async fn account_id(s: &Session) -> (Option<String>, Option<InputError>) {
    let sts = client!(s, aws_sdk_sts, "sts");
    match sts.get_caller_identity().send().await {
        Ok(out) => (out.account().map(str::to_string), None),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            let c = Ctx::new(s, None);
            (
                None,
                Some(c.error(
                    "sts",
                    "GetCallerIdentity",
                    format!(
                        "{} (resources without an ARN in the API answer get region-local ids)",
                        e.message
                    ),
                )),
            )
        }
    }
}

/// The scope of one account's collection: a data resource `aws_caller_identity` (`account_id`)
/// and one `aws_region` (`name`) per region read. Account-level rules judge these scopes: "an
/// analyzer in every region read", not "in the regions that happen to have resources".
pub fn scope_resources(s: &Session, account: Option<&str>, regions: &[String]) -> Vec<Resource> {
    let mut out = Vec::new();
    let c = Ctx::global(s, account.map(str::to_string));
    let mut a = serde_json::Map::new();
    a.insert(
        "account_id".into(),
        match account {
            Some(id) => serde_json::json!(id),
            None => unknown("the account id is unknown: sts:GetCallerIdentity failed"),
        },
    );
    let id = format!("aws_caller_identity:{}", account.unwrap_or("unknown-account"));
    let mut r = c.resource(id, "aws_caller_identity", account, a);
    r.mode = Mode::Data;
    out.push(r);
    for region in regions {
        let rs = s.in_region(region);
        let c = Ctx::new(&rs, account.map(str::to_string));
        let mut a = serde_json::Map::new();
        a.insert("name".into(), serde_json::json!(region));
        let mut r = c.resource(format!("aws_region:{}", c.label), "aws_region", Some(region), a);
        r.mode = Mode::Data;
        out.push(r);
    }
    out
}

/// One collector's work in one region: the service it calls (the key of `--services` and of
/// per-service endpoints) and the future that collects.
pub type Job<'a> = (
    &'static str,
    Pin<Box<dyn Future<Output = LoadOutput> + Send + 'a>>,
);

macro_rules! job {
    ($service:literal, $f:expr) => {
        (
            $service,
            Box::pin($f) as Pin<Box<dyn Future<Output = LoadOutput> + Send + '_>>,
        )
    };
}

/// The collectors of global services (IAM, S3's bucket listing, CloudFront, WAF for CloudFront),
/// run once per account.
pub fn global_jobs<'a>(c: &'a Ctx<'a>) -> Vec<Job<'a>> {
    vec![
        job!("iam", iam_policies::collect(c)),
        job!("iam", iam_principals::collect(c)),
        job!("iam", iam_account::collect(c)),
        job!("iam", iam_credential_report::collect(c)),
        job!("s3", s3::collect(c)),
        job!("cloudfront", cloudfront::collect(c)),
        job!("wafv2", wafv2::collect_global(c)),
    ]
}

/// The collectors of one region.
pub fn regional_jobs<'a>(c: &'a Ctx<'a>) -> Vec<Job<'a>> {
    vec![
        job!("ec2", ec2_security_groups::collect(c)),
        job!("ec2", ec2_vpcs::collect(c)),
        job!("ec2", ec2_network::collect(c)),
        job!("ec2", ec2_compute::collect(c)),
        job!("elasticloadbalancing", elbv2::collect(c)),
        job!("autoscaling", autoscaling::collect(c)),
        job!("dynamodb", dynamodb::collect(c)),
        job!("logs", logs::collect(c)),
        job!("cloudwatch", cloudwatch_alarms::collect(c)),
        job!("cloudtrail", cloudtrail::collect(c)),
        job!("kms", kms::collect(c)),
        job!("config", config::collect(c)),
        job!("guardduty", guardduty::collect(c)),
        job!("accessanalyzer", accessanalyzer::collect(c)),
        job!("securityhub", securityhub::collect(c)),
        job!("sns", sns::collect(c)),
        job!("sqs", sqs::collect(c)),
        job!("lambda", lambda::collect(c)),
        job!("rds", rds::collect(c)),
        job!("elasticache", elasticache::collect(c)),
        job!("redshift", redshift::collect(c)),
        job!("apigateway", apigateway::collect(c)),
        job!("wafv2", wafv2::collect(c)),
        job!("ecr", ecr::collect(c)),
        job!("eks", eks::collect(c)),
        job!("ecs", ecs::collect(c)),
        job!("efs", efs::collect(c)),
        job!("opensearch", opensearch::collect(c)),
        job!("secretsmanager", secretsmanager::collect(c)),
    ]
}

/// The types account-level rules look for in every region read (`false`) or once per account
/// (`true`: global services), by the service that reads them. When `--services` leaves a service
/// out, a placeholder of each of its types (id `<type>:<region>:not-read`) stands in, so that those rules say `unknown` rather than
/// fail for want of a resource that was never looked for.
pub const SCOPE_TYPES: &[(&str, bool, &[&str])] = &[
    ("accessanalyzer", false, &["aws_accessanalyzer_analyzer"]),
    (
        "config",
        false,
        &[
            "aws_config_configuration_recorder",
            "aws_config_configuration_recorder_status",
        ],
    ),
    ("securityhub", false, &["aws_securityhub_account"]),
    ("ec2", false, &["aws_ebs_encryption_by_default"]),
    ("cloudtrail", false, &["aws_cloudtrail"]),
    (
        "iam",
        true,
        &[
            "aws_iam_account_password_policy",
            "aws_iam_account_summary",
            "aws_iam_user",
            "aws_iam_group",
            "aws_iam_role",
        ],
    ),
    ("s3", true, &["aws_s3_account_public_access_block"]),
];

/// Placeholders for the scope types of the services a scan leaves out.
pub fn skipped_scope_placeholders(
    s: &Session,
    account: Option<&str>,
    regions: &[String],
    wants: impl Fn(&str) -> bool,
) -> Vec<Resource> {
    let mut out = Vec::new();
    for (service, global, types) in SCOPE_TYPES {
        if wants(service) {
            continue;
        }
        let reason = format!("not read: the scan's --services leaves out {service}");
        let stand_in = |c: &Ctx<'_>, t: &str| {
            let mut r = placeholder(c, t, &["id"], &reason);
            r.id = format!("{t}:{}:not-read", c.label);
            r
        };
        if *global {
            let c = Ctx::global(s, account.map(str::to_string));
            out.extend(types.iter().map(|t| stand_in(&c, t)));
        } else {
            for region in regions {
                let rs = s.in_region(region);
                let c = Ctx::new(&rs, account.map(str::to_string));
                out.extend(types.iter().map(|t| stand_in(&c, t)));
            }
        }
    }
    out
}

/// Every service key a job uses, for validating `--services`.
pub const SERVICES: &[&str] = &[
    "accessanalyzer",
    "apigateway",
    "autoscaling",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "config",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "efs",
    "eks",
    "elasticache",
    "elasticloadbalancing",
    "guardduty",
    "iam",
    "kms",
    "lambda",
    "logs",
    "opensearch",
    "rds",
    "redshift",
    "s3",
    "secretsmanager",
    "securityhub",
    "sns",
    "sqs",
    "wafv2",
];

/// Adds the references between collected resources, within one region: load balancer →
/// security group, flow log → VPC and log group, metric filter → log group, and alarm →
/// CloudFront distribution (CloudFront is global).
pub fn link(out: &mut LoadOutput) {
    let groups = &["aws_security_group", "aws_default_security_group"];
    let log_groups = &["aws_cloudwatch_log_group"];
    let t = targets::Targets::build(
        out,
        &[
            ("aws_security_group", &[]),
            ("aws_default_security_group", &[]),
            ("aws_vpc", &[]),
            ("aws_cloudfront_distribution", &[]),
            ("aws_cloudwatch_log_group", &["name", "arn"]),
        ],
    );
    let mut refs = Vec::new();
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        match r.resource_type.as_str() {
            // Load balancers name default and other groups alike.
            "aws_lb" => t.edges(r, "security_groups", groups, None, &mut refs),
            "aws_flow_log" => {
                t.edges(r, "vpc_id", &["aws_vpc"], None, &mut refs);
                t.edges(r, "log_group_name", log_groups, None, &mut refs);
                // The destination is the group's ARN, with or without `:*`.
                let dest = r.attr("log_destination").as_str();
                let trimmed = dest.map(|d| d.strip_suffix(":*").unwrap_or(d));
                if let Some(to) = t.find(log_groups, r, None, trimmed) {
                    refs.push(targets::reference(r, "log_destination", to));
                }
            }
            "aws_cloudwatch_log_metric_filter" => t.edges(r, "log_group_name", log_groups, None, &mut refs),
            // CloudFront is global.
            "aws_cloudwatch_metric_alarm" => t.edges(
                r,
                "dimensions.DistributionId",
                &["aws_cloudfront_distribution"],
                Some("global"),
                &mut refs,
            ),
            _ => {}
        }
    }
    out.references.extend(refs);
    let more: Vec<Reference> = [
        ec2_network::link,
        ec2_compute::link,
        elb_classic::link,
        autoscaling::link,
        cloudtrail::link,
        kms::link,
        config::link,
        guardduty::link,
        accessanalyzer::link,
        securityhub::link,
        sns::link,
        sqs::link,
        lambda::link,
        rds::link,
        elasticache::link,
        redshift::link,
        apigateway::link,
        wafv2::link,
        ecr::link,
        eks::link,
        ecs::link,
        efs::link,
        opensearch::link,
        secretsmanager::link,
        s3::link,
        iam_principals::link,
        iam_account::link,
    ]
    .iter()
    .flat_map(|f| f(out))
    .collect();
    out.references.extend(more);
}
