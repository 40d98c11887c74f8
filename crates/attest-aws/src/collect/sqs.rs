//! SQS `ListQueues` and `GetQueueAttributes` (`All`) → `aws_sqs_queue`, with the queue policy on
//! the queue (`policy`, the JSON document; absent when the queue has none) as Terraform's inline
//! form holds it.
//!
//! `id` is the queue URL, as in Terraform; the resource id is the queue ARN.

use std::collections::HashMap;

use aws_sdk_sqs::types::QueueAttributeName;
use futures::StreamExt;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES};
use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// `GetQueueAttributes` calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes only `GetQueueAttributes` tells.
const DESCRIBED: &[&str] = &[
    "kms_master_key_id",
    "kms_data_key_reuse_period_seconds",
    "sqs_managed_sse_enabled",
    "policy",
    "fifo_queue",
    "content_based_deduplication",
    "delay_seconds",
    "max_message_size",
    "message_retention_seconds",
    "receive_wait_time_seconds",
    "visibility_timeout_seconds",
    "redrive_policy",
    "redrive_allow_policy",
];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let sqs = client!(c.session, aws_sdk_sqs, "sqs");
    // Without `MaxResults` ListQueues answers at most 1,000 queues and no next token.
    let (urls, err) = drain(
        sqs.list_queues()
            .max_results(1000)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("sqs", "ListQueues", e.message));
    }
    let sqs = &sqs;
    type Attrs = HashMap<String, String>;
    let described: Vec<(String, Result<Attrs, ApiError>)> = futures::stream::iter(urls)
        .map(|url| async move {
            let r = sqs
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(QueueAttributeName::All)
                .send()
                .await
                .map(|o| {
                    o.attributes()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| (k.as_str().to_string(), v.clone()))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .map_err(|e| ApiError::from_sdk(&e));
            (url, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (url, r) in described {
        if let Err(e) = &r {
            out.errors
                .push(c.error("sqs", "GetQueueAttributes", format!("queue {url}: {}", e.message)));
        }
        out.resources.push(queue(c, &url, r.as_ref()));
    }
    out
}

/// A queue from its `GetQueueAttributes` answer, or with the attributes only that call tells
/// unknown.
pub fn queue(c: &Ctx<'_>, url: &str, attrs: Result<&HashMap<String, String>, &ApiError>) -> Resource {
    let name = url.trim_end_matches('/').rsplit('/').next().unwrap_or(url);
    let mut a = Map::new();
    a.insert("id".into(), json!(url));
    a.insert("url".into(), json!(url));
    a.insert("name".into(), json!(name));
    let arn = match attrs {
        Ok(m) => m.get("QueueArn").cloned(),
        Err(_) => None,
    }
    .or_else(|| c.arn("sqs", name));
    a.insert("arn".into(), json!(arn));
    match attrs {
        Ok(m) => {
            let get = |k: &str| m.get(k).map(String::as_str).filter(|v| !v.is_empty());
            let flag = |k: &str| get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let number = |k: &str| get(k).and_then(|v| v.parse::<i64>().ok());
            let key = get("KmsMasterKeyId");
            a.insert("kms_master_key_id".into(), json!(key.unwrap_or_default()));
            a.insert(
                "kms_data_key_reuse_period_seconds".into(),
                json!(number("KmsDataKeyReusePeriodSeconds")),
            );
            let sse = match get("SqsManagedSseEnabled") {
                Some(v) => json!(v.eq_ignore_ascii_case("true")),
                // With a KMS key SSE-SQS is off; without one, silence says nothing either way.
                None if key.is_some() => json!(false),
                None => unknown("sqs:GetQueueAttributes answered without SqsManagedSseEnabled"),
            };
            a.insert("sqs_managed_sse_enabled".into(), sse);
            a.insert("policy".into(), json!(get("Policy")));
            a.insert("fifo_queue".into(), json!(flag("FifoQueue")));
            a.insert(
                "content_based_deduplication".into(),
                json!(flag("ContentBasedDeduplication")),
            );
            a.insert("delay_seconds".into(), json!(number("DelaySeconds")));
            a.insert("max_message_size".into(), json!(number("MaximumMessageSize")));
            a.insert(
                "message_retention_seconds".into(),
                json!(number("MessageRetentionPeriod")),
            );
            a.insert(
                "receive_wait_time_seconds".into(),
                json!(number("ReceiveMessageWaitTimeSeconds")),
            );
            a.insert(
                "visibility_timeout_seconds".into(),
                json!(number("VisibilityTimeout")),
            );
            a.insert("redrive_policy".into(), json!(get("RedrivePolicy")));
            a.insert("redrive_allow_policy".into(), json!(get("RedriveAllowPolicy")));
        }
        Err(e) => {
            let reason = e.unknown_reason("sqs", "GetQueueAttributes");
            for key in DESCRIBED {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id("aws_sqs_queue", url));
    c.resource(rid, "aws_sqs_queue", Some(url), a)
}

/// Queue → KMS key or alias (`kms_master_key_id`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(out, KMS);
    let mut refs = Vec::new();
    for r in managed(out, &["aws_sqs_queue"]) {
        t.edges(r, "kms_master_key_id", KMS_TYPES, None, &mut refs);
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::Session;
    use attest_core::Value;

    const URL: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";

    fn attrs(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn queue_encryption_and_policy() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let m = attrs(&[
            ("QueueArn", "arn:aws:sqs:us-east-1:123456789012:orders"),
            ("SqsManagedSseEnabled", "false"),
            ("Policy", "{\"Statement\":[]}"),
            ("VisibilityTimeout", "30"),
        ]);
        let r = queue(&c, URL, Ok(&m));
        assert_eq!(r.id, "arn:aws:sqs:us-east-1:123456789012:orders");
        assert_eq!(r.physical_id.as_deref(), Some(URL));
        assert_eq!(r.attr("name").as_str(), Some("orders"));
        assert_eq!(r.attr("sqs_managed_sse_enabled").as_bool(), Some(false));
        assert_eq!(r.attr("kms_master_key_id").as_str(), Some(""));
        assert_eq!(r.attr("policy").as_str(), Some("{\"Statement\":[]}"));
        assert_eq!(r.attr("visibility_timeout_seconds").as_i64(), Some(30));

        let kms = queue(&c, URL, Ok(&attrs(&[("KmsMasterKeyId", "alias/aws/sqs")])));
        assert_eq!(kms.attr("sqs_managed_sse_enabled").as_bool(), Some(false));
        assert!(kms.attr("policy").is_null());
        let silent = queue(&c, URL, Ok(&attrs(&[])));
        assert!(silent.attr("sqs_managed_sse_enabled").is_unknown());
    }

    #[test]
    fn denied_attributes_are_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "AccessDenied".into(),
            message: "no".into(),
        };
        let r = queue(&c, URL, Err(&denied));
        assert_eq!(r.id, "arn:aws:sqs:us-east-1:123456789012:orders");
        for key in ["policy", "kms_master_key_id", "sqs_managed_sse_enabled"] {
            assert_eq!(
                r.attr(key),
                &Value::Unknown("AccessDenied on sqs:GetQueueAttributes".into()),
                "{key}"
            );
        }
    }
}
