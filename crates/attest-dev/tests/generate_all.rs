//! `generate-all` into a temporary docs folder: the pages say what they should, the output is
//! deterministic, and the check finds stale, missing and extra files.

use attest_dev::{check, render_builtin, write, Difference, Docs};
use attest_rules::frameworks::builtin_by_id;

fn generated() -> Docs {
    render_builtin().expect("built-in docs render")
}

#[test]
fn rule_page_has_metadata_aliases_criteria_and_documentation() {
    let docs = generated();
    let rule = attest_rules::find("aws-iam-no-admin-policy").expect("rule is built in");
    let meta = rule.meta();
    let page = docs.get("rules/aws-iam-no-admin-policy.md").expect("rule page");

    assert!(page.contains(&format!("# {}", meta.title)), "{page}");
    assert!(page.contains("| Id | `aws-iam-no-admin-policy` |"), "{page}");
    assert!(page.contains("| Severity | high |"), "{page}");
    assert!(page.contains("| Kind | resource |"), "{page}");
    assert!(page.contains("`aws_iam_policy`, `aws_iam_role_policy`"), "{page}");
    assert!(page.contains("| checkov | `CKV_AWS_62`, `CKV_AWS_1` |"), "{page}");
    assert!(page.contains("| fugue | `FG_R00092` |"), "{page}");

    // Every mapping of the rule in a built-in catalog appears with its rationale.
    let soc2 = builtin_by_id("soc2").expect("soc2 catalog");
    let mapped: Vec<_> = soc2.criteria_for_rule(meta.id).collect();
    assert!(!mapped.is_empty());
    for criterion in mapped {
        assert!(page.contains(&format!("**{}**", criterion.id)), "{page}");
        for m in criterion.rules.iter().filter(|m| m.rule == meta.id) {
            assert!(page.contains(m.rationale.trim()), "{page}");
        }
    }
    assert!(page.contains("(../frameworks/soc2.md)"), "{page}");

    // The rule's own documentation follows, unchanged.
    assert!(page.trim_end().ends_with(meta.doc.trim()), "{page}");
    assert!(page.contains("## What it checks"), "{page}");
}

#[test]
fn framework_page_groups_criteria_links_rules_and_lists_the_uncovered() {
    let docs = generated();
    let soc2 = builtin_by_id("soc2").expect("soc2 catalog");
    let page = docs.get("frameworks/soc2.md").expect("soc2 page");

    assert!(page.contains(&format!("# {}\n", soc2.name)), "{page}");
    assert!(
        page.contains(&format!("Version {}, catalog id `soc2`", soc2.version)),
        "{page}"
    );
    let groups = page.find("## Control Environment").expect("first group");
    let access = page
        .find("## Logical and Physical Access Controls")
        .expect("access group");
    let uncovered = page
        .find("## Criteria no rule covers")
        .expect("uncovered section");
    assert!(groups < access && access < uncovered);

    // A mapped criterion links its rule and shows the rationale in the matrix.
    let criterion = soc2.criterion("CC5.2").expect("CC5.2");
    let mapping = criterion
        .rules
        .iter()
        .find(|m| m.rule == "aws-iam-no-admin-policy")
        .expect("CC5.2 names the admin-policy rule");
    let row = page
        .lines()
        .find(|l| l.starts_with("| CC5.2 |"))
        .expect("CC5.2 row");
    assert!(
        row.contains("[`aws-iam-no-admin-policy`](../rules/aws-iam-no-admin-policy.md)"),
        "{row}"
    );
    assert!(row.contains(mapping.rationale.trim()), "{row}");
    assert!(row.contains(criterion.automation.as_str()), "{row}");

    // Every criterion without rules, and only those, is listed after the matrix.
    let tail = &page[uncovered..];
    for c in &soc2.criteria {
        let listed = tail.contains(&format!("- **{}** ", c.id));
        assert_eq!(listed, c.rules.is_empty(), "{}", c.id);
    }
    assert!(tail.contains("- **CC1.1** "), "{tail}");
}

#[test]
fn every_builtin_rule_and_catalog_gets_a_page_and_the_index_lists_every_rule() {
    let docs = generated();
    let index = docs.get("rules/README.md").expect("rule index");
    for rule in attest_rules::all() {
        let id = rule.meta().id;
        assert!(docs.contains_key(&format!("rules/{id}.md")), "{id}");
        assert!(index.contains(&format!("[`{id}`]({id}.md)")), "{id}");
    }
    for fw in attest_rules::frameworks::builtin() {
        assert!(
            docs.contains_key(&format!("frameworks/{}.md", fw.id)),
            "{}",
            fw.id
        );
    }
    let cis = docs.get("frameworks/cis-aws-3.0.md").expect("cis page");
    assert!(cis.contains("## Identity and Access Management"), "{cis}");
    assert!(cis.contains("## Networking"), "{cis}");
    assert!(cis.contains("## Criteria no rule covers"), "{cis}");
    assert!(
        cis.contains("- **1.1** "),
        "a people-only recommendation is listed as uncovered"
    );
}

#[test]
fn output_is_deterministic() {
    assert_eq!(generated(), generated());
}

#[test]
fn write_then_check_finds_stale_missing_and_extra_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let docs = generated();

    let created = write(root, &docs).expect("write");
    assert_eq!(created.len(), docs.len());
    assert!(created.iter().all(|d| matches!(d, Difference::Missing(_))));
    assert!(root.join("rules/aws-iam-no-admin-policy.md").is_file());
    assert!(root.join("rules/README.md").is_file());
    assert!(root.join("frameworks/soc2.md").is_file());
    assert!(root.join("frameworks/cis-aws-3.0.md").is_file());
    assert_eq!(check(root, &docs).expect("check"), Vec::new());
    assert_eq!(
        write(root, &docs).expect("rewrite"),
        Vec::new(),
        "a second run changes nothing"
    );

    // A hand edit, a deleted page, and the page of a rule that no longer exists.
    std::fs::write(root.join("frameworks/soc2.md"), "edited by hand\n").expect("edit");
    std::fs::remove_file(root.join("rules/README.md")).expect("remove");
    std::fs::write(root.join("rules/aws-retired-rule.md"), "old page\n").expect("extra");
    std::fs::write(root.join("rules/notes.txt"), "not markdown\n").expect("other file");
    let differences = check(root, &docs).expect("check");
    assert_eq!(
        differences,
        vec![
            Difference::Stale("frameworks/soc2.md".to_string()),
            Difference::Missing("rules/README.md".to_string()),
            Difference::Extra("rules/aws-retired-rule.md".to_string()),
        ]
    );

    // Writing repairs all three and deletes the extra page, leaving other files alone.
    write(root, &docs).expect("repair");
    assert_eq!(check(root, &docs).expect("check"), Vec::new());
    assert!(!root.join("rules/aws-retired-rule.md").exists());
    assert!(root.join("rules/notes.txt").exists());
}

#[test]
fn check_of_an_empty_folder_reports_every_file_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = generated();
    let differences = check(dir.path(), &docs).expect("check");
    assert_eq!(differences.len(), docs.len());
    assert!(differences.iter().all(|d| matches!(d, Difference::Missing(_))));
}
