//! SNS `ListTopics` and `GetTopicAttributes` → `aws_sns_topic` (`kms_master_key_id`, `policy`…);
//! `ListSubscriptions` → `aws_sns_topic_subscription` (`topic_arn`, `protocol`, `endpoint`).
//!
//! The endpoint of an HTTP(S) subscription is kept as `scheme://host[:port]` only: webhook paths
//! and query strings often carry credentials. Subscriptions still waiting for confirmation have
//! no ARN (`PendingConfirmation`): they get `pending_confirmation = true` and a region-local id.
//!
//! When `ListSubscriptions` fails, a placeholder subscription (every attribute unknown) stands
//! for the unreadable ones, so that "does this topic have a subscriber" says unknown.

use std::collections::HashMap;

use aws_sdk_sns::types::Subscription;
use futures::StreamExt;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES};
use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// `GetTopicAttributes` calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes only `GetTopicAttributes` tells.
const DESCRIBED: &[&str] = &[
    "kms_master_key_id",
    "policy",
    "display_name",
    "fifo_topic",
    "content_based_deduplication",
    "signature_version",
    "tracing_config",
    "owner",
    "delivery_policy",
];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let sns = client!(c.session, aws_sdk_sns, "sns");
    let ((topics, topic_err), (subscriptions, sub_err)) = tokio::join!(
        drain(sns.list_topics().into_paginator().items().send()),
        drain(sns.list_subscriptions().into_paginator().items().send()),
    );
    let mut out = LoadOutput::default();
    if let Some(e) = topic_err {
        out.errors.push(c.error("sns", "ListTopics", e.message));
    }
    if let Some(e) = sub_err {
        out.errors.push(c.error("sns", "ListSubscriptions", &e.message));
        // Alarms notify topics; whether a topic has a subscriber is then not known.
        out.resources.push(placeholder(
            c,
            "aws_sns_topic_subscription",
            &["topic_arn", "protocol", "endpoint"],
            &e.unknown_reason("sns", "ListSubscriptions"),
        ));
    }
    let sns = &sns;
    let arns: Vec<String> = topics
        .iter()
        .filter_map(|t| t.topic_arn().map(str::to_string))
        .collect();
    type Attrs = HashMap<String, String>;
    let described: Vec<(String, Result<Attrs, ApiError>)> = futures::stream::iter(arns)
        .map(|arn| async move {
            let r = sns
                .get_topic_attributes()
                .topic_arn(&arn)
                .send()
                .await
                .map(|o| o.attributes().cloned().unwrap_or_default())
                .map_err(|e| ApiError::from_sdk(&e));
            (arn, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (arn, r) in described {
        if let Err(e) = &r {
            out.errors
                .push(c.error("sns", "GetTopicAttributes", format!("topic {arn}: {}", e.message)));
        }
        out.resources.push(topic(c, &arn, r.as_ref()));
    }
    let mut pending: HashMap<String, usize> = HashMap::new();
    for s in &subscriptions {
        if let Some(r) = subscription(c, s, &mut pending) {
            out.resources.push(r);
        }
    }
    out
}

/// A topic from its `GetTopicAttributes` answer, or with the attributes only that call tells
/// unknown.
pub fn topic(c: &Ctx<'_>, arn: &str, attrs: Result<&HashMap<String, String>, &ApiError>) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(arn.rsplit(':').next().unwrap_or(arn)));
    match attrs {
        Ok(m) => {
            let get = |k: &str| m.get(k).map(String::as_str);
            let flag = |k: &str| get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
            // Terraform shows "" for a topic without a key; the rules read both as "not set".
            a.insert(
                "kms_master_key_id".into(),
                json!(get("KmsMasterKeyId").unwrap_or_default()),
            );
            a.insert("policy".into(), json!(get("Policy").filter(|p| !p.is_empty())));
            a.insert(
                "display_name".into(),
                json!(get("DisplayName").unwrap_or_default()),
            );
            a.insert("fifo_topic".into(), json!(flag("FifoTopic")));
            a.insert(
                "content_based_deduplication".into(),
                json!(flag("ContentBasedDeduplication")),
            );
            a.insert(
                "signature_version".into(),
                json!(get("SignatureVersion").and_then(|v| v.parse::<i64>().ok())),
            );
            a.insert("tracing_config".into(), json!(get("TracingConfig")));
            a.insert("owner".into(), json!(get("Owner")));
            a.insert(
                "delivery_policy".into(),
                json!(get("DeliveryPolicy").filter(|p| !p.is_empty())),
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("sns", "GetTopicAttributes");
            for key in DESCRIBED {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    c.resource(arn.to_string(), "aws_sns_topic", Some(arn), a)
}

/// `scheme://host[:port]` of an HTTP(S) endpoint: the path, query and user information may
/// carry credentials. Other endpoints (queue and function ARNs, addresses) are kept.
pub fn safe_endpoint(protocol: &str, endpoint: &str) -> String {
    if !protocol.eq_ignore_ascii_case("http") && !protocol.eq_ignore_ascii_case("https") {
        return endpoint.to_string();
    }
    let Some((scheme, rest)) = endpoint.split_once("://") else {
        return format!("{protocol}://(redacted)");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// A subscription; `pending` numbers the unconfirmed subscriptions of each topic for their ids.
pub fn subscription(c: &Ctx<'_>, s: &Subscription, pending: &mut HashMap<String, usize>) -> Option<Resource> {
    let topic_arn = s.topic_arn()?;
    let protocol = s.protocol().unwrap_or_default();
    let mut a = Map::new();
    a.insert("topic_arn".into(), json!(topic_arn));
    a.insert("protocol".into(), json!(protocol));
    a.insert(
        "endpoint".into(),
        json!(s.endpoint().map(|e| safe_endpoint(protocol, e))),
    );
    a.insert("owner_id".into(), json!(s.owner()));
    let arn = s.subscription_arn().filter(|a| a.starts_with("arn:"));
    a.insert("pending_confirmation".into(), json!(arn.is_none()));
    match arn {
        Some(arn) => {
            a.insert("id".into(), json!(arn));
            a.insert("arn".into(), json!(arn));
            Some(c.resource(arn.to_string(), "aws_sns_topic_subscription", Some(arn), a))
        }
        None => {
            let n = pending.entry(topic_arn.to_string()).or_insert(0);
            *n += 1;
            let id = c.local_id("aws_sns_topic_subscription", &format!("{topic_arn}:pending-{n}"));
            Some(c.resource(id, "aws_sns_topic_subscription", None, a))
        }
    }
}

/// Subscription → topic (`topic_arn`); topic → KMS key or alias (`kms_master_key_id`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(out, &[KMS, &[("aws_sns_topic", &["arn"])]].concat());
    let mut refs = Vec::new();
    for r in managed(out, &["aws_sns_topic_subscription"]) {
        t.edges(r, "topic_arn", &["aws_sns_topic"], None, &mut refs);
    }
    for r in managed(out, &["aws_sns_topic"]) {
        t.edges(r, "kms_master_key_id", KMS_TYPES, None, &mut refs);
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::Session;
    use attest_core::Value;

    const ARN: &str = "arn:aws:sns:us-east-1:123456789012:alerts";

    #[test]
    fn topic_attributes_and_denied_call() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let m: HashMap<String, String> = [
            ("KmsMasterKeyId", "alias/aws/sns"),
            ("Policy", "{\"Statement\":[]}"),
            ("FifoTopic", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let r = topic(&c, ARN, Ok(&m));
        assert_eq!(r.id, ARN);
        assert_eq!(r.attr("name").as_str(), Some("alerts"));
        assert_eq!(r.attr("kms_master_key_id").as_str(), Some("alias/aws/sns"));
        assert_eq!(r.attr("fifo_topic").as_bool(), Some(false));
        let plain = topic(&c, ARN, Ok(&HashMap::new()));
        assert_eq!(plain.attr("kms_master_key_id").as_str(), Some(""));
        assert!(plain.attr("policy").is_null());
        let denied = ApiError {
            code: "AuthorizationError".into(),
            message: "no".into(),
        };
        let r = topic(&c, ARN, Err(&denied));
        assert_eq!(
            r.attr("kms_master_key_id"),
            &Value::Unknown("AuthorizationError on sns:GetTopicAttributes".into())
        );
        assert!(r.attr("policy").is_unknown());
    }

    #[test]
    fn http_endpoints_keep_only_scheme_and_host() {
        assert_eq!(
            safe_endpoint(
                "https",
                "https://user:pw@hooks.example.com:8443/services/T0/B0/XyZ?token=1"
            ),
            "https://hooks.example.com:8443"
        );
        assert_eq!(
            safe_endpoint("http", "http://h.example.com"),
            "http://h.example.com"
        );
        assert_eq!(safe_endpoint("http", "garbage"), "http://(redacted)");
        assert_eq!(
            safe_endpoint("sqs", "arn:aws:sqs:us-east-1:1:q"),
            "arn:aws:sqs:us-east-1:1:q"
        );
    }

    #[test]
    fn confirmed_and_pending_subscriptions() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let mut pending = HashMap::new();
        let confirmed = Subscription::builder()
            .subscription_arn(format!("{ARN}:1111"))
            .topic_arn(ARN)
            .protocol("http")
            .endpoint("http://hooks.example.com/secret")
            .build();
        let r = subscription(&c, &confirmed, &mut pending).expect("subscription");
        assert_eq!(r.id, format!("{ARN}:1111"));
        assert_eq!(r.attr("protocol").as_str(), Some("http"));
        assert_eq!(r.attr("endpoint").as_str(), Some("http://hooks.example.com"));
        assert_eq!(r.attr("pending_confirmation").as_bool(), Some(false));
        let waiting = Subscription::builder()
            .subscription_arn("PendingConfirmation")
            .topic_arn(ARN)
            .protocol("email")
            .endpoint("ops@example.com")
            .build();
        let a = subscription(&c, &waiting, &mut pending).expect("pending");
        let b = subscription(&c, &waiting, &mut pending).expect("pending");
        assert_ne!(a.id, b.id);
        assert_eq!(a.attr("pending_confirmation").as_bool(), Some(true));
        assert!(a.physical_id.is_none());
    }
}
