//! `attest`: the command-line interface. Thin: it parses arguments and calls the libraries.
//!
//! Exit codes: 0 no failure at or above `--fail-on`; 1 failures; 2 nothing could be scanned or a
//! usage error.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => commands::scan::run(*args, cli.database.as_deref()),
        Command::Snapshot(args) => commands::snapshot::run(args),
        Command::Rules(cmd) => commands::rules::run(cmd),
        Command::Frameworks(cmd) => commands::frameworks::run(cmd),
        Command::Doctor => commands::doctor::run(),
        Command::Env(cmd) => commands::env::run(cmd, cli.database.as_deref()),
        Command::History(args) => commands::history::run(args, cli.database.as_deref()),
        Command::Baseline(cmd) => commands::baseline::run(cmd, cli.database.as_deref()),
        Command::Drift(args) => commands::drift::run(args, cli.database.as_deref()),
        Command::Events(args) => commands::events::run(args, cli.database.as_deref()),
        Command::Remediate(args) => commands::remediate::run(args, cli.database.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
