//! Remediation of S3: `aws_s3_bucket` (one resource per bucket, joined with its encryption,
//! public access block, versioning, logging, policy, grants, lifecycle, replication and tags)
//! and `aws_s3_account_public_access_block`.
//!
//! A modified bucket is brought back one configuration at a time, one call each: its public
//! access block first, then default encryption, versioning and logging, then its policy, ACL and
//! tags. The baseline's policy and grants were accepted under the baseline's block, so the block
//! is back before they are written. Every bucket call is [`Step::Modify`] so that this order
//! holds; a configuration the baseline did not have is deleted in the same place
//! (`DeletePublicAccessBlock`, `DeleteBucketEncryption`, `DeleteBucketPolicy`, …).
//!
//! The ACL is written as the baseline's grants (`PutBucketAcl` with `GrantRead`, `GrantFullControl`,
//! …), which needs neither the owner nor a canned ACL: the scan records neither.
//!
//! Left to a person: a removed bucket (re-creating it does not bring its objects back), MFA
//! delete (only the root user with its MFA device can change it, and only so can versioning of a
//! bucket with MFA delete on), lifecycle rules and replication (the scan keeps a summary of them,
//! not every setting), tags with a secret-looking key (their values are redacted) or an `aws:`
//! key (reserved to AWS), an ACL without grants, and a baseline value that is unknown.
//!
//! The account's block is put back with S3 Control's `PutPublicAccessBlock`, planned as the s3
//! operation `PutAccountPublicAccessBlock`, before every bucket call ([`Step::Restore`]): the
//! baseline's bucket policies and ACLs were accepted under the baseline's account block. An
//! account block added since the baseline is not deleted: that would lift a protection of every
//! bucket of the account.
//!
//! An added bucket is deleted with `DeleteBucket`, which S3 refuses unless the bucket is empty:
//! attest does not delete objects.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use attest_core::redact::is_secret_key;

use super::util::{fully_known, str_of, top};
use super::{Out, Step, Subject};
use crate::drift::DriftKind;

const BUCKET: &str = "aws_s3_bucket";
const ACCOUNT_BLOCK: &str = "aws_s3_account_public_access_block";

pub(super) const TYPES: &[&str] = &[BUCKET, ACCOUNT_BLOCK];

/// The settings of a public access block: attribute name, API name.
const BLOCK_FLAGS: [(&str, &str); 4] = [
    ("block_public_acls", "BlockPublicAcls"),
    ("ignore_public_acls", "IgnorePublicAcls"),
    ("block_public_policy", "BlockPublicPolicy"),
    ("restrict_public_buckets", "RestrictPublicBuckets"),
];

/// The bucket attributes attest restores, in the order their calls run.
const RESTORED: [&str; 7] = [
    "public_access_block",
    "server_side_encryption_configuration",
    "versioning",
    "logging",
    "policy",
    "grant",
    "tags",
];

/// ACL permissions and the `PutBucketAcl` parameter that grants each.
const GRANT_PARAMS: [(&str, &str); 5] = [
    ("FULL_CONTROL", "GrantFullControl"),
    ("READ", "GrantRead"),
    ("WRITE", "GrantWrite"),
    ("READ_ACP", "GrantReadACP"),
    ("WRITE_ACP", "GrantWriteACP"),
];

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    if s.drift.resource_type == ACCOUNT_BLOCK {
        account_block(s, out);
    } else {
        bucket(s, out);
    }
}

pub(super) fn delete(s: &Subject<'_>, out: &mut Out<'_>) -> bool {
    if s.drift.resource_type != BUCKET {
        return false;
    }
    let name = bucket_name(s);
    out.action(
        s,
        Step::DeleteAdded,
        &[],
        format!("delete bucket {name} (S3 refuses unless it is empty)"),
        "s3",
        "DeleteBucket",
        json!({ "Bucket": name }),
        None,
        None,
    );
    true
}

fn bucket_name(s: &Subject<'_>) -> String {
    str_of(s.attributes(), "bucket")
        .map(str::to_string)
        .unwrap_or_else(|| s.physical_id())
}

/// A present, non-null value (`before` and `after` leave absent and null out).
fn some(v: Option<&Value>) -> Option<Value> {
    v.filter(|v| !v.is_null()).cloned()
}

fn bucket(s: &Subject<'_>, out: &mut Out<'_>) {
    if s.drift.kind == DriftKind::Removed {
        out.manual(
            s,
            None,
            "the bucket was deleted: re-creating it does not bring its objects back; re-create it \
             from code and restore its objects from a backup or replica",
        );
        return;
    }
    let (Some(base), Some(cur)) = (s.baseline, s.current) else {
        out.manual(
            s,
            None,
            "the bucket is missing from the baseline or the current scan",
        );
        return;
    };
    // The drift paths of each attribute, each once, in drift order.
    let mut paths: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in s.changes() {
        let p = paths.entry(top(&c.path)).or_default();
        if !p.contains(&c.path.as_str()) {
            p.push(&c.path);
        }
    }
    let b = Bucket {
        s,
        name: bucket_name(s),
        base: &base.attributes,
        cur: &cur.attributes,
    };
    for attr in RESTORED {
        let Some(p) = paths.remove(attr) else {
            continue;
        };
        let Some(value) = b.baseline(out, attr, &p) else {
            continue;
        };
        match attr {
            "public_access_block" => b.public_access_block(out, &p, value),
            "server_side_encryption_configuration" => b.encryption(out, &p, value),
            "versioning" => b.versioning(out, &p, value),
            "logging" => b.logging(out, &p, value),
            "policy" => b.policy(out, &p, value),
            "grant" => b.grants(out, &p, value),
            _ => b.tags(out, &p, value),
        }
    }
    for (attr, p) in paths {
        for path in p {
            out.manual(s, Some(path), other_reason(attr));
        }
    }
}

/// Why a bucket attribute attest does not restore stays manual.
fn other_reason(attr: &str) -> String {
    match attr {
        "lifecycle_rule" => {
            "lifecycle rules are not restored: the scan keeps a summary of each rule, not all \
                             of its settings (size filters, newer noncurrent versions…); re-apply them from \
                             code (PutBucketLifecycleConfiguration)"
                .into()
        }
        "replication_configuration" => {
            "replication is not restored: the scan does not keep every setting of a \
                                        rule (delete marker replication, replica ownership, replication time \
                                        control…); re-apply it from code (PutBucketReplication)"
                .into()
        }
        "region" => {
            "the bucket is in another region now: it was deleted and re-created; its objects did not \
                     come back with it"
                .into()
        }
        _ => format!("attest has no automatic revert for `{attr}` of a bucket"),
    }
}

/// A modified bucket: its name and both sides' attributes.
struct Bucket<'a> {
    s: &'a Subject<'a>,
    name: String,
    base: &'a Value,
    cur: &'a Value,
}

impl<'a> Bucket<'a> {
    /// The baseline's value of `attr` (null when absent), or a manual item per path when it is not
    /// fully known.
    fn baseline(&self, out: &mut Out<'_>, attr: &str, paths: &[&str]) -> Option<&'a Value> {
        let v = self.base.get(attr).unwrap_or(&Value::Null);
        if fully_known(v) {
            Some(v)
        } else {
            self.manual(
                out,
                paths,
                &format!("the baseline's `{attr}` is not known: nothing to restore"),
            );
            None
        }
    }

    fn manual(&self, out: &mut Out<'_>, paths: &[&str], reason: &str) {
        for p in paths {
            out.manual(self.s, Some(p), reason);
        }
    }

    fn unexpected(&self, out: &mut Out<'_>, paths: &[&str], attr: &str) {
        self.manual(
            out,
            paths,
            &format!("the baseline's `{attr}` does not have the shape attest reads: not restored"),
        );
    }

    /// One call on the bucket restoring `attr`: `params` get the bucket's name.
    fn call(
        &self,
        out: &mut Out<'_>,
        paths: &[&str],
        attr: &str,
        summary: String,
        operation: &str,
        params: Value,
    ) {
        let mut p = Map::new();
        p.insert("Bucket".into(), json!(self.name));
        if let Value::Object(m) = params {
            p.extend(m);
        }
        out.action(
            self.s,
            Step::Modify,
            paths,
            summary,
            "s3",
            operation,
            Value::Object(p),
            some(self.cur.get(attr)),
            some(self.base.get(attr)),
        );
    }

    /// The single block of a block list (`[{…}]`), `None` for `[]` or null; `Err` for more.
    fn single(v: &Value) -> Result<Option<&Value>, ()> {
        match v {
            Value::Null => Ok(None),
            Value::Array(items) => match items.as_slice() {
                [] => Ok(None),
                [one] => Ok(Some(one)),
                _ => Err(()),
            },
            _ => Err(()),
        }
    }

    fn public_access_block(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "public_access_block";
        match Self::single(base) {
            Ok(None) => self.call(
                out,
                paths,
                attr,
                "delete the bucket's public access block (none in the baseline)".into(),
                "DeletePublicAccessBlock",
                json!({}),
            ),
            Ok(Some(block)) => match block_flags(block) {
                Some(flags) => self.call(
                    out,
                    paths,
                    attr,
                    format!(
                        "restore the bucket's public access block ({})",
                        flags_text(&flags)
                    ),
                    "PutPublicAccessBlock",
                    json!({ "PublicAccessBlockConfiguration": flags }),
                ),
                None => self.unexpected(out, paths, attr),
            },
            Err(()) => self.unexpected(out, paths, attr),
        }
    }

    fn encryption(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "server_side_encryption_configuration";
        let conf = match Self::single(base) {
            Ok(Some(conf)) => conf,
            Ok(None) => {
                return self.call(
                    out,
                    paths,
                    attr,
                    "delete default encryption (none in the baseline)".into(),
                    "DeleteBucketEncryption",
                    json!({}),
                )
            }
            Err(()) => return self.unexpected(out, paths, attr),
        };
        let rules: Option<Vec<Value>> = conf
            .get("rule")
            .and_then(Value::as_array)
            .filter(|r| !r.is_empty())
            .and_then(|r| r.iter().map(sse_rule).collect());
        let Some(rules) = rules else {
            return self.unexpected(out, paths, attr);
        };
        let algorithms: Vec<&str> = rules
            .iter()
            .filter_map(|r| r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"].as_str())
            .collect();
        self.call(
            out,
            paths,
            attr,
            format!("restore default encryption ({})", algorithms.join(", ")),
            "PutBucketEncryption",
            json!({ "ServerSideEncryptionConfiguration": { "Rules": rules } }),
        );
    }

    fn versioning(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "versioning";
        let state = |v: &Value| -> Option<(bool, bool)> {
            match Self::single(v).ok()? {
                None => Some((false, false)),
                Some(b) => Some((
                    b.get("enabled")?.as_bool()?,
                    b.get("mfa_delete").and_then(Value::as_bool).unwrap_or(false),
                )),
            }
        };
        let (Some((enabled, mfa)), Some((now_enabled, now_mfa))) =
            (state(base), state(self.cur.get(attr).unwrap_or(&Value::Null)))
        else {
            return self.unexpected(out, paths, attr);
        };
        if enabled == now_enabled && mfa == now_mfa {
            self.manual(
                out,
                paths,
                "versioning differs in a setting attest does not restore",
            );
            return;
        }
        if enabled != now_enabled {
            if now_mfa {
                self.manual(
                    out,
                    paths,
                    "MFA delete is on: only the root user, with its MFA device, can change the versioning of \
                     this bucket (PutBucketVersioning with x-amz-mfa)",
                );
                return;
            }
            let (status, summary) = if enabled {
                ("Enabled", "turn versioning back on")
            } else {
                ("Suspended", "suspend versioning (off in the baseline)")
            };
            self.call(
                out,
                paths,
                attr,
                summary.into(),
                "PutBucketVersioning",
                json!({ "VersioningConfiguration": { "Status": status } }),
            );
        }
        if mfa != now_mfa {
            self.manual(
                out,
                paths,
                &format!(
                    "MFA delete was {state} in the baseline: only the root user, with its MFA device, can turn \
                     it {state} (PutBucketVersioning with x-amz-mfa)",
                    state = if mfa { "on" } else { "off" },
                ),
            );
        }
    }

    fn logging(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "logging";
        match Self::single(base) {
            Ok(None) => self.call(
                out,
                paths,
                attr,
                "turn access logging off (off in the baseline)".into(),
                "PutBucketLogging",
                json!({ "BucketLoggingStatus": {} }),
            ),
            Ok(Some(l)) => {
                let Some(target) = str_of(l, "target_bucket").filter(|t| !t.is_empty()) else {
                    return self.unexpected(out, paths, attr);
                };
                let prefix = str_of(l, "target_prefix").unwrap_or_default();
                self.call(
                    out,
                    paths,
                    attr,
                    format!("restore access logging to {target}/{prefix}"),
                    "PutBucketLogging",
                    json!({ "BucketLoggingStatus": {
                        "LoggingEnabled": { "TargetBucket": target, "TargetPrefix": prefix }
                    } }),
                );
            }
            Err(()) => self.unexpected(out, paths, attr),
        }
    }

    fn policy(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "policy";
        let document = match base {
            Value::Null => {
                return self.call(
                    out,
                    paths,
                    attr,
                    "delete the bucket policy (none in the baseline)".into(),
                    "DeleteBucketPolicy",
                    json!({}),
                )
            }
            Value::String(s) if s.trim().is_empty() => {
                return self.call(
                    out,
                    paths,
                    attr,
                    "delete the bucket policy (none in the baseline)".into(),
                    "DeleteBucketPolicy",
                    json!({}),
                )
            }
            Value::String(s) => s.clone(),
            Value::Object(_) => match serde_json::to_string(base) {
                Ok(s) => s,
                Err(_) => return self.unexpected(out, paths, attr),
            },
            _ => return self.unexpected(out, paths, attr),
        };
        self.call(
            out,
            paths,
            attr,
            "restore the bucket policy".into(),
            "PutBucketPolicy",
            json!({ "Policy": document }),
        );
    }

    fn grants(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "grant";
        let Some(grants) = base.as_array() else {
            return self.unexpected(out, paths, attr);
        };
        if grants.is_empty() {
            self.manual(
                out,
                paths,
                "the baseline's ACL has no grants: writing it needs the bucket's owner, which the scan does \
                 not record",
            );
            return;
        }
        let mut params: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for g in grants {
            let Some(grantee) = grantee(g) else {
                return self.unexpected(out, paths, attr);
            };
            let Some(permissions) = g.get("permissions").and_then(Value::as_array) else {
                return self.unexpected(out, paths, attr);
            };
            for p in permissions {
                let param = p
                    .as_str()
                    .and_then(|p| GRANT_PARAMS.iter().find(|(name, _)| *name == p))
                    .map(|(_, param)| *param);
                let Some(param) = param else {
                    return self.unexpected(out, paths, attr);
                };
                let list = params.entry(param).or_default();
                if !list.contains(&grantee) {
                    list.push(grantee.clone());
                }
            }
        }
        let count = grants.len();
        let params: Map<String, Value> = params
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v.join(", "))))
            .collect();
        self.call(
            out,
            paths,
            attr,
            format!(
                "restore the ACL's grants ({count} grantee{})",
                if count == 1 { "" } else { "s" }
            ),
            "PutBucketAcl",
            Value::Object(params),
        );
    }

    fn tags(&self, out: &mut Out<'_>, paths: &[&str], base: &Value) {
        let attr = "tags";
        let empty = Map::new();
        let tags = match base {
            Value::Null => &empty,
            Value::Object(m) => m,
            _ => return self.unexpected(out, paths, attr),
        };
        let current = self.cur.get(attr).and_then(Value::as_object).unwrap_or(&empty);
        if tags.keys().chain(current.keys()).any(|k| k.starts_with("aws:")) {
            self.manual(
                out,
                paths,
                "tags with the `aws:` prefix belong to AWS services and cannot be written: restore the other \
                 tags by hand",
            );
            return;
        }
        if let Some(k) = tags.keys().find(|k| is_secret_key(k)) {
            self.manual(
                out,
                paths,
                &format!("the value of tag `{k}` is redacted in the baseline: restore the tags by hand"),
            );
            return;
        }
        if tags.is_empty() {
            return self.call(
                out,
                paths,
                attr,
                "delete the tags (none in the baseline)".into(),
                "DeleteBucketTagging",
                json!({}),
            );
        }
        let set: Option<Vec<Value>> = tags
            .iter()
            .map(|(k, v)| v.as_str().map(|v| json!({ "Key": k, "Value": v })))
            .collect();
        let Some(set) = set else {
            return self.unexpected(out, paths, attr);
        };
        self.call(
            out,
            paths,
            attr,
            format!(
                "restore the tags ({} tag{})",
                set.len(),
                if set.len() == 1 { "" } else { "s" }
            ),
            "PutBucketTagging",
            json!({ "Tagging": { "TagSet": set } }),
        );
    }
}

/// One `rule` of `server_side_encryption_configuration` as an API rule.
fn sse_rule(r: &Value) -> Option<Value> {
    let default = match r
        .get("apply_server_side_encryption_by_default")?
        .as_array()?
        .as_slice()
    {
        [one] => one,
        _ => return None,
    };
    let mut by_default = Map::new();
    by_default.insert("SSEAlgorithm".into(), json!(str_of(default, "sse_algorithm")?));
    if let Some(key) = str_of(default, "kms_master_key_id").filter(|k| !k.is_empty()) {
        by_default.insert("KMSMasterKeyID".into(), json!(key));
    }
    let mut rule = Map::new();
    rule.insert(
        "ApplyServerSideEncryptionByDefault".into(),
        Value::Object(by_default),
    );
    if let Some(b) = r.get("bucket_key_enabled").and_then(Value::as_bool) {
        rule.insert("BucketKeyEnabled".into(), json!(b));
    }
    Some(Value::Object(rule))
}

/// A grant's grantee as a `PutBucketAcl` grant header names it: `id="…"`, `uri="…"`,
/// `emailAddress="…"`.
fn grantee(g: &Value) -> Option<String> {
    let (key, field) = match str_of(g, "type")? {
        "CanonicalUser" => ("id", "id"),
        "Group" => ("uri", "uri"),
        "AmazonCustomerByEmail" => ("emailAddress", "email_address"),
        _ => return None,
    };
    let value = str_of(g, field).filter(|v| !v.is_empty() && !v.contains(['"', ',']))?;
    Some(format!("{key}=\"{value}\""))
}

/// The four settings of a public access block object, with their API names.
fn block_flags(v: &Value) -> Option<Value> {
    let mut m = Map::new();
    for (attr, api) in BLOCK_FLAGS {
        m.insert(api.into(), json!(v.get(attr)?.as_bool()?));
    }
    Some(Value::Object(m))
}

/// `BlockPublicAcls, BlockPublicPolicy on` (or `all off`).
fn flags_text(flags: &Value) -> String {
    let on: Vec<&str> = BLOCK_FLAGS
        .iter()
        .filter(|(_, api)| flags[api] == json!(true))
        .map(|(_, api)| *api)
        .collect();
    match on.len() {
        0 => "all off".into(),
        4 => "all on".into(),
        _ => format!("{} on", on.join(", ")),
    }
}

/// The account's public access block: put back with its baseline settings (also when it was
/// deleted).
fn account_block(s: &Subject<'_>, out: &mut Out<'_>) {
    let Some(base) = s.baseline.map(|r| &r.attributes) else {
        out.manual(
            s,
            None,
            "the account's public access block is missing from the baseline",
        );
        return;
    };
    let flag_paths: Vec<&str> = s
        .changes()
        .iter()
        .map(|c| c.path.as_str())
        .filter(|p| BLOCK_FLAGS.iter().any(|(attr, _)| attr == p))
        .collect();
    for c in s.changes() {
        if !flag_paths.contains(&c.path.as_str()) {
            out.manual(
                s,
                Some(&c.path),
                format!(
                    "attest has no automatic revert for `{}` of the account's public access block",
                    c.path
                ),
            );
        }
    }
    if s.drift.kind == DriftKind::Modified && flag_paths.is_empty() {
        return;
    }
    let account = str_of(base, "account_id")
        .or(s.drift.account.as_deref())
        .filter(|a| !a.is_empty());
    let (Some(account), Some(flags)) = (account, block_flags(base)) else {
        let paths: Vec<Option<&str>> = if flag_paths.is_empty() {
            vec![None]
        } else {
            flag_paths.iter().copied().map(Some).collect()
        };
        for p in paths {
            out.manual(
                s,
                p,
                "the baseline's account id or block settings are not known: nothing to restore",
            );
        }
        return;
    };
    let before = s.current.and_then(|c| block_flags(&c.attributes));
    let summary = if s.drift.kind == DriftKind::Removed {
        format!(
            "re-create the account's public access block ({})",
            flags_text(&flags)
        )
    } else {
        format!(
            "restore the account's public access block ({})",
            flags_text(&flags)
        )
    };
    out.action(
        s,
        Step::Restore,
        &flag_paths,
        summary,
        "s3",
        "PutAccountPublicAccessBlock",
        json!({ "AccountId": account, "PublicAccessBlockConfiguration": flags }),
        before,
        Some(flags.clone()),
    );
}

#[cfg(test)]
mod tests {
    use attest_core::{Snapshot, SnapshotResource};
    use serde_json::{json, Value};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Plan, PlanOptions, Step};

    const ACCOUNT: &str = "123456789012";
    const ARN: &str = "arn:aws:s3:::data";
    const BLOCK_KEY: &str = "aws_s3_account_public_access_block:global:123456789012";
    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::data/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    const OWNER: &str = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
    const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";

    /// A bucket as the collector shapes it: everything protected.
    fn secure() -> Value {
        json!({
            "id": "data", "bucket": "data", "arn": ARN, "region": "us-east-1",
            "bucket_domain_name": "data.s3.amazonaws.com",
            "bucket_regional_domain_name": "data.s3.us-east-1.amazonaws.com",
            "server_side_encryption_configuration": [{"rule": [{
                "apply_server_side_encryption_by_default": [{
                    "sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:us-east-1:1:key/k"
                }],
                "bucket_key_enabled": true
            }]}],
            "versioning": [{"enabled": true, "mfa_delete": false}],
            "logging": [{"target_bucket": "logs", "target_prefix": "data/"}],
            "public_access_block": [{"block_public_acls": true, "block_public_policy": true,
                "ignore_public_acls": true, "restrict_public_buckets": true}],
            "policy": POLICY,
            "acl": null,
            "grant": [{"type": "CanonicalUser", "id": OWNER, "uri": null, "email_address": null,
                "permissions": ["FULL_CONTROL"]}],
            "lifecycle_rule": [],
            "replication_configuration": [],
            "tags": {"env": "prod"},
        })
    }

    /// The same bucket with nothing configured.
    fn plain() -> Value {
        let mut v = secure();
        v["server_side_encryption_configuration"] = json!([]);
        v["versioning"] = json!([{"enabled": false, "mfa_delete": false}]);
        v["logging"] = json!([]);
        v["public_access_block"] = json!([]);
        v["policy"] = Value::Null;
        v["tags"] = json!({});
        v
    }

    fn res(key: &str, ty: &str, attrs: Value) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: (ty == "aws_s3_bucket").then(|| "data".to_string()),
            account: Some(ACCOUNT.into()),
            region: (ty == "aws_s3_bucket").then(|| "us-east-1".to_string()),
            attributes: attrs,
        }
    }

    fn plan_of(base: Vec<SnapshotResource>, cur: Vec<SnapshotResource>, opts: &PlanOptions) -> Plan {
        let base = Snapshot::new(base, vec![]);
        let cur = Snapshot::new(cur, vec![]);
        let drift = diff(&base, &cur, &Ignore::defaults());
        plan(&drift, &base, &cur, opts)
    }

    fn buckets(base: Value, cur: Value) -> Plan {
        plan_of(
            vec![res(ARN, "aws_s3_bucket", base)],
            vec![res(ARN, "aws_s3_bucket", cur)],
            &PlanOptions::default(),
        )
    }

    /// The calls of a plan as (operation, params).
    fn calls(p: &Plan) -> Vec<(&str, Value)> {
        p.actions
            .iter()
            .map(|a| (a.call.operation.as_str(), a.call.params.clone()))
            .collect()
    }

    #[test]
    fn protections_come_back_before_policy_and_acl() {
        let mut cur = plain();
        let cur_policy = json!(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*"}]}"#);
        cur["policy"] = cur_policy.clone();
        cur["grant"] = json!([
            {"type": "CanonicalUser", "id": OWNER, "uri": null, "email_address": null,
             "permissions": ["FULL_CONTROL"]},
            {"type": "Group", "id": null, "uri": ALL_USERS, "email_address": null, "permissions": ["READ"]},
        ]);
        let p = buckets(secure(), cur);
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (
                    "PutPublicAccessBlock",
                    json!({"Bucket": "data", "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true, "IgnorePublicAcls": true,
                        "BlockPublicPolicy": true, "RestrictPublicBuckets": true}})
                ),
                (
                    "PutBucketEncryption",
                    json!({"Bucket": "data", "ServerSideEncryptionConfiguration": {"Rules": [{
                        "ApplyServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:us-east-1:1:key/k"},
                        "BucketKeyEnabled": true}]}})
                ),
                (
                    "PutBucketVersioning",
                    json!({"Bucket": "data", "VersioningConfiguration": {"Status": "Enabled"}})
                ),
                (
                    "PutBucketLogging",
                    json!({"Bucket": "data", "BucketLoggingStatus": {
                        "LoggingEnabled": {"TargetBucket": "logs", "TargetPrefix": "data/"}}})
                ),
                ("PutBucketPolicy", json!({"Bucket": "data", "Policy": POLICY})),
                (
                    "PutBucketAcl",
                    json!({"Bucket": "data", "GrantFullControl": format!("id=\"{OWNER}\"")})
                ),
                (
                    "PutBucketTagging",
                    json!({"Bucket": "data", "Tagging": {"TagSet": [{"Key": "env", "Value": "prod"}]}})
                ),
            ]
        );
        assert!(p.actions.iter().all(|a| a.step == Step::Modify));
        let by_op = |op: &str| p.actions.iter().find(|a| a.call.operation == op).expect(op);
        let block = by_op("PutPublicAccessBlock");
        assert_eq!(block.paths, vec!["public_access_block[]"]);
        assert_eq!(block.before, Some(json!([])));
        assert_eq!(block.after, Some(secure()["public_access_block"].clone()));
        assert_eq!(by_op("PutBucketPolicy").before, Some(cur_policy));
        assert_eq!(by_op("PutBucketTagging").paths, vec!["tags.env"]);
        assert_eq!(p.actions[0].region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn configuration_the_baseline_lacked_is_deleted() {
        let p = buckets(plain(), secure());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                ("DeletePublicAccessBlock", json!({"Bucket": "data"})),
                ("DeleteBucketEncryption", json!({"Bucket": "data"})),
                (
                    "PutBucketVersioning",
                    json!({"Bucket": "data", "VersioningConfiguration": {"Status": "Suspended"}})
                ),
                (
                    "PutBucketLogging",
                    json!({"Bucket": "data", "BucketLoggingStatus": {}})
                ),
                ("DeleteBucketPolicy", json!({"Bucket": "data"})),
                ("DeleteBucketTagging", json!({"Bucket": "data"})),
            ]
        );
        let policy = &p.actions[4];
        assert_eq!(policy.before, Some(json!(POLICY)));
        assert_eq!(policy.after, None);
    }

    #[test]
    fn changed_settings_are_set_back() {
        let mut cur = secure();
        cur["public_access_block"][0]["block_public_policy"] = json!(false);
        cur["server_side_encryption_configuration"][0]["rule"][0]
            ["apply_server_side_encryption_by_default"] =
            json!([{"sse_algorithm": "AES256", "kms_master_key_id": ""}]);
        cur["logging"][0]["target_prefix"] = json!("elsewhere/");
        cur["tags"] = json!({"env": "dev", "owner": "x"});
        let p = buckets(secure(), cur);
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        let ops: Vec<&str> = calls(&p).into_iter().map(|(op, _)| op).collect();
        assert_eq!(
            ops,
            [
                "PutPublicAccessBlock",
                "PutBucketEncryption",
                "PutBucketLogging",
                "PutBucketTagging"
            ]
        );
        assert_eq!(
            p.actions[0].summary,
            "restore the bucket's public access block (all on)"
        );
        assert_eq!(p.actions[3].paths, vec!["tags.env", "tags.owner"]);
        assert_eq!(
            p.actions[3].call.params["Tagging"]["TagSet"],
            json!([{"Key": "env", "Value": "prod"}])
        );
    }

    #[test]
    fn sse_s3_without_a_key_sends_no_key_id() {
        let mut base = secure();
        base["server_side_encryption_configuration"] = json!([{"rule": [{
            "apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256", "kms_master_key_id": ""}],
            "bucket_key_enabled": false
        }]}]);
        let p = buckets(base, plain());
        let enc = p
            .actions
            .iter()
            .find(|a| a.call.operation == "PutBucketEncryption")
            .expect("encryption");
        assert_eq!(
            enc.call.params["ServerSideEncryptionConfiguration"],
            json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                "BucketKeyEnabled": false}]})
        );
    }

    #[test]
    fn grants_become_grant_parameters() {
        let mut base = secure();
        base["grant"] = json!([
            {"type": "CanonicalUser", "id": OWNER, "uri": null, "email_address": null,
             "permissions": ["FULL_CONTROL"]},
            {"type": "Group", "id": null, "uri": ALL_USERS, "email_address": null,
             "permissions": ["READ", "READ_ACP"]},
            {"type": "Group", "id": null, "uri": "http://acs.amazonaws.com/groups/s3/LogDelivery",
             "email_address": null, "permissions": ["WRITE", "READ_ACP"]},
        ]);
        let p = buckets(base, secure());
        assert_eq!(
            calls(&p),
            vec![(
                "PutBucketAcl",
                json!({
                    "Bucket": "data",
                    "GrantFullControl": format!("id=\"{OWNER}\""),
                    "GrantRead": format!("uri=\"{ALL_USERS}\""),
                    "GrantReadACP": format!(
                        "uri=\"{ALL_USERS}\", uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\""
                    ),
                    "GrantWrite": "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"",
                })
            )]
        );
        assert_eq!(p.actions[0].summary, "restore the ACL's grants (3 grantees)");
        assert_eq!(p.actions[0].paths, vec!["grant[]"]);
    }

    #[test]
    fn an_acl_without_grants_or_with_odd_grantees_is_manual() {
        let mut base = secure();
        base["grant"] = json!([]);
        let p = buckets(base, secure());
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        assert_eq!(p.manual[0].path.as_deref(), Some("grant[]"));
        assert!(p.manual[0].reason.contains("owner"), "{}", p.manual[0].reason);

        let mut base = secure();
        base["grant"][0]["id"] = Value::Null;
        let p = buckets(base, secure());
        assert!(p.actions.is_empty());
        assert!(
            p.manual.iter().all(|m| m.reason.contains("shape")),
            "{:?}",
            p.manual
        );
    }

    #[test]
    fn mfa_delete_is_manual() {
        // Baseline with MFA delete on; now versioning suspended without it: versioning comes back,
        // MFA delete needs the root user.
        let mut base = secure();
        base["versioning"] = json!([{"enabled": true, "mfa_delete": true}]);
        let mut cur = secure();
        cur["versioning"] = json!([{"enabled": false, "mfa_delete": false}]);
        let p = buckets(base.clone(), cur);
        assert_eq!(
            calls(&p),
            vec![(
                "PutBucketVersioning",
                json!({"Bucket": "data", "VersioningConfiguration": {"Status": "Enabled"}})
            )]
        );
        assert_eq!(p.manual.len(), 1, "{:?}", p.manual);
        assert!(p.manual.iter().all(|m| m.path.as_deref() == Some("versioning[]")));
        assert!(
            p.manual[0].reason.contains("MFA delete was on"),
            "{}",
            p.manual[0].reason
        );

        // MFA delete on now: versioning cannot be changed without the device.
        let mut cur = secure();
        cur["versioning"] = json!([{"enabled": false, "mfa_delete": true}]);
        let p = buckets(base, cur);
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("root user"), "{:?}", p.manual);

        // A setting the scan does not map: manual rather than silently dropped.
        let mut cur = secure();
        cur["versioning"][0]["status"] = json!("Enabled");
        let p = buckets(secure(), cur);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1, "{:?}", p.manual);
        assert!(p.manual[0].reason.contains("does not restore"));
    }

    #[test]
    fn lifecycle_replication_and_unknowns_are_manual() {
        let mut cur = secure();
        cur["lifecycle_rule"] = json!([{"id": "expire", "enabled": true, "prefix": "",
            "tags": null, "expiration": [{"date": null, "days": 30, "expired_object_delete_marker": null}],
            "transition": null, "noncurrent_version_expiration": null, "noncurrent_version_transition": null,
            "abort_incomplete_multipart_upload_days": null}]);
        cur["replication_configuration"] = json!([{"role": "arn:aws:iam::1:role/r", "rules": []}]);
        let p = buckets(secure(), cur);
        assert!(p.actions.is_empty());
        let paths: Vec<_> = p.manual.iter().map(|m| m.path.as_deref().unwrap_or("")).collect();
        assert_eq!(paths, ["lifecycle_rule[]", "replication_configuration[]"]);
        assert!(p.manual[0].reason.contains("PutBucketLifecycleConfiguration"));
        assert!(p.manual[1].reason.contains("PutBucketReplication"));

        // A baseline policy that is unknown never drifts; a baseline block holding an unknown
        // makes the list undecided. Neither gives a call.
        let mut base = secure();
        base["public_access_block"][0]["block_public_acls"] = json!({"$unknown": "AccessDenied"});
        let p = buckets(base, plain());
        assert!(!p
            .actions
            .iter()
            .any(|a| a.call.operation.contains("PublicAccessBlock")));
    }

    #[test]
    fn reserved_and_redacted_tags_are_manual() {
        let mut base = secure();
        base["tags"] = json!({"aws:cloudformation:stack-name": "s", "env": "prod"});
        let p = buckets(base, secure());
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("aws:"));

        let mut base = secure();
        base["tags"] = json!({"api_token": "(redacted)", "env": "prod"});
        let p = buckets(base, secure());
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("redacted"), "{:?}", p.manual);
    }

    #[test]
    fn a_removed_bucket_is_manual_and_an_added_one_deleted_on_request() {
        let p = plan_of(
            vec![res(ARN, "aws_s3_bucket", secure())],
            vec![],
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        assert!(p.manual[0].reason.contains("objects"));

        let p = plan_of(
            vec![],
            vec![res(ARN, "aws_s3_bucket", plain())],
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty() && p.manual.is_empty());
        assert_eq!(p.kept.len(), 1);

        let opts = PlanOptions {
            delete_added: vec!["aws_s3_bucket".into()],
            ..PlanOptions::default()
        };
        let p = plan_of(vec![], vec![res(ARN, "aws_s3_bucket", plain())], &opts);
        assert_eq!(calls(&p), vec![("DeleteBucket", json!({"Bucket": "data"}))]);
        assert_eq!(p.actions[0].step, Step::DeleteAdded);
        assert!(p.actions[0].summary.contains("empty"));
    }

    fn account_block(flags: [bool; 4]) -> Value {
        json!({"id": ACCOUNT, "account_id": ACCOUNT,
            "block_public_acls": flags[0], "block_public_policy": flags[1],
            "ignore_public_acls": flags[2], "restrict_public_buckets": flags[3]})
    }

    #[test]
    fn the_account_block_comes_back_first() {
        let t = "aws_s3_account_public_access_block";
        let mut cur_bucket = secure();
        cur_bucket["policy"] = Value::Null;
        let p = plan_of(
            vec![
                res(BLOCK_KEY, t, account_block([true; 4])),
                res(ARN, "aws_s3_bucket", secure()),
            ],
            vec![
                res(BLOCK_KEY, t, account_block([true, false, true, false])),
                res(ARN, "aws_s3_bucket", cur_bucket),
            ],
            &PlanOptions::default(),
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        let all_on = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true,
            "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
        assert_eq!(
            calls(&p),
            vec![
                (
                    "PutAccountPublicAccessBlock",
                    json!({"AccountId": ACCOUNT, "PublicAccessBlockConfiguration": all_on})
                ),
                ("PutBucketPolicy", json!({"Bucket": "data", "Policy": POLICY})),
            ]
        );
        let a = &p.actions[0];
        assert_eq!((a.step, a.call.service.as_str()), (Step::Restore, "s3"));
        assert_eq!(a.paths, vec!["block_public_policy", "restrict_public_buckets"]);
        assert_eq!(a.after, Some(all_on));

        // Deleted since the baseline: put back whole.
        let p = plan_of(
            vec![res(BLOCK_KEY, t, account_block([true, true, false, false]))],
            vec![],
            &PlanOptions::default(),
        );
        assert_eq!(p.actions.len(), 1);
        assert!(p.actions[0].paths.is_empty());
        assert_eq!(
            p.actions[0].summary,
            "re-create the account's public access block (BlockPublicAcls, BlockPublicPolicy on)"
        );

        // Added since the baseline: not deleted, even when asked.
        let opts = PlanOptions {
            delete_added: vec![t.into()],
            ..PlanOptions::default()
        };
        let p = plan_of(vec![], vec![res(BLOCK_KEY, t, account_block([true; 4]))], &opts);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
    }
}
