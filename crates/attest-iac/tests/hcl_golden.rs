//! Golden tests of the Terraform configuration loader: each folder under `tests/hcl/` is one
//! module; its `expected.json` is the normalized output of `load_module`. Set
//! `ATTEST_UPDATE_GOLDEN=1` to rewrite the expected files.

use std::path::{Path, PathBuf};

use attest_core::LoadOutput;
use attest_iac::terraform::hcl::load_module;
use attest_iac::LoadOptions;
use serde_json::{json, Value as Json};

fn case_dir(case: &str) -> PathBuf {
    // Relative to the package root (the working directory of integration tests), so paths in the
    // output do not depend on where the repository is checked out.
    Path::new("tests/hcl").join(case)
}

fn config_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.ends_with(".tf") || name.ends_with(".tf.json")
    });
    files.sort();
    files
}

fn options(dir: &Path) -> LoadOptions {
    let mut opts = LoadOptions::default();
    let Ok(text) = std::fs::read_to_string(dir.join("opts.json")) else {
        return opts;
    };
    let doc: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
    if let Some(files) = doc["tf_var_files"].as_array() {
        opts.tf_var_files = files.iter().filter_map(Json::as_str).map(PathBuf::from).collect();
    }
    if let Some(vars) = doc["tf_vars"].as_array() {
        for pair in vars {
            if let (Some(k), Some(v)) = (pair[0].as_str(), pair[1].as_str()) {
                opts.tf_vars.push((k.to_string(), v.to_string()));
            }
        }
    }
    if let Some(vars) = doc["env_vars"].as_array() {
        for pair in vars {
            if let (Some(k), Some(v)) = (pair[0].as_str(), pair[1].as_str()) {
                opts.env_vars.push((k.to_string(), v.to_string()));
            }
        }
    }
    if let Some(w) = doc["workspace"].as_str() {
        opts.workspace = Some(w.to_string());
    }
    opts
}

fn normalize(out: &LoadOutput) -> Json {
    let resources: Vec<Json> = out
        .resources
        .iter()
        .map(|r| {
            let loc = r.location();
            let mut doc = json!({
                "id": r.id,
                "type": r.resource_type,
                "mode": r.mode,
                "at": loc.map(|l| format!("{}:{}:{}-{}", l.file, l.line, l.column, l.end_line.unwrap_or(0))),
                "attributes": r.attributes,
            });
            if !r.provenance.module_stack.is_empty() {
                let stack: Vec<String> = r
                    .provenance
                    .module_stack
                    .iter()
                    .map(|c| match &c.location {
                        Some(l) => format!("{} {}:{}:{}", c.address, l.file, l.line, l.column),
                        None => c.address.clone(),
                    })
                    .collect();
                doc["module_stack"] = json!(stack);
            }
            doc
        })
        .collect();
    let mut references: Vec<String> = out
        .references
        .iter()
        .map(|r| format!("{} {} -> {}", r.from, r.path, r.to))
        .collect();
    references.sort();
    let errors: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
    json!({
        "resources": resources,
        "references": references,
        "errors": errors,
        "inputs": out.inputs,
    })
}

fn check(case: &str) {
    let dir = case_dir(case);
    let files = config_files(&dir);
    assert!(!files.is_empty(), "no configuration files in {}", dir.display());
    let out = load_module(&dir, &files, &options(&dir));
    let actual = normalize(&out);
    let expected_path = dir.join("expected.json");
    let pretty = serde_json::to_string_pretty(&actual).unwrap_or_default() + "\n";
    if std::env::var_os("ATTEST_UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &pretty).unwrap_or_else(|e| panic!("writing {expected_path:?}: {e}"));
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with ATTEST_UPDATE_GOLDEN=1)",
            expected_path.display()
        )
    });
    let expected: Json = serde_json::from_str(&expected).unwrap_or(Json::Null);
    assert!(
        expected == actual,
        "{case}: output differs from expected.json\n--- actual ---\n{pretty}"
    );
}

#[test]
fn basic_resources_and_data_sources() {
    check("basic");
}

#[test]
fn variables_defaults_tfvars_and_cli_precedence() {
    check("variables");
}

#[test]
fn locals_and_expressions() {
    check("locals");
}

#[test]
fn references_become_edges_and_unknown_values() {
    check("references");
}

#[test]
fn nested_and_dynamic_blocks() {
    check("blocks");
}

#[test]
fn heredoc_and_jsonencode_policies() {
    check("iam");
}

#[test]
fn count_and_for_each_expansion() {
    check("count_for_each");
}

#[test]
fn json_configuration_syntax() {
    check("json_syntax");
}

#[test]
fn malformed_file_is_reported_and_others_load() {
    check("malformed");
}

#[test]
fn unknown_function_gives_unknown_value() {
    check("unknown_function");
}

#[test]
fn local_modules_nested_with_inputs_outputs_and_edges() {
    check("modules_local");
}

#[test]
fn module_calls_with_count_and_for_each() {
    check("modules_count_for_each");
}

#[test]
fn remote_modules_fetched_by_terraform_init() {
    check("modules_remote_fetched");
}

#[test]
fn missing_module_is_reported_and_the_rest_loads() {
    check("modules_missing");
}

#[test]
fn module_arguments_are_typed_and_checked() {
    check("modules_arguments");
}

#[test]
fn modules_in_json_syntax() {
    check("modules_json");
}

#[test]
fn module_stack_and_innermost_locations() {
    check("modules_locations");
}

#[test]
fn module_call_cycles_are_reported() {
    check("modules_cycle");
}

#[test]
fn typed_variables_from_environment_files_and_workspace() {
    check("variables_typed");
}
