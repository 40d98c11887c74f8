//! `attest drift NAME`: what changed in an environment since its baseline (or a scan, or a
//! baseline file), and how it differs from its infrastructure code.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use is_terminal::IsTerminal;

use attest_core::Snapshot;
use attest_store::BaselineDoc;

use super::store::{EnvConfig, Session};
use crate::cli::{DriftArgs, ListFormat};

pub fn run(args: DriftArgs, database: Option<&str>) -> anyhow::Result<ExitCode> {
    let session = Session::open(database)?;
    let env = session.environment(&args.name)?;
    let env_config = EnvConfig::of(&env)?;
    let scan = match args.scan {
        Some(id) => session.run(session.store.scan(&env, id))?,
        None => session.run(session.store.latest_scan(&env))?.with_context(|| {
            format!(
                "environment `{}` has no scan yet: run `attest scan --env {}` first",
                env.name, env.name
            )
        })?,
    };
    let current = session.run(session.store.snapshot(scan.id))?;

    let ignore = env_config.ignore(args.config.as_deref())?;

    // The reference snapshot. Without a baseline, `--against-iac` alone still runs.
    let against: Option<(String, Snapshot)> = match args.against.as_str() {
        "baseline" => match session.run(session.store.baseline(&env))? {
            Some(b) => {
                let from = b
                    .source_scan_id
                    .map(|s| format!(" (scan #{s})"))
                    .unwrap_or_else(|| " (imported)".into());
                Some((format!("baseline #{}{from}", b.id), b.doc()?.snapshot()))
            }
            None if !args.against_iac.is_empty() => None,
            None => anyhow::bail!(
                "environment `{}` has no baseline: `attest baseline set {}` makes its latest scan one, \
                 or compare with `--against scan:ID`",
                env.name,
                env.name
            ),
        },
        other => match other.strip_prefix("scan:") {
            Some(id) => {
                let id: i64 = id
                    .parse()
                    .with_context(|| format!("--against scan:ID expects a scan number, got `{other}`"))?;
                let old = session.run(session.store.scan(&env, id))?;
                Some((
                    format!("scan #{}", old.id),
                    session.run(session.store.snapshot(old.id))?,
                ))
            }
            None => {
                let text = std::fs::read_to_string(other).with_context(|| format!("cannot read {other}"))?;
                Some((
                    format!("baseline file {other}"),
                    BaselineDoc::parse(&text, other)?.snapshot(),
                ))
            }
        },
    };
    let drift = against
        .as_ref()
        .map(|(_, old)| attest_engine::drift::diff(old, &current, &ignore));

    let iac = if args.against_iac.is_empty() {
        None
    } else {
        let loaded = attest_iac::load_paths(&args.against_iac, &attest_iac::LoadOptions::default());
        for e in &loaded.errors {
            eprintln!("warning: {e}");
        }
        if loaded.inputs.is_empty() || (loaded.resources.is_empty() && !loaded.errors.is_empty()) {
            anyhow::bail!(
                "nothing could be read in {} to compare with",
                args.against_iac
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        Some(attest_engine::iac_drift::compare_with(
            &current,
            &loaded.resources,
            &ignore,
            None,
        ))
    };

    let title = |what: &str| {
        format!(
            "Drift of {}: scan #{} ({}) against {what}",
            env.name, scan.id, scan.finished_at
        )
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let mut meta = serde_json::json!({
                "environment": env.name,
                "scan": scan.id,
                "scanned_at": scan.finished_at,
                "against": against.as_ref().map(|(label, _)| label.clone()),
            });
            if let Some(iac) = &iac {
                meta["iac"] = serde_json::to_value(iac)?;
            }
            let empty = attest_engine::drift::DriftReport::default();
            attest_report::drift::render_json(drift.as_ref().unwrap_or(&empty), meta, &mut out)?;
        }
        ListFormat::Text => {
            let color = args.color.enabled(std::io::stdout().is_terminal());
            match (&drift, &against) {
                (Some(d), Some((label, _))) => {
                    attest_report::drift::render_text(d, &title(label), color, &mut out)?
                }
                _ => writeln!(
                    out,
                    "No baseline set for {}: showing the comparison with code only.",
                    env.name
                )?,
            }
            if let Some(iac) = &iac {
                writeln!(out)?;
                let paths: Vec<String> = args.against_iac.iter().map(|p| p.display().to_string()).collect();
                attest_report::iac_drift::render_text(iac, &title(&paths.join(", ")), color, &mut out)?;
            }
        }
    }
    out.flush()?;
    let drifted =
        drift.as_ref().is_some_and(|d| !d.is_empty()) || iac.as_ref().is_some_and(|i| !i.is_empty());
    Ok(if drifted {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
