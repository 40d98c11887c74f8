//! `attest env`: environments, what `attest scan --env` scans.

use std::process::ExitCode;

use anyhow::{bail, Context};

use super::store::{EnvConfig, Session};
use crate::cli::{EnvAddArgs, EnvCommand, EnvSetArgs, ListFormat};

pub fn run(cmd: EnvCommand, database: Option<&str>) -> anyhow::Result<ExitCode> {
    let session = Session::open(database)?;
    match cmd {
        EnvCommand::Add(args) => add(&session, *args),
        EnvCommand::List { format } => list(&session, format),
        EnvCommand::Show { name, format } => show(&session, &name, format),
        EnvCommand::Set(args) => set(&session, args),
        EnvCommand::Remove { name } => {
            session.run(session.store.remove_environment(&name))?;
            eprintln!("attest: removed environment `{name}` with its scans, baselines and events");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn add(session: &Session, args: EnvAddArgs) -> anyhow::Result<ExitCode> {
    if !args.aws.aws && args.paths.is_empty() {
        bail!("say what the environment is: `--aws` (with its options) or `--path DIR` (repeatable)");
    }
    let absolute = |p: &std::path::Path| -> anyhow::Result<std::path::PathBuf> {
        std::fs::canonicalize(p).with_context(|| format!("cannot read {}", p.display()))
    };
    let config = EnvConfig {
        aws: args.aws.aws.then(|| args.aws.clone()),
        paths: args.paths.iter().map(|p| absolute(p)).collect::<Result<_, _>>()?,
        config: args.config.as_deref().map(absolute).transpose()?,
        enforce: None,
    };
    if let Some(c) = &config.config {
        attest_engine::Options::load(c)?;
    }
    let kind = if args.aws.aws { "aws" } else { "path" };
    let env = session.run(session.store.add_environment(
        &args.name,
        kind,
        &serde_json::to_value(&config).context("encoding the environment")?,
    ))?;
    eprintln!(
        "attest: added environment `{}` ({}) to {}; `attest scan --env {}` scans and records it",
        env.name,
        describe(&config),
        session.store.location(),
        env.name
    );
    Ok(ExitCode::SUCCESS)
}

fn set(session: &Session, args: EnvSetArgs) -> anyhow::Result<ExitCode> {
    let env = session.environment(&args.name)?;
    let mut config = EnvConfig::of(&env)?;
    if args.enforce {
        if config.aws.is_none() {
            bail!(
                "environment `{}` scans code, not an AWS account: there is nothing to enforce",
                env.name
            );
        }
        super::remediate::check_types("--enforce-types", &args.enforce_types)?;
        config.enforce = Some(super::store::Enforcement {
            types: args.enforce_types.clone(),
        });
    } else if args.no_enforce {
        config.enforce = None;
    } else {
        bail!("nothing to set: pass --enforce [--enforce-types TYPES] or --no-enforce");
    }
    session.run(session.store.set_environment_config(
        &env,
        &serde_json::to_value(&config).context("encoding the environment")?,
    ))?;
    match &config.enforce {
        Some(e) if e.types.is_empty() => eprintln!(
            "attest: `{}` enforces its baseline: every `attest scan --env {}` reverts drift of every supported type",
            env.name, env.name
        ),
        Some(e) => eprintln!(
            "attest: `{}` enforces its baseline for {}: every `attest scan --env {}` reverts their drift",
            env.name,
            e.types.join(", "),
            env.name
        ),
        None => eprintln!("attest: `{}` no longer enforces its baseline", env.name),
    }
    Ok(ExitCode::SUCCESS)
}

/// One line on what an environment scans.
fn describe(c: &EnvConfig) -> String {
    let mut parts = Vec::new();
    if let Some(aws) = &c.aws {
        let mut s = String::from("AWS");
        if let Some(p) = &aws.profile {
            s.push_str(&format!(" profile {p}"));
        }
        if aws.all_regions {
            s.push_str(", all regions");
        } else if !aws.regions.is_empty() {
            s.push_str(&format!(", {}", aws.regions.join(" ")));
        }
        if let Some(r) = &aws.role_arn {
            s.push_str(&format!(", role {r}"));
        }
        if let Some(f) = &aws.accounts_file {
            s.push_str(&format!(", accounts in {}", f.display()));
        }
        if let Some(r) = &aws.organization_role {
            s.push_str(&format!(", organization via {r}"));
        }
        if !aws.services.is_empty() {
            s.push_str(&format!(", services {}", aws.services.join(",")));
        }
        if let Some(e) = &aws.endpoint_url {
            s.push_str(&format!(", endpoint {e}"));
        }
        parts.push(s);
    }
    for p in &c.paths {
        parts.push(p.display().to_string());
    }
    parts.join("; ")
}

fn list(session: &Session, format: ListFormat) -> anyhow::Result<ExitCode> {
    let envs = session.run(session.store.environments())?;
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&envs)?),
        ListFormat::Text => {
            if envs.is_empty() {
                println!(
                    "No environments in {}. Add one with `attest env add NAME --aws` or `--path DIR`.",
                    session.store.location()
                );
            }
            for e in &envs {
                let c = EnvConfig::of(e)?;
                println!("{:<20} {:<5} {}", e.name, e.kind, describe(&c));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(session: &Session, name: &str, format: ListFormat) -> anyhow::Result<ExitCode> {
    let env = session.environment(name)?;
    let config = EnvConfig::of(&env)?;
    let latest = session.run(session.store.latest_scan(&env))?;
    let baseline = session.run(session.store.baseline(&env))?;
    match format {
        ListFormat::Json => {
            let v = serde_json::json!({
                "environment": env,
                "latest_scan": latest,
                "baseline": baseline.as_ref().map(|b| serde_json::json!({
                    "id": b.id, "set_at": b.set_at, "source_scan_id": b.source_scan_id,
                })),
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        ListFormat::Text => {
            println!(
                "Environment {} ({}), added {}",
                env.name, env.kind, env.created_at
            );
            println!("  scans:    {}", describe(&config));
            if let Some(c) = &config.config {
                println!("  config:   {}", c.display());
            }
            match &config.enforce {
                Some(e) if e.types.is_empty() => println!("  enforce:  every supported type"),
                Some(e) => println!("  enforce:  {}", e.types.join(", ")),
                None => {}
            }
            match &latest {
                Some(s) => println!(
                    "  latest:   scan #{} at {} ({} resources)",
                    s.id, s.finished_at, s.resource_count
                ),
                None => println!("  latest:   never scanned (`attest scan --env {}`)", env.name),
            }
            match &baseline {
                Some(b) => println!(
                    "  baseline: #{} set {}{}",
                    b.id,
                    b.set_at,
                    b.source_scan_id
                        .map(|s| format!(" from scan #{s}"))
                        .unwrap_or_else(|| " (imported)".into())
                ),
                None => println!("  baseline: none (`attest baseline set {}`)", env.name),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
