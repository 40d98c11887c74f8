//! IAM `ListPolicies` (customer-managed, `Scope=Local`) and `GetPolicyVersion` → `aws_iam_policy`
//! with `policy` as a JSON string.

use aws_sdk_iam::types::{Policy, PolicyScopeType};
use futures::StreamExt;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Resource};

use super::{drain, tags, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// `GetPolicyVersion` calls in flight at once.
const CONCURRENCY: usize = 8;

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let iam = client!(c.session, aws_sdk_iam, "iam");
    let (policies, err) = drain(
        iam.list_policies()
            .scope(PolicyScopeType::Local)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("iam", "ListPolicies", e.message));
    }
    let iam = &iam;
    let documents: Vec<(Policy, Result<String, ApiError>)> = futures::stream::iter(policies)
        .map(|p| async move {
            let doc = match (p.arn(), p.default_version_id()) {
                (Some(arn), Some(version)) => iam
                    .get_policy_version()
                    .policy_arn(arn)
                    .version_id(version)
                    .send()
                    .await
                    .map(|o| {
                        o.policy_version()
                            .and_then(|v| v.document())
                            .map(str::to_string)
                            .unwrap_or_default()
                    })
                    .map_err(|e| ApiError::from_sdk(&e)),
                _ => Err(ApiError {
                    code: "MissingVersion".into(),
                    message: "ListPolicies gave no ARN or default version".into(),
                }),
            };
            (p, doc)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (p, doc) in documents {
        if let Err(e) = &doc {
            out.errors.push(c.error(
                "iam",
                "GetPolicyVersion",
                format!("{}: {}", p.arn().unwrap_or("?"), e.message),
            ));
        }
        out.resources.extend(policy(c, &p, doc));
    }
    out
}

fn policy(c: &Ctx<'_>, p: &Policy, doc: Result<String, ApiError>) -> Option<Resource> {
    let arn = p.arn()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(p.policy_name()));
    a.insert("path".into(), json!(p.path()));
    a.insert("description".into(), json!(p.description().unwrap_or_default()));
    a.insert("policy_id".into(), json!(p.policy_id()));
    a.insert("attachment_count".into(), json!(p.attachment_count()));
    a.insert(
        "tags".into(),
        tags(p.tags().iter().map(|t| (Some(t.key()), Some(t.value())))),
    );
    let document = match doc {
        Ok(raw) => match decode_document(&raw) {
            Some(text) => json!(text),
            None => unknown("the policy document of iam:GetPolicyVersion could not be decoded"),
        },
        Err(e) => unknown(&e.unknown_reason("iam", "GetPolicyVersion")),
    };
    a.insert("policy".into(), document);
    Some(c.resource(arn.to_string(), "aws_iam_policy", Some(arn), a))
}

/// IAM returns policy documents URL-encoded (RFC 3986); some emulators return the JSON as it
/// is. A document that already looks like JSON is kept; anything else is percent-decoded.
/// `None` when the decoded bytes are not UTF-8.
pub fn decode_document(raw: &str) -> Option<String> {
    let trimmed = raw.trim_start();
    if trimmed.starts_with('{') || trimmed.is_empty() {
        return Some(raw.to_string());
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_decoded_tolerantly() {
        let json = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        assert_eq!(decode_document(json).as_deref(), Some(json));
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        assert_eq!(decode_document(encoded).as_deref(), Some(json));
        // A stray `%` and a `+` are kept as they are.
        assert_eq!(decode_document("%7Ba+b%zz%").as_deref(), Some("{a+b%zz%"));
        assert_eq!(decode_document("%FF%FE"), None);
    }
}
