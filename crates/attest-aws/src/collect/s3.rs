//! S3 `ListBuckets` and the per-bucket configuration calls → `aws_s3_bucket`, in the provider's
//! joined inline shape (the one `attest-iac`'s normalize step gives a bucket whose split
//! resources it joined, and the CloudFormation translator gives an `AWS::S3::Bucket`); S3 Control
//! `GetPublicAccessBlock` → `aws_s3_account_public_access_block`.
//!
//! The listing is global: this collector runs once per account, finds each bucket's region
//! (`BucketRegion` in the `ListBuckets` answer, else `GetBucketLocation`: no constraint is
//! `us-east-1`, `EU` is `eu-west-1`), keeps the buckets of the scanned regions and reads each
//! through a client of its region, its provenance and region being the bucket's.
//!
//! | API call | `aws_s3_bucket` attribute |
//! |---|---|
//! | `ListBuckets` | `id`, `bucket` (the name), `arn`, `bucket_domain_name`, `bucket_regional_domain_name`, `region` |
//! | `GetBucketEncryption` | `server_side_encryption_configuration = [{rule = [{apply_server_side_encryption_by_default = [{sse_algorithm, kms_master_key_id}], bucket_key_enabled}]}]` |
//! | `GetBucketVersioning` | `versioning = [{enabled, mfa_delete}]` |
//! | `GetBucketLogging` | `logging = [{target_bucket, target_prefix}]` |
//! | `GetPublicAccessBlock` | `public_access_block = [{block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets}]` |
//! | `GetBucketPolicy` | `policy` (the document as a JSON string) |
//! | `GetBucketAcl` | `grant = [{type, id, uri, email_address, permissions}]` (one entry per grantee); `acl` stays null: a canned ACL cannot be read back, its grants are |
//! | `GetBucketLifecycleConfiguration` | `lifecycle_rule = [{id, enabled, prefix, tags, expiration, transition, noncurrent_version_expiration, noncurrent_version_transition, abort_incomplete_multipart_upload_days}]` |
//! | `GetBucketReplication` | `replication_configuration = [{role, rules = [{id, status, priority, prefix, filter, destination}]}]` |
//! | `GetBucketTagging` | `tags` |
//!
//! The "not configured" answers (`ServerSideEncryptionConfigurationNotFoundError`,
//! `NoSuchPublicAccessBlockConfiguration`, `NoSuchBucketPolicy`, `NoSuchLifecycleConfiguration`,
//! `ReplicationConfigurationNotFoundError`, `NoSuchTagSet`) are what Terraform shows for a bucket
//! without that configuration: an empty block list, no policy, no tags. Any other failure of a
//! call is one input error and leaves the attributes of that call unknown. A bucket deleted
//! between the listing and its reads (`NoSuchBucket`) is left out. A bucket whose region cannot be
//! read is kept, with its region and every configuration attribute unknown: it may lie in a
//! scanned region.
//!
//! Ownership controls and Object Lock are not read: no rule looks at them.
//!
//! `aws_s3_account_public_access_block` (`id` and `account_id` = the account, the four flags):
//! absent when the account has no block (`NoSuchPublicAccessBlockConfiguration`); when the call
//! fails or the account id is unknown, a placeholder `aws_s3_account_public_access_block:<label>:unreadable`
//! (mode `data`, the four flags unknown) stands for it.
//!
//! S3 Control puts the account id in front of the endpoint's host (`123456789012.s3-control.…`),
//! a custom endpoint's too; an endpoint whose host is an IP address or `localhost` (an emulator, a
//! local proxy) cannot take that prefix and is used as it is (see [`ControlEndpoint`]).

use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
use aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput;
use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput;
use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput;
use aws_sdk_s3::operation::get_bucket_replication::GetBucketReplicationOutput;
use aws_sdk_s3::operation::get_bucket_tagging::GetBucketTaggingOutput;
use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput;
use aws_sdk_s3::types::{
    BucketVersioningStatus, ExpirationStatus, LifecycleRule, MfaDeleteStatus, ReplicationRule, Tag,
};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::DateTime;
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource};

use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{Ctx, Session};

/// Buckets read at once (each with its calls in flight together).
const CONCURRENCY: usize = 8;
/// Buckets per `ListBuckets` page (unpaginated listings are limited to 10,000 buckets).
const PAGE: i32 = 1000;

const BUCKET: &str = "aws_s3_bucket";
const ACCOUNT_BLOCK: &str = "aws_s3_account_public_access_block";
const BLOCK_FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

/// The attributes only the per-bucket calls tell, unknown when the bucket's region is not known.
const CONFIGURED: &[&str] = &[
    "server_side_encryption_configuration",
    "versioning",
    "logging",
    "public_access_block",
    "policy",
    "acl",
    "grant",
    "lifecycle_rule",
    "replication_configuration",
    "tags",
];

/// The answer of one per-bucket call: `Ok(None)` when S3 says the bucket has no such
/// configuration.
pub type Read<T> = Result<Option<T>, ApiError>;

/// The answers of the per-bucket calls.
pub struct BucketReads {
    pub encryption: Read<GetBucketEncryptionOutput>,
    pub versioning: Read<GetBucketVersioningOutput>,
    pub logging: Read<GetBucketLoggingOutput>,
    pub public_access_block: Read<GetPublicAccessBlockOutput>,
    pub policy: Read<GetBucketPolicyOutput>,
    pub acl: Read<GetBucketAclOutput>,
    pub lifecycle: Read<GetBucketLifecycleConfigurationOutput>,
    pub replication: Read<GetBucketReplicationOutput>,
    pub tagging: Read<GetBucketTaggingOutput>,
}

impl BucketReads {
    /// Every call that failed, by operation name.
    fn failures(&self) -> Vec<(&'static str, &ApiError)> {
        let all: [(&'static str, Option<&ApiError>); 9] = [
            ("GetBucketEncryption", self.encryption.as_ref().err()),
            ("GetBucketVersioning", self.versioning.as_ref().err()),
            ("GetBucketLogging", self.logging.as_ref().err()),
            ("GetPublicAccessBlock", self.public_access_block.as_ref().err()),
            ("GetBucketPolicy", self.policy.as_ref().err()),
            ("GetBucketAcl", self.acl.as_ref().err()),
            ("GetBucketLifecycleConfiguration", self.lifecycle.as_ref().err()),
            ("GetBucketReplication", self.replication.as_ref().err()),
            ("GetBucketTagging", self.tagging.as_ref().err()),
        ];
        all.into_iter().filter_map(|(op, e)| e.map(|e| (op, e))).collect()
    }

    /// Whether S3 answered that the bucket no longer exists.
    fn gone(&self) -> bool {
        self.failures().iter().any(|(_, e)| e.code == "NoSuchBucket")
    }
}

/// Where a listed bucket lives.
enum Located {
    Region(String),
    /// `GetBucketLocation` failed.
    Unknown(ApiError),
    /// Deleted since the listing.
    Gone,
}

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let (mut out, buckets) = tokio::join!(account_public_access_block(c), buckets(c));
    out.extend(buckets);
    out
}

/// An S3 client of a session (path-style addressing for emulators).
fn s3_client(s: &Session) -> aws_sdk_s3::Client {
    let mut b = aws_sdk_s3::config::Builder::from(&s.config).interceptor(s.observer.interceptor());
    if let Some(url) = s.endpoint_for("s3") {
        b = b.endpoint_url(url);
    }
    if s.path_style("s3") {
        b = b.force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(b.build())
}

/// An S3 Control client of a session.
fn control_client(s: &Session) -> aws_sdk_s3control::Client {
    let mut b = aws_sdk_s3control::config::Builder::from(&s.config)
        .interceptor(s.observer.interceptor())
        .endpoint_resolver(ControlEndpoint::default());
    if let Some(url) = s.endpoint_for("s3control") {
        b = b.endpoint_url(url);
    }
    aws_sdk_s3control::Client::from_conf(b.build())
}

/// The buckets of the scanned regions.
async fn buckets(c: &Ctx<'_>) -> LoadOutput {
    let mut out = LoadOutput::default();
    let s3 = s3_client(c.session);
    let (pages, err) = drain(s3.list_buckets().max_buckets(PAGE).into_paginator().send()).await;
    if let Some(e) = err {
        out.errors.push(c.error("s3", "ListBuckets", e.message));
    }
    let listed: Vec<(String, Option<String>)> = pages
        .iter()
        .flat_map(|p| p.buckets())
        .filter_map(|b| Some((b.name()?.to_string(), b.bucket_region().map(str::to_string))))
        .collect();
    let s3 = &s3;
    let located: Vec<(String, Located)> = futures::stream::iter(listed)
        .map(|(name, listed_region)| async move {
            let at = locate(s3, &name, listed_region.as_deref()).await;
            (name, at)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;

    let mut in_scope: Vec<(String, String)> = Vec::new();
    for (name, at) in located {
        match at {
            Located::Region(region) if c.regions.contains(&region) => in_scope.push((name, region)),
            Located::Region(_) | Located::Gone => {}
            Located::Unknown(e) => {
                out.errors
                    .push(c.error("s3", "GetBucketLocation", format!("bucket {name}: {}", e.message)));
                out.resources.push(unlocated(c, &name, &e));
            }
        }
    }

    let sessions: BTreeMap<String, Session> = in_scope
        .iter()
        .map(|(_, region)| region.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|region| {
            let s = c.session.in_region(&region);
            (region, s)
        })
        .collect();
    let clients: HashMap<&str, aws_sdk_s3::Client> = sessions
        .iter()
        .map(|(region, s)| (region.as_str(), s3_client(s)))
        .collect();
    let clients = &clients;
    let calls = in_scope.into_iter().filter_map(|(name, region)| {
        let client = clients.get(region.as_str())?;
        Some(async move {
            let reads = read_bucket(client, &name).await;
            (name, region, reads)
        })
    });
    let reads: Vec<(String, String, BucketReads)> = futures::stream::iter(calls)
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (name, region, reads) in reads {
        let Some(session) = sessions.get(&region) else {
            continue;
        };
        if reads.gone() {
            continue;
        }
        let rc = c.for_region(session, &region);
        for (op, e) in reads.failures() {
            out.errors
                .push(rc.error("s3", op, format!("bucket {name}: {}", e.message)));
        }
        out.resources.push(bucket(&rc, &name, &reads));
    }
    out
}

/// The region of a bucket: from the listing, else from `GetBucketLocation`.
async fn locate(s3: &aws_sdk_s3::Client, name: &str, listed: Option<&str>) -> Located {
    if let Some(region) = listed.filter(|r| !r.is_empty()) {
        return Located::Region(region.to_string());
    }
    match s3.get_bucket_location().bucket(name).send().await {
        Ok(o) => Located::Region(region_of(o.location_constraint().map(|l| l.as_str()))),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            if e.code == "NoSuchBucket" {
                Located::Gone
            } else {
                Located::Unknown(e)
            }
        }
    }
}

/// A `LocationConstraint` as a region: none is `us-east-1`, the legacy `EU` is `eu-west-1`.
pub fn region_of(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1",
        Some(c) if c.eq_ignore_ascii_case("EU") => "eu-west-1",
        Some(c) => c,
    }
    .to_string()
}

/// One call's answer; the error codes in `absent` mean "not configured".
async fn read<T, E>(call: impl Future<Output = Result<T, E>>, absent: &[&str]) -> Read<T>
where
    E: ProvideErrorMetadata + std::error::Error,
{
    match call.await {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            if absent.contains(&e.code.as_str()) {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// The configuration calls of one bucket, all in flight together.
async fn read_bucket(s3: &aws_sdk_s3::Client, name: &str) -> BucketReads {
    let (encryption, versioning, logging, public_access_block, policy, acl, lifecycle, replication, tagging) = tokio::join!(
        read(
            s3.get_bucket_encryption().bucket(name).send(),
            &["ServerSideEncryptionConfigurationNotFoundError"],
        ),
        read(s3.get_bucket_versioning().bucket(name).send(), &[]),
        read(s3.get_bucket_logging().bucket(name).send(), &[]),
        read(
            s3.get_public_access_block().bucket(name).send(),
            &["NoSuchPublicAccessBlockConfiguration"],
        ),
        read(
            s3.get_bucket_policy().bucket(name).send(),
            &["NoSuchBucketPolicy"]
        ),
        read(s3.get_bucket_acl().bucket(name).send(), &[]),
        read(
            s3.get_bucket_lifecycle_configuration().bucket(name).send(),
            &["NoSuchLifecycleConfiguration"],
        ),
        read(
            s3.get_bucket_replication().bucket(name).send(),
            &["ReplicationConfigurationNotFoundError"],
        ),
        read(s3.get_bucket_tagging().bucket(name).send(), &["NoSuchTagSet"]),
    );
    BucketReads {
        encryption,
        versioning,
        logging,
        public_access_block,
        policy,
        acl,
        lifecycle,
        replication,
        tagging,
    }
}

/// The attributes every bucket has, from its name and the partition.
fn named(c: &Ctx<'_>, name: &str) -> Map<String, Json> {
    let suffix = if c.partition() == "aws-cn" {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("bucket".into(), json!(name));
    a.insert("arn".into(), json!(bucket_arn(c, name)));
    a.insert("bucket_domain_name".into(), json!(format!("{name}.s3.{suffix}")));
    a
}

fn bucket_arn(c: &Ctx<'_>, name: &str) -> String {
    format!("arn:{}:s3:::{name}", c.partition())
}

/// One attribute from one call's answer: unknown when the call failed.
fn from<T>(read: &Read<T>, operation: &str, map: impl FnOnce(Option<&T>) -> Json) -> Json {
    match read {
        Ok(v) => map(v.as_ref()),
        Err(e) => unknown(&e.unknown_reason("s3", operation)),
    }
}

/// A bucket of region `c.region` from the answers of its calls.
pub fn bucket(c: &Ctx<'_>, name: &str, r: &BucketReads) -> Resource {
    let mut a = named(c, name);
    a.insert("region".into(), json!(c.region));
    a.insert(
        "bucket_regional_domain_name".into(),
        json!(format!(
            "{name}.s3.{}.{}",
            c.region,
            if c.partition() == "aws-cn" {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            }
        )),
    );
    a.insert(
        "server_side_encryption_configuration".into(),
        from(&r.encryption, "GetBucketEncryption", encryption),
    );
    a.insert(
        "versioning".into(),
        from(&r.versioning, "GetBucketVersioning", versioning),
    );
    a.insert("logging".into(), from(&r.logging, "GetBucketLogging", logging));
    a.insert(
        "public_access_block".into(),
        from(&r.public_access_block, "GetPublicAccessBlock", |o| {
            bucket_block(o.and_then(|o| o.public_access_block_configuration()))
        }),
    );
    a.insert(
        "policy".into(),
        from(&r.policy, "GetBucketPolicy", |o| {
            match o.and_then(|o| o.policy()).filter(|p| !p.trim().is_empty()) {
                Some(p) => json!(p),
                None => Json::Null,
            }
        }),
    );
    a.insert("acl".into(), from(&r.acl, "GetBucketAcl", |_| Json::Null));
    a.insert("grant".into(), from(&r.acl, "GetBucketAcl", grants));
    a.insert(
        "lifecycle_rule".into(),
        from(&r.lifecycle, "GetBucketLifecycleConfiguration", |o| {
            Json::Array(
                o.map(|o| o.rules())
                    .unwrap_or_default()
                    .iter()
                    .map(lifecycle_rule)
                    .collect(),
            )
        }),
    );
    a.insert(
        "replication_configuration".into(),
        from(&r.replication, "GetBucketReplication", replication),
    );
    a.insert(
        "tags".into(),
        from(&r.tagging, "GetBucketTagging", |o| {
            tag_map(o.map(|o| o.tag_set()).unwrap_or_default())
        }),
    );
    c.resource(bucket_arn(c, name), BUCKET, Some(name), a)
}

/// A bucket whose region could not be read: its configuration was not read either.
fn unlocated(c: &Ctx<'_>, name: &str, e: &ApiError) -> Resource {
    let reason = e.unknown_reason("s3", "GetBucketLocation");
    let mut a = named(c, name);
    a.insert("region".into(), unknown(&reason));
    for key in CONFIGURED {
        a.insert((*key).into(), unknown(&reason));
    }
    c.resource(bucket_arn(c, name), BUCKET, Some(name), a)
}

fn encryption(o: Option<&GetBucketEncryptionOutput>) -> Json {
    let Some(conf) = o.and_then(|o| o.server_side_encryption_configuration()) else {
        return json!([]);
    };
    let rules: Vec<Json> = conf
        .rules()
        .iter()
        .map(|r| {
            let default: Vec<Json> = r
                .apply_server_side_encryption_by_default()
                .map(|d| {
                    json!({
                        "sse_algorithm": d.sse_algorithm().as_str(),
                        "kms_master_key_id": d.kms_master_key_id().unwrap_or_default(),
                    })
                })
                .into_iter()
                .collect();
            json!({
                "apply_server_side_encryption_by_default": default,
                "bucket_key_enabled": r.bucket_key_enabled().unwrap_or(false),
            })
        })
        .collect();
    if rules.is_empty() {
        return json!([]);
    }
    json!([{ "rule": rules }])
}

/// Versioning never turned on answers without a status: `enabled = false`, as Terraform shows.
/// `Suspended` is not enabled.
fn versioning(o: Option<&GetBucketVersioningOutput>) -> Json {
    let enabled = o.and_then(|o| o.status()) == Some(&BucketVersioningStatus::Enabled);
    let mfa_delete = o.and_then(|o| o.mfa_delete()) == Some(&MfaDeleteStatus::Enabled);
    json!([{ "enabled": enabled, "mfa_delete": mfa_delete }])
}

fn logging(o: Option<&GetBucketLoggingOutput>) -> Json {
    match o.and_then(|o| o.logging_enabled()) {
        Some(l) => json!([{ "target_bucket": l.target_bucket(), "target_prefix": l.target_prefix() }]),
        None => json!([]),
    }
}

/// A bucket's public access block; settings S3 does not return are off.
fn bucket_block(conf: Option<&aws_sdk_s3::types::PublicAccessBlockConfiguration>) -> Json {
    match conf {
        None => json!([]),
        Some(p) => json!([{
            "block_public_acls": p.block_public_acls().unwrap_or(false),
            "block_public_policy": p.block_public_policy().unwrap_or(false),
            "ignore_public_acls": p.ignore_public_acls().unwrap_or(false),
            "restrict_public_buckets": p.restrict_public_buckets().unwrap_or(false),
        }]),
    }
}

/// The grants of an ACL, one entry per grantee with its permissions, as the provider's `grant`.
fn grants(o: Option<&GetBucketAclOutput>) -> Json {
    let mut entries: Vec<(Json, Vec<String>)> = Vec::new();
    for g in o.map(|o| o.grants()).unwrap_or_default() {
        let Some(grantee) = g.grantee() else {
            continue;
        };
        let key = json!({
            "type": grantee.r#type().as_str(),
            "id": grantee.id(),
            "uri": grantee.uri(),
            "email_address": grantee.email_address(),
        });
        let permission = g.permission().map(|p| p.as_str().to_string());
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, perms)) => perms.extend(permission),
            None => entries.push((key, permission.into_iter().collect())),
        }
    }
    Json::Array(
        entries
            .into_iter()
            .map(|(mut key, perms)| {
                if let Some(m) = key.as_object_mut() {
                    m.insert("permissions".into(), json!(perms));
                }
                key
            })
            .collect(),
    )
}

fn date(d: Option<&DateTime>) -> Json {
    d.and_then(|d| d.fmt(Format::DateTime).ok())
        .map(Json::from)
        .unwrap_or(Json::Null)
}

fn tag_map(tags: &[Tag]) -> Json {
    super::tags(tags.iter().map(|t| (Some(t.key()), Some(t.value()))))
}

/// One lifecycle rule as the provider's inline `lifecycle_rule`.
fn lifecycle_rule(r: &LifecycleRule) -> Json {
    let filter = r.filter();
    let and = filter.and_then(|f| f.and());
    // `Prefix` outside a filter is deprecated, and still answered for rules written with it.
    #[allow(deprecated)]
    let legacy_prefix = r.prefix();
    let prefix = legacy_prefix
        .or_else(|| filter.and_then(|f| f.prefix()))
        .or_else(|| and.and_then(|a| a.prefix()));
    let tags = match (filter.and_then(|f| f.tag()), and) {
        (Some(tag), _) => tag_map(std::slice::from_ref(tag)),
        (None, Some(and)) if !and.tags().is_empty() => tag_map(and.tags()),
        _ => Json::Null,
    };
    let expiration = r
        .expiration()
        .map(|e| {
            json!([{
                "date": date(e.date()),
                "days": e.days(),
                "expired_object_delete_marker": e.expired_object_delete_marker(),
            }])
        })
        .unwrap_or(Json::Null);
    let list = |items: Vec<Json>| {
        if items.is_empty() {
            Json::Null
        } else {
            Json::Array(items)
        }
    };
    let transition = list(
        r.transitions()
            .iter()
            .map(|t| {
                json!({
                    "date": date(t.date()),
                    "days": t.days(),
                    "storage_class": t.storage_class().map(|s| s.as_str()),
                })
            })
            .collect(),
    );
    let noncurrent_transition = list(
        r.noncurrent_version_transitions()
            .iter()
            .map(|t| {
                json!({
                    "days": t.noncurrent_days(),
                    "storage_class": t.storage_class().map(|s| s.as_str()),
                })
            })
            .collect(),
    );
    let noncurrent_expiration = r
        .noncurrent_version_expiration()
        .map(|e| json!([{ "days": e.noncurrent_days() }]))
        .unwrap_or(Json::Null);
    json!({
        "id": r.id(),
        "enabled": r.status() == &ExpirationStatus::Enabled,
        "prefix": prefix,
        "tags": tags,
        "expiration": expiration,
        "transition": transition,
        "noncurrent_version_expiration": noncurrent_expiration,
        "noncurrent_version_transition": noncurrent_transition,
        "abort_incomplete_multipart_upload_days": r
            .abort_incomplete_multipart_upload()
            .and_then(|a| a.days_after_initiation()),
    })
}

fn replication(o: Option<&GetBucketReplicationOutput>) -> Json {
    let Some(conf) = o.and_then(|o| o.replication_configuration()) else {
        return json!([]);
    };
    let rules: Vec<Json> = conf.rules().iter().map(replication_rule).collect();
    json!([{ "role": conf.role(), "rules": rules }])
}

fn replication_rule(r: &ReplicationRule) -> Json {
    let filter = r.filter().map(|f| {
        let tags = match (f.tag(), f.and()) {
            (Some(tag), _) => tag_map(std::slice::from_ref(tag)),
            (None, Some(and)) if !and.tags().is_empty() => tag_map(and.tags()),
            _ => Json::Null,
        };
        let prefix = f.prefix().or_else(|| f.and().and_then(|a| a.prefix()));
        json!([{ "prefix": prefix, "tags": tags }])
    });
    let destination = r.destination().map(|d| {
        json!([{
            "bucket": d.bucket(),
            "storage_class": d.storage_class().map(|s| s.as_str()),
            "account_id": d.account(),
            "replica_kms_key_id": d.encryption_configuration().and_then(|e| e.replica_kms_key_id()),
        }])
    });
    #[allow(deprecated)]
    let legacy_prefix = r.prefix();
    json!({
        "id": r.id(),
        "status": r.status().as_str(),
        "priority": r.priority(),
        "prefix": legacy_prefix,
        "filter": filter,
        "destination": destination,
    })
}

/// The account's public access block: the resource, nothing when the account has none, or a
/// placeholder when it cannot be read.
async fn account_public_access_block(c: &Ctx<'_>) -> LoadOutput {
    let mut out = LoadOutput::default();
    let Some(account) = c.account.as_deref() else {
        out.resources.push(placeholder(
            c,
            ACCOUNT_BLOCK,
            &BLOCK_FLAGS,
            "the account id is unknown (sts:GetCallerIdentity failed): s3control:GetPublicAccessBlock needs it",
        ));
        return out;
    };
    let ctl = control_client(c.session);
    match ctl.get_public_access_block().account_id(account).send().await {
        Ok(o) => out
            .resources
            .push(account_block(c, account, o.public_access_block_configuration())),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            if e.code != "NoSuchPublicAccessBlockConfiguration" {
                out.errors
                    .push(c.error("s3control", "GetPublicAccessBlock", &e.message));
                out.resources.push(placeholder(
                    c,
                    ACCOUNT_BLOCK,
                    &BLOCK_FLAGS,
                    &e.unknown_reason("s3control", "GetPublicAccessBlock"),
                ));
            }
        }
    }
    out
}

/// `aws_s3_account_public_access_block` from the S3 Control answer; settings not returned are off.
pub fn account_block(
    c: &Ctx<'_>,
    account: &str,
    conf: Option<&aws_sdk_s3control::types::PublicAccessBlockConfiguration>,
) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(account));
    a.insert("account_id".into(), json!(account));
    let flags = [
        conf.and_then(|p| p.block_public_acls()),
        conf.and_then(|p| p.block_public_policy()),
        conf.and_then(|p| p.ignore_public_acls()),
        conf.and_then(|p| p.restrict_public_buckets()),
    ];
    for (name, value) in BLOCK_FLAGS.iter().zip(flags) {
        a.insert((*name).into(), json!(value.unwrap_or(false)));
    }
    c.resource(
        c.local_id(ACCOUNT_BLOCK, account),
        ACCOUNT_BLOCK,
        Some(account),
        a,
    )
}

/// The S3 Control endpoint: the SDK's rules, except for a custom endpoint whose host is an IP
/// address or `localhost`, which cannot take the account id as a host prefix and is used as it
/// is (the account id still goes in the `x-amz-account-id` header).
#[derive(Debug, Default)]
pub struct ControlEndpoint(aws_sdk_s3control::config::endpoint::DefaultResolver);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for ControlEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture, ResolveEndpoint};
        use aws_smithy_types::endpoint::EndpointAuthScheme;
        match params.endpoint() {
            Some(url) if literal_host(url) => EndpointFuture::ready(Ok(Endpoint::builder()
                .url(url.to_string())
                .auth_scheme(
                    EndpointAuthScheme::with_capacity("sigv4", 3)
                        .put("disableDoubleEncoding", true)
                        .put("signingName", "s3")
                        .put(
                            "signingRegion",
                            params.region().unwrap_or("us-east-1").to_string(),
                        ),
                )
                .build())),
            _ => ResolveEndpoint::resolve_endpoint(&self.0, params),
        }
    }
}

/// Whether the host of `url` is an IP address or `localhost`.
fn literal_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if authority.starts_with('[') {
        return true;
    }
    let host = authority.split(':').next().unwrap_or(authority);
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok()
}

/// `logging.0.target_bucket` → the target bucket, when it was collected in the same account.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let buckets: HashMap<(Option<&str>, &str), &str> = out
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.resource_type == BUCKET)
        .filter_map(|r| {
            Some((
                (r.provenance.account.as_deref(), r.physical_id.as_deref()?),
                r.id.as_str(),
            ))
        })
        .collect();
    out.resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.resource_type == BUCKET)
        .filter_map(|r| {
            let target = r.attr("logging.0.target_bucket").as_str()?;
            let to = buckets.get(&(r.provenance.account.as_deref(), target))?;
            Some(Reference {
                from: r.id.clone(),
                path: "logging.0.target_bucket".into(),
                to: (*to).to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use aws_sdk_s3::types::{
        AbortIncompleteMultipartUpload, Destination, Grant, Grantee, LifecycleExpiration,
        LifecycleRuleAndOperator, LifecycleRuleFilter, LoggingEnabled, NoncurrentVersionExpiration,
        Permission, PublicAccessBlockConfiguration, ReplicationConfiguration, ReplicationRuleStatus,
        ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
        ServerSideEncryptionRule, StorageClass, Transition, TransitionStorageClass, Type,
    };
    use serde_json::json;

    use super::*;
    use crate::ctx::Session;
    use attest_core::Value;

    fn denied() -> ApiError {
        ApiError {
            code: "AccessDenied".into(),
            message: "AccessDenied: not allowed".into(),
        }
    }

    /// A bucket with nothing configured: every call answered "not configured" or empty.
    fn empty_reads() -> BucketReads {
        BucketReads {
            encryption: Ok(None),
            versioning: Ok(Some(GetBucketVersioningOutput::builder().build())),
            logging: Ok(Some(GetBucketLoggingOutput::builder().build())),
            public_access_block: Ok(None),
            policy: Ok(None),
            acl: Ok(Some(GetBucketAclOutput::builder().build())),
            lifecycle: Ok(None),
            replication: Ok(None),
            tagging: Ok(None),
        }
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag::builder().key(k).value(v).build().expect("tag")
    }

    #[test]
    fn nothing_configured_is_empty_blocks_not_unknown() {
        let s = Session::for_tests("eu-west-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let r = bucket(&c, "plain", &empty_reads());
        assert_eq!(r.id, "arn:aws:s3:::plain");
        assert_eq!(r.physical_id.as_deref(), Some("plain"));
        assert_eq!(r.resource_type, "aws_s3_bucket");
        assert_eq!(r.provenance.region.as_deref(), Some("eu-west-1"));
        let a = r.attributes.to_json();
        assert_eq!(a["id"], json!("plain"));
        assert_eq!(a["bucket"], json!("plain"));
        assert_eq!(a["region"], json!("eu-west-1"));
        assert_eq!(a["bucket_domain_name"], json!("plain.s3.amazonaws.com"));
        assert_eq!(
            a["bucket_regional_domain_name"],
            json!("plain.s3.eu-west-1.amazonaws.com")
        );
        for key in [
            "server_side_encryption_configuration",
            "logging",
            "public_access_block",
            "grant",
            "lifecycle_rule",
            "replication_configuration",
        ] {
            assert_eq!(a[key], json!([]), "{key}");
        }
        assert!(r.attr("policy").is_null());
        assert!(r.attr("acl").is_null());
        assert_eq!(a["tags"], json!({}));
        assert_eq!(a["versioning"], json!([{"enabled": false, "mfa_delete": false}]));
    }

    #[test]
    fn each_denied_call_leaves_its_attributes_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let reads = BucketReads {
            encryption: Err(denied()),
            versioning: Err(denied()),
            logging: Err(denied()),
            public_access_block: Err(denied()),
            policy: Err(denied()),
            acl: Err(denied()),
            lifecycle: Err(denied()),
            replication: Err(denied()),
            tagging: Err(denied()),
        };
        let r = bucket(&c, "locked", &reads);
        for (key, op) in [
            ("server_side_encryption_configuration", "GetBucketEncryption"),
            ("versioning", "GetBucketVersioning"),
            ("logging", "GetBucketLogging"),
            ("public_access_block", "GetPublicAccessBlock"),
            ("policy", "GetBucketPolicy"),
            ("acl", "GetBucketAcl"),
            ("grant", "GetBucketAcl"),
            ("lifecycle_rule", "GetBucketLifecycleConfiguration"),
            ("replication_configuration", "GetBucketReplication"),
            ("tags", "GetBucketTagging"),
        ] {
            assert_eq!(
                r.attr(key),
                &Value::Unknown(format!("AccessDenied on s3:{op}")),
                "{key}"
            );
        }
        assert_eq!(reads.failures().len(), 9);
        assert!(!reads.gone());
        // Only the failed call is unknown.
        let mut one = empty_reads();
        one.policy = Err(denied());
        let r = bucket(&c, "half", &one);
        assert!(r.attr("policy").is_unknown());
        assert_eq!(r.attr("logging").to_json(), json!([]));
        assert_eq!(one.failures().len(), 1);
        assert_eq!(one.failures()[0].0, "GetBucketPolicy");
    }

    #[test]
    fn denied_calls_make_the_rules_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let all_denied = BucketReads {
            encryption: Err(denied()),
            versioning: Err(denied()),
            logging: Err(denied()),
            public_access_block: Err(denied()),
            policy: Err(denied()),
            acl: Err(denied()),
            lifecycle: Err(denied()),
            replication: Err(denied()),
            tagging: Err(denied()),
        };
        let graph = attest_core::ResourceGraph::new(vec![bucket(&c, "locked", &all_denied)], &[]);
        for id in [
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
        ] {
            let rule = attest_rules::find(id).expect("rule");
            let verdicts: Vec<_> = rule.check(&graph).iter().map(|e| e.verdict).collect();
            assert_eq!(verdicts, vec![attest_core::Verdict::Unknown], "{id}");
        }
    }

    #[test]
    fn a_deleted_bucket_is_gone() {
        let mut reads = empty_reads();
        reads.acl = Err(ApiError {
            code: "NoSuchBucket".into(),
            message: "NoSuchBucket: gone".into(),
        });
        assert!(reads.gone());
    }

    #[test]
    fn versioning_maps_status_and_mfa_delete() {
        let v = |status: Option<BucketVersioningStatus>, mfa: Option<MfaDeleteStatus>| {
            let o = GetBucketVersioningOutput::builder()
                .set_status(status)
                .set_mfa_delete(mfa)
                .build();
            versioning(Some(&o))
        };
        assert_eq!(
            v(
                Some(BucketVersioningStatus::Enabled),
                Some(MfaDeleteStatus::Enabled)
            ),
            json!([{"enabled": true, "mfa_delete": true}])
        );
        assert_eq!(
            v(
                Some(BucketVersioningStatus::Enabled),
                Some(MfaDeleteStatus::Disabled)
            ),
            json!([{"enabled": true, "mfa_delete": false}])
        );
        assert_eq!(
            v(Some(BucketVersioningStatus::Suspended), None),
            json!([{"enabled": false, "mfa_delete": false}])
        );
        assert_eq!(v(None, None), json!([{"enabled": false, "mfa_delete": false}]));
    }

    /// moto cannot serve `GetBucketVersioning` to the SDK: the rules reading versioning are
    /// proven on the mapping here.
    #[test]
    fn versioning_rules_judge_the_mapping() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let mut versioned = empty_reads();
        versioned.versioning = Ok(Some(
            GetBucketVersioningOutput::builder()
                .status(BucketVersioningStatus::Enabled)
                .mfa_delete(MfaDeleteStatus::Enabled)
                .build(),
        ));
        versioned.lifecycle = Ok(Some(
            GetBucketLifecycleConfigurationOutput::builder()
                .rules(
                    LifecycleRule::builder()
                        .status(ExpirationStatus::Enabled)
                        .filter(LifecycleRuleFilter::builder().prefix("").build())
                        .expiration(LifecycleExpiration::builder().days(30).build())
                        .build()
                        .expect("rule"),
                )
                .build(),
        ));
        let mut suspended = empty_reads();
        suspended.versioning = Ok(Some(
            GetBucketVersioningOutput::builder()
                .status(BucketVersioningStatus::Suspended)
                .build(),
        ));
        suspended.lifecycle = versioned.lifecycle.clone();
        let graph = attest_core::ResourceGraph::new(
            vec![
                bucket(&c, "versioned", &versioned),
                bucket(&c, "suspended", &suspended),
            ],
            &[],
        );
        use attest_core::Verdict::{Fail, Pass};
        for (id, want) in [
            ("aws-s3-versioning-lifecycle", vec![Pass, Fail]),
            ("aws-s3-mfa-delete", vec![Pass, Fail]),
        ] {
            let rule = attest_rules::find(id).expect("rule");
            let got: Vec<_> = rule.check(&graph).iter().map(|e| e.verdict).collect();
            assert_eq!(got, want, "{id}");
        }
    }

    #[test]
    fn configuration_maps_to_the_inline_shape() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let mut reads = empty_reads();
        reads.encryption = Ok(Some(
            GetBucketEncryptionOutput::builder()
                .server_side_encryption_configuration(
                    ServerSideEncryptionConfiguration::builder()
                        .rules(
                            ServerSideEncryptionRule::builder()
                                .apply_server_side_encryption_by_default(
                                    ServerSideEncryptionByDefault::builder()
                                        .sse_algorithm(ServerSideEncryption::AwsKms)
                                        .kms_master_key_id("arn:aws:kms:us-east-1:1:key/k")
                                        .build()
                                        .expect("default"),
                                )
                                .bucket_key_enabled(true)
                                .build(),
                        )
                        .build()
                        .expect("conf"),
                )
                .build(),
        ));
        reads.logging = Ok(Some(
            GetBucketLoggingOutput::builder()
                .logging_enabled(
                    LoggingEnabled::builder()
                        .target_bucket("logs")
                        .target_prefix("p/")
                        .build()
                        .expect("logging"),
                )
                .build(),
        ));
        reads.public_access_block = Ok(Some(
            GetPublicAccessBlockOutput::builder()
                .public_access_block_configuration(
                    PublicAccessBlockConfiguration::builder()
                        .block_public_acls(true)
                        .restrict_public_buckets(true)
                        .build(),
                )
                .build(),
        ));
        reads.policy = Ok(Some(
            GetBucketPolicyOutput::builder()
                .policy(r#"{"Version":"2012-10-17","Statement":[]}"#)
                .build(),
        ));
        reads.tagging = Ok(Some(
            GetBucketTaggingOutput::builder()
                .tag_set(tag("env", "prod"))
                .build()
                .expect("tagging"),
        ));
        let r = bucket(&c, "data", &reads);
        let a = r.attributes.to_json();
        assert_eq!(
            a["server_side_encryption_configuration"],
            json!([{"rule": [{
                "apply_server_side_encryption_by_default": [{
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": "arn:aws:kms:us-east-1:1:key/k"
                }],
                "bucket_key_enabled": true
            }]}])
        );
        assert_eq!(
            r.attr("server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm")
                .as_str(),
            Some("aws:kms")
        );
        assert_eq!(
            a["logging"],
            json!([{"target_bucket": "logs", "target_prefix": "p/"}])
        );
        assert_eq!(
            a["public_access_block"],
            json!([{"block_public_acls": true, "block_public_policy": false,
                "ignore_public_acls": false, "restrict_public_buckets": true}])
        );
        assert_eq!(a["policy"], json!(r#"{"Version":"2012-10-17","Statement":[]}"#));
        assert_eq!(a["tags"], json!({"env": "prod"}));
    }

    #[test]
    fn grants_are_grouped_by_grantee() {
        let grantee = |t: Type, id: Option<&str>, uri: Option<&str>| {
            Grantee::builder()
                .r#type(t)
                .set_id(id.map(str::to_string))
                .set_uri(uri.map(str::to_string))
                .build()
                .expect("grantee")
        };
        let all_users = "http://acs.amazonaws.com/groups/global/AllUsers";
        let o = GetBucketAclOutput::builder()
            .grants(
                Grant::builder()
                    .grantee(grantee(Type::CanonicalUser, Some("owner"), None))
                    .permission(Permission::FullControl)
                    .build(),
            )
            .grants(
                Grant::builder()
                    .grantee(grantee(Type::Group, None, Some(all_users)))
                    .permission(Permission::Read)
                    .build(),
            )
            .grants(
                Grant::builder()
                    .grantee(grantee(Type::Group, None, Some(all_users)))
                    .permission(Permission::ReadAcp)
                    .build(),
            )
            .build();
        assert_eq!(
            grants(Some(&o)),
            json!([
                {"type": "CanonicalUser", "id": "owner", "uri": null, "email_address": null,
                 "permissions": ["FULL_CONTROL"]},
                {"type": "Group", "id": null, "uri": all_users, "email_address": null,
                 "permissions": ["READ", "READ_ACP"]},
            ])
        );
    }

    #[test]
    fn lifecycle_rules_map_to_inline_rules() {
        let rule = LifecycleRule::builder()
            .id("archive")
            .status(ExpirationStatus::Enabled)
            .filter(
                LifecycleRuleFilter::builder()
                    .and(
                        LifecycleRuleAndOperator::builder()
                            .prefix("logs/")
                            .tags(tag("class", "cold"))
                            .build(),
                    )
                    .build(),
            )
            .expiration(LifecycleExpiration::builder().days(365).build())
            .transitions(
                Transition::builder()
                    .days(30)
                    .storage_class(TransitionStorageClass::Glacier)
                    .build(),
            )
            .noncurrent_version_expiration(NoncurrentVersionExpiration::builder().noncurrent_days(90).build())
            .abort_incomplete_multipart_upload(
                AbortIncompleteMultipartUpload::builder()
                    .days_after_initiation(7)
                    .build(),
            )
            .build()
            .expect("rule");
        assert_eq!(
            lifecycle_rule(&rule),
            json!({
                "id": "archive",
                "enabled": true,
                "prefix": "logs/",
                "tags": {"class": "cold"},
                "expiration": [{"date": null, "days": 365, "expired_object_delete_marker": null}],
                "transition": [{"date": null, "days": 30, "storage_class": "GLACIER"}],
                "noncurrent_version_expiration": [{"days": 90}],
                "noncurrent_version_transition": null,
                "abort_incomplete_multipart_upload_days": 7,
            })
        );
        let disabled = LifecycleRule::builder()
            .status(ExpirationStatus::Disabled)
            .filter(LifecycleRuleFilter::builder().tag(tag("k", "v")).build())
            .build()
            .expect("rule");
        let j = lifecycle_rule(&disabled);
        assert_eq!(j["enabled"], json!(false));
        assert_eq!(j["tags"], json!({"k": "v"}));
    }

    #[test]
    fn replication_maps_role_and_rules() {
        let o = GetBucketReplicationOutput::builder()
            .replication_configuration(
                ReplicationConfiguration::builder()
                    .role("arn:aws:iam::1:role/r")
                    .rules(
                        ReplicationRule::builder()
                            .id("all")
                            .priority(1)
                            .status(ReplicationRuleStatus::Enabled)
                            .destination(
                                Destination::builder()
                                    .bucket("arn:aws:s3:::replica")
                                    .storage_class(StorageClass::StandardIa)
                                    .build()
                                    .expect("destination"),
                            )
                            .build()
                            .expect("rule"),
                    )
                    .build()
                    .expect("conf"),
            )
            .build();
        assert_eq!(
            replication(Some(&o)),
            json!([{"role": "arn:aws:iam::1:role/r", "rules": [{
                "id": "all", "status": "Enabled", "priority": 1, "prefix": null, "filter": null,
                "destination": [{"bucket": "arn:aws:s3:::replica", "storage_class": "STANDARD_IA",
                    "account_id": null, "replica_kms_key_id": null}]
            }]}])
        );
        assert_eq!(replication(None), json!([]));
    }

    #[test]
    fn location_constraints_are_regions() {
        assert_eq!(region_of(None), "us-east-1");
        assert_eq!(region_of(Some("")), "us-east-1");
        assert_eq!(region_of(Some("EU")), "eu-west-1");
        assert_eq!(region_of(Some("ap-south-1")), "ap-south-1");
    }

    #[test]
    fn a_bucket_without_a_region_is_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let r = unlocated(&c, "hidden", &denied());
        assert_eq!(r.id, "arn:aws:s3:::hidden");
        assert!(r.provenance.region.is_none());
        for key in CONFIGURED.iter().chain(&["region"]) {
            assert_eq!(
                r.attr(key),
                &Value::Unknown("AccessDenied on s3:GetBucketLocation".into()),
                "{key}"
            );
        }
    }

    #[test]
    fn account_block_maps_the_flags() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let conf = aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .ignore_public_acls(true)
            .build();
        let r = account_block(&c, "123456789012", Some(&conf));
        assert_eq!(r.id, "aws_s3_account_public_access_block:global:123456789012");
        assert_eq!(r.physical_id.as_deref(), Some("123456789012"));
        assert_eq!(r.mode, Mode::Managed);
        assert_eq!(
            r.attributes.to_json(),
            json!({"id": "123456789012", "account_id": "123456789012",
                "block_public_acls": true, "block_public_policy": false,
                "ignore_public_acls": true, "restrict_public_buckets": false})
        );
    }

    #[tokio::test]
    async fn unknown_account_gives_a_placeholder_without_a_call() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, None);
        let out = account_public_access_block(&c).await;
        assert!(out.errors.is_empty());
        assert_eq!(out.resources.len(), 1);
        let p = &out.resources[0];
        assert_eq!(p.id, "aws_s3_account_public_access_block:global:unreadable");
        assert_eq!(p.mode, Mode::Data);
        for flag in BLOCK_FLAGS {
            assert!(p.attr(flag).is_unknown(), "{flag}");
        }
    }

    #[test]
    fn literal_hosts() {
        assert!(literal_host("http://127.0.0.1:5055"));
        assert!(literal_host("http://localhost:4566/"));
        assert!(literal_host("http://[::1]:9000"));
        assert!(!literal_host(
            "https://control.vpce-1a2b.s3.us-east-1.vpce.amazonaws.com"
        ));
        assert!(!literal_host("https://s3-control.example.internal:8443"));
    }

    #[test]
    fn logging_targets_are_linked() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let mut logged = empty_reads();
        logged.logging = Ok(Some(
            GetBucketLoggingOutput::builder()
                .logging_enabled(
                    LoggingEnabled::builder()
                        .target_bucket("logs")
                        .target_prefix("")
                        .build()
                        .expect("logging"),
                )
                .build(),
        ));
        let out = LoadOutput {
            resources: vec![bucket(&c, "data", &logged), bucket(&c, "logs", &empty_reads())],
            ..LoadOutput::default()
        };
        assert_eq!(
            link(&out),
            vec![Reference {
                from: "arn:aws:s3:::data".into(),
                path: "logging.0.target_bucket".into(),
                to: "arn:aws:s3:::logs".into(),
            }]
        );
    }
}
