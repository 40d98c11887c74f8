//! One collector per API family, the account id, placeholders for unreadable lists, and the
//! references between collected resources.

pub mod cloudfront;
pub mod cloudwatch_alarms;
pub mod dynamodb;
pub mod ec2_security_groups;
pub mod ec2_vpcs;
pub mod elbv2;
pub mod iam_policies;
pub mod logs;

use std::collections::HashMap;

use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use attest_core::{InputError, LoadOutput, Mode, Reference, Resource, Value};

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

/// Every regional collector of one region, run concurrently.
pub async fn region(c: &Ctx<'_>) -> LoadOutput {
    let (sg, vpc, lb, ddb, logs, alarms) = tokio::join!(
        ec2_security_groups::collect(c),
        ec2_vpcs::collect(c),
        elbv2::collect(c),
        dynamodb::collect(c),
        logs::collect(c),
        cloudwatch_alarms::collect(c),
    );
    let mut out = sg;
    for o in [vpc, lb, ddb, logs, alarms] {
        out.extend(o);
    }
    out
}

/// Adds the references between collected resources, within one region: load balancer →
/// security group, flow log → VPC and log group, metric filter → log group, and alarm →
/// CloudFront distribution (CloudFront is global).
pub fn link(out: &mut LoadOutput) {
    let mut index: HashMap<(&str, &str, &str), &str> = HashMap::new();
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        let region = r.provenance.region.as_deref().unwrap_or("global");
        let key = match r.resource_type.as_str() {
            "aws_security_group" | "aws_vpc" | "aws_cloudfront_distribution" => r.physical_id.as_deref(),
            "aws_cloudwatch_log_group" => r.attr("name").as_str(),
            _ => None,
        };
        if let Some(key) = key {
            index.insert((r.resource_type.as_str(), region, key), r.id.as_str());
        }
        if r.resource_type == "aws_cloudwatch_log_group" {
            if let Some(arn) = r.attr("arn").as_str() {
                index.insert(("aws_cloudwatch_log_group#arn", region, arn), r.id.as_str());
            }
        }
    }
    let mut refs = Vec::new();
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        let region = r.provenance.region.as_deref().unwrap_or("global");
        let mut to = |path: String, ty: &str, region: &str, value: &Value| {
            if let Some(target) = value.as_str().and_then(|v| index.get(&(ty, region, v))) {
                refs.push(Reference {
                    from: r.id.clone(),
                    path,
                    to: (*target).to_string(),
                });
            }
        };
        match r.resource_type.as_str() {
            "aws_lb" => {
                for (i, sg) in r
                    .attr("security_groups")
                    .as_list()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    to(format!("security_groups.{i}"), "aws_security_group", region, sg);
                }
            }
            "aws_flow_log" => {
                to("vpc_id".into(), "aws_vpc", region, r.attr("vpc_id"));
                to(
                    "log_group_name".into(),
                    "aws_cloudwatch_log_group",
                    region,
                    r.attr("log_group_name"),
                );
                let dest = r.attr("log_destination");
                let trimmed = dest
                    .as_str()
                    .map(|d| Value::from(d.strip_suffix(":*").unwrap_or(d)));
                to(
                    "log_destination".into(),
                    "aws_cloudwatch_log_group#arn",
                    region,
                    trimmed.as_ref().unwrap_or(dest),
                );
            }
            "aws_cloudwatch_log_metric_filter" => {
                to(
                    "log_group_name".into(),
                    "aws_cloudwatch_log_group",
                    region,
                    r.attr("log_group_name"),
                );
            }
            "aws_cloudwatch_metric_alarm" => {
                to(
                    "dimensions.DistributionId".into(),
                    "aws_cloudfront_distribution",
                    "global",
                    r.attr("dimensions.DistributionId"),
                );
            }
            _ => {}
        }
    }
    out.references.extend(refs);
}
