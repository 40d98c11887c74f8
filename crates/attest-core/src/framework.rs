//! Compliance frameworks as data: criteria, and the rules that give evidence for each.

use serde::{Deserialize, Serialize};

/// How far cloud configuration can evidence a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Automation {
    /// Configuration evidence is sufficient.
    Automated,
    /// Configuration gives part of the evidence; the rest is procedural.
    Partial,
    /// Only people and documents can evidence it.
    Manual,
}

impl Automation {
    pub fn as_str(self) -> &'static str {
        match self {
            Automation::Automated => "automated",
            Automation::Partial => "partial",
            Automation::Manual => "manual",
        }
    }
}

/// One rule mapped to a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMapping {
    pub rule: String,
    /// One line: why this rule is evidence for the criterion.
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    /// The family or category the criterion belongs to (`Logical and Physical Access Controls`).
    #[serde(default)]
    pub group: String,
    pub automation: Automation,
    #[serde(default)]
    pub rules: Vec<RuleMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

impl Framework {
    /// Criteria (ids) a rule gives evidence for, in catalog order.
    pub fn criteria_for_rule<'a>(&'a self, rule_id: &'a str) -> impl Iterator<Item = &'a Criterion> + 'a {
        self.criteria
            .iter()
            .filter(move |c| c.rules.iter().any(|m| m.rule == rule_id))
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }
}
