//! Waivers: accepted failures with a reason, an owner and an expiry date.

use chrono::NaiveDate;
use globset::{Glob, GlobMatcher};

use attest_core::{AppliedWaiver, Finding, Outcome, RuleMeta};

use crate::config::WaiverOptions;
use crate::EngineError;

/// A waiver ready to match findings.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Rule id or alias as written, or `*`.
    pub rule: String,
    resource: Option<GlobMatcher>,
    file: Vec<GlobMatcher>,
    pub reason: String,
    pub owner: Option<String>,
    pub expires: Option<NaiveDate>,
    /// Where the waiver was written (`.attest.toml` path and index), for notices.
    pub origin: String,
}

impl Waiver {
    pub fn from_options(o: &WaiverOptions, origin: String) -> Result<Waiver, EngineError> {
        let bad = |message: String| EngineError::Waiver {
            origin: origin.clone(),
            message,
        };
        if o.reason.trim().is_empty() {
            return Err(bad("`reason` must say why the finding is accepted".into()));
        }
        if o.rule.trim().is_empty() {
            return Err(bad("`rule` must name a rule id, an alias, or `*`".into()));
        }
        let glob = |pattern: &str| {
            Glob::new(pattern)
                .map(|g| g.compile_matcher())
                .map_err(|e| bad(format!("invalid glob `{pattern}`: {e}")))
        };
        let resource = o.resource.as_deref().map(glob).transpose()?;
        let file = match o.file.as_deref() {
            None => Vec::new(),
            Some(p) if p.starts_with("**/") || p.starts_with('/') => vec![glob(p)?],
            Some(p) => vec![glob(p)?, glob(&format!("**/{p}"))?],
        };
        let expires = o
            .expires
            .as_deref()
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|e| bad(format!("`expires` must be a date YYYY-MM-DD, got `{d}`: {e}")))
            })
            .transpose()?;
        Ok(Waiver {
            rule: o.rule.clone(),
            resource,
            file,
            reason: o.reason.clone(),
            owner: o.owner.clone(),
            expires,
            origin,
        })
    }

    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|d| d < today)
    }

    /// True when the waiver names this finding (whatever its outcome or expiry).
    pub fn matches(&self, meta: &RuleMeta, finding: &Finding) -> bool {
        (self.rule == "*" || meta.answers_to(&self.rule))
            && self
                .resource
                .as_ref()
                .is_none_or(|g| g.is_match(&finding.resource_id))
            && (self.file.is_empty()
                || finding
                    .location
                    .as_ref()
                    .is_some_and(|l| self.file.iter().any(|g| g.is_match(&l.file))))
    }

    fn applied(&self, original: Outcome) -> AppliedWaiver {
        AppliedWaiver {
            reason: self.reason.clone(),
            owner: self.owner.clone(),
            expires: self.expires.map(|d| d.to_string()),
            source: "config".to_string(),
            original,
        }
    }
}

/// Applies waivers to findings (failures and unknowns only; a pass stays a pass). Returns notices:
/// expired waivers that matched a finding, and waivers that matched nothing.
pub fn apply(
    waivers: &[Waiver],
    findings: &mut [Finding],
    meta_of: impl Fn(&str) -> Option<&'static RuleMeta>,
    today: NaiveDate,
) -> Vec<String> {
    let mut used = vec![false; waivers.len()];
    let mut expired_hits = vec![0usize; waivers.len()];
    for finding in findings.iter_mut() {
        let Some(meta) = meta_of(&finding.rule_id) else {
            continue;
        };
        for (i, w) in waivers.iter().enumerate() {
            if !w.matches(meta, finding) {
                continue;
            }
            used[i] = true;
            if w.is_expired(today) {
                if matches!(finding.outcome, Outcome::Fail | Outcome::Unknown) {
                    expired_hits[i] += 1;
                }
                continue;
            }
            if matches!(finding.outcome, Outcome::Fail | Outcome::Unknown) {
                finding.waiver = Some(w.applied(finding.outcome));
                finding.outcome = Outcome::Waived;
            }
            break;
        }
    }
    let mut notices = Vec::new();
    for (i, w) in waivers.iter().enumerate() {
        if expired_hits[i] > 0 {
            notices.push(format!(
                "waiver {} for `{}` expired on {} and no longer applies ({} finding{} count again)",
                w.origin,
                w.rule,
                w.expires.map(|d| d.to_string()).unwrap_or_default(),
                expired_hits[i],
                if expired_hits[i] == 1 { "" } else { "s" }
            ));
        } else if !used[i] {
            notices.push(format!("waiver {} for `{}` matched no finding", w.origin, w.rule));
        }
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;
    use attest_core::{Alias, Location, RuleKind, Severity};

    static META: RuleMeta = RuleMeta {
        id: "aws-test-rule",
        title: "test",
        severity: Severity::High,
        kind: RuleKind::Resource,
        resource_types: &["aws_s3_bucket"],
        aliases: &[Alias {
            tool: "fugue",
            id: "FG_R99999",
        }],
        doc: "",
    };

    fn finding(resource: &str, file: &str, outcome: Outcome) -> Finding {
        Finding {
            rule_id: "aws-test-rule".into(),
            rule_title: "test".into(),
            rule_aliases: Default::default(),
            rule_kind: RuleKind::Resource,
            severity: Severity::High,
            outcome,
            resource_id: resource.into(),
            resource_type: "aws_s3_bucket".into(),
            physical_id: None,
            input: None,
            message: String::new(),
            attribute: None,
            location: Some(Location::new(file, 3, 1)),
            module_stack: vec![],
            controls: vec![],
            waiver: None,
        }
    }

    fn waiver(rule: &str, resource: Option<&str>, file: Option<&str>, expires: Option<&str>) -> Waiver {
        Waiver::from_options(
            &WaiverOptions {
                rule: rule.into(),
                resource: resource.map(Into::into),
                file: file.map(Into::into),
                reason: "accepted".into(),
                owner: Some("sec@example.com".into()),
                expires: expires.map(Into::into),
            },
            "#1".into(),
        )
        .unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn waives_failures_by_alias_and_glob_but_not_passes() {
        let mut f = vec![
            finding("aws_s3_bucket.legacy_a", "infra/main.tf", Outcome::Fail),
            finding("aws_s3_bucket.legacy_b", "infra/main.tf", Outcome::Pass),
            finding("aws_s3_bucket.new", "infra/main.tf", Outcome::Fail),
        ];
        let notices = apply(
            &[waiver("fg_r99999", Some("aws_s3_bucket.legacy*"), None, None)],
            &mut f,
            |_| Some(&META),
            day("2026-01-01"),
        );
        assert_eq!(f[0].outcome, Outcome::Waived);
        assert_eq!(f[0].waiver.as_ref().unwrap().original, Outcome::Fail);
        assert_eq!(f[1].outcome, Outcome::Pass);
        assert_eq!(f[2].outcome, Outcome::Fail);
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn file_glob_matches_relative_suffix() {
        let mut f = vec![
            finding("a", "examples/demo/legacy/main.tf", Outcome::Fail),
            finding("b", "examples/demo/main.tf", Outcome::Fail),
        ];
        apply(
            &[waiver("*", None, Some("legacy/**"), None)],
            &mut f,
            |_| Some(&META),
            day("2026-01-01"),
        );
        assert_eq!(f[0].outcome, Outcome::Waived);
        assert_eq!(f[1].outcome, Outcome::Fail);
    }

    #[test]
    fn expired_waiver_stops_applying_and_says_so() {
        let mut f = vec![finding("a", "main.tf", Outcome::Fail)];
        let notices = apply(
            &[waiver("aws-test-rule", None, None, Some("2025-12-31"))],
            &mut f,
            |_| Some(&META),
            day("2026-01-01"),
        );
        assert_eq!(f[0].outcome, Outcome::Fail);
        assert_eq!(notices.len(), 1);
        assert!(notices[0].contains("expired on 2025-12-31"), "{notices:?}");
        // The last day still applies.
        let mut f = vec![finding("a", "main.tf", Outcome::Fail)];
        apply(
            &[waiver("aws-test-rule", None, None, Some("2026-01-01"))],
            &mut f,
            |_| Some(&META),
            day("2026-01-01"),
        );
        assert_eq!(f[0].outcome, Outcome::Waived);
    }

    #[test]
    fn unused_waiver_is_noticed_and_bad_input_rejected() {
        let mut f = vec![finding("a", "main.tf", Outcome::Fail)];
        let notices = apply(
            &[waiver("other-rule", None, None, None)],
            &mut f,
            |_| Some(&META),
            day("2026-01-01"),
        );
        assert_eq!(
            notices,
            vec!["waiver #1 for `other-rule` matched no finding".to_string()]
        );
        let bad = WaiverOptions {
            rule: "x".into(),
            resource: None,
            file: None,
            reason: " ".into(),
            owner: None,
            expires: Some("next week".into()),
        };
        assert!(Waiver::from_options(&bad, "#2".into())
            .unwrap_err()
            .to_string()
            .contains("reason"));
        let bad = WaiverOptions {
            reason: "ok".into(),
            ..bad
        };
        assert!(Waiver::from_options(&bad, "#2".into())
            .unwrap_err()
            .to_string()
            .contains("YYYY-MM-DD"));
    }
}
