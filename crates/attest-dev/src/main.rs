//! `attest-dev`: developer tasks for the attest workspace.
//!
//! ```text
//! cargo run -p attest-dev -- generate-all           # rewrite docs/rules and docs/frameworks
//! cargo run -p attest-dev -- generate-all --check   # exit 1 when they are stale
//! ```
//!
//! Exit codes: 0 when the docs are current (or were rewritten), 1 when `--check` finds stale,
//! missing or extra files, 2 on any other error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: attest-dev generate-all [--check] [--docs <dir>]

  generate-all   render docs/rules/*.md, docs/rules/README.md and docs/frameworks/*.md from the
                 rule definitions and framework catalogs
  --check        compare with the files on disk instead of writing; exit 1 when any is stale,
                 missing or extra
  --docs <dir>   the docs folder (default: docs/ at the workspace root)";

struct Args {
    check: bool,
    docs: PathBuf,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args> {
    match args.next().as_deref() {
        Some("generate-all") => {}
        None => bail!("{USAGE}"),
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
    let mut parsed = Args {
        check: false,
        docs: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs"),
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--docs" => match args.next() {
                Some(dir) => parsed.docs = PathBuf::from(dir),
                None => bail!("--docs expects a folder\n\n{USAGE}"),
            },
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    Ok(parsed)
}

/// Runs the command; `Ok(false)` means `--check` found differences.
fn run(args: &Args) -> Result<bool> {
    let docs = attest_dev::render_builtin().context("rendering the documentation")?;
    let shown = |relative: &str| format!("docs/{relative}");
    if args.check {
        let differences = attest_dev::check(&args.docs, &docs)?;
        if differences.is_empty() {
            return Ok(true);
        }
        eprintln!("generated documentation is out of date:");
        for d in &differences {
            eprintln!("  {:<8} {}", d.kind(), shown(d.path()));
        }
        eprintln!("run `cargo run -p attest-dev -- generate-all` and commit the result");
        return Ok(false);
    }
    let changes = attest_dev::write(&args.docs, &docs)?;
    for change in &changes {
        let verb = match change {
            attest_dev::Difference::Stale(_) => "updated",
            attest_dev::Difference::Missing(_) => "created",
            attest_dev::Difference::Extra(_) => "removed",
        };
        println!("{verb:<8} {}", shown(change.path()));
    }
    println!("{} generated files, {} changed", docs.len(), changes.len());
    Ok(true)
}

fn main() -> ExitCode {
    if matches!(std::env::args().nth(1).as_deref(), Some("-h" | "--help")) {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = parse_args(std::env::args().skip(1)).and_then(|args| run(&args));
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("attest-dev: {err:#}");
            ExitCode::from(2)
        }
    }
}
