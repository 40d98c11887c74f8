//! `attest snapshot` and the live AWS input shared with `attest scan --aws`.

use std::process::ExitCode;

use attest_core::LoadOutput;

use crate::cli::{AwsArgs, SnapshotArgs};

/// The message of a build without the `aws` feature.
#[cfg(not(feature = "aws"))]
const NO_AWS: &str = "this build of attest has no AWS support (it was built without the `aws` feature)";

/// Reads the live account(s) the arguments name. While it runs, a progress line is drawn on
/// stderr when stderr is a terminal; at the end, a summary of the API calls made.
#[cfg(feature = "aws")]
pub fn load_live(args: &AwsArgs) -> anyhow::Result<LoadOutput> {
    use anyhow::Context;
    use is_terminal::IsTerminal;
    let opts = aws_options(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for AWS calls")?;
    let tty = std::io::stderr().is_terminal();
    let mut observer = attest_aws::Observer::new();
    if tty {
        observer = observer.on_progress(|p| {
            eprint!("\r\x1b[2Kattest: reading AWS [{}/{}] {}", p.done, p.total, p.job);
        });
    }
    let started = std::time::Instant::now();
    let out = runtime.block_on(attest_aws::collect_observed(&opts, &observer));
    if tty {
        eprint!("\r\x1b[2K");
    }
    eprintln!("{}", call_summary(&observer.summary(), started.elapsed()));
    Ok(out)
}

/// `attest: 312 AWS API calls in 2.4 s (2 answered with an error, 5 retried): ec2 96, iam 80, …`
/// Error answers include the ones that mean "not configured" (no password policy, no bucket
/// policy); the calls that really failed are the scan's input errors.
#[cfg(feature = "aws")]
fn call_summary(summary: &attest_aws::CallSummary, elapsed: std::time::Duration) -> String {
    let total = summary.total();
    let mut by_service: Vec<(String, attest_aws::CallCount)> = summary.by_service().into_iter().collect();
    by_service.sort_by(|a, b| b.1.calls.cmp(&a.1.calls).then(a.0.cmp(&b.0)));
    let services: Vec<String> = by_service
        .iter()
        .map(|(s, c)| format!("{} {}", s.to_lowercase(), c.calls))
        .collect();
    format!(
        "attest: {} AWS API calls in {:.1} s ({} answered with an error, {} retried){}{}",
        total.calls,
        elapsed.as_secs_f64(),
        total.failed,
        total.attempts.saturating_sub(total.calls),
        if services.is_empty() { "" } else { ": " },
        services.join(", ")
    )
}

/// The collection options the arguments give.
#[cfg(feature = "aws")]
pub fn aws_options(args: &AwsArgs) -> anyhow::Result<attest_aws::AwsOptions> {
    for s in &args.services {
        if !attest_aws::SERVICES.contains(&s.as_str()) {
            anyhow::bail!(
                "unknown service `{s}` in --services (known: {})",
                attest_aws::SERVICES.join(", ")
            );
        }
    }
    let accounts = match &args.accounts_file {
        Some(path) => super::accounts::read(path)?,
        None => Vec::new(),
    };
    Ok(attest_aws::AwsOptions::new()
        .with_profile(args.profile.clone())
        .with_regions(args.regions.clone())
        .with_all_regions(args.all_regions)
        .with_endpoint_url(args.endpoint_url.clone())
        .with_role(args.role_arn.clone(), args.external_id.clone())
        .with_services(args.services.clone())
        .with_accounts(accounts)
        .with_organization_role(args.organization_role.clone()))
}

/// The message of a build without the `aws` feature.
#[cfg(not(feature = "aws"))]
pub fn no_aws() -> anyhow::Error {
    anyhow::anyhow!(NO_AWS)
}

/// Reads the live account the arguments name.
#[cfg(not(feature = "aws"))]
pub fn load_live(_args: &AwsArgs) -> anyhow::Result<LoadOutput> {
    anyhow::bail!(NO_AWS)
}

pub fn run(args: SnapshotArgs) -> anyhow::Result<ExitCode> {
    if !args.aws.aws {
        anyhow::bail!("attest snapshot reads a live account: pass --aws");
    }
    let loaded = load_live(&args.aws)?;
    write(&args, &loaded)?;
    for e in &loaded.errors {
        eprintln!("warning: {e}");
    }
    eprintln!(
        "attest: wrote {} ({} resources, {} references, {} API errors)",
        args.output.display(),
        loaded.resources.len(),
        loaded.references.len(),
        loaded.errors.len()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "aws")]
fn write(args: &SnapshotArgs, loaded: &LoadOutput) -> anyhow::Result<()> {
    use anyhow::Context;
    let doc = attest_aws::inventory_document(loaded, &format!("attest {}", env!("CARGO_PKG_VERSION")));
    super::write_atomically(&args.output, |w| {
        serde_json::to_writer_pretty(&mut *w, &doc).context("writing the inventory")?;
        writeln!(w).context("writing the inventory")
    })
}

#[cfg(not(feature = "aws"))]
fn write(_args: &SnapshotArgs, _loaded: &LoadOutput) -> anyhow::Result<()> {
    anyhow::bail!(NO_AWS)
}
