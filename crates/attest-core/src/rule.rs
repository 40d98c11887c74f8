//! The rule API: metadata, the check, and what a check returns.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::graph::ResourceGraph;
use crate::value::Tri;

/// How bad a failure is. Ordered from `Info` (lowest) to `Critical` (highest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected critical, high, medium, low or info)"
            )),
        }
    }
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Judges each resource of its types on its own attributes.
    Resource,
    /// Judges each resource of its types together with related resources (a graph query).
    Graph,
    /// Judges the environment as a whole ("no trail logs management events"); in IaC scans it
    /// judges only what the scanned code declares.
    Account,
}

/// An equivalent control in another tool, for migration and comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Alias {
    /// `fugue`, `checkov`, `prowler`, `cis-aws`…
    pub tool: &'static str,
    pub id: &'static str,
}

/// Everything about a rule but its check. Static: it lives in the rule's own file.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Stable kebab-case id, never reused (`aws-iam-no-admin-policy`).
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub kind: RuleKind,
    /// Canonical resource types the rule reports on.
    pub resource_types: &'static [&'static str],
    pub aliases: &'static [Alias],
    /// Markdown with the sections `## What it checks`, `## Why it matters`, `## How to fix`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// True when `name` is this rule's id or one of its aliases (case-insensitive).
    pub fn answers_to(&self, name: &str) -> bool {
        self.id.eq_ignore_ascii_case(name) || self.aliases.iter().any(|a| a.id.eq_ignore_ascii_case(name))
    }

    /// Aliases by tool; a tool with several equivalent checks lists them comma-separated
    /// (`{"fugue": "FG_R00092", "checkov": "CKV_AWS_62,CKV_AWS_1"}`).
    pub fn alias_map(&self) -> std::collections::BTreeMap<String, String> {
        let mut map = std::collections::BTreeMap::<String, String>::new();
        for a in self.aliases {
            map.entry(a.tool.to_string())
                .and_modify(|ids| {
                    ids.push(',');
                    ids.push_str(a.id);
                })
                .or_insert_with(|| a.id.to_string());
        }
        map
    }

    pub fn alias(&self, tool: &str) -> Option<&'static str> {
        self.aliases.iter().find(|a| a.tool == tool).map(|a| a.id)
    }
}

/// The verdict of a check on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Unknown,
}

impl From<Tri> for Verdict {
    /// `True` means the check holds (pass).
    fn from(t: Tri) -> Self {
        match t {
            Tri::True => Verdict::Pass,
            Tri::False => Verdict::Fail,
            Tri::Unknown => Verdict::Unknown,
        }
    }
}

/// What a check says about one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Index of the resource judged; `None` for an account-level result.
    pub resource: Option<usize>,
    pub verdict: Verdict,
    /// Why: for a failure, what is wrong and where; for a pass, what was found; for unknown,
    /// what could not be told.
    pub message: String,
    /// Dotted attribute path the verdict hinges on, when there is one.
    pub attribute: Option<String>,
}

impl Evaluation {
    pub fn new(resource: usize, verdict: Verdict, message: impl Into<String>) -> Self {
        Evaluation {
            resource: Some(resource),
            verdict,
            message: message.into(),
            attribute: None,
        }
    }

    pub fn pass(resource: usize, message: impl Into<String>) -> Self {
        Self::new(resource, Verdict::Pass, message)
    }

    pub fn fail(resource: usize, message: impl Into<String>) -> Self {
        Self::new(resource, Verdict::Fail, message)
    }

    pub fn unknown(resource: usize, message: impl Into<String>) -> Self {
        Self::new(resource, Verdict::Unknown, message)
    }

    pub fn at(mut self, attribute: impl Into<String>) -> Self {
        self.attribute = Some(attribute.into());
        self
    }
}

/// A rule: metadata and a check over the graph.
///
/// The engine calls `check` once per scan; a rule iterates the resources of its declared types
/// (`graph.of_types(self.meta().resource_types)`) and returns one evaluation per subject —
/// passes included, since they are the evidence that a control operated.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation>;

    /// Types other than its subjects whose resources the rule looks through to judge a subject
    /// (the flow logs of a VPC, the permissions of a Lambda function). When a live scan could not
    /// list one of these types in a subject's account and region (a placeholder stands there:
    /// see [`is_unreadable_placeholder`]), the engine makes the subject's pass or fail `unknown`.
    /// Rules that weigh such placeholders themselves leave this empty.
    fn looks_through(&self) -> &'static [&'static str] {
        &[]
    }
}

/// True for the stand-in a live collection adds when a list call fails or the scan left the
/// service out: a data resource with live provenance other than the scan's own scope
/// (`aws_region`, `aws_caller_identity`). Live collections emit no other data resources.
pub fn is_unreadable_placeholder(r: &crate::Resource) -> bool {
    r.mode == crate::Mode::Data
        && r.provenance.input == crate::InputKind::Live
        && !matches!(r.resource_type.as_str(), "aws_region" | "aws_caller_identity")
}
