//! IAM Access Analyzer `ListAnalyzers` → `aws_accessanalyzer_analyzer` (`analyzer_name`, `type`,
//! and `status`).
//!
//! `status` is not a Terraform attribute: the provider waits for an analyzer to become active and
//! never shows one that is not. Live, an analyzer can be `CREATING`, `DISABLED` (its trusted access
//! was removed) or `FAILED`, and such an analyzer analyzes nothing: rules that want a working
//! analyzer read `status` (`ACTIVE`). Every analyzer type is listed (external access `ACCOUNT` /
//! `ORGANIZATION`, and the unused- and internal-access kinds); rules choose the types they accept.
//!
//! The analyzer is a region-level singleton that an account-level rule looks for: a failed
//! `ListAnalyzers` adds a placeholder analyzer (every attribute unknown), so "an analyzer in every
//! region" says unknown for that region instead of fail.

use aws_sdk_accessanalyzer::types::AnalyzerSummary;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, placeholder};
use crate::ctx::{client, Ctx};

const TYPE: &str = "aws_accessanalyzer_analyzer";

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let aa = client!(c.session, aws_sdk_accessanalyzer, "accessanalyzer");
    let (analyzers, err) = drain(aa.list_analyzers().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("accessanalyzer", "ListAnalyzers", &e.message));
        out.resources.push(placeholder(
            c,
            TYPE,
            &["analyzer_name", "type", "status"],
            &e.unknown_reason("accessanalyzer", "ListAnalyzers"),
        ));
    }
    out.resources.extend(analyzers.iter().map(|a| analyzer(c, a)));
    out
}

pub fn analyzer(c: &Ctx<'_>, s: &AnalyzerSummary) -> Resource {
    let name = s.name();
    let arn = if s.arn().is_empty() {
        c.arn("access-analyzer", &format!("analyzer/{name}"))
    } else {
        Some(s.arn().to_string())
    };
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("analyzer_name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert("type".into(), json!(s.r#type().as_str()));
    a.insert("status".into(), json!(s.status().as_str()));
    a.insert(
        "tags".into(),
        super::tags(
            s.tags()
                .into_iter()
                .flatten()
                .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
        ),
    );
    let rid = arn.unwrap_or_else(|| c.local_id(TYPE, name));
    c.resource(rid, TYPE, Some(name), a)
}

/// Analyzers refer to nothing the rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

#[cfg(test)]
mod tests {
    use aws_sdk_accessanalyzer::types::{AnalyzerStatus, Type};
    use aws_smithy_types::DateTime;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn analyzer_shape_and_unreadable_listing() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let summary = AnalyzerSummary::builder()
            .arn("arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account")
            .name("account")
            .r#type(Type::Account)
            .status(AnalyzerStatus::Active)
            .created_at(DateTime::from_secs(0))
            .tags("team", "security")
            .build()
            .expect("summary");
        let r = analyzer(&c, &summary);
        assert_eq!(
            r.id,
            "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account"
        );
        assert_eq!(r.physical_id.as_deref(), Some("account"));
        assert_eq!(r.attr("analyzer_name").as_str(), Some("account"));
        assert_eq!(r.attr("type").as_str(), Some("ACCOUNT"));
        assert_eq!(r.attr("status").as_str(), Some("ACTIVE"));
        assert_eq!(r.attr("tags.team").as_str(), Some("security"));

        let p = placeholder(
            &c,
            TYPE,
            &["analyzer_name", "type", "status"],
            "AccessDeniedException on accessanalyzer:ListAnalyzers",
        );
        assert_eq!(p.id, "aws_accessanalyzer_analyzer:us-east-1:unreadable");
        assert_eq!(p.mode, attest_core::Mode::Data);
        assert!(p.attr("type").is_unknown());
    }
}
