//! What a scan produces: findings, input errors, and roll-ups per framework and criterion.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::framework::{Automation, Framework};
use crate::resource::{InputKind, Location, ModuleCall};
use crate::rule::{RuleKind, Severity};

/// Version of the JSON report schema (`schemas/report.schema.json`). Bumped on any change to
/// the shape; additive changes bump the minor part.
pub const REPORT_SCHEMA_VERSION: &str = "1.0.0";

/// The outcome of one rule on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Unknown,
    Waived,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
            Outcome::Waived => "waived",
        }
    }
}

/// A waiver that turned a failure (or unknown) into `waived`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedWaiver {
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expires: Option<String>,
    /// `config` (a waiver in `.attest.toml`) or `inline` (a comment in the source).
    pub source: String,
    /// What the outcome was before the waiver.
    pub original: Outcome,
}

/// A criterion of a framework that a rule gives evidence for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ControlRef {
    pub framework: String,
    pub criterion: String,
}

/// The result of one rule on one resource (or on the account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
///
/// What every finding of one rule shares (title, aliases, controls) is held once and shared.
pub struct Finding {
    pub rule_id: String,
    pub rule_title: Arc<str>,
    /// Equivalent ids in other tools: `{"fugue": "FG_R00092"}`.
    pub rule_aliases: Arc<BTreeMap<String, String>>,
    pub rule_kind: RuleKind,
    pub severity: Severity,
    pub outcome: Outcome,
    /// Resource address; `account` for account-level results.
    pub resource_id: String,
    pub resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub physical_id: Option<String>,
    pub input: Option<InputKind>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attribute: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub module_stack: Vec<ModuleCall>,
    pub controls: Arc<Vec<ControlRef>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub waiver: Option<AppliedWaiver>,
}

/// A file (or API call) that could not be read in full. Line and column are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InputError {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<u32>,
    pub message: String,
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(file: impl Into<String>, line: u32, column: u32, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
            (Some(l), None) => write!(f, "{}:{}: {}", self.file, l, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// One input that was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    /// A file, or a directory for Terraform configuration (a module is a directory).
    pub path: String,
    pub kind: InputKind,
    pub resources: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub waived: usize,
}

impl Counts {
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Fail => self.fail += 1,
            Outcome::Unknown => self.unknown += 1,
            Outcome::Waived => self.waived += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.pass + self.fail + self.unknown + self.waived
    }
}

/// The state of a criterion in a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionStatus {
    /// At least one mapped rule failed.
    Fail,
    /// No failure, but some outcome could not be decided.
    Unknown,
    /// Every evaluated outcome passed (or was waived).
    Pass,
    /// Rules are mapped but no scanned resource was in their scope.
    NotApplicable,
    /// No rule can evidence it: people and documents must.
    Manual,
}

impl CriterionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionStatus::Fail => "fail",
            CriterionStatus::Unknown => "unknown",
            CriterionStatus::Pass => "pass",
            CriterionStatus::NotApplicable => "not_applicable",
            CriterionStatus::Manual => "manual",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionReport {
    pub id: String,
    pub title: String,
    pub group: String,
    pub automation: Automation,
    pub status: CriterionStatus,
    pub counts: Counts,
    /// Rules mapped to the criterion (all of them, evaluated or not).
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkReport {
    pub id: String,
    pub name: String,
    pub version: String,
    pub counts: Counts,
    pub criteria: Vec<CriterionReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub resources: usize,
    pub rules: usize,
    pub counts: Counts,
}

/// A rule that took part in a scan, as reporters show it (SARIF `tool.driver.rules`, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub kind: RuleKind,
    pub resource_types: Vec<String>,
    pub aliases: BTreeMap<String, String>,
    /// The rule's documentation (Markdown).
    pub doc: String,
    pub controls: Vec<ControlRef>,
}

/// The result of a scan. Versioned (`schema_version`); see `schemas/report.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    pub inputs: Vec<InputSummary>,
    pub errors: Vec<InputError>,
    /// Things the user should know that are not input errors (an expired waiver, say).
    pub notices: Vec<String>,
    pub summary: Summary,
    /// The rules that ran (after filters), sorted by id.
    pub rules: Vec<RuleInfo>,
    pub findings: Vec<Finding>,
    pub frameworks: Vec<FrameworkReport>,
}

impl Report {
    /// The highest severity among failures, if any failed.
    pub fn worst_failure(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail)
            .map(|f| f.severity)
            .max()
    }
}

/// Rolls findings up per framework and criterion. Every criterion of the catalog appears, the
/// ones no rule covers as `manual`.
pub fn rollup(findings: &[Finding], frameworks: &[&Framework]) -> Vec<FrameworkReport> {
    frameworks
        .iter()
        .map(|fw| {
            let mut total = Counts::default();
            for f in findings {
                if fw.criteria_for_rule(&f.rule_id).next().is_some() {
                    total.add(f.outcome);
                }
            }
            let criteria = fw
                .criteria
                .iter()
                .map(|c| {
                    let mut counts = Counts::default();
                    for f in findings {
                        if c.rules.iter().any(|m| m.rule == f.rule_id) {
                            counts.add(f.outcome);
                        }
                    }
                    let status = if c.rules.is_empty()
                        || (c.automation == Automation::Manual && counts.total() == 0)
                    {
                        CriterionStatus::Manual
                    } else if counts.fail > 0 {
                        CriterionStatus::Fail
                    } else if counts.unknown > 0 {
                        CriterionStatus::Unknown
                    } else if counts.pass + counts.waived > 0 {
                        CriterionStatus::Pass
                    } else {
                        CriterionStatus::NotApplicable
                    };
                    CriterionReport {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        group: c.group.clone(),
                        automation: c.automation,
                        status,
                        counts,
                        rules: c.rules.iter().map(|m| m.rule.clone()).collect(),
                    }
                })
                .collect();
            FrameworkReport {
                id: fw.id.clone(),
                name: fw.name.clone(),
                version: fw.version.clone(),
                counts: total,
                criteria,
            }
        })
        .collect()
}
