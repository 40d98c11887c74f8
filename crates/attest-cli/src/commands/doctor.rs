//! `attest doctor`: what this build of attest can and cannot evaluate.

use std::process::ExitCode;

use attest_iac::terraform::hcl::{implemented_functions, TERRAFORM_FUNCTIONS};

pub fn run() -> anyhow::Result<ExitCode> {
    let implemented = implemented_functions();
    let missing: Vec<&str> = TERRAFORM_FUNCTIONS
        .iter()
        .copied()
        .filter(|f| !implemented.contains(f))
        .collect();
    println!("attest {}", env!("CARGO_PKG_VERSION"));
    println!(
        "rules: {}, frameworks: {}",
        attest_rules::all().len(),
        attest_rules::frameworks::builtin()
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "Terraform functions: {} of {} built-ins evaluated",
        TERRAFORM_FUNCTIONS.len() - missing.len(),
        TERRAFORM_FUNCTIONS.len()
    );
    if !missing.is_empty() {
        println!(
            "  not evaluated (calls give unknown values): {}",
            missing.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
