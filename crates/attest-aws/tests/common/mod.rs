//! What the moto tests share: the emulator's endpoint, a reset, SDK configuration for seeding,
//! and the verdicts of rules on a collection.
//!
//! `scripts/services.sh` starts moto and exports `ATTEST_MOTO_ENDPOINT` and test credentials.
//! Without `ATTEST_MOTO_ENDPOINT` the tests print a notice and return (and fail when `CI` is set).
//! The tests of one binary share one moto and reset it, so they take turns (`MOTO`); cargo runs
//! test binaries one after the other.
#![allow(dead_code)]

pub mod deny;

use std::collections::BTreeMap;

use aws_config::{BehaviorVersion, Region, SdkConfig};

use attest_aws::AwsOptions;
use attest_core::{LoadOutput, ResourceGraph, Verdict};

pub const REGION: &str = "us-east-1";
/// moto's account id.
pub const ACCOUNT: &str = "123456789012";

pub static MOTO: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub fn endpoint() -> Option<String> {
    match std::env::var("ATTEST_MOTO_ENDPOINT") {
        Ok(e) if !e.is_empty() => Some(e),
        _ => {
            // In CI the test script always starts moto: a missing endpoint there is a failure.
            assert!(
                std::env::var_os("CI").is_none(),
                "ATTEST_MOTO_ENDPOINT is not set in CI: run the tests through scripts/services.sh"
            );
            eprintln!(
                "notice: ATTEST_MOTO_ENDPOINT is not set; skipping the moto tests (run them through scripts/services.sh)"
            );
            None
        }
    }
}

/// Empties moto (`POST /moto-api/reset`).
pub async fn reset(endpoint: &str) {
    // A raw HTTP/1.1 POST, so that the tests need no HTTP client of their own.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let hostport = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut s = tokio::net::TcpStream::connect(hostport)
        .await
        .expect("moto is reachable");
    let req = format!(
        "POST /moto-api/reset HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.expect("reset request");
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.expect("reset answer");
    assert!(
        answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"),
        "{answer}"
    );
}

/// SDK configuration for seeding moto in `region`.
pub async fn sdk_in(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "testing", "testing", None, None, "static",
        ))
        .load()
        .await
}

/// SDK configuration for seeding moto in [`REGION`].
pub async fn sdk(endpoint: &str) -> SdkConfig {
    sdk_in(endpoint, REGION).await
}

/// An S3 client for seeding (moto needs path-style addressing).
pub fn s3(cfg: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(cfg)
            .force_path_style(true)
            .build(),
    )
}

/// Collection options for moto in [`REGION`], reading only `services` (all when empty).
pub fn options(endpoint: &str, services: &[&str]) -> AwsOptions {
    AwsOptions::new()
        .with_regions(vec![REGION.to_string()])
        .with_endpoint_url(Some(endpoint.to_string()))
        .with_services(services.iter().map(|s| s.to_string()).collect())
}

/// What the seeding created, by role in the scenario.
#[derive(Default)]
pub struct Seeded {
    ids: BTreeMap<&'static str, String>,
}

impl Seeded {
    pub fn set(&mut self, role: &'static str, id: impl Into<String>) {
        self.ids.insert(role, id.into());
    }
    pub fn get(&self, role: &str) -> &str {
        &self.ids[role]
    }
    /// The role of a physical id or resource id, for readable assertions.
    pub fn role_of(&self, id: &str) -> Option<&'static str> {
        self.ids.iter().find(|(_, v)| v.as_str() == id).map(|(k, _)| *k)
    }
}

/// (rule, who, verdict) of `rules` on a collection, sorted, as the engine gives them (verdicts
/// that depend on an unreadable type are unknown: `attest_engine::unreadable`). `who` is the seeded role of the
/// resource's physical id (or of its id), else the resource id; `account` for account-level
/// evaluations.
pub fn judge(out: &LoadOutput, seeded: &Seeded, rules: &[&str]) -> Vec<(String, String, Verdict)> {
    let graph = ResourceGraph::new(out.resources.clone(), &out.references);
    let unreadable = attest_engine::unreadable::Unreadable::of(&graph);
    let mut verdicts = Vec::new();
    for id in rules {
        let rule = attest_rules::find(id).unwrap_or_else(|| panic!("rule {id}"));
        for e in unreadable.temper(&graph, rule.looks_through(), rule.check(&graph)) {
            let who = match e.resource {
                None => "account".to_string(),
                Some(i) => {
                    let r = graph.get(i);
                    r.physical_id
                        .as_deref()
                        .and_then(|p| seeded.role_of(p))
                        .or_else(|| seeded.role_of(&r.id))
                        .map(str::to_string)
                        .unwrap_or_else(|| r.id.clone())
                }
            };
            verdicts.push((id.to_string(), who, e.verdict));
        }
    }
    verdicts.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    verdicts
}

pub fn verdict_of(verdicts: &[(String, String, Verdict)], rule: &str, who: &str) -> Option<Verdict> {
    verdicts
        .iter()
        .find(|(r, w, _)| r == rule && w == who)
        .map(|(_, _, v)| *v)
}

/// Asserts each (rule, who, verdict) and that nothing else seeded was judged by those rules
/// except what `others` allows (a predicate on (rule, who, verdict) for unseeded resources such
/// as moto's default VPC).
pub fn assert_verdicts(verdicts: &[(String, String, Verdict)], expect: &[(&str, &str, Verdict)]) {
    for (rule, who, verdict) in expect {
        assert_eq!(
            verdict_of(verdicts, rule, who),
            Some(*verdict),
            "{rule} on {who}: {verdicts:#?}"
        );
    }
}
