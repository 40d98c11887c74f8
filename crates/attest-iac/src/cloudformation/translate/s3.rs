//! S3 buckets and bucket policies.
//!
//! `AWS::S3::Bucket` writes its configuration inline, so it becomes one `aws_s3_bucket` in the
//! provider's **inline shape**, the one the normalize step gives a bucket whose split resources it
//! joined; the rules read the same attributes whatever the input:
//!
//! | CloudFormation | `aws_s3_bucket` |
//! |---|---|
//! | `BucketName` | `bucket` (unknown when absent: CloudFormation generates the name) |
//! | `AccessControl` (`PublicRead`…) | `acl` as the canned ACL name (`public-read`…) |
//! | `BucketEncryption` | `server_side_encryption_configuration = [{rule = [{apply_server_side_encryption_by_default = [{sse_algorithm, kms_master_key_id}], bucket_key_enabled}]}]` |
//! | `PublicAccessBlockConfiguration` | `public_access_block = [{block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets}]` (settings not written stay absent: off) |
//! | `VersioningConfiguration` | `versioning = [{enabled}]`; CloudFormation cannot turn on MFA delete, so `mfa_delete` stays absent (off) |
//! | `LoggingConfiguration` | `logging = [{target_bucket, target_prefix}]`; without `DestinationBucketName` S3 logs to the bucket itself, a reference to it |
//! | `LifecycleConfiguration` | `lifecycle_rule = [{id, enabled, prefix, tags, expiration, transition, noncurrent_version_expiration, noncurrent_version_transition, abort_incomplete_multipart_upload_days}]` |
//! | `ReplicationConfiguration` | `replication_configuration = [{role, rules = [{id, status, priority, prefix, filter, destination}]}]` |
//!
//! `AWS::S3::BucketPolicy` becomes `aws_s3_bucket_policy` with `bucket` (the reference to the
//! bucket when the template declares it) and `policy`, the document as a JSON string; the
//! normalize step joins it into the bucket's `policy`.

use attest_core::Value;

use super::{block, each, json_string, obj, one_or_list, tags, Ctx, Source, Translated};

/// CloudFormation's canned ACL names as S3's.
const CANNED_ACLS: &[(&str, &str)] = &[
    ("Private", "private"),
    ("PublicRead", "public-read"),
    ("PublicReadWrite", "public-read-write"),
    ("AuthenticatedRead", "authenticated-read"),
    ("LogDeliveryWrite", "log-delivery-write"),
    ("BucketOwnerRead", "bucket-owner-read"),
    ("BucketOwnerFullControl", "bucket-owner-full-control"),
    ("AwsExecRead", "aws-exec-read"),
];

fn canned_acl(v: &Value) -> Value {
    match v {
        Value::String(s) => CANNED_ACLS
            .iter()
            .find(|(cfn, _)| cfn.eq_ignore_ascii_case(s))
            .map(|(_, s3)| Value::from(*s3))
            .unwrap_or_else(|| v.clone()),
        other => other.clone(),
    }
}

/// `Status: Enabled` as a boolean; unknown stays unknown, absent stays absent.
fn enabled(status: &Value) -> Value {
    match status {
        Value::String(s) => Value::Bool(s.eq_ignore_ascii_case("Enabled")),
        Value::Null => Value::Null,
        other => other.clone(),
    }
}

fn encryption(conf: &Value) -> Value {
    block(conf, |c| {
        let rule = each(c.get("ServerSideEncryptionConfiguration"), |r| {
            obj(vec![
                (
                    "apply_server_side_encryption_by_default",
                    block(r.get("ServerSideEncryptionByDefault"), |d| {
                        obj(vec![
                            ("sse_algorithm", d.get("SSEAlgorithm").clone()),
                            ("kms_master_key_id", d.get("KMSMasterKeyID").clone()),
                        ])
                    }),
                ),
                ("bucket_key_enabled", r.get("BucketKeyEnabled").clone()),
            ])
        });
        obj(vec![("rule", rule)])
    })
}

fn public_access_block(conf: &Value) -> Value {
    block(conf, |c| {
        obj(vec![
            ("block_public_acls", c.get("BlockPublicAcls").clone()),
            ("block_public_policy", c.get("BlockPublicPolicy").clone()),
            ("ignore_public_acls", c.get("IgnorePublicAcls").clone()),
            ("restrict_public_buckets", c.get("RestrictPublicBuckets").clone()),
        ])
    })
}

fn logging(ctx: &mut Ctx, id: &str, conf: &Value) -> Value {
    let own = match conf {
        Value::Object(_) if conf.get("DestinationBucketName").is_null() => ctx.reference(id, "Ref"),
        _ => Value::Null,
    };
    block(conf, |c| {
        let target = match c.get("DestinationBucketName") {
            Value::Null => own.clone(),
            other => other.clone(),
        };
        obj(vec![
            ("target_bucket", target),
            ("target_prefix", c.get("LogFilePrefix").clone()),
        ])
    })
}

fn lifecycle_rule(r: &Value) -> Value {
    let expiration = if ["ExpirationInDays", "ExpirationDate", "ExpiredObjectDeleteMarker"]
        .iter()
        .any(|k| !r.get(k).is_null())
    {
        Value::List(vec![obj(vec![
            ("days", r.get("ExpirationInDays").clone()),
            ("date", r.get("ExpirationDate").clone()),
            (
                "expired_object_delete_marker",
                r.get("ExpiredObjectDeleteMarker").clone(),
            ),
        ])])
    } else {
        Value::Null
    };
    let transition = |t: &Value| {
        obj(vec![
            ("days", t.get("TransitionInDays").clone()),
            ("date", t.get("TransitionDate").clone()),
            ("storage_class", t.get("StorageClass").clone()),
        ])
    };
    let transitions = match (r.get("Transitions"), r.get("Transition")) {
        (Value::Null, single) => each(single, transition),
        (list, _) => each(list, transition),
    };
    let noncurrent_expiration = match (
        r.get("NoncurrentVersionExpiration"),
        r.get("NoncurrentVersionExpirationInDays"),
    ) {
        (Value::Null, Value::Null) => Value::Null,
        (Value::Null, days) => Value::List(vec![obj(vec![("days", days.clone())])]),
        (e, _) => block(e, |e| obj(vec![("days", e.get("NoncurrentDays").clone())])),
    };
    let noncurrent_transition = |t: &Value| {
        obj(vec![
            ("days", t.get("TransitionInDays").clone()),
            ("storage_class", t.get("StorageClass").clone()),
        ])
    };
    let noncurrent_transitions = match (
        r.get("NoncurrentVersionTransitions"),
        r.get("NoncurrentVersionTransition"),
    ) {
        (Value::Null, single) => each(single, noncurrent_transition),
        (list, _) => each(list, noncurrent_transition),
    };
    obj(vec![
        ("id", r.get("Id").clone()),
        ("enabled", enabled(r.get("Status"))),
        ("prefix", r.get("Prefix").clone()),
        ("tags", tags(r.get("TagFilters"))),
        ("expiration", expiration),
        ("transition", transitions),
        ("noncurrent_version_expiration", noncurrent_expiration),
        ("noncurrent_version_transition", noncurrent_transitions),
        (
            "abort_incomplete_multipart_upload_days",
            r.get("AbortIncompleteMultipartUpload")
                .get("DaysAfterInitiation")
                .clone(),
        ),
    ])
}

fn replication(conf: &Value) -> Value {
    block(conf, |c| {
        let rules = each(c.get("Rules"), |r| {
            let destination = block(r.get("Destination"), |d| {
                obj(vec![
                    ("bucket", d.get("Bucket").clone()),
                    ("storage_class", d.get("StorageClass").clone()),
                    ("account_id", d.get("Account").clone()),
                    (
                        "replica_kms_key_id",
                        d.get("EncryptionConfiguration").get("ReplicaKmsKeyID").clone(),
                    ),
                ])
            });
            let filter = block(r.get("Filter"), |f| {
                obj(vec![
                    ("prefix", f.get("Prefix").clone()),
                    ("tags", tags(&one_or_list(f.get("TagFilter")))),
                ])
            });
            obj(vec![
                ("id", r.get("Id").clone()),
                ("status", r.get("Status").clone()),
                ("priority", r.get("Priority").clone()),
                ("prefix", r.get("Prefix").clone()),
                ("filter", filter),
                ("destination", destination),
            ])
        });
        obj(vec![("role", c.get("Role").clone()), ("rules", rules)])
    })
}

pub fn bucket(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let name = match p.get("BucketName") {
        Value::Null => Value::unknown(format!("the name of {} is generated at deployment", s.id)),
        other => other.clone(),
    };
    let versioning = block(p.get("VersioningConfiguration"), |v| {
        obj(vec![("enabled", enabled(v.get("Status")))])
    });
    let lifecycle = match p.get("LifecycleConfiguration") {
        Value::Null => Value::Null,
        Value::Unknown(_) => p.get("LifecycleConfiguration").clone(),
        conf => each(conf.get("Rules"), lifecycle_rule),
    };
    let logging = logging(ctx, s.id, p.get("LoggingConfiguration"));
    vec![Translated::new(
        s.id,
        "aws_s3_bucket",
        obj(vec![
            ("bucket", name),
            ("acl", canned_acl(p.get("AccessControl"))),
            (
                "server_side_encryption_configuration",
                encryption(p.get("BucketEncryption")),
            ),
            (
                "public_access_block",
                public_access_block(p.get("PublicAccessBlockConfiguration")),
            ),
            ("versioning", versioning),
            ("logging", logging),
            ("lifecycle_rule", lifecycle),
            (
                "replication_configuration",
                replication(p.get("ReplicationConfiguration")),
            ),
            ("object_lock_enabled", p.get("ObjectLockEnabled").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn bucket_policy(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let doc = s.props.get("PolicyDocument");
    vec![Translated::new(
        s.id,
        "aws_s3_bucket_policy",
        obj(vec![
            ("bucket", s.props.get("Bucket").clone()),
            ("policy", json_string(doc)),
        ]),
    )
    .holding("policy", doc)]
}
