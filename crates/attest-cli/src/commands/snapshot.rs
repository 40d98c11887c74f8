//! `attest snapshot` and the live AWS input shared with `attest scan --aws`.

use std::process::ExitCode;

use attest_core::LoadOutput;

use crate::cli::{AwsArgs, SnapshotArgs};

/// The message of a build without the `aws` feature.
#[cfg(not(feature = "aws"))]
const NO_AWS: &str = "this build of attest has no AWS support (it was built without the `aws` feature)";

/// Reads the live account the arguments name.
#[cfg(feature = "aws")]
pub fn load_live(args: &AwsArgs) -> anyhow::Result<LoadOutput> {
    use anyhow::Context;
    let opts = attest_aws::AwsOptions::new()
        .with_profile(args.profile.clone())
        .with_regions(args.regions.clone())
        .with_endpoint_url(args.endpoint_url.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for AWS calls")?;
    Ok(runtime.block_on(attest_aws::collect(&opts)))
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
