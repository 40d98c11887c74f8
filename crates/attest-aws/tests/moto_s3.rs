//! Live collection of S3 buckets and the account's public access block against moto, judged by
//! the S3 rules.
//!
//! moto limitations met here:
//! - its `GetBucketVersioning` answer does not parse in the AWS SDK for Rust (wrong XML root), so
//!   every bucket has one `GetBucketVersioning` input error and `versioning` unknown: the rules
//!   reading versioning (`aws-s3-mfa-delete`, `aws-s3-versioning-lifecycle`) can only say unknown
//!   (or fail on the missing lifecycle rule). The versioning mapping is covered by unit tests.
//! - its `ListBuckets` answer has no `BucketRegion`, so every bucket's region comes from
//!   `GetBucketLocation`.

mod common;

use aws_config::SdkConfig;
use aws_sdk_s3::types::{
    BucketCannedAcl, BucketLifecycleConfiguration, BucketLocationConstraint, BucketLoggingStatus,
    BucketVersioningStatus, CreateBucketConfiguration, Destination, ExpirationStatus, LifecycleExpiration,
    LifecycleRule, LifecycleRuleFilter, LoggingEnabled, PublicAccessBlockConfiguration,
    ReplicationConfiguration, ReplicationRule, ReplicationRuleStatus, ServerSideEncryption,
    ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging,
    VersioningConfiguration,
};

use attest_aws::{collect, placeholder_id};
use attest_core::{LoadOutput, Mode, Verdict};
use common::{endpoint, reset, sdk, sdk_in, Seeded, ACCOUNT, MOTO};

const RULES: &[&str] = &[
    "aws-s3-encryption",
    "aws-s3-block-public-access",
    "aws-s3-access-logging",
    "aws-s3-https-only",
    "aws-s3-no-public-acl",
    "aws-s3-not-public",
    "aws-s3-policy-no-public-list",
    "aws-s3-policy-no-public-all-actions",
    "aws-s3-versioning-lifecycle",
    "aws-s3-mfa-delete",
    "aws-s3-replication",
];

const ALL_ON: (bool, bool, bool, bool) = (true, true, true, true);

fn block(flags: (bool, bool, bool, bool)) -> PublicAccessBlockConfiguration {
    PublicAccessBlockConfiguration::builder()
        .block_public_acls(flags.0)
        .block_public_policy(flags.1)
        .ignore_public_acls(flags.2)
        .restrict_public_buckets(flags.3)
        .build()
}

/// Six buckets in us-east-1 and one in eu-west-1:
/// - `secure`: KMS default encryption, all four block settings, access logs to `logs`, a policy
///   denying requests without TLS, an enabled lifecycle rule, replication to `replica`, tags;
/// - `plain`: nothing configured;
/// - `public`: the canned ACL `public-read` and a policy allowing `s3:*` to everyone;
/// - `partial`: a public access block leaving `block_public_policy` off;
/// - `logs`: the log target (`log-delivery-write` ACL: grants to the LogDelivery group);
/// - `replica`: the replication destination;
/// - `eu`: in eu-west-1, outside the scanned region.
async fn seed(cfg: &SdkConfig, eu: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let s3 = common::s3(cfg);
    for role in ["secure", "plain", "public", "partial", "logs", "replica"] {
        let name = format!("attest-{role}");
        s3.create_bucket()
            .bucket(&name)
            .send()
            .await
            .expect("CreateBucket");
        s.set(role, name);
    }
    common::s3(eu)
        .create_bucket()
        .bucket("attest-eu")
        .create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .expect("CreateBucket eu-west-1");
    s.set("eu", "attest-eu");

    // The log target grants WRITE and READ_ACP to the LogDelivery group.
    s3.put_bucket_acl()
        .bucket(s.get("logs"))
        .acl(BucketCannedAcl::from("log-delivery-write"))
        .send()
        .await
        .expect("PutBucketAcl logs");

    let secure = s.get("secure");
    s3.put_bucket_encryption()
        .bucket(secure)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(ServerSideEncryption::AwsKms)
                                .kms_master_key_id("alias/attest")
                                .build()
                                .expect("default encryption"),
                        )
                        .bucket_key_enabled(true)
                        .build(),
                )
                .build()
                .expect("encryption configuration"),
        )
        .send()
        .await
        .expect("PutBucketEncryption");
    s3.put_bucket_logging()
        .bucket(secure)
        .bucket_logging_status(
            BucketLoggingStatus::builder()
                .logging_enabled(
                    LoggingEnabled::builder()
                        .target_bucket(s.get("logs"))
                        .target_prefix("secure/")
                        .build()
                        .expect("logging"),
                )
                .build(),
        )
        .send()
        .await
        .expect("PutBucketLogging");
    let tls_only = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{secure}","arn:aws:s3:::{secure}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
    );
    s3.put_bucket_policy()
        .bucket(secure)
        .policy(tls_only)
        .send()
        .await
        .expect("PutBucketPolicy secure");
    s3.put_bucket_lifecycle_configuration()
        .bucket(secure)
        .lifecycle_configuration(
            BucketLifecycleConfiguration::builder()
                .rules(
                    LifecycleRule::builder()
                        .id("expire")
                        .status(ExpirationStatus::Enabled)
                        .filter(LifecycleRuleFilter::builder().prefix("").build())
                        .expiration(LifecycleExpiration::builder().days(365).build())
                        .build()
                        .expect("lifecycle rule"),
                )
                .build()
                .expect("lifecycle configuration"),
        )
        .send()
        .await
        .expect("PutBucketLifecycleConfiguration");
    for bucket in [secure, s.get("replica")] {
        s3.put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .expect("PutBucketVersioning");
    }
    s3.put_bucket_replication()
        .bucket(secure)
        .replication_configuration(
            ReplicationConfiguration::builder()
                .role(format!("arn:aws:iam::{}:role/replication", common::ACCOUNT))
                .rules(
                    ReplicationRule::builder()
                        .id("to-replica")
                        .status(ReplicationRuleStatus::Enabled)
                        .destination(
                            Destination::builder()
                                .bucket(format!("arn:aws:s3:::{}", s.get("replica")))
                                .build()
                                .expect("destination"),
                        )
                        .build()
                        .expect("replication rule"),
                )
                .build()
                .expect("replication configuration"),
        )
        .send()
        .await
        .expect("PutBucketReplication");
    s3.put_bucket_tagging()
        .bucket(secure)
        .tagging(
            Tagging::builder()
                .tag_set(Tag::builder().key("env").value("prod").build().expect("tag"))
                .build()
                .expect("tagging"),
        )
        .send()
        .await
        .expect("PutBucketTagging");
    s3.put_public_access_block()
        .bucket(secure)
        .public_access_block_configuration(block(ALL_ON))
        .send()
        .await
        .expect("PutPublicAccessBlock secure");

    let public = s.get("public");
    s3.put_bucket_acl()
        .bucket(public)
        .acl(BucketCannedAcl::PublicRead)
        .send()
        .await
        .expect("PutBucketAcl public");
    s3.put_bucket_policy()
        .bucket(public)
        .policy(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::{public}/*"}}]}}"#
        ))
        .send()
        .await
        .expect("PutBucketPolicy public");

    s3.put_public_access_block()
        .bucket(s.get("partial"))
        .public_access_block_configuration(block((true, false, true, true)))
        .send()
        .await
        .expect("PutPublicAccessBlock partial");
    s
}

/// An S3 Control client for seeding moto: the SDK would put the account id in front of the
/// endpoint's IP address.
fn s3control(cfg: &SdkConfig, endpoint: &str) -> aws_sdk_s3control::Client {
    #[derive(Debug)]
    struct AsIs(String);
    impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for AsIs {
        fn resolve_endpoint<'a>(
            &'a self,
            _: &'a aws_sdk_s3control::config::endpoint::Params,
        ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
            aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
                aws_sdk_s3control::config::endpoint::Endpoint::builder()
                    .url(self.0.clone())
                    .build(),
            ))
        }
    }
    aws_sdk_s3control::Client::from_conf(
        aws_sdk_s3control::config::Builder::from(cfg)
            .endpoint_resolver(AsIs(endpoint.to_string()))
            .build(),
    )
}

/// The error files and messages of a collection, for assertions.
fn errors(out: &LoadOutput) -> Vec<(String, String)> {
    out.errors
        .iter()
        .map(|e| (e.file.clone(), e.message.clone()))
        .collect()
}

/// Every error is moto's unparsable `GetBucketVersioning` answer, one per collected bucket.
fn assert_only_versioning_errors(out: &LoadOutput, buckets: &[&str]) {
    let errors = errors(out);
    assert_eq!(errors.len(), buckets.len(), "{errors:#?}");
    for b in buckets {
        assert!(
            errors.iter().any(|(file, message)| file
                == &format!("aws:{}:s3.GetBucketVersioning", common::REGION)
                && message.contains(&format!("bucket {b}:"))
                && message.contains("invalid XML root: expected VersioningConfiguration")),
            "no GetBucketVersioning error for {b}: {errors:#?}"
        );
    }
}

fn bucket<'a>(out: &'a LoadOutput, name: &str) -> &'a attest_core::Resource {
    out.resources
        .iter()
        .find(|r| r.resource_type == "aws_s3_bucket" && r.physical_id.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("bucket {name} collected"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buckets_are_collected_and_judged() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let eu = sdk_in(&endpoint, "eu-west-1").await;
    let seeded = seed(&cfg, &eu).await;

    let out = collect(&common::options(&endpoint, &["s3"])).await;
    let names = ["secure", "plain", "public", "partial", "logs", "replica"].map(|r| seeded.get(r));
    assert_only_versioning_errors(&out, &names);

    // Only the buckets of the scanned region, with their ARN as id and their region.
    let mut collected: Vec<&str> = out
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_s3_bucket")
        .filter_map(|r| r.physical_id.as_deref())
        .collect();
    collected.sort();
    let mut expected = names.to_vec();
    expected.sort();
    assert_eq!(collected, expected);
    let secure = bucket(&out, seeded.get("secure"));
    assert_eq!(secure.id, "arn:aws:s3:::attest-secure");
    assert_eq!(secure.attr("region").as_str(), Some("us-east-1"));
    assert_eq!(secure.provenance.region.as_deref(), Some("us-east-1"));
    assert_eq!(secure.provenance.account.as_deref(), Some(ACCOUNT));
    assert_eq!(secure.attr("tags").to_json(), serde_json::json!({"env": "prod"}));
    assert_eq!(
        secure.attr("logging").to_json(),
        serde_json::json!([{"target_bucket": "attest-logs", "target_prefix": "secure/"}])
    );
    assert!(secure.attr("versioning").is_unknown());
    assert_eq!(
        bucket(&out, seeded.get("plain")).attr("tags").to_json(),
        serde_json::json!({})
    );
    // The log target's grants name the LogDelivery group.
    let logs = bucket(&out, seeded.get("logs"));
    assert!(
        logs.attr("grant")
            .to_json()
            .to_string()
            .contains("http://acs.amazonaws.com/groups/s3/LogDelivery"),
        "{}",
        logs.attr("grant").to_json()
    );
    // The logging edge to the target bucket.
    assert!(out.references.iter().any(|r| r.from == secure.id
        && r.path == "logging.0.target_bucket"
        && r.to == "arn:aws:s3:::attest-logs"));
    // No account-level block: moto answers NoSuchPublicAccessBlockConfiguration.
    assert!(!out
        .resources
        .iter()
        .any(|r| r.resource_type == "aws_s3_account_public_access_block"));

    let verdicts = common::judge(&out, &seeded, RULES);
    use Verdict::*;
    common::assert_verdicts(
        &verdicts,
        &[
            ("aws-s3-encryption", "secure", Pass),
            ("aws-s3-encryption", "plain", Fail),
            ("aws-s3-block-public-access", "secure", Pass),
            ("aws-s3-block-public-access", "plain", Fail),
            ("aws-s3-block-public-access", "partial", Fail),
            ("aws-s3-access-logging", "secure", Pass),
            ("aws-s3-access-logging", "plain", Fail),
            ("aws-s3-https-only", "secure", Pass),
            ("aws-s3-https-only", "plain", Fail),
            ("aws-s3-https-only", "public", Fail),
            ("aws-s3-no-public-acl", "plain", Pass),
            ("aws-s3-no-public-acl", "logs", Pass),
            ("aws-s3-no-public-acl", "public", Fail),
            ("aws-s3-not-public", "secure", Pass),
            ("aws-s3-not-public", "plain", Pass),
            ("aws-s3-not-public", "public", Fail),
            ("aws-s3-policy-no-public-list", "secure", Pass),
            ("aws-s3-policy-no-public-list", "plain", Pass),
            ("aws-s3-policy-no-public-list", "public", Fail),
            ("aws-s3-policy-no-public-all-actions", "secure", Pass),
            ("aws-s3-policy-no-public-all-actions", "public", Fail),
            // moto: versioning is unknown. With an enabled lifecycle rule the rule cannot tell;
            // without one it fails whatever versioning is.
            ("aws-s3-versioning-lifecycle", "secure", Unknown),
            ("aws-s3-versioning-lifecycle", "plain", Fail),
            ("aws-s3-mfa-delete", "secure", Unknown),
            ("aws-s3-mfa-delete", "plain", Unknown),
            ("aws-s3-replication", "secure", Pass),
            ("aws-s3-replication", "plain", Fail),
        ],
    );

    // Scanning eu-west-1 too collects the bucket there, with that region.
    let both = collect(
        &common::options(&endpoint, &["s3"])
            .with_regions(vec![common::REGION.to_string(), "eu-west-1".to_string()]),
    )
    .await;
    let eu_bucket = bucket(&both, seeded.get("eu"));
    assert_eq!(eu_bucket.attr("region").as_str(), Some("eu-west-1"));
    assert_eq!(eu_bucket.provenance.region.as_deref(), Some("eu-west-1"));
    assert!(errors(&both)
        .iter()
        .any(|(file, m)| file == "aws:eu-west-1:s3.GetBucketVersioning" && m.contains("attest-eu")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_public_access_block_covers_every_bucket() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let eu = sdk_in(&endpoint, "eu-west-1").await;
    let seeded = seed(&cfg, &eu).await;
    s3control(&cfg, &endpoint)
        .put_public_access_block()
        .account_id(ACCOUNT)
        .public_access_block_configuration(
            aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .expect("s3control PutPublicAccessBlock");

    let out = collect(&common::options(&endpoint, &["s3"])).await;
    let names = ["secure", "plain", "public", "partial", "logs", "replica"].map(|r| seeded.get(r));
    assert_only_versioning_errors(&out, &names);
    let blocks: Vec<_> = out
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_s3_account_public_access_block")
        .collect();
    assert_eq!(blocks.len(), 1, "{blocks:#?}");
    assert_eq!(blocks[0].mode, Mode::Managed);
    assert_eq!(blocks[0].physical_id.as_deref(), Some(ACCOUNT));
    assert_eq!(
        blocks[0].attributes.to_json(),
        serde_json::json!({"id": ACCOUNT, "account_id": ACCOUNT, "block_public_acls": true,
            "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true})
    );

    let verdicts = common::judge(&out, &seeded, RULES);
    use Verdict::*;
    common::assert_verdicts(
        &verdicts,
        &[
            // The account-level block covers the buckets without one of their own.
            ("aws-s3-block-public-access", "plain", Pass),
            ("aws-s3-block-public-access", "partial", Pass),
            ("aws-s3-block-public-access", "public", Pass),
            // The public ACL and policy are ignored and restricted by the account's block.
            ("aws-s3-not-public", "public", Pass),
            // These rules judge the declared ACL and policy, whatever blocks them.
            ("aws-s3-no-public-acl", "public", Fail),
            ("aws-s3-policy-no-public-list", "public", Fail),
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_account_block_is_a_placeholder() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let eu = sdk_in(&endpoint, "eu-west-1").await;
    let seeded = seed(&cfg, &eu).await;

    // S3 Control through an endpoint where nothing listens: the call fails.
    let opts = common::options(&endpoint, &["s3"])
        .with_service_endpoint("s3control", "http://127.0.0.1:9")
        .with_max_attempts(1);
    let out = collect(&opts).await;
    let control_errors: Vec<_> = errors(&out)
        .into_iter()
        .filter(|(file, _)| file.contains("s3control"))
        .collect();
    assert_eq!(control_errors.len(), 1, "{control_errors:#?}");
    assert_eq!(control_errors[0].0, "aws:global:s3control.GetPublicAccessBlock");
    assert!(
        control_errors[0].1.starts_with("ConnectionError"),
        "{control_errors:#?}"
    );
    let placeholder = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_s3_account_public_access_block")
        .expect("placeholder");
    assert_eq!(
        placeholder.id,
        placeholder_id("aws_s3_account_public_access_block", "global")
    );
    assert_eq!(placeholder.mode, Mode::Data);
    assert_eq!(
        placeholder.attr("block_public_acls"),
        &attest_core::Value::Unknown("ConnectionError on s3control:GetPublicAccessBlock".into())
    );
    let verdicts = common::judge(&out, &seeded, RULES);
    use Verdict::*;
    common::assert_verdicts(
        &verdicts,
        &[
            // A bucket whose own block turns on all four settings passes whatever the account's.
            ("aws-s3-block-public-access", "secure", Pass),
            // Without a block of its own, the unreadable account block decides: unknown.
            ("aws-s3-block-public-access", "plain", Unknown),
            ("aws-s3-block-public-access", "partial", Unknown),
            // A public ACL and policy that the account's block may ignore and restrict.
            ("aws-s3-not-public", "public", Unknown),
            // Nothing public to block: the account's block does not matter.
            ("aws-s3-not-public", "plain", Pass),
            ("aws-s3-no-public-acl", "public", Fail),
        ],
    );
}
