//! s3 calls of remediation plans: a bucket's encryption, public access block, versioning,
//! logging, policy, ACL grants and tags, `DeleteBucket`, and the account's public access block
//! (`PutAccountPublicAccessBlock`: S3 Control's `PutPublicAccessBlock`, which takes the account
//! id).

use aws_sdk_s3::types::{
    BucketLoggingStatus, BucketVersioningStatus, LoggingEnabled, PublicAccessBlockConfiguration,
    ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
    ServerSideEncryptionRule, Tag, Tagging, VersioningConfiguration,
};
use serde_json::Value;

use super::{params, sdk_error};
use crate::ctx::Session;

pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    if op == "PutAccountPublicAccessBlock" {
        return account_block(s, p).await;
    }
    let s3 = client(s);
    let bucket = || params::str(p, "Bucket");
    match op {
        "PutPublicAccessBlock" => {
            let conf = block(object(p, "PublicAccessBlockConfiguration")?)?;
            s3.put_public_access_block()
                .bucket(bucket()?)
                .public_access_block_configuration(conf)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("public access block set".into())
        }
        "DeletePublicAccessBlock" => {
            s3.delete_public_access_block()
                .bucket(bucket()?)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("public access block deleted".into())
        }
        "PutBucketEncryption" => {
            let conf = encryption(object(p, "ServerSideEncryptionConfiguration")?)?;
            s3.put_bucket_encryption()
                .bucket(bucket()?)
                .server_side_encryption_configuration(conf)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("default encryption set".into())
        }
        "DeleteBucketEncryption" => {
            s3.delete_bucket_encryption()
                .bucket(bucket()?)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("default encryption deleted".into())
        }
        "PutBucketVersioning" => {
            let conf = versioning(object(p, "VersioningConfiguration")?)?;
            s3.put_bucket_versioning()
                .bucket(bucket()?)
                .versioning_configuration(conf)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("versioning set".into())
        }
        "PutBucketLogging" => {
            let status = logging(object(p, "BucketLoggingStatus")?)?;
            let note = if status.logging_enabled().is_some() {
                "access logging set"
            } else {
                "access logging turned off"
            };
            s3.put_bucket_logging()
                .bucket(bucket()?)
                .bucket_logging_status(status)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(note.into())
        }
        "PutBucketPolicy" => {
            s3.put_bucket_policy()
                .bucket(bucket()?)
                .policy(params::str(p, "Policy")?)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("bucket policy set".into())
        }
        "DeleteBucketPolicy" => {
            s3.delete_bucket_policy()
                .bucket(bucket()?)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("bucket policy deleted".into())
        }
        "PutBucketAcl" => {
            let grant = |key: &str| params::opt_str(p, key).map(str::to_string);
            let grants = [
                "GrantFullControl",
                "GrantRead",
                "GrantReadACP",
                "GrantWrite",
                "GrantWriteACP",
            ];
            if grants.iter().all(|g| grant(g).is_none()) {
                return Err(format!("the plan names no grant ({})", grants.join(", ")));
            }
            s3.put_bucket_acl()
                .bucket(bucket()?)
                .set_grant_full_control(grant("GrantFullControl"))
                .set_grant_read(grant("GrantRead"))
                .set_grant_read_acp(grant("GrantReadACP"))
                .set_grant_write(grant("GrantWrite"))
                .set_grant_write_acp(grant("GrantWriteACP"))
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("ACL grants set".into())
        }
        "PutBucketTagging" => {
            let tagging = tags(object(p, "Tagging")?)?;
            let n = tagging.tag_set().len();
            s3.put_bucket_tagging()
                .bucket(bucket()?)
                .tagging(tagging)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("{n} tag(s) set"))
        }
        "DeleteBucketTagging" => {
            s3.delete_bucket_tagging()
                .bucket(bucket()?)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("tags deleted".into())
        }
        "DeleteBucket" => {
            s3.delete_bucket()
                .bucket(bucket()?)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok("bucket deleted".into())
        }
        _ => Err(params::unsupported("s3", op)),
    }
}

/// An S3 client of the session (path-style addressing for emulators).
fn client(s: &Session) -> aws_sdk_s3::Client {
    let mut b = aws_sdk_s3::config::Builder::from(&s.config).interceptor(s.observer.interceptor());
    if let Some(url) = s.endpoint_for("s3") {
        b = b.endpoint_url(url);
    }
    aws_sdk_s3::Client::from_conf(b.force_path_style(s.path_style("s3")).build())
}

/// S3 Control `PutPublicAccessBlock` for the account (the collector's endpoint rules).
async fn account_block(s: &Session, p: &Value) -> Result<String, String> {
    let account = params::str(p, "AccountId")?;
    let c = block(object(p, "PublicAccessBlockConfiguration")?)?;
    let conf = aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
        .set_block_public_acls(c.block_public_acls())
        .set_ignore_public_acls(c.ignore_public_acls())
        .set_block_public_policy(c.block_public_policy())
        .set_restrict_public_buckets(c.restrict_public_buckets())
        .build();
    let mut b = aws_sdk_s3control::config::Builder::from(&s.config)
        .interceptor(s.observer.interceptor())
        .endpoint_resolver(crate::collect::s3::ControlEndpoint::default());
    if let Some(url) = s.endpoint_for("s3control") {
        b = b.endpoint_url(url);
    }
    aws_sdk_s3control::Client::from_conf(b.build())
        .put_public_access_block()
        .account_id(account)
        .public_access_block_configuration(conf)
        .send()
        .await
        .map_err(|e| sdk_error(&e))?;
    Ok(format!("account {account} public access block set"))
}

/// A required object parameter.
fn object<'a>(p: &'a Value, key: &str) -> Result<&'a Value, String> {
    p.get(key)
        .filter(|v| v.is_object())
        .ok_or_else(|| format!("the plan's `{key}` parameter is missing or not an object"))
}

/// `PublicAccessBlockConfiguration`: all four settings are required.
fn block(p: &Value) -> Result<PublicAccessBlockConfiguration, String> {
    Ok(PublicAccessBlockConfiguration::builder()
        .block_public_acls(params::bool(p, "BlockPublicAcls")?)
        .ignore_public_acls(params::bool(p, "IgnorePublicAcls")?)
        .block_public_policy(params::bool(p, "BlockPublicPolicy")?)
        .restrict_public_buckets(params::bool(p, "RestrictPublicBuckets")?)
        .build())
}

/// `ServerSideEncryptionConfiguration`: `Rules` of `ApplyServerSideEncryptionByDefault`
/// (`SSEAlgorithm`, optional `KMSMasterKeyID`) and an optional `BucketKeyEnabled`.
fn encryption(p: &Value) -> Result<ServerSideEncryptionConfiguration, String> {
    let rules = params::list(p, "Rules");
    if rules.is_empty() {
        return Err("the plan's `Rules` parameter is missing or empty".into());
    }
    let mut b = ServerSideEncryptionConfiguration::builder();
    for r in rules {
        let d = object(r, "ApplyServerSideEncryptionByDefault")?;
        let default = ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::from(params::str(d, "SSEAlgorithm")?))
            .set_kms_master_key_id(params::opt_str(d, "KMSMasterKeyID").map(str::to_string))
            .build()
            .map_err(|e| e.to_string())?;
        b = b.rules(
            ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(default)
                .set_bucket_key_enabled(r.get("BucketKeyEnabled").and_then(Value::as_bool))
                .build(),
        );
    }
    b.build().map_err(|e| e.to_string())
}

/// `VersioningConfiguration`: `Status` `Enabled` or `Suspended`.
fn versioning(p: &Value) -> Result<VersioningConfiguration, String> {
    let status = match params::str(p, "Status")? {
        "Enabled" => BucketVersioningStatus::Enabled,
        "Suspended" => BucketVersioningStatus::Suspended,
        other => {
            return Err(format!(
                "the plan's `Status` is `{other}`, not Enabled or Suspended"
            ))
        }
    };
    Ok(VersioningConfiguration::builder().status(status).build())
}

/// `BucketLoggingStatus`: `LoggingEnabled` (`TargetBucket`, `TargetPrefix`), or empty to turn
/// logging off.
fn logging(p: &Value) -> Result<BucketLoggingStatus, String> {
    let enabled = match p.get("LoggingEnabled") {
        None | Some(Value::Null) => None,
        Some(l) => Some(
            LoggingEnabled::builder()
                .target_bucket(params::str(l, "TargetBucket")?)
                .target_prefix(params::opt_str(l, "TargetPrefix").unwrap_or_default())
                .build()
                .map_err(|e| e.to_string())?,
        ),
    };
    Ok(BucketLoggingStatus::builder()
        .set_logging_enabled(enabled)
        .build())
}

/// `Tagging`: `TagSet` of `Key`, `Value`.
fn tags(p: &Value) -> Result<Tagging, String> {
    let set = params::list(p, "TagSet")
        .iter()
        .map(|t| {
            Tag::builder()
                .key(params::str(t, "Key")?)
                .value(params::str(t, "Value")?)
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Tagging::builder()
        .set_tag_set(Some(set))
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn encryption_rules_are_read() {
        let conf = encryption(&json!({"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k"},
            "BucketKeyEnabled": true
        }]}))
        .expect("conf");
        let rule = &conf.rules()[0];
        let d = rule.apply_server_side_encryption_by_default().expect("default");
        assert_eq!(d.sse_algorithm(), &ServerSideEncryption::AwsKms);
        assert_eq!(d.kms_master_key_id(), Some("k"));
        assert_eq!(rule.bucket_key_enabled(), Some(true));

        let e = encryption(&json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {}}]})).unwrap_err();
        assert!(e.contains("SSEAlgorithm"), "{e}");
        assert!(encryption(&json!({})).unwrap_err().contains("Rules"));
    }

    #[test]
    fn block_needs_all_four_settings() {
        let b = block(&json!({"BlockPublicAcls": true, "IgnorePublicAcls": false,
            "BlockPublicPolicy": true, "RestrictPublicBuckets": false}))
        .expect("block");
        assert_eq!(
            (
                b.block_public_acls(),
                b.ignore_public_acls(),
                b.block_public_policy(),
                b.restrict_public_buckets()
            ),
            (Some(true), Some(false), Some(true), Some(false))
        );
        let e = block(&json!({"BlockPublicAcls": true})).unwrap_err();
        assert!(e.contains("IgnorePublicAcls"), "{e}");
    }

    #[test]
    fn versioning_logging_and_tags_are_read() {
        assert_eq!(
            versioning(&json!({"Status": "Suspended"})).expect("v").status(),
            Some(&BucketVersioningStatus::Suspended)
        );
        assert!(versioning(&json!({"Status": "Off"})).is_err());

        let on = logging(&json!({"LoggingEnabled": {"TargetBucket": "logs", "TargetPrefix": "p/"}}))
            .expect("logging");
        let l = on.logging_enabled().expect("enabled");
        assert_eq!((l.target_bucket(), l.target_prefix()), ("logs", "p/"));
        assert!(logging(&json!({})).expect("off").logging_enabled().is_none());
        assert!(logging(&json!({"LoggingEnabled": {}}))
            .unwrap_err()
            .contains("TargetBucket"));

        let t = tags(&json!({"TagSet": [{"Key": "env", "Value": "prod"}]})).expect("tags");
        assert_eq!((t.tag_set()[0].key(), t.tag_set()[0].value()), ("env", "prod"));
        assert!(tags(&json!({"TagSet": [{"Key": "env"}]}))
            .unwrap_err()
            .contains("Value"));
    }

    #[tokio::test]
    async fn unknown_operations_and_missing_parameters_fail_before_a_call() {
        let s = Session::for_tests("us-east-1");
        let e = run(&s, "PutBucketWebsite", &json!({"Bucket": "b"}))
            .await
            .unwrap_err();
        assert!(e.contains("s3.PutBucketWebsite"), "{e}");
        let e = run(&s, "PutBucketPolicy", &json!({"Bucket": "b"}))
            .await
            .unwrap_err();
        assert!(e.contains("Policy"), "{e}");
        let e = run(&s, "PutBucketAcl", &json!({"Bucket": "b"}))
            .await
            .unwrap_err();
        assert!(e.contains("no grant"), "{e}");
        let e = run(
            &s,
            "PutAccountPublicAccessBlock",
            &json!({"PublicAccessBlockConfiguration": {}}),
        )
        .await
        .unwrap_err();
        assert!(e.contains("AccountId"), "{e}");
    }
}
