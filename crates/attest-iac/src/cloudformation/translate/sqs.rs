//! SQS: queues and queue policies.
//!
//! `AWS::SQS::Queue` becomes `aws_sqs_queue` (`RedrivePolicy` / `RedriveAllowPolicy` as JSON
//! strings). `SqsManagedSseEnabled` stays absent when the template does not write it: SQS then
//! applies SSE-SQS to a new queue, the default the encryption rule documents.
//! `AWS::SQS::QueuePolicy` becomes one `aws_sqs_queue_policy` (`queue_url`, `policy` as a JSON
//! string) per entry of `Queues`; the id is the logical id when there is one queue, else
//! `<LogicalId>.Queues.<index>`.

use super::{json_string, obj, sns::per_target, tags, Ctx, Source, Translated};

pub fn queue(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let redrive = p.get("RedrivePolicy");
    let redrive_allow = p.get("RedriveAllowPolicy");
    vec![Translated::new(
        s.id,
        "aws_sqs_queue",
        obj(vec![
            ("name", p.get("QueueName").clone()),
            ("fifo_queue", p.get("FifoQueue").clone()),
            (
                "content_based_deduplication",
                p.get("ContentBasedDeduplication").clone(),
            ),
            ("deduplication_scope", p.get("DeduplicationScope").clone()),
            ("fifo_throughput_limit", p.get("FifoThroughputLimit").clone()),
            ("delay_seconds", p.get("DelaySeconds").clone()),
            ("max_message_size", p.get("MaximumMessageSize").clone()),
            (
                "message_retention_seconds",
                p.get("MessageRetentionPeriod").clone(),
            ),
            (
                "receive_wait_time_seconds",
                p.get("ReceiveMessageWaitTimeSeconds").clone(),
            ),
            ("visibility_timeout_seconds", p.get("VisibilityTimeout").clone()),
            ("kms_master_key_id", p.get("KmsMasterKeyId").clone()),
            (
                "kms_data_key_reuse_period_seconds",
                p.get("KmsDataKeyReusePeriodSeconds").clone(),
            ),
            ("sqs_managed_sse_enabled", p.get("SqsManagedSseEnabled").clone()),
            ("redrive_policy", json_string(redrive)),
            ("redrive_allow_policy", json_string(redrive_allow)),
            ("tags", tags(p.get("Tags"))),
        ]),
    )
    .holding("redrive_policy", redrive)
    .holding("redrive_allow_policy", redrive_allow)]
}

pub fn queue_policy(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let doc = s.props.get("PolicyDocument");
    per_target(s, "Queues", "aws_sqs_queue_policy", "queue_url", doc)
}
