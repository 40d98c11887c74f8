//! SNS: topics, subscriptions and topic policies.
//!
//! | CloudFormation | canonical |
//! |---|---|
//! | `AWS::SNS::Topic` | `aws_sns_topic`; each entry of the inline `Subscription` list becomes an `aws_sns_topic_subscription`, id `<LogicalId>.Subscription.<index>`, whose `topic_arn` refers to the topic |
//! | `AWS::SNS::Subscription` | `aws_sns_topic_subscription`; `FilterPolicy`, `DeliveryPolicy` and `RedrivePolicy` as JSON strings |
//! | `AWS::SNS::TopicPolicy` | one `aws_sns_topic_policy` (`arn`, `policy` as a JSON string) per entry of `Topics`; the id is the logical id when there is one topic, else `<LogicalId>.Topics.<index>` |

use attest_core::Value;

use super::{json_string, obj, tags, Ctx, Source, Translated};

pub fn topic(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let mut out = vec![Translated::new(
        s.id,
        "aws_sns_topic",
        obj(vec![
            ("name", p.get("TopicName").clone()),
            ("display_name", p.get("DisplayName").clone()),
            ("kms_master_key_id", p.get("KmsMasterKeyId").clone()),
            ("fifo_topic", p.get("FifoTopic").clone()),
            (
                "content_based_deduplication",
                p.get("ContentBasedDeduplication").clone(),
            ),
            ("signature_version", p.get("SignatureVersion").clone()),
            ("tracing_config", p.get("TracingConfig").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )];
    let subscriptions: Vec<&Value> = match p.get("Subscription") {
        Value::List(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    for (i, sub) in subscriptions.into_iter().enumerate() {
        let topic_arn = ctx.reference(s.id, "Ref");
        let (protocol, endpoint) = match sub {
            Value::Unknown(_) => (sub.clone(), sub.clone()),
            _ => (sub.get("Protocol").clone(), sub.get("Endpoint").clone()),
        };
        out.push(Translated::new(
            format!("{}.Subscription.{i}", s.id),
            "aws_sns_topic_subscription",
            obj(vec![
                ("topic_arn", topic_arn),
                ("protocol", protocol),
                ("endpoint", endpoint),
            ]),
        ));
    }
    out
}

pub fn subscription(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let filter = p.get("FilterPolicy");
    let delivery = p.get("DeliveryPolicy");
    let redrive = p.get("RedrivePolicy");
    vec![Translated::new(
        s.id,
        "aws_sns_topic_subscription",
        obj(vec![
            ("topic_arn", p.get("TopicArn").clone()),
            ("protocol", p.get("Protocol").clone()),
            ("endpoint", p.get("Endpoint").clone()),
            ("raw_message_delivery", p.get("RawMessageDelivery").clone()),
            ("filter_policy", json_string(filter)),
            ("filter_policy_scope", p.get("FilterPolicyScope").clone()),
            ("delivery_policy", json_string(delivery)),
            ("redrive_policy", json_string(redrive)),
            ("subscription_role_arn", p.get("SubscriptionRoleArn").clone()),
        ]),
    )
    .holding("filter_policy", filter)
    .holding("delivery_policy", delivery)
    .holding("redrive_policy", redrive)]
}

pub fn topic_policy(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let doc = s.props.get("PolicyDocument");
    per_target(s, "Topics", "aws_sns_topic_policy", "arn", doc)
}

/// One policy resource per entry of the list `list` (`Topics`, `Queues`), each linked through
/// `link`; a list that is not known gives one resource whose link is unknown.
pub(super) fn per_target(s: &Source, list: &str, ty: &str, link: &str, doc: &Value) -> Vec<Translated> {
    let policy = json_string(doc);
    let targets: Vec<Value> = match s.props.get(list) {
        Value::List(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    };
    if targets.len() <= 1 {
        let target = targets.into_iter().next().unwrap_or(Value::Null);
        return vec![
            Translated::new(s.id, ty, obj(vec![(link, target), ("policy", policy)])).holding("policy", doc),
        ];
    }
    targets
        .into_iter()
        .enumerate()
        .map(|(i, target)| {
            Translated::new(
                format!("{}.{list}.{i}", s.id),
                ty,
                obj(vec![(link, target), ("policy", policy.clone())]),
            )
            .holding("policy", doc)
        })
        .collect()
}
