//! Differential test of the built-in functions against `terraform console`.
//!
//! `tests/hcl/functions_oracle.txt` holds one expression per line; the committed
//! `tests/hcl/functions_oracle.expected.json` holds what Terraform 1.11 gives for
//! `jsonencode(<expression>)`. The first test compares attest's evaluator with that file; the
//! second re-runs Terraform (when it is on PATH) and checks the file is current. Set
//! `ATTEST_UPDATE_GOLDEN=1` to rewrite the file from Terraform.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use attest_core::Value;
use attest_iac::terraform::hcl::{Evaluator, ModuleConfig, Scope};
use serde_json::{json, Value as Json};

const EXPRESSIONS: &str = "tests/hcl/functions_oracle.txt";
const EXPECTED: &str = "tests/hcl/functions_oracle.expected.json";

fn expressions() -> Vec<String> {
    let text = std::fs::read_to_string(EXPRESSIONS).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn expected() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(EXPECTED).unwrap_or_default();
    let doc: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
    doc.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| Some((i["expr"].as_str()?.to_string(), i["json"].as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Evaluates an expression with attest in an empty module.
fn attest_eval(src: &str) -> Value {
    let cfg = ModuleConfig::default();
    let mut ev = Evaluator::new(&cfg, Path::new("."), "");
    match hcl::edit::parser::parse_expr(src) {
        Ok(expr) => ev.eval_value(&expr.into(), &mut Scope::default()),
        Err(e) => Value::unknown(format!("parse error: {e}")),
    }
}

#[test]
fn functions_agree_with_terraform_console() {
    let exprs = expressions();
    let expected = expected();
    assert!(exprs.len() >= 220, "only {} oracle expressions", exprs.len());
    let listed: Vec<&String> = expected.iter().map(|(e, _)| e).collect();
    assert_eq!(
        exprs.iter().collect::<Vec<_>>(),
        listed,
        "{EXPECTED} does not match {EXPRESSIONS}; regenerate it with ATTEST_UPDATE_GOLDEN=1"
    );
    let mut mismatches = Vec::new();
    for (expr, want) in &expected {
        let got = attest_eval(&format!("jsonencode({expr})"));
        if got.as_str() != Some(want.as_str()) {
            mismatches.push(format!("{expr}\n    terraform: {want}\n    attest:    {got:?}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} expressions differ from Terraform:\n{}",
        mismatches.len(),
        expected.len(),
        mismatches.join("\n")
    );
}

/// Runs `terraform console` once on a tuple of `jsonencode(<expression>)` and returns the
/// strings, or `None` when Terraform is not installed.
fn terraform_results(exprs: &[String]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().ok()?;
    let input = format!(
        "jsonencode([{}])\n",
        exprs
            .iter()
            .map(|e| format!("jsonencode({e})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut child = match Command::new("terraform")
        .arg("console")
        .current_dir(dir.path())
        .env("TF_CLI_CONFIG_FILE", dir.path().join("none.tfrc"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("terraform is not available ({e}); skipping the oracle freshness check");
            return None;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).ok()?;
    }
    let out = child.wait_with_output().ok()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "terraform console failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The console prints the result as a quoted HCL string; read it back as one.
    let literal = attest_eval(stdout.trim());
    let text = literal.as_str().unwrap_or_default();
    let results: Vec<String> = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(results.len(), exprs.len(), "unexpected console output: {stdout}");
    Some(results)
}

#[test]
fn expected_file_matches_terraform() {
    let exprs = expressions();
    let Some(results) = terraform_results(&exprs) else {
        return;
    };
    let fresh: Vec<(String, String)> = exprs.into_iter().zip(results).collect();
    if std::env::var_os("ATTEST_UPDATE_GOLDEN").is_some() {
        let doc: Vec<Json> = fresh
            .iter()
            .map(|(e, j)| json!({ "expr": e, "json": j }))
            .collect();
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(EXPECTED, text) {
            panic!("cannot write {EXPECTED}: {e}");
        }
        return;
    }
    assert_eq!(
        expected(),
        fresh,
        "{EXPECTED} is not what Terraform gives; regenerate it with ATTEST_UPDATE_GOLDEN=1"
    );
}
