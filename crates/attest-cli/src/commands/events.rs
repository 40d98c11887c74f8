//! `attest events NAME`: what happened to an environment, oldest first.

use std::process::ExitCode;

use super::store::Session;
use crate::cli::{EventsArgs, ListFormat};

const KINDS: &[&str] = &["drift", "compliance", "baseline", "remediation"];

pub fn run(args: EventsArgs, database: Option<&str>) -> anyhow::Result<ExitCode> {
    for k in &args.kind {
        if !KINDS.iter().any(|known| known.eq_ignore_ascii_case(k)) {
            anyhow::bail!("unknown event kind `{k}` in --kind (known: {})", KINDS.join(", "));
        }
    }
    let session = Session::open(database)?;
    let env = session.environment(&args.name)?;
    let events = session.run(session.store.events(&env, &args.kind, args.since_scan))?;
    match args.format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&events)?),
        ListFormat::Text => {
            if events.is_empty() {
                println!("No events for {}.", env.name);
            }
            for e in &events {
                let scan = e.scan_id.map(|s| format!("#{s}")).unwrap_or_else(|| "-".into());
                println!("{}  {:<6} {:<11} {}", e.at, scan, e.kind, e.summary);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
