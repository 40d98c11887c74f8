//! Fixture tests: every rule runs on real Terraform inputs through the real loaders.
//!
//! Layout: `tests/fixtures/<rule-id>/<case>/` holds the input (`*.tf` files, a
//! `terraform show -json` plan `plan.json`, an attest inventory, or a CloudFormation template
//! `template.yaml` / `template.json`) and `expect.json`, which maps every resource the rule
//! must report to its verdict: `{"aws_security_group.web": "fail", …}`. The set is exact: a
//! missing or extra evaluation fails the case.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use attest_core::{ResourceGraph, Verdict};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// The input form of a case folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Form {
    Tf,
    Plan,
    /// An attest inventory (`{"attest_inventory": 1, ...}`): the form for resources only a live
    /// account has, such as the root user's account summary.
    Inventory,
    /// A CloudFormation template (`.yaml`, `.yml`, `.template`, or JSON with
    /// `AWSTemplateFormatVersion` / `Resources`).
    Cfn,
}

struct Case {
    rule: String,
    name: String,
    dir: PathBuf,
    form: Option<Form>,
    expect: Result<BTreeMap<String, Verdict>, String>,
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn form_of(dir: &Path) -> Option<Form> {
    let names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    if names
        .iter()
        .any(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
    {
        Some(Form::Tf)
    } else if names
        .iter()
        .any(|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".template"))
    {
        Some(Form::Cfn)
    } else if let Some(json) = names.iter().find(|n| n.ends_with(".json") && *n != "expect.json") {
        let text = fs::read_to_string(dir.join(json)).unwrap_or_default();
        if text.contains("\"attest_inventory\"") {
            Some(Form::Inventory)
        } else if text.contains("\"AWSTemplateFormatVersion\"") || text.contains("\"Resources\"") {
            Some(Form::Cfn)
        } else {
            Some(Form::Plan)
        }
    } else {
        None
    }
}

fn read_expect(dir: &Path) -> Result<BTreeMap<String, Verdict>, String> {
    let path = dir.join("expect.json");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for rule_dir in sorted_dirs(&fixtures_root()) {
        let rule = rule_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for dir in sorted_dirs(&rule_dir) {
            out.push(Case {
                rule: rule.clone(),
                name: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                form: form_of(&dir),
                expect: read_expect(&dir),
                dir,
            });
        }
    }
    out
}

/// Runs one case; `Err` describes every way it differs from its expectation.
fn run_case(case: &Case) -> Result<(), String> {
    let rule =
        attest_rules::find(&case.rule).ok_or_else(|| format!("no rule `{}` in the registry", case.rule))?;
    if rule.meta().id != case.rule {
        return Err(format!(
            "folder `{}` is an alias; name it `{}`",
            case.rule,
            rule.meta().id
        ));
    }
    let expect = case.expect.clone()?;
    if case.form.is_none() {
        return Err(
            "no input (.tf files, a plan or inventory .json, or a CloudFormation template) in the folder"
                .into(),
        );
    }
    let out = attest_iac::load_paths(std::slice::from_ref(&case.dir), &Default::default());
    let mut problems = Vec::new();
    for e in &out.errors {
        problems.push(format!("load error: {e:?}"));
    }
    let graph = ResourceGraph::new(out.resources, &out.references);
    let mut got: BTreeMap<String, (Verdict, String)> = BTreeMap::new();
    for eval in rule.check(&graph) {
        let id = match eval.resource {
            Some(i) => graph.get(i).id.clone(),
            None => "<account>".to_string(),
        };
        // Shown with `cargo test -- --nocapture`, to read what each rule says about each case.
        println!(
            "{}/{}: {id}: {:?}: {}",
            case.rule, case.name, eval.verdict, eval.message
        );
        if let Some((v, _)) = got.insert(id.clone(), (eval.verdict, eval.message)) {
            problems.push(format!("{id}: evaluated twice (first {v:?})"));
        }
    }
    for (id, want) in &expect {
        match got.get(id) {
            None => problems.push(format!("{id}: expected {want:?}, not evaluated")),
            Some((v, message)) if v != want => {
                problems.push(format!("{id}: expected {want:?}, got {v:?} ({message})"))
            }
            Some(_) => {}
        }
    }
    for (id, (v, message)) in &got {
        if !expect.contains_key(id) {
            problems.push(format!("{id}: not expected, got {v:?} ({message})"));
        }
    }
    if expect.is_empty() {
        problems.push("expect.json lists no resource".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let mut ids: Vec<&str> = graph.resources().iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        problems.push(format!("loaded resources: {}", ids.join(", ")));
        Err(problems.join("\n    "))
    }
}

#[test]
fn fixtures_match_expectations() {
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no fixtures under {}",
        fixtures_root().display()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            run_case(case)
                .err()
                .map(|why| format!("{}/{}:\n    {why}", case.rule, case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixture cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Rules whose resources CloudFormation cannot declare at all, so they have no template twin.
const NO_CLOUDFORMATION: &[(&str, &str)] = &[
    (
        "aws-iam-password-expiration",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-lowercase",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-min-length-14",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-number",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-pci",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-reuse-24",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-reuse-4",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-symbol",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-iam-password-uppercase",
        "no CloudFormation resource for the account password policy",
    ),
    (
        "aws-ebs-encryption-by-default",
        "no CloudFormation resource for EBS encryption by default",
    ),
    (
        "aws-vpc-default-sg-restricts-all",
        "CloudFormation cannot manage a VPC's default security group",
    ),
];

/// Rules whose passing configuration CloudFormation cannot express (only their failure).
const CLOUDFORMATION_CANNOT_PASS: &[&str] = &["aws-s3-mfa-delete"];

/// Resource types no Terraform configuration declares: only a live scan (or its inventory) has them.
const LIVE_ONLY_TYPES: &[&str] = &["aws_iam_account_summary"];

/// The rules of the SOC 2 examples every user meets first: they are also proven on plan JSON and
/// on CloudFormation templates.
const PLAN_FORM_RULES: &[&str] = &[
    "aws-iam-no-admin-policy",
    "aws-ec2-sg-no-public-http",
    "aws-cloudwatch-flow-log-reject-alarm",
    "aws-cloudwatch-cloudfront-4xx-alarm",
    "aws-dynamodb-kms-encryption",
];

#[test]
fn every_rule_has_passing_and_failing_fixtures() {
    let cases = cases();
    let mut missing = Vec::new();
    for rule in attest_rules::all() {
        let id = rule.meta().id;
        let live_only = rule
            .meta()
            .resource_types
            .iter()
            .all(|t| LIVE_ONLY_TYPES.contains(t));
        let forms: Vec<Form> = if live_only {
            vec![Form::Inventory]
        } else if PLAN_FORM_RULES.contains(&id) {
            vec![Form::Tf, Form::Plan, Form::Cfn]
        } else if NO_CLOUDFORMATION.iter().any(|(r, _)| *r == id) {
            vec![Form::Tf]
        } else {
            vec![Form::Tf, Form::Cfn]
        };
        for &form in &forms {
            for verdict in [Verdict::Pass, Verdict::Fail] {
                if form == Form::Cfn && verdict == Verdict::Pass && CLOUDFORMATION_CANNOT_PASS.contains(&id) {
                    continue;
                }
                let covered = cases.iter().any(|c| {
                    c.rule == id
                        && c.form == Some(form)
                        && c.expect.as_ref().is_ok_and(|e| e.values().any(|v| *v == verdict))
                });
                if !covered {
                    missing.push(format!(
                        "{id}: no {form:?} fixture with a {verdict:?} expectation"
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} gaps:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_fixture_folder_names_a_registered_rule() {
    for rule_dir in sorted_dirs(&fixtures_root()) {
        let name = rule_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(
            attest_rules::all().iter().any(|r| r.meta().id == name),
            "fixtures/{name} names no rule"
        );
    }
}

/// The same case written in Terraform and in CloudFormation (`pass_tf` / `pass_cfn`…) must give
/// the same outcomes: one rule, every input.
#[test]
fn terraform_and_cloudformation_twins_agree() {
    let cases = cases();
    let mut problems = Vec::new();
    let mut pairs = 0;
    for c in cases.iter().filter(|c| c.form == Some(Form::Cfn)) {
        let Some(stem) = c.name.strip_suffix("_cfn") else {
            continue;
        };
        let twin = cases
            .iter()
            .find(|t| t.rule == c.rule && t.name == format!("{stem}_tf"));
        let (Some(twin), Ok(cfn)) = (twin, c.expect.as_ref()) else {
            continue;
        };
        let Ok(tf) = twin.expect.as_ref() else { continue };
        pairs += 1;
        let outcomes = |m: &BTreeMap<String, Verdict>| {
            let mut v: Vec<Verdict> = m.values().copied().collect();
            v.sort();
            v.dedup();
            v
        };
        if outcomes(tf) != outcomes(cfn) {
            problems.push(format!(
                "{}/{stem}: Terraform gives {:?}, CloudFormation {:?}",
                c.rule,
                outcomes(tf),
                outcomes(cfn)
            ));
        }
    }
    assert!(pairs > 100, "only {pairs} Terraform/CloudFormation pairs found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
