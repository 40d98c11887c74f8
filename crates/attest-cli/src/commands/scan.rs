//! `attest scan`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use is_terminal::IsTerminal;

use attest_core::Severity;
use attest_engine::{config::Options, ScanSettings, Selection, Waiver};
use attest_iac::LoadOptions;
use attest_report::{Format, GroupBy, RenderOptions};

use crate::cli::{GroupByArg, ScanArgs};

/// What a scan produced, before rendering.
pub struct Performed {
    pub report: attest_core::Report,
    /// The scan as recorded in the store (`--env`), with the environment.
    pub recorded: Option<(attest_store::RecordedScan, attest_store::Environment)>,
    pub fail_on: Option<Severity>,
    pub format: Format,
}

pub fn run(mut args: ScanArgs, database: Option<&str>) -> anyhow::Result<ExitCode> {
    let Performed {
        report,
        recorded,
        fail_on,
        format,
    } = perform(&mut args, database)?;
    render(&args, &report, format)?;
    if let Some((scan, env)) = &recorded {
        super::remediate::enforce(env, scan, database)?;
    }
    Ok(if attest_engine::has_failures_at(&report, fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Records a scan of an environment without printing its report.
pub fn record_quietly(name: &str, database: Option<&str>) -> anyhow::Result<attest_store::RecordedScan> {
    use clap::Parser;
    let cli = crate::cli::Cli::try_parse_from(["attest", "scan", "--env", name, "--fail-on", "none"])?;
    let crate::cli::Command::Scan(mut args) = cli.command else {
        anyhow::bail!("internal: not a scan command");
    };
    let performed = perform(&mut args, database)?;
    performed
        .recorded
        .map(|(scan, _)| scan)
        .context("internal: the scan was not recorded")
}

/// Loads, evaluates and (with `--env`) records a scan.
pub fn perform(args: &mut ScanArgs, database: Option<&str>) -> anyhow::Result<Performed> {
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let started = std::time::Instant::now();
    // `--env NAME`: the environment says what to scan; the scan is recorded in the store.
    let recording = match args.env.clone() {
        Some(name) => {
            let session = super::store::Session::open(database)?;
            let env = session.environment(&name)?;
            let config = super::store::EnvConfig::of(&env)?;
            args.paths = config.paths.clone();
            if let Some(aws) = config.aws {
                args.aws = aws;
            }
            if args.config.is_none() && !args.no_config {
                args.config = config.config.clone();
            }
            Some((session, env))
        }
        None => None,
    };
    let format: Format = args
        .format
        .parse()
        .map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    let min_severity = args
        .severity
        .as_deref()
        .map(parse_severity)
        .transpose()
        .context("--severity")?;

    let (config_path, options) = load_config(args)?;
    let fail_on = match args.fail_on.as_deref().or(options.fail_on.as_deref()) {
        Some(s) => parse_fail_on(s).with_context(|| match &config_path {
            Some(p) if args.fail_on.is_none() => format!("fail_on in {}", p.display()),
            _ => "--fail-on".to_string(),
        })?,
        None => Some(Severity::Info),
    };

    let mut load_opts = LoadOptions {
        include: options.include.clone().unwrap_or_default(),
        exclude: options.exclude.clone().unwrap_or_default(),
        tf_vars: Vec::new(),
        tf_var_files: args.var_files.clone(),
        workspace: args.workspace.clone(),
        env_vars: Vec::new(),
        cfn_params: Vec::new(),
        cfn_param_files: args.cfn_param_files.clone(),
    };
    load_opts.include.extend(args.include.iter().cloned());
    load_opts.exclude.extend(args.exclude.iter().cloned());
    for p in &args.cfn_params {
        let Some((name, value)) = p.split_once('=') else {
            bail!("--cfn-param expects KEY=VALUE, got `{p}`");
        };
        load_opts
            .cfn_params
            .push((name.trim().to_string(), value.to_string()));
    }
    for v in &args.vars {
        let Some((name, value)) = v.split_once('=') else {
            bail!("--var expects NAME=VALUE, got `{v}`");
        };
        load_opts
            .tf_vars
            .push((name.trim().to_string(), value.to_string()));
    }

    let catalog = attest_rules::frameworks::builtin();
    let rule_opts = options.rules.clone().unwrap_or_default();
    let selection = Selection {
        rules: if args.rule.is_empty() {
            rule_opts.enable.unwrap_or_default()
        } else {
            args.rule.clone()
        },
        skip: rule_opts
            .disable
            .unwrap_or_default()
            .into_iter()
            .chain(args.skip_rule.iter().cloned())
            .collect(),
        frameworks: args.framework.clone(),
        min_severity,
    };
    let rules = attest_engine::select_rules(attest_rules::all(), catalog, &selection)?;
    let report_frameworks = attest_engine::select_frameworks(catalog, &args.framework)?;
    let origin = config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let waivers = options
        .waivers
        .iter()
        .enumerate()
        .map(|(i, w)| Waiver::from_options(w, format!("#{} in {origin}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;

    // Paths are optional with `--aws`; without it the default is the current directory.
    let paths = if args.paths.is_empty() && !args.aws.aws {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut loaded = if paths.is_empty() {
        attest_core::LoadOutput::default()
    } else {
        attest_iac::load_paths(&paths, &load_opts)
    };
    // A live read that failed entirely leaves only placeholders (data resources) and errors.
    let mut live_failed = false;
    if args.aws.aws {
        let live = super::snapshot::load_live(&args.aws)?;
        live_failed =
            !live.errors.is_empty() && live.resources.iter().all(|r| r.mode == attest_core::Mode::Data);
        loaded.extend(live);
    }
    // Nothing was scanned when no input loaded, or when every input failed and left no resource.
    let files_failed = loaded.resources.is_empty() && !loaded.errors.is_empty();
    if loaded.inputs.is_empty() || files_failed || (live_failed && paths.is_empty()) {
        for e in &loaded.errors {
            eprintln!("error: {e}");
        }
        let mut what: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        if args.aws.aws {
            what.push("the AWS account".to_string());
        }
        bail!(
            "nothing could be scanned in {}: no readable Terraform configuration, plan, state, template, \
             inventory or AWS API answer",
            what.join(", ")
        );
    }

    let settings = ScanSettings {
        rules,
        catalog,
        report_frameworks,
        waivers,
        today: attest_engine::today(),
    };
    let load_seconds = started.elapsed().as_secs_f64();
    let attest_engine::ScanResult {
        report,
        graph,
        eval_seconds,
    } = attest_engine::scan(loaded, &settings);
    let snapshot = recording
        .as_ref()
        .map(|_| attest_core::Snapshot::from_resources(graph.resources()));
    // The report holds everything the output needs; the graph's memory is freed before rendering.
    drop(graph);
    let mut recorded_scan = None;
    if let (Some((session, env)), Some(snapshot)) = (&recording, snapshot) {
        let ignore = super::store::ignore_of(&options, config_path.as_deref())?;
        let timings = serde_json::json!({
            "load_seconds": load_seconds,
            "eval_seconds": eval_seconds,
            "total_seconds": started.elapsed().as_secs_f64(),
        });
        let recorded = super::store::record(session, env, &report, snapshot, started_at, timings, &ignore)?;
        let drift = match &recorded.drift {
            Some(d) => {
                let (a, r, m) = d.counts();
                format!("; against the baseline: {a} added, {r} removed, {m} modified")
            }
            None => String::from("; no baseline set"),
        };
        eprintln!(
            "attest: recorded scan #{} of `{}` in {}{drift}; {} new events",
            recorded.id,
            env.name,
            session.store.location(),
            recorded.events.len()
        );
        recorded_scan = Some((recorded, env.clone()));
    }
    Ok(Performed {
        report,
        recorded: recorded_scan,
        fail_on,
        format,
    })
}

/// Writes the report where the arguments say.
fn render(args: &ScanArgs, report: &attest_core::Report, format: Format) -> anyhow::Result<()> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = args.color.enabled(to_terminal);
    let render_opts = RenderOptions {
        color,
        group_by: match args.group_by {
            GroupByArg::Criterion => GroupBy::Criterion,
            GroupByArg::Resource => GroupBy::Resource,
            GroupByArg::Rule => GroupBy::Rule,
        },
        show_passes: args.show_passes,
        framework: args.framework.first().cloned(),
    };
    let render = |w: &mut dyn Write| -> anyhow::Result<()> {
        attest_report::render(report, format, &render_opts, w).context("rendering the report")
    };
    match &args.output {
        Some(path) => {
            super::write_atomically(path, render)?;
            let c = &report.summary.counts;
            eprintln!(
                "attest: wrote {} ({} passed, {} failed, {} unknown, {} waived)",
                path.display(),
                c.pass,
                c.fail,
                c.unknown,
                c.waived
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            let mut out = std::io::BufWriter::new(&mut out);
            render(&mut out)?;
            out.flush().context("writing to standard output")?;
        }
    }
    if format != Format::Text && !report.errors.is_empty() {
        for e in &report.errors {
            eprintln!("warning: {e}");
        }
    }
    Ok(())
}

fn load_config(args: &ScanArgs) -> anyhow::Result<(Option<PathBuf>, Options)> {
    if args.no_config {
        return Ok((None, Options::default()));
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => args.paths.first().map(PathBuf::as_path).map_or_else(
            || attest_engine::find_config(std::path::Path::new(".")),
            attest_engine::find_config,
        ),
    };
    match path {
        Some(p) => {
            let options = Options::load(&p)?;
            Ok((Some(p), options))
        }
        None => Ok((None, Options::default())),
    }
}

fn parse_severity(s: &str) -> anyhow::Result<Severity> {
    s.parse::<Severity>().map_err(anyhow::Error::msg)
}

fn parse_fail_on(s: &str) -> anyhow::Result<Option<Severity>> {
    if s.eq_ignore_ascii_case("none") || s.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    parse_severity(s).map(Some)
}
