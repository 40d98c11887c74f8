//! S3 bucket configuration resources joined to `aws_s3_bucket`.

use attest_core::Value;

use super::{block, enabled, first_block, Change, Index, Join};

const BUCKET: &str = "aws_s3_bucket";
/// Attributes of a bucket that a concrete `bucket` value of a child may equal.
const BUCKET_NAMES: &[&str] = &["bucket", "id", "arn"];

pub(super) fn plan(index: &Index, child: usize, joins: &mut Vec<Join>) {
    let c = index.get(child);
    let (attr, value, cite, moves): (&'static str, Value, &'static str, &[(&str, &str)]) =
        match c.resource_type.as_str() {
            "aws_s3_bucket_server_side_encryption_configuration" => {
                let rule = c.attr("rule");
                let value = if rule.is_unknown() {
                    rule.clone()
                } else {
                    Value::List(vec![block(&c.id, vec![("rule", rule.clone())])])
                };
                (
                    "server_side_encryption_configuration",
                    value,
                    "0",
                    &[("rule", "0.rule")],
                )
            }
            "aws_s3_bucket_public_access_block" => {
                let flag = |name: &str| match c.attr(name) {
                    Value::Null => Value::Bool(false),
                    other => other.clone(),
                };
                let value = block(
                    &c.id,
                    vec![
                        ("block_public_acls", flag("block_public_acls")),
                        ("block_public_policy", flag("block_public_policy")),
                        ("ignore_public_acls", flag("ignore_public_acls")),
                        ("restrict_public_buckets", flag("restrict_public_buckets")),
                    ],
                );
                ("public_access_block", Value::List(vec![value]), "0", &[])
            }
            "aws_s3_bucket_versioning" => {
                let value = match first_block(c.attr("versioning_configuration")) {
                    Err(unknown) => unknown,
                    Ok(conf) => {
                        let conf = conf.unwrap_or(&Value::Null);
                        let mfa = match conf.get("mfa_delete") {
                            Value::Null => Value::Bool(false),
                            other => enabled(other),
                        };
                        Value::List(vec![block(
                            &c.id,
                            vec![("enabled", enabled(conf.get("status"))), ("mfa_delete", mfa)],
                        )])
                    }
                };
                ("versioning", value, "0", &[])
            }
            "aws_s3_bucket_logging" => {
                let value = block(
                    &c.id,
                    vec![
                        ("target_bucket", c.attr("target_bucket").clone()),
                        ("target_prefix", c.attr("target_prefix").clone()),
                    ],
                );
                (
                    "logging",
                    Value::List(vec![value]),
                    "0",
                    &[("target_bucket", "0.target_bucket")],
                )
            }
            "aws_s3_bucket_acl" => {
                let Some(parent) = index.parent(child, "bucket", BUCKET, BUCKET_NAMES) else {
                    return;
                };
                if !c.attr("acl").is_null() {
                    joins.push(Join {
                        parent,
                        child: c.id.clone(),
                        attr: "acl",
                        change: Change::Set {
                            value: c.attr("acl").clone(),
                            cite: "",
                            edges: index.moved_edges(child, &[("acl", "")]),
                        },
                    });
                }
                let policy = c.attr("access_control_policy");
                if !policy.is_null() {
                    joins.push(Join {
                        parent,
                        child: c.id.clone(),
                        attr: "grant",
                        change: Change::Set {
                            value: grants(&c.id, policy),
                            cite: "",
                            edges: Vec::new(),
                        },
                    });
                }
                return;
            }
            "aws_s3_bucket_policy" => ("policy", c.attr("policy").clone(), "", &[("policy", "")]),
            "aws_s3_bucket_lifecycle_configuration" => {
                let value = match c.attr("rule").blocks() {
                    None => c.attr("rule").clone(),
                    Some(rules) => Value::List(rules.into_iter().map(|r| lifecycle_rule(&c.id, r)).collect()),
                };
                ("lifecycle_rule", value, "", &[])
            }
            _ => return,
        };
    let Some(parent) = index.parent(child, "bucket", BUCKET, BUCKET_NAMES) else {
        return;
    };
    joins.push(Join {
        parent,
        child: c.id.clone(),
        attr,
        change: Change::Set {
            value,
            cite,
            edges: index.moved_edges(child, moves),
        },
    });
}

/// `access_control_policy = [{grant = [{grantee = [{type, id, uri}], permission}]}]` as the inline
/// `grant = [{type, id, uri, permissions = [permission]}]`, one entry per grant.
fn grants(child: &str, policy: &Value) -> Value {
    let policy = match first_block(policy) {
        Err(unknown) => return unknown,
        Ok(None) => return Value::List(Vec::new()),
        Ok(Some(p)) => p,
    };
    let Some(grants) = policy.get("grant").blocks() else {
        return policy.get("grant").clone();
    };
    let entries = grants
        .into_iter()
        .map(|g| {
            let grantee = match first_block(g.get("grantee")) {
                Err(unknown) => unknown,
                Ok(grantee) => grantee.cloned().unwrap_or(Value::Null),
            };
            block(
                child,
                vec![
                    ("type", grantee.get("type").clone()),
                    ("id", grantee.get("id").clone()),
                    ("uri", grantee.get("uri").clone()),
                    ("email_address", grantee.get("email_address").clone()),
                    ("permissions", super::one(g.get("permission"))),
                ],
            )
        })
        .collect();
    Value::List(entries)
}

/// One `rule` of a lifecycle configuration as an inline `lifecycle_rule`.
fn lifecycle_rule(child: &str, rule: &Value) -> Value {
    if rule.is_unknown() {
        return rule.clone();
    }
    let filter = match first_block(rule.get("filter")) {
        Err(unknown) => unknown,
        Ok(filter) => filter.cloned().unwrap_or(Value::Null),
    };
    let and = match first_block(filter.get("and")) {
        Err(unknown) => unknown,
        Ok(and) => and.cloned().unwrap_or(Value::Null),
    };
    let prefix = [rule.get("prefix"), filter.get("prefix"), and.get("prefix")]
        .into_iter()
        .find(|p| !p.is_null())
        .cloned()
        .unwrap_or(Value::Null);
    let tags = match first_block(filter.get("tag")) {
        Err(unknown) => unknown,
        Ok(Some(tag)) => match (tag.get("key"), tag.get("value")) {
            (Value::String(k), v) => Value::Object([(k.clone(), v.clone())].into_iter().collect()),
            (other, _) => other.clone(),
        },
        Ok(None) => and.get("tags").clone(),
    };
    let renamed = |blocks: &Value, fields: &[(&str, &str)]| -> Value {
        match blocks.blocks() {
            None => blocks.clone(),
            Some(items) if items.is_empty() => Value::Null,
            Some(items) => Value::List(
                items
                    .into_iter()
                    .map(|b| {
                        Value::Object(
                            fields
                                .iter()
                                .filter(|(from, _)| !b.get(from).is_null())
                                .map(|(from, to)| (to.to_string(), b.get(from).clone()))
                                .collect(),
                        )
                    })
                    .collect(),
            ),
        }
    };
    let abort = match first_block(rule.get("abort_incomplete_multipart_upload")) {
        Err(unknown) => unknown,
        Ok(abort) => abort
            .map(|a| a.get("days_after_initiation").clone())
            .unwrap_or(Value::Null),
    };
    block(
        child,
        vec![
            ("id", rule.get("id").clone()),
            ("enabled", enabled(rule.get("status"))),
            ("prefix", prefix),
            ("tags", tags),
            (
                "expiration",
                renamed(
                    rule.get("expiration"),
                    &[
                        ("date", "date"),
                        ("days", "days"),
                        ("expired_object_delete_marker", "expired_object_delete_marker"),
                    ],
                ),
            ),
            (
                "transition",
                renamed(
                    rule.get("transition"),
                    &[
                        ("date", "date"),
                        ("days", "days"),
                        ("storage_class", "storage_class"),
                    ],
                ),
            ),
            (
                "noncurrent_version_expiration",
                renamed(
                    rule.get("noncurrent_version_expiration"),
                    &[("noncurrent_days", "days")],
                ),
            ),
            (
                "noncurrent_version_transition",
                renamed(
                    rule.get("noncurrent_version_transition"),
                    &[("noncurrent_days", "days"), ("storage_class", "storage_class")],
                ),
            ),
            ("abort_incomplete_multipart_upload_days", abort),
        ],
    )
}
