//! `attest history NAME`: the recorded scans of an environment.

use std::process::ExitCode;

use serde_json::Value;

use super::store::Session;
use crate::cli::{HistoryArgs, ListFormat};

pub fn run(args: HistoryArgs, database: Option<&str>) -> anyhow::Result<ExitCode> {
    let session = Session::open(database)?;
    let env = session.environment(&args.name)?;
    let scans = session.run(session.store.scans(&env, args.limit.max(1)))?;
    if args.format == ListFormat::Json {
        println!("{}", serde_json::to_string_pretty(&scans)?);
        return Ok(ExitCode::SUCCESS);
    }
    if scans.is_empty() {
        println!(
            "Environment {} has no scans yet: `attest scan --env {}` records one.",
            env.name, env.name
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("Scans of {} (newest first)", env.name);
    for s in &scans {
        let c = &s.summary["counts"];
        println!(
            "#{:<5} {}  {}  {} pass, {} fail, {} unknown, {} waived",
            s.id,
            s.finished_at,
            super::count(s.resource_count, "resource"),
            num(&c["pass"]),
            num(&c["fail"]),
            num(&c["unknown"]),
            num(&c["waived"])
        );
        let ch = &s.summary["changes"];
        if ch.get("previous_scan").is_some() {
            println!(
                "       since #{}: {} added, {} removed, {} modified resources; {} newly failing, {} no longer failing",
                num(&ch["previous_scan"]),
                num(&ch["added"]),
                num(&ch["removed"]),
                num(&ch["modified"]),
                num(&ch["newly_failing"]),
                num(&ch["no_longer_failing"])
            );
        }
        let d = &s.summary["drift"];
        if d.is_object() {
            println!(
                "       against baseline #{}: {} added, {} removed, {} modified",
                num(&d["baseline_id"]),
                num(&d["added"]),
                num(&d["removed"]),
                num(&d["modified"])
            );
        }
        for f in s.summary["frameworks"].as_array().into_iter().flatten() {
            let id = f["id"].as_str().unwrap_or_default();
            if args.framework.as_deref().is_some_and(|want| want != id) {
                continue;
            }
            let c = &f["counts"];
            println!(
                "       {id}: {} pass, {} fail, {} unknown, {} waived",
                num(&c["pass"]),
                num(&c["fail"]),
                num(&c["unknown"]),
                num(&c["waived"])
            );
            if args.criteria {
                for cr in f["criteria"].as_array().into_iter().flatten() {
                    let c = &cr["counts"];
                    println!(
                        "         {:<12} {:<14} {} pass, {} fail, {} unknown",
                        cr["id"].as_str().unwrap_or_default(),
                        cr["status"].as_str().unwrap_or_default(),
                        num(&c["pass"]),
                        num(&c["fail"]),
                        num(&c["unknown"])
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn num(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        _ => "?".to_string(),
    }
}
