//! attest-engine: runs rules over a resource graph, applies waivers, and rolls findings up per
//! framework and criterion into a [`Report`].

pub mod config;
pub mod drift;
pub mod iac_drift;
pub mod remediate;
pub mod unreadable;
pub mod waiver;

use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;

use attest_core::report::rollup;
use attest_core::{
    ControlRef, Counts, Finding, Framework, LoadOutput, Outcome, Report, ResourceGraph, Rule, RuleInfo,
    Severity, Summary, ToolInfo, Verdict, REPORT_SCHEMA_VERSION,
};

pub use config::{find_config, LoadedConfig, Options, CONFIG_FILE};
pub use waiver::Waiver;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        path: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("waiver {origin}: {message}")]
    Waiver { origin: String, message: String },
    #[error("unknown rule `{0}` (see `attest rules list`)")]
    UnknownRule(String),
    #[error("unknown framework `{0}` (see `attest frameworks list`)")]
    UnknownFramework(String),
}

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these rules (ids or aliases); empty means all.
    pub rules: Vec<String>,
    /// Never these rules (ids or aliases).
    pub skip: Vec<String>,
    /// Only rules mapped to one of these frameworks; also limits the roll-up to them.
    pub frameworks: Vec<String>,
    /// Only rules of this severity or higher.
    pub min_severity: Option<Severity>,
}

/// Resolves a selection against the registry and the framework catalog.
pub fn select_rules(
    registry: &[&'static dyn Rule],
    catalog: &[Framework],
    selection: &Selection,
) -> Result<Vec<&'static dyn Rule>, EngineError> {
    let find = |name: &str| {
        registry
            .iter()
            .copied()
            .find(|r| r.meta().answers_to(name))
            .ok_or_else(|| EngineError::UnknownRule(name.to_string()))
    };
    let only: Vec<&'static str> = selection
        .rules
        .iter()
        .map(|n| find(n).map(|r| r.meta().id))
        .collect::<Result<_, _>>()?;
    let skip: Vec<&'static str> = selection
        .skip
        .iter()
        .map(|n| find(n).map(|r| r.meta().id))
        .collect::<Result<_, _>>()?;
    let frameworks = select_frameworks(catalog, &selection.frameworks)?;
    Ok(registry
        .iter()
        .copied()
        .filter(|r| {
            let m = r.meta();
            (only.is_empty() || only.contains(&m.id))
                && !skip.contains(&m.id)
                && selection.min_severity.is_none_or(|s| m.severity >= s)
                && (selection.frameworks.is_empty()
                    || frameworks
                        .iter()
                        .any(|f| f.criteria_for_rule(m.id).next().is_some()))
        })
        .collect())
}

/// The frameworks named (all of the catalog when none is).
pub fn select_frameworks<'a>(
    catalog: &'a [Framework],
    names: &[String],
) -> Result<Vec<&'a Framework>, EngineError> {
    if names.is_empty() {
        return Ok(catalog.iter().collect());
    }
    names
        .iter()
        .map(|n| {
            catalog
                .iter()
                .find(|f| f.id.eq_ignore_ascii_case(n))
                .ok_or_else(|| EngineError::UnknownFramework(n.clone()))
        })
        .collect()
}

/// Everything a scan needs besides its inputs.
pub struct ScanSettings<'a> {
    pub rules: Vec<&'static dyn Rule>,
    /// Every framework known (controls on findings are listed for all of them).
    pub catalog: &'a [Framework],
    /// The frameworks to roll up in the report.
    pub report_frameworks: Vec<&'a Framework>,
    pub waivers: Vec<Waiver>,
    pub today: NaiveDate,
}

/// The result of a scan plus how long evaluation took.
pub struct ScanResult {
    pub report: Report,
    pub graph: ResourceGraph,
    pub eval_seconds: f64,
}

/// Builds the graph from loaded inputs, runs the rules (in parallel), applies waivers and rolls up.
pub fn scan(load: LoadOutput, settings: &ScanSettings<'_>) -> ScanResult {
    let graph = ResourceGraph::new(load.resources, &load.references);
    let started = Instant::now();
    let unreadable = unreadable::Unreadable::of(&graph);
    let mut findings: Vec<Finding> = settings
        .rules
        .par_iter()
        .flat_map_iter(|rule| {
            let meta = rule.meta();
            let controls = std::sync::Arc::new(controls_of(settings.catalog, meta.id));
            let aliases = std::sync::Arc::new(meta.alias_map());
            let title: std::sync::Arc<str> = meta.title.into();
            let graph = &graph;
            let evaluations = unreadable.temper(graph, rule.looks_through(), rule.check(graph));
            evaluations.into_iter().map(move |ev| {
                let resource = ev.resource.map(|i| graph.get(i));
                Finding {
                    rule_id: meta.id.to_string(),
                    rule_title: title.clone(),
                    rule_aliases: aliases.clone(),
                    rule_kind: meta.kind,
                    severity: meta.severity,
                    outcome: match ev.verdict {
                        Verdict::Pass => Outcome::Pass,
                        Verdict::Fail => Outcome::Fail,
                        Verdict::Unknown => Outcome::Unknown,
                    },
                    resource_id: resource.map_or_else(|| "account".to_string(), |r| r.id.clone()),
                    resource_type: resource
                        .map_or_else(|| "account".to_string(), |r| r.resource_type.clone()),
                    physical_id: resource.and_then(|r| r.physical_id.clone()),
                    input: resource.map(|r| r.provenance.input),
                    message: ev.message,
                    attribute: ev.attribute,
                    location: resource.and_then(|r| r.provenance.location.clone()),
                    module_stack: resource
                        .map(|r| r.provenance.module_stack.clone())
                        .unwrap_or_default(),
                    controls: controls.clone(),
                    waiver: None,
                }
            })
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.rule_id, &a.resource_id, &a.attribute, &a.message).cmp(&(
            &b.rule_id,
            &b.resource_id,
            &b.attribute,
            &b.message,
        ))
    });
    // Rule metadata by id, looked up once per finding by the waivers.
    let metas: std::collections::HashMap<&str, &'static attest_core::RuleMeta> =
        settings.rules.iter().map(|r| (r.meta().id, r.meta())).collect();
    let meta_of = |id: &str| metas.get(id).copied();
    let mut notices = waiver::apply(&settings.waivers, &mut findings, meta_of, settings.today);
    // Inline suppressions come second: a finding a configuration waiver covers keeps that waiver.
    notices.extend(waiver::apply_inline(&load.suppressions, &mut findings, |name| {
        settings
            .rules
            .iter()
            .map(|r| r.meta())
            .find(|m| m.answers_to(name))
    }));
    let eval_seconds = started.elapsed().as_secs_f64();

    let mut counts = Counts::default();
    for f in &findings {
        counts.add(f.outcome);
    }
    let mut rules: Vec<RuleInfo> = settings
        .rules
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleInfo {
                id: m.id.to_string(),
                title: m.title.to_string(),
                severity: m.severity,
                kind: m.kind,
                resource_types: m.resource_types.iter().map(|t| t.to_string()).collect(),
                aliases: m.alias_map(),
                doc: m.doc.to_string(),
                controls: controls_of(settings.catalog, m.id),
            }
        })
        .collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let frameworks = rollup(&findings, &settings.report_frameworks);
    let mut errors = load.errors;
    errors.sort();
    let mut inputs = load.inputs;
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let report = Report {
        schema_version: REPORT_SCHEMA_VERSION.to_string(),
        tool: ToolInfo {
            name: "attest".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        inputs,
        errors,
        notices,
        summary: Summary {
            resources: graph.len(),
            rules: settings.rules.len(),
            counts,
        },
        rules,
        findings,
        frameworks,
    };
    ScanResult {
        report,
        graph,
        eval_seconds,
    }
}

/// Every criterion (of every framework in the catalog) a rule gives evidence for.
pub fn controls_of(catalog: &[Framework], rule_id: &str) -> Vec<ControlRef> {
    catalog
        .iter()
        .flat_map(|fw| {
            fw.criteria_for_rule(rule_id).map(|c| ControlRef {
                framework: fw.id.clone(),
                criterion: c.id.clone(),
            })
        })
        .collect()
}

/// The exit status a report calls for: 1 when a failure is at or above `fail_on` (`None` = never).
pub fn has_failures_at(report: &Report, fail_on: Option<Severity>) -> bool {
    match (fail_on, report.worst_failure()) {
        (Some(threshold), Some(worst)) => worst >= threshold,
        _ => false,
    }
}

/// Today's date in local time (waiver expiry is by calendar day).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
