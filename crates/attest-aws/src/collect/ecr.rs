//! ECR `DescribeRepositories` and `GetRegistryScanningConfiguration` → `aws_ecr_repository`.
//!
//! `image_scanning_configuration.scan_on_push` is what ECR actually does on a push, not only the
//! repository's own (legacy) flag: a registry scanning rule (`SCAN_ON_PUSH` or `CONTINUOUS_SCAN`)
//! whose filter matches the repository scans it on push, and with enhanced scanning the
//! repository's flag is ignored. When the registry configuration cannot be read, `scan_on_push`
//! is unknown.

use aws_sdk_ecr::types::{
    RegistryScanningConfiguration, Repository, ScanFrequency, ScanType, ScanningRepositoryFilterType,
};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ecr = client!(c.session, aws_sdk_ecr, "ecr");
    let (repos, err) = drain(ecr.describe_repositories().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("ecr", "DescribeRepositories", e.message));
    }
    if repos.is_empty() {
        return out;
    }
    let registry = match ecr.get_registry_scanning_configuration().send().await {
        Ok(o) => Ok(o.scanning_configuration),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            out.errors
                .push(c.error("ecr", "GetRegistryScanningConfiguration", &e.message));
            Err(e)
        }
    };
    let registry = registry.as_ref().map(|r| r.as_ref());
    out.resources
        .extend(repos.iter().filter_map(|r| repository(c, r, registry)));
    out
}

/// A repository; `registry` is the registry's scanning configuration (`Ok(None)` when the answer
/// holds none: basic scanning without rules).
pub fn repository(
    c: &Ctx<'_>,
    r: &Repository,
    registry: Result<Option<&RegistryScanningConfiguration>, &ApiError>,
) -> Option<Resource> {
    let name = r.repository_name()?;
    let arn = r
        .repository_arn()
        .map(str::to_string)
        .or_else(|| c.arn("ecr", &format!("repository/{name}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert("registry_id".into(), json!(r.registry_id()));
    a.insert("repository_url".into(), json!(r.repository_uri()));
    a.insert(
        "image_tag_mutability".into(),
        json!(r.image_tag_mutability().map(|m| m.as_str()).unwrap_or("MUTABLE")),
    );
    a.insert(
        "image_tag_mutability_exclusion_filter".into(),
        Json::Array(
            r.image_tag_mutability_exclusion_filters()
                .iter()
                .map(|f| json!({"filter": f.filter(), "filter_type": f.filter_type().as_str()}))
                .collect(),
        ),
    );
    let own = r.image_scanning_configuration().is_some_and(|s| s.scan_on_push());
    a.insert(
        "image_scanning_configuration".into(),
        json!([{ "scan_on_push": scan_on_push(name, own, registry) }]),
    );
    a.insert(
        "encryption_configuration".into(),
        match r.encryption_configuration() {
            Some(e) => json!([{
                "encryption_type": e.encryption_type().as_str(),
                "kms_key": e.kms_key().unwrap_or_default(),
            }]),
            None => json!([{ "encryption_type": "AES256", "kms_key": "" }]),
        },
    );
    let rid = arn.unwrap_or_else(|| c.local_id("aws_ecr_repository", name));
    Some(c.resource(rid, "aws_ecr_repository", Some(name), a))
}

/// References from repositories: none that rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

/// Whether ECR scans images of repository `name` when they are pushed.
fn scan_on_push(
    name: &str,
    own: bool,
    registry: Result<Option<&RegistryScanningConfiguration>, &ApiError>,
) -> Json {
    let config = match registry {
        Ok(config) => config,
        Err(e) => {
            return unknown(&format!(
                "{} (registry scanning rules may override the repository setting)",
                e.unknown_reason("ecr", "GetRegistryScanningConfiguration")
            ))
        }
    };
    let Some(config) = config else {
        return json!(own);
    };
    let scanned_by_rule = config.rules().iter().any(|rule| {
        matches!(
            rule.scan_frequency(),
            ScanFrequency::ScanOnPush | ScanFrequency::ContinuousScan
        ) && rule.repository_filters().iter().any(|f| {
            matches!(f.filter_type(), ScanningRepositoryFilterType::Wildcard) && wildcard(f.filter(), name)
        })
    });
    if scanned_by_rule {
        return json!(true);
    }
    match config.scan_type() {
        // Enhanced scanning ignores the repository's own flag: only matching rules scan.
        Some(ScanType::Enhanced) => json!(false),
        _ => json!(own),
    }
}

/// ECR's repository filter: `*` matches any run of characters, everything else itself.
fn wildcard(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use aws_sdk_ecr::types::{
        EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
        RegistryScanningRule, ScanningRepositoryFilter,
    };

    use super::*;
    use crate::ctx::Session;

    fn repo(name: &str, scan: bool) -> Repository {
        Repository::builder()
            .repository_name(name)
            .repository_arn(format!("arn:aws:ecr:us-east-1:123456789012:repository/{name}"))
            .image_tag_mutability(ImageTagMutability::Immutable)
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(scan).build())
            .encryption_configuration(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::Kms)
                    .kms_key("arn:aws:kms:us-east-1:123456789012:key/k")
                    .build()
                    .expect("encryption"),
            )
            .build()
    }

    fn rule(frequency: ScanFrequency, filter: &str) -> RegistryScanningRule {
        RegistryScanningRule::builder()
            .scan_frequency(frequency)
            .repository_filters(
                ScanningRepositoryFilter::builder()
                    .filter(filter)
                    .filter_type(ScanningRepositoryFilterType::Wildcard)
                    .build()
                    .expect("filter"),
            )
            .build()
            .expect("rule")
    }

    #[test]
    fn repository_maps_to_the_terraform_shape() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let r = repository(&c, &repo("app", true), Ok(None)).expect("repository");
        assert_eq!(r.id, "arn:aws:ecr:us-east-1:123456789012:repository/app");
        assert_eq!(r.physical_id.as_deref(), Some("app"));
        assert_eq!(r.attr("image_tag_mutability").as_str(), Some("IMMUTABLE"));
        assert_eq!(
            r.attr("image_scanning_configuration").to_json(),
            json!([{"scan_on_push": true}])
        );
        assert_eq!(
            r.attr("encryption_configuration.encryption_type").as_str(),
            Some("KMS")
        );
        let bare = Repository::builder().repository_name("bare").build();
        let b = repository(&c, &bare, Ok(None)).expect("repository");
        assert_eq!(b.attr("image_tag_mutability").as_str(), Some("MUTABLE"));
        assert_eq!(
            b.attr("image_scanning_configuration.scan_on_push").as_bool(),
            Some(false)
        );
    }

    #[test]
    fn registry_rules_decide_scan_on_push() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let enhanced = RegistryScanningConfiguration::builder()
            .scan_type(ScanType::Enhanced)
            .rules(rule(ScanFrequency::ContinuousScan, "prod-*"))
            .build();
        let scan = |name: &str, own: bool, cfg: &RegistryScanningConfiguration| {
            repository(&c, &repo(name, own), Ok(Some(cfg)))
                .expect("repository")
                .attr("image_scanning_configuration.scan_on_push")
                .as_bool()
        };
        assert_eq!(scan("prod-api", false, &enhanced), Some(true));
        // Enhanced scanning ignores the repository's own flag.
        assert_eq!(scan("dev-api", true, &enhanced), Some(false));
        let basic = RegistryScanningConfiguration::builder()
            .scan_type(ScanType::Basic)
            .rules(rule(ScanFrequency::ScanOnPush, "*"))
            .build();
        assert_eq!(scan("anything", false, &basic), Some(true));
        let manual = RegistryScanningConfiguration::builder()
            .scan_type(ScanType::Basic)
            .rules(rule(ScanFrequency::Manual, "*"))
            .build();
        assert_eq!(scan("x", true, &manual), Some(true));
        assert_eq!(scan("x", false, &manual), Some(false));
    }

    #[test]
    fn denied_registry_configuration_leaves_scan_on_push_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "AccessDeniedException".into(),
            message: "not allowed".into(),
        };
        let r = repository(&c, &repo("app", true), Err(&denied)).expect("repository");
        assert!(r.attr("image_scanning_configuration.scan_on_push").is_unknown());
        assert_eq!(r.attr("image_tag_mutability").as_str(), Some("IMMUTABLE"));
    }

    #[test]
    fn wildcard_filters() {
        assert!(wildcard("*", "a"));
        assert!(wildcard("prod-*", "prod-api"));
        assert!(wildcard("*-api", "prod-api"));
        assert!(wildcard("p*d*i", "prod-api"));
        assert!(!wildcard("prod-*", "dev-api"));
        assert!(!wildcard("ab*ba", "aba"));
        assert!(wildcard("exact", "exact") && !wildcard("exact", "exactly"));
    }
}
