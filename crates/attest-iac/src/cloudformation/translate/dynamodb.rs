//! DynamoDB tables.
//!
//! `SSESpecification` becomes `server_side_encryption = [{enabled, kms_key_arn}]`: with
//! `SSEEnabled: true` CloudFormation encrypts with a KMS key (SSEType `KMS`, the only type), the
//! AWS-managed `alias/aws/dynamodb` unless `KMSMasterKeyId` names another; without it (or with
//! `SSEEnabled: false`) the table uses an AWS-owned key, as a Terraform table without the block.

use attest_core::Value;

use super::{block, each, obj, tags, Ctx, Source, Translated};

pub fn table(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let key = |ty: &str| match p.get("KeySchema") {
        Value::List(items) => items
            .iter()
            .find(|k| k.get("KeyType").as_str() == Some(ty))
            .map(|k| k.get("AttributeName").clone())
            .unwrap_or(Value::Null),
        other => other.clone(),
    };
    let billing = match p.get("BillingMode") {
        Value::Null => Value::from("PROVISIONED"),
        other => other.clone(),
    };
    let sse = block(p.get("SSESpecification"), |sse| {
        obj(vec![
            ("enabled", sse.get("SSEEnabled").clone()),
            ("kms_key_arn", sse.get("KMSMasterKeyId").clone()),
        ])
    });
    let pitr = block(p.get("PointInTimeRecoverySpecification"), |r| {
        obj(vec![("enabled", r.get("PointInTimeRecoveryEnabled").clone())])
    });
    let attribute = each(p.get("AttributeDefinitions"), |a| {
        obj(vec![
            ("name", a.get("AttributeName").clone()),
            ("type", a.get("AttributeType").clone()),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_dynamodb_table",
        obj(vec![
            ("name", p.get("TableName").clone()),
            ("billing_mode", billing),
            ("hash_key", key("HASH")),
            ("range_key", key("RANGE")),
            ("attribute", attribute),
            ("server_side_encryption", sse),
            ("point_in_time_recovery", pitr),
            (
                "deletion_protection_enabled",
                p.get("DeletionProtectionEnabled").clone(),
            ),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
