//! The registry and the framework catalogs agree: every rule is evidence for some criterion, every
//! rule a catalog names exists, and the documentation of every rule has its sections.

use std::collections::BTreeSet;

#[test]
fn every_rule_is_mapped_in_some_framework_and_every_mapping_names_a_rule() {
    let ids: BTreeSet<&str> = attest_rules::all().iter().map(|r| r.meta().id).collect();
    let catalogs = attest_rules::frameworks::builtin();
    assert!(!catalogs.is_empty());
    let mut mapped = BTreeSet::new();
    let mut unknown = Vec::new();
    for fw in catalogs {
        for c in &fw.criteria {
            for m in &c.rules {
                if ids.contains(m.rule.as_str()) {
                    mapped.insert(m.rule.as_str());
                } else {
                    unknown.push(format!("{}/{}: {}", fw.id, c.id, m.rule));
                }
                assert!(
                    !m.rationale.trim().is_empty(),
                    "{}/{} {}: empty rationale",
                    fw.id,
                    c.id,
                    m.rule
                );
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "catalogs name rules that do not exist:\n{}",
        unknown.join("\n")
    );
    let unmapped: Vec<&&str> = ids.iter().filter(|id| !mapped.contains(*id)).collect();
    assert!(unmapped.is_empty(), "rules in no framework: {unmapped:?}");
}

#[test]
fn every_rule_is_mapped_to_soc2() {
    let soc2 = attest_rules::frameworks::builtin_by_id("soc2").expect("soc2 catalog");
    let unmapped: Vec<&str> = attest_rules::all()
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| soc2.criteria_for_rule(id).next().is_none())
        .collect();
    assert!(
        unmapped.is_empty(),
        "rules not mapped to any SOC 2 criterion: {unmapped:?}"
    );
}

#[test]
fn every_rule_documents_what_why_and_how() {
    for rule in attest_rules::all() {
        let m = rule.meta();
        for section in ["## What it checks", "## Why it matters", "## How to fix"] {
            assert!(m.doc.contains(section), "{}: missing `{section}`", m.id);
        }
        assert!(!m.resource_types.is_empty(), "{}: no resource types", m.id);
        assert!(
            m.aliases
                .iter()
                .any(|a| matches!(a.tool, "fugue" | "cis-aws" | "checkov" | "prowler")),
            "{}: no Fugue, CIS, Checkov or Prowler alias",
            m.id
        );
    }
}

#[test]
fn cis_aliases_and_cis_catalog_mappings_agree() {
    let cis = attest_rules::frameworks::builtin_by_id("cis-aws-3.0").expect("CIS catalog");
    let mut problems = Vec::new();
    for rule in attest_rules::all() {
        let m = rule.meta();
        let aliased: BTreeSet<&str> = m
            .aliases
            .iter()
            .filter(|a| a.tool == "cis-aws")
            .map(|a| a.id)
            .collect();
        let mapped: BTreeSet<&str> = cis.criteria_for_rule(m.id).map(|c| c.id.as_str()).collect();
        for id in aliased.difference(&mapped) {
            problems.push(format!(
                "{}: alias cis-aws {id} but not mapped to it in the catalog",
                m.id
            ));
        }
        for id in mapped.difference(&aliased) {
            problems.push(format!(
                "{}: mapped to CIS {id} but has no cis-aws alias for it",
                m.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
