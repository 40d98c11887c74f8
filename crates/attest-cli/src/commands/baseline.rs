//! `attest baseline`: an environment's known-good snapshot.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context;

use super::store::Session;
use crate::cli::{BaselineCommand, ListFormat};

pub fn run(cmd: BaselineCommand, database: Option<&str>) -> anyhow::Result<ExitCode> {
    let session = Session::open(database)?;
    match cmd {
        BaselineCommand::Set { name, scan } => {
            let env = session.environment(&name)?;
            let b = session.run(session.store.set_baseline(&env, scan))?;
            let doc = b.doc()?;
            eprintln!(
                "attest: baseline #{} of `{}` is scan #{} ({})",
                b.id,
                env.name,
                b.source_scan_id.unwrap_or_default(),
                super::count(doc.resources.len() as i64, "resource")
            );
        }
        BaselineCommand::Show { name, format } => {
            let env = session.environment(&name)?;
            let Some(b) = session.run(session.store.baseline(&env))? else {
                anyhow::bail!(
                    "environment `{}` has no baseline: `attest baseline set {}` makes its latest scan one",
                    env.name,
                    env.name
                );
            };
            let doc = b.doc()?;
            let mut types: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &doc.resources {
                *types.entry(r.resource_type.as_str()).or_default() += 1;
            }
            match format {
                ListFormat::Json => {
                    let v = serde_json::json!({
                        "id": b.id,
                        "environment": env.name,
                        "set_at": b.set_at,
                        "source_scan_id": b.source_scan_id,
                        "source": doc.source,
                        "resources": doc.resources.len(),
                        "types": types,
                        "unread": doc.unread,
                    });
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                ListFormat::Text => {
                    let from = match (b.source_scan_id, &doc.source.scanned_at) {
                        (Some(id), _) => format!("scan #{id}"),
                        (None, Some(at)) => format!("a file (scanned {at} in `{}`)", doc.environment),
                        (None, None) => format!("a file (from `{}`)", doc.environment),
                    };
                    println!(
                        "Baseline #{} of {}: set {} from {from}, {}",
                        b.id,
                        env.name,
                        b.set_at,
                        super::count(doc.resources.len() as i64, "resource")
                    );
                    for (t, n) in &types {
                        println!("  {n:>6}  {t}");
                    }
                    for u in &doc.unread {
                        println!(
                            "  not read: {} in {}/{}",
                            u.resource_type,
                            u.account.as_deref().unwrap_or("-"),
                            u.region.as_deref().unwrap_or("-")
                        );
                    }
                }
            }
        }
        BaselineCommand::Export { name, output } => {
            let env = session.environment(&name)?;
            let Some(b) = session.run(session.store.baseline(&env))? else {
                anyhow::bail!("environment `{}` has no baseline to export", env.name);
            };
            super::write_atomically(&output, |w| {
                w.write_all(b.document.as_bytes())
                    .with_context(|| format!("cannot write {}", output.display()))
            })?;
            eprintln!(
                "attest: wrote baseline #{} of `{}` to {}",
                b.id,
                env.name,
                output.display()
            );
        }
        BaselineCommand::Import { name, file } => {
            let env = session.environment(&name)?;
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let b = session.run(
                session
                    .store
                    .import_baseline(&env, &text, &file.display().to_string()),
            )?;
            eprintln!(
                "attest: baseline #{} of `{}` imported from {} ({})",
                b.id,
                env.name,
                file.display(),
                super::count(b.doc()?.resources.len() as i64, "resource")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
