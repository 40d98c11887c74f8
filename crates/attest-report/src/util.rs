//! Helpers shared by the reporters.

use std::collections::{BTreeMap, BTreeSet};

use attest_core::{ControlRef, Finding, ModuleCall, Outcome, Report, RuleInfo};

/// Order in which outcomes are listed: what needs action first.
pub(crate) fn outcome_rank(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Fail => 0,
        Outcome::Unknown => 1,
        Outcome::Waived => 2,
        Outcome::Pass => 3,
    }
}

/// Sorts findings for people: by outcome (failures first), then severity (highest first),
/// rule and resource. Stable, so equal findings keep the report's order.
pub(crate) fn sort_findings(findings: &mut [&Finding]) {
    findings.sort_by(|a, b| {
        outcome_rank(a.outcome)
            .cmp(&outcome_rank(b.outcome))
            .then(b.severity.cmp(&a.severity))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.resource_id.cmp(&b.resource_id))
    });
}

/// `framework/criterion`, e.g. `soc2/CC6.1`.
pub(crate) fn control_text(control: &ControlRef) -> String {
    format!("{}/{}", control.framework, control.criterion)
}

/// `tool:id` pairs, e.g. `checkov:CKV_AWS_20;fugue:FG_R00229`.
pub(crate) fn aliases_text(aliases: &BTreeMap<String, String>, separator: &str) -> String {
    aliases
        .iter()
        .map(|(tool, id)| format!("{tool}:{id}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// The module calls that led to a resource: `module.net (main.tf:4) > module.net.module.sg`.
pub(crate) fn module_stack_text(stack: &[ModuleCall]) -> Option<String> {
    if stack.is_empty() {
        return None;
    }
    let calls: Vec<String> = stack
        .iter()
        .map(|call| match &call.location {
            Some(loc) => format!("{} ({loc})", call.address),
            None => call.address.clone(),
        })
        .collect();
    Some(calls.join(" > "))
}

/// `file:line`, followed by `via module…` when the resource sits in a module.
pub(crate) fn location_text(finding: &Finding) -> Option<String> {
    let via = module_stack_text(&finding.module_stack);
    match (&finding.location, via) {
        (Some(loc), Some(via)) => Some(format!("{loc} via {via}")),
        (Some(loc), None) => Some(loc.to_string()),
        (None, Some(via)) => Some(format!("via {via}")),
        (None, None) => None,
    }
}

/// The rules a report speaks of: `report.rules`, then (sorted by id) any rule that only
/// appears in findings, described from its findings.
pub(crate) fn rules_of(report: &Report) -> Vec<RuleInfo> {
    let mut rules = report.rules.clone();
    let known: BTreeSet<&str> = report.rules.iter().map(|r| r.id.as_str()).collect();
    let mut extra: BTreeMap<&str, RuleInfo> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .filter(|f| !known.contains(f.rule_id.as_str()))
    {
        let rule = extra.entry(f.rule_id.as_str()).or_insert_with(|| RuleInfo {
            id: f.rule_id.clone(),
            title: f.rule_title.to_string(),
            severity: f.severity,
            kind: f.rule_kind,
            resource_types: Vec::new(),
            aliases: (*f.rule_aliases).clone(),
            doc: String::new(),
            controls: Vec::new(),
        });
        if !rule.resource_types.contains(&f.resource_type) {
            rule.resource_types.push(f.resource_type.clone());
        }
        for c in f.controls.iter() {
            if !rule.controls.contains(c) {
                rule.controls.push(c.clone());
            }
        }
    }
    rules.extend(extra.into_values());
    rules
}

/// `1 resource`, `2 resources`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
