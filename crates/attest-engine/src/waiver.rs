//! Waivers: accepted failures with a reason, an owner and an expiry date.

use chrono::NaiveDate;
use globset::{Glob, GlobMatcher};

use attest_core::{AppliedWaiver, Finding, Location, Outcome, RuleMeta, Suppression};

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
    if waivers.is_empty() {
        return Vec::new();
    }
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

/// True when `location` (a finding's or a module call's) is the block a suppression targets:
/// same file, same header line.
fn at_target(location: Option<&Location>, target: &Location) -> bool {
    location.is_some_and(|l| l.file == target.file && l.line == target.line)
}

/// Applies inline suppressions (`# attest:ignore <rule> <reason>` comments) to findings.
///
/// A suppression waives the failures and unknowns of its rule (`rule_of` resolves an id or alias
/// to a rule of the scan) on the resources declared by the block it targets: a resource whose
/// location is that block, or one declared inside a module called by a `module` block at that
/// location. Passes stay passes, and a finding a configuration waiver already waived keeps that
/// waiver. Returns notices: suppressions naming no rule of the scan, and suppressions that
/// matched no finding.
pub fn apply_inline(
    suppressions: &[Suppression],
    findings: &mut [Finding],
    rule_of: impl Fn(&str) -> Option<&'static RuleMeta>,
) -> Vec<String> {
    let mut notices = Vec::new();
    for s in suppressions {
        let Some(meta) = rule_of(&s.rule) else {
            notices.push(format!(
                "attest:ignore at {}:{}:{} names `{}`, which is not a rule of this scan (unknown id or \
                 alias, or left out by the rule selection; see `attest rules list`)",
                s.comment.file, s.comment.line, s.comment.column, s.rule
            ));
            continue;
        };
        let mut used = false;
        for finding in findings.iter_mut() {
            if finding.rule_id != meta.id {
                continue;
            }
            let here = at_target(finding.location.as_ref(), &s.target)
                || finding
                    .module_stack
                    .iter()
                    .any(|call| at_target(call.location.as_ref(), &s.target));
            if !here {
                continue;
            }
            used = true;
            if finding.waiver.is_none() && matches!(finding.outcome, Outcome::Fail | Outcome::Unknown) {
                finding.waiver = Some(AppliedWaiver {
                    reason: s.reason.clone(),
                    owner: None,
                    expires: None,
                    source: "inline".to_string(),
                    original: finding.outcome,
                });
                finding.outcome = Outcome::Waived;
            }
        }
        if !used {
            notices.push(format!(
                "attest:ignore at {}:{}:{} for `{}` matched no finding",
                s.comment.file, s.comment.line, s.comment.column, s.rule
            ));
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
            controls: Default::default(),
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

    fn suppression(rule: &str, file: &str, line: u32) -> Suppression {
        Suppression {
            rule: rule.into(),
            reason: "reviewed in SEC-7".into(),
            comment: Location::new(file, line.saturating_sub(1).max(1), 1),
            target: Location::new(file, line, 1),
        }
    }

    fn meta_of(name: &str) -> Option<&'static RuleMeta> {
        META.answers_to(name).then_some(&META)
    }

    #[test]
    fn inline_suppression_waives_the_block_by_id_or_alias() {
        let mut f = vec![
            finding("aws_s3_bucket.a[0]", "main.tf", Outcome::Fail),
            finding("aws_s3_bucket.a[1]", "main.tf", Outcome::Unknown),
            finding("aws_s3_bucket.b", "main.tf", Outcome::Pass),
            finding("aws_s3_bucket.c", "other.tf", Outcome::Fail),
        ];
        let notices = apply_inline(&[suppression("fg_r99999", "main.tf", 3)], &mut f, meta_of);
        assert!(notices.is_empty(), "{notices:?}");
        for waived in &f[..2] {
            assert_eq!(waived.outcome, Outcome::Waived);
            let w = waived.waiver.as_ref().unwrap();
            assert_eq!(w.source, "inline");
            assert_eq!(w.reason, "reviewed in SEC-7");
        }
        assert_eq!(f[0].waiver.as_ref().unwrap().original, Outcome::Fail);
        assert_eq!(f[1].waiver.as_ref().unwrap().original, Outcome::Unknown);
        assert_eq!(f[2].outcome, Outcome::Pass, "a pass stays a pass");
        assert_eq!(f[3].outcome, Outcome::Fail, "another file is another block");
    }

    #[test]
    fn inline_suppression_on_a_module_block_covers_its_resources() {
        let mut inside = finding("module.net.aws_s3_bucket.x", "modules/net/main.tf", Outcome::Fail);
        inside.module_stack = vec![
            attest_core::ModuleCall {
                address: "module.net".into(),
                location: Some(Location::new("main.tf", 12, 1)),
            },
            attest_core::ModuleCall {
                address: "module.net.module.inner".into(),
                location: Some(Location::new("modules/net/main.tf", 30, 1)),
            },
        ];
        let mut elsewhere = inside.clone();
        elsewhere.module_stack[0].location = Some(Location::new("main.tf", 40, 1));
        let mut f = vec![inside, elsewhere];
        let notices = apply_inline(&[suppression("aws-test-rule", "main.tf", 12)], &mut f, meta_of);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(f[0].outcome, Outcome::Waived);
        assert_eq!(f[1].outcome, Outcome::Fail);
    }

    #[test]
    fn config_waiver_takes_precedence_and_unused_or_unknown_suppressions_are_noticed() {
        let mut f = vec![finding("aws_s3_bucket.a", "main.tf", Outcome::Fail)];
        apply(
            &[waiver("*", None, None, None)],
            &mut f,
            |_| Some(&META),
            day("2026-01-01"),
        );
        let notices = apply_inline(
            &[
                suppression("aws-test-rule", "main.tf", 3),
                suppression("aws-test-rule", "main.tf", 9),
                suppression("aws-no-such-rule", "main.tf", 3),
            ],
            &mut f,
            meta_of,
        );
        let w = f[0].waiver.as_ref().unwrap();
        assert_eq!(w.source, "config", "the configuration waiver stays");
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert_eq!(
            notices[0],
            "attest:ignore at main.tf:8:1 for `aws-test-rule` matched no finding"
        );
        assert!(
            notices[1].contains("`aws-no-such-rule`, which is not a rule"),
            "{notices:?}"
        );
    }
}
