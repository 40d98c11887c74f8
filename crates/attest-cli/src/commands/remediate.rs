//! `attest remediate NAME`: the AWS API calls that revert an environment's drift to its baseline,
//! planned from its latest scan, made with `--apply`; and enforcement mode, which makes them after
//! every `attest scan --env NAME`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use is_terminal::IsTerminal;
use serde_json::json;

use attest_engine::remediate::{Action, Plan, PlanOptions, Step};
use attest_store::{Environment, NewEvent, RecordedScan, ScanInfo, REMEDIATION};

use super::store::{EnvConfig, Session};
use crate::cli::{ListFormat, RemediateArgs};

/// The plan for an environment's latest scan, with what it was computed from.
struct Planned {
    scan: ScanInfo,
    baseline_id: i64,
    plan: Plan,
}

/// Plans from the environment's latest scan and its baseline.
fn plan_for(
    session: &Session,
    env: &Environment,
    config: &EnvConfig,
    opts: &PlanOptions,
) -> anyhow::Result<Planned> {
    let scan = session.run(session.store.latest_scan(env))?.with_context(|| {
        format!(
            "environment `{}` has no scan yet: run `attest scan --env {}` first",
            env.name, env.name
        )
    })?;
    let baseline = session.run(session.store.baseline(env))?.with_context(|| {
        format!(
            "environment `{}` has no baseline to restore: `attest baseline set {}` first",
            env.name, env.name
        )
    })?;
    let base = baseline.doc()?.snapshot();
    let current = session.run(session.store.snapshot(scan.id))?;
    let ignore = config.ignore(None)?;
    let drift = attest_engine::drift::diff(&base, &current, &ignore);
    let plan = attest_engine::remediate::plan(&drift, &base, &current, opts);
    Ok(Planned {
        scan,
        baseline_id: baseline.id,
        plan,
    })
}

/// Refuses types attest cannot remediate, naming the flag that gave them.
pub fn check_types(flag: &str, types: &[String]) -> anyhow::Result<()> {
    let supported = attest_engine::remediate::supported_types();
    for t in types {
        if !supported.contains(&t.as_str()) {
            bail!(
                "{flag}: attest has no automatic remediation for `{t}` (supported: {})",
                supported.join(", ")
            );
        }
    }
    Ok(())
}

pub fn run(args: RemediateArgs, database: Option<&str>) -> anyhow::Result<ExitCode> {
    check_types("--types", &args.types)?;
    check_types("--delete-added", &args.delete_added)?;
    if args.apply && !args.yes && !std::io::stdin().is_terminal() {
        bail!("refusing to apply without confirmation: standard input is not a terminal (pass --yes to apply anyway)");
    }
    if args.rescan {
        super::scan::record_quietly(&args.name, database)?;
    }
    let session = Session::open(database)?;
    let env = session.environment(&args.name)?;
    let config = EnvConfig::of(&env)?;
    let Some(aws) = config.aws.clone() else {
        bail!(
            "environment `{}` scans code, not an AWS account: remediation changes live resources",
            env.name
        );
    };
    let opts = PlanOptions {
        delete_added: args.delete_added.clone(),
        only_types: args.types.clone(),
    };
    let planned = plan_for(&session, &env, &config, &opts)?;
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let mut meta = json!({
        "environment": env.name,
        "scan": planned.scan.id,
        "baseline": planned.baseline_id,
    });
    if !args.apply || planned.plan.actions.is_empty() {
        print_plan(&env, &planned, &meta, args.format, color)?;
        return Ok(if planned.plan.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if !args.yes {
        print_plan(&env, &planned, &meta, ListFormat::Text, color)?;
        eprint!(
            "Apply these {} calls to `{}`? [y/N] ",
            planned.plan.actions.len(),
            env.name
        );
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .context("reading the answer")?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            eprintln!("attest: nothing applied");
            return Ok(ExitCode::from(1));
        }
    }
    let (outcomes, rescan) = apply_and_rescan(session, &env, &aws, &planned, database)?;
    let (added, removed, modified) = rescan.drift.as_ref().map(|d| d.counts()).unwrap_or_default();
    let failed = outcomes.iter().filter(|o| o.0 == "failed").count();
    match args.format {
        ListFormat::Json => {
            meta["actions"] = serde_json::to_value(&planned.plan.actions)?;
            meta["manual"] = serde_json::to_value(&planned.plan.manual)?;
            meta["kept"] = serde_json::to_value(&planned.plan.kept)?;
            meta["results"] = outcomes
                .iter()
                .enumerate()
                .map(|(i, (status, message))| json!({ "index": i, "status": status, "message": message }))
                .collect();
            meta["rescan"] = json!({
                "scan": rescan.id,
                "drift": { "added": added, "removed": removed, "modified": modified },
            });
            println!("{}", serde_json::to_string_pretty(&meta)?);
        }
        ListFormat::Text => {
            let mut out = std::io::stdout().lock();
            for (i, (a, (status, message))) in planned.plan.actions.iter().zip(&outcomes).enumerate() {
                writeln!(
                    out,
                    "{:>3}. {:<7} {} {}: {}",
                    i + 1,
                    status,
                    a.resource_type,
                    a.key,
                    message
                )?;
            }
            writeln!(
                out,
                "\n{} of {} calls applied{}; rescan #{}: {added} added, {removed} removed, {modified} modified against the baseline",
                outcomes.len() - failed,
                outcomes.len(),
                if failed > 0 { format!(", {failed} failed") } else { String::new() },
                rescan.id
            )?;
        }
    }
    Ok(if failed == 0 && planned.plan.manual.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Applies the plan, then rescans the environment and records the scan (the store is closed
/// first: the scan opens it again).
fn apply_and_rescan(
    session: Session,
    env: &Environment,
    aws: &crate::cli::AwsArgs,
    planned: &Planned,
    database: Option<&str>,
) -> anyhow::Result<(Vec<(&'static str, String)>, RecordedScan)> {
    let outcomes = apply(&session, env, aws, planned.scan.id, &planned.plan.actions)?;
    drop(session);
    let rescan = super::scan::record_quietly(&env.name, database)?;
    Ok((outcomes, rescan))
}

/// Makes the calls and records a REMEDIATION event for each; (status, message) per action.
fn apply(
    session: &Session,
    env: &Environment,
    aws: &crate::cli::AwsArgs,
    scan_id: i64,
    actions: &[Action],
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let outcomes = execute(aws, actions)?;
    let events: Vec<NewEvent> = actions
        .iter()
        .zip(&outcomes)
        .map(|(a, (status, message))| NewEvent {
            kind: REMEDIATION,
            subject: a.key.clone(),
            summary: format!(
                "{} {} on {} ({}.{}){}",
                status.to_uppercase(),
                a.summary,
                a.physical_id.as_deref().unwrap_or(&a.key),
                a.call.service,
                a.call.operation,
                if *status == "failed" {
                    format!(": {message}")
                } else {
                    String::new()
                }
            ),
            detail: json!({
                "status": status,
                "message": message,
                "type": a.resource_type,
                "paths": a.paths,
                "call": a.call,
                "before": a.before,
                "after": a.after,
            }),
        })
        .collect();
    session.run(session.store.add_events(env, Some(scan_id), &events))?;
    Ok(outcomes)
}

#[cfg(feature = "aws")]
fn execute(aws: &crate::cli::AwsArgs, actions: &[Action]) -> anyhow::Result<Vec<(&'static str, String)>> {
    let opts = super::snapshot::aws_options(aws)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for AWS calls")?;
    let outcomes = runtime.block_on(attest_aws::remediate::execute(&opts, actions));
    Ok(outcomes
        .into_iter()
        .map(|o| match o {
            attest_aws::remediate::Outcome::Applied(m) => ("applied", m),
            attest_aws::remediate::Outcome::Failed(m) => ("failed", m),
        })
        .collect())
}

#[cfg(not(feature = "aws"))]
fn execute(_aws: &crate::cli::AwsArgs, _actions: &[Action]) -> anyhow::Result<Vec<(&'static str, String)>> {
    Err(super::snapshot::no_aws())
}

fn step_name(s: Step) -> &'static str {
    match s {
        Step::Restore => "restore",
        Step::Modify => "modify",
        Step::Remove => "remove",
        Step::DeleteAdded => "delete",
    }
}

fn print_plan(
    env: &Environment,
    planned: &Planned,
    meta: &serde_json::Value,
    format: ListFormat,
    color: bool,
) -> anyhow::Result<()> {
    let plan = &planned.plan;
    let mut out = std::io::stdout().lock();
    if format == ListFormat::Json {
        let mut v = meta.clone();
        v["actions"] = serde_json::to_value(&plan.actions)?;
        v["manual"] = serde_json::to_value(&plan.manual)?;
        v["kept"] = serde_json::to_value(&plan.kept)?;
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    writeln!(
        out,
        "{}",
        bold(&format!(
            "Remediation plan for {}: scan #{} ({}) back to baseline #{}",
            env.name, planned.scan.id, planned.scan.finished_at, planned.baseline_id
        ))
    )?;
    if plan.actions.is_empty() && plan.manual.is_empty() {
        writeln!(out, "\nNothing to remediate.")?;
    }
    if !plan.actions.is_empty() {
        writeln!(out)?;
    }
    for (i, a) in plan.actions.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. [{}] {} {}: {}",
            i + 1,
            step_name(a.step),
            a.resource_type,
            a.physical_id.as_deref().unwrap_or(&a.key),
            a.summary
        )?;
        writeln!(
            out,
            "     {}.{} {}",
            a.call.service,
            a.call.operation,
            serde_json::to_string(&a.call.params)?
        )?;
    }
    if !plan.manual.is_empty() {
        writeln!(out, "\nManual (no safe automatic revert):")?;
        for m in &plan.manual {
            let path = m.path.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
            writeln!(
                out,
                "  {} {} {}{path}: {}",
                m.kind.as_str(),
                m.resource_type,
                m.key,
                m.reason
            )?;
        }
    }
    if !plan.kept.is_empty() {
        writeln!(
            out,
            "\nAdded since the baseline, kept (`--delete-added TYPE` deletes them):"
        )?;
        for k in &plan.kept {
            writeln!(out, "  {} {}", k.resource_type, k.key)?;
        }
    }
    writeln!(
        out,
        "\n{}, {} manual, {} kept{}",
        super::count(plan.actions.len() as i64, "call"),
        plan.manual.len(),
        super::count(plan.kept.len() as i64, "added resource"),
        if plan.actions.is_empty() {
            ""
        } else {
            ". `--apply` makes the calls."
        }
    )?;
    Ok(())
}

/// Enforcement mode: after a recorded scan of an environment that has it on, plan for the
/// enforced types, apply, record the events, and rescan.
pub fn enforce(env: &Environment, scan: &RecordedScan, database: Option<&str>) -> anyhow::Result<()> {
    let config = EnvConfig::of(env)?;
    let (Some(enforcement), Some(aws)) = (config.enforce.clone(), config.aws.clone()) else {
        return Ok(());
    };
    if scan.drift.as_ref().is_none_or(|d| d.is_empty()) {
        return Ok(());
    }
    let session = Session::open(database)?;
    let opts = PlanOptions {
        delete_added: Vec::new(),
        only_types: if enforcement.types.is_empty() {
            attest_engine::remediate::supported_types()
                .iter()
                .map(|t| t.to_string())
                .collect()
        } else {
            enforcement.types.clone()
        },
    };
    let planned = plan_for(&session, env, &config, &opts)?;
    if planned.plan.actions.is_empty() {
        if !planned.plan.manual.is_empty() {
            eprintln!(
                "attest: enforcement on `{}`: {} drifted attributes need a person (`attest remediate {}`)",
                env.name,
                planned.plan.manual.len(),
                env.name
            );
        }
        return Ok(());
    }
    let (outcomes, rescan) = apply_and_rescan(session, env, &aws, &planned, database)?;
    let failed = outcomes.iter().filter(|o| o.0 == "failed").count();
    for ((status, message), a) in outcomes.iter().zip(&planned.plan.actions) {
        if *status == "failed" {
            eprintln!("warning: enforcement: {} {}: {message}", a.resource_type, a.key);
        }
    }
    let (added, removed, modified) = rescan.drift.as_ref().map(|d| d.counts()).unwrap_or_default();
    eprintln!(
        "attest: enforcement on `{}`: {} of {} calls applied; rescan #{}: {added} added, {removed} removed, {modified} modified against the baseline",
        env.name,
        outcomes.len() - failed,
        outcomes.len(),
        rescan.id
    );
    Ok(())
}
