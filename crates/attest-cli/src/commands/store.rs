//! The store from the command line: opening it, environments' scan settings, recording scans.

use std::future::Future;
use std::path::PathBuf;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use attest_core::{Report, Snapshot};
use attest_store::{Environment, FindingRow, NewScan, RecordedScan, Store};

use crate::cli::AwsArgs;

/// The store and the runtime its calls run on.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    pub store: Store,
}

impl Session {
    /// Opens the store `--database` names, or the default one.
    pub fn open(database: Option<&str>) -> anyhow::Result<Session> {
        let location = match database {
            Some(d) => d.to_string(),
            None => attest_store::default_location().context(
                "no store location: pass --database PATH or set ATTEST_DATABASE (HOME is not set)",
            )?,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime for the store")?;
        let store = runtime.block_on(Store::open(&location))?;
        Ok(Session { runtime, store })
    }

    /// Runs a store call to completion.
    pub fn run<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    pub fn environment(&self, name: &str) -> anyhow::Result<Environment> {
        Ok(self.run(self.store.environment(name))?)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let store = self.store.clone();
        self.runtime.block_on(async move { store.close().await });
    }
}

/// How an environment is scanned: what `attest env add` was given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EnvConfig {
    /// Live AWS options, when the environment is (or includes) an AWS account set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsArgs>,
    /// Code and inventories, as absolute paths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (absolute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<PathBuf>,
    /// Enforcement mode: every recorded scan reverts drift of these types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforce: Option<Enforcement>,
}

/// What enforcement reverts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Enforcement {
    /// Resource types; empty: every type attest can remediate.
    pub types: Vec<String>,
}

impl EnvConfig {
    pub fn of(env: &Environment) -> anyhow::Result<EnvConfig> {
        serde_json::from_value(env.config.clone())
            .with_context(|| format!("the stored configuration of environment `{}`", env.name))
    }

    /// What drift ignores: `[drift] ignore` of `config` if given, else of the environment's
    /// configuration file, on top of the defaults.
    pub fn ignore(&self, config: Option<&std::path::Path>) -> anyhow::Result<attest_engine::drift::Ignore> {
        let path = config.or(self.config.as_deref());
        let options = match path {
            Some(p) => attest_engine::Options::load(p)?,
            None => attest_engine::Options::default(),
        };
        ignore_of(&options, path)
    }
}

/// The drift options of a configuration file: `[drift] ignore` on top of the defaults.
pub fn ignore_of(
    options: &attest_engine::Options,
    origin: Option<&std::path::Path>,
) -> anyhow::Result<attest_engine::drift::Ignore> {
    let patterns = options
        .drift
        .as_ref()
        .map(|d| d.ignore.clone())
        .unwrap_or_default();
    attest_engine::drift::Ignore::new(&patterns).map_err(|e| match origin {
        Some(p) => anyhow::anyhow!("[drift] ignore in {}: {e}", p.display()),
        None => anyhow::anyhow!("[drift] ignore: {e}"),
    })
}

/// The rules version a scan ran: how many rules, and a digest of their ids, so two scans can tell
/// they ran the same rules.
fn rules_version(report: &Report) -> String {
    let ids: Vec<u8> = report
        .rules
        .iter()
        .flat_map(|r| r.id.bytes().chain(std::iter::once(0)))
        .collect();
    format!(
        "{} rules, {}",
        report.rules.len(),
        attest_engine::drift::digest(&ids)
    )
}

/// The summary stored with a scan: counts overall, per framework and per criterion.
pub fn summary_of(report: &Report) -> serde_json::Value {
    let frameworks: Vec<serde_json::Value> = report
        .frameworks
        .iter()
        .map(|f| {
            serde_json::json!({
                "id": f.id,
                "name": f.name,
                "counts": f.counts,
                "criteria": f.criteria.iter().map(|c| serde_json::json!({
                    "id": c.id,
                    "status": c.status.as_str(),
                    "counts": c.counts,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "resources": report.summary.resources,
        "rules": report.summary.rules,
        "counts": report.summary.counts,
        "frameworks": frameworks,
    })
}

/// Records a finished scan of `env`.
pub fn record(
    session: &Session,
    env: &Environment,
    report: &Report,
    snapshot: Snapshot,
    started_at: String,
    timings: serde_json::Value,
    ignore: &attest_engine::drift::Ignore,
) -> anyhow::Result<RecordedScan> {
    let findings = report
        .findings
        .iter()
        .map(|f| FindingRow {
            rule_id: f.rule_id.clone(),
            resource_id: f.resource_id.clone(),
            resource_type: f.resource_type.clone(),
            outcome: f.outcome.as_str().to_string(),
            severity: f.severity.as_str().to_string(),
            message: f.message.clone(),
            controls: f
                .controls
                .iter()
                .map(|c| format!("{}:{}", c.framework, c.criterion))
                .collect(),
        })
        .collect();
    let scan = NewScan {
        started_at,
        finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        rules_version: rules_version(report),
        inputs: serde_json::json!({ "inputs": report.inputs, "errors": report.errors }),
        summary: summary_of(report),
        timings,
        snapshot,
        findings,
    };
    Ok(session.run(session.store.record_scan(env, scan, ignore))?)
}
