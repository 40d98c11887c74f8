//! attest-report: renders a [`Report`] in the formats people and tools read.
//!
//! One file per format:
//!
//! - [`text`]: for people at a terminal, findings grouped by criterion, resource or rule;
//! - [`json`]: the report itself, versioned and described by `schemas/report.schema.json`;
//! - [`sarif`]: SARIF 2.1.0, for code-scanning tools;
//! - [`junit`]: JUnit XML, for CI test reports;
//! - [`csv`]: one row per finding, for spreadsheets.
//!
//! Reporters see only the [`Report`]; they never evaluate anything.
//!
//! ```
//! use attest_core::{Report, Summary, ToolInfo, REPORT_SCHEMA_VERSION};
//! use attest_report::{render, Format, RenderOptions};
//!
//! let report = Report {
//!     schema_version: REPORT_SCHEMA_VERSION.to_string(),
//!     tool: ToolInfo { name: "attest".into(), version: "0.1.0".into() },
//!     inputs: vec![],
//!     errors: vec![],
//!     notices: vec![],
//!     summary: Summary::default(),
//!     rules: vec![],
//!     findings: vec![],
//!     frameworks: vec![],
//! };
//! let mut out = Vec::new();
//! render(&report, Format::Json, &RenderOptions::default(), &mut out).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("\"schema_version\""));
//! ```

use std::fmt;
use std::io;
use std::str::FromStr;

use attest_core::Report;

pub mod csv;
pub mod drift;
pub mod iac_drift;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

mod util;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// For people (the default).
    #[default]
    Text,
    /// The report as JSON (`schemas/report.schema.json`).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// Comma-separated values, one row per finding.
    Csv,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Csv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = ParseError;

    /// Parses a format name, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseError {
                what: "format",
                given: s.to_string(),
                expected: join_names(Format::ALL.iter().map(|f| f.as_str())),
            })
    }
}

/// How the text format groups findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GroupBy {
    /// Under each criterion of each framework, in catalog order (the default).
    #[default]
    Criterion,
    /// Under each resource.
    Resource,
    /// Under each rule.
    Rule,
}

impl GroupBy {
    pub const ALL: [GroupBy; 3] = [GroupBy::Criterion, GroupBy::Resource, GroupBy::Rule];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Criterion => "criterion",
            GroupBy::Resource => "resource",
            GroupBy::Rule => "rule",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = ParseError;

    /// Parses a grouping name, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GroupBy::ALL
            .into_iter()
            .find(|g| g.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseError {
                what: "grouping",
                given: s.to_string(),
                expected: join_names(GroupBy::ALL.iter().map(|g| g.as_str())),
            })
    }
}

fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// A name that is not a [`Format`] or [`GroupBy`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}` (expected one of: {expected})")]
pub struct ParseError {
    what: &'static str,
    given: String,
    expected: String,
}

/// What to render, beyond the format.
///
/// - `color`: ANSI colours (text only).
/// - `group_by`: how findings are grouped (text only).
/// - `show_passes`: list passing findings one by one in text, and as `kind: pass` results in
///   SARIF. Passes are always counted; JSON, JUnit (as passing test cases) and CSV always
///   carry them, since those formats are read by tools.
/// - `framework`: in text grouped by criterion, show only this framework (by id, ignoring
///   ASCII case). Rendering fails with [`RenderError::UnknownFramework`] when the report has
///   no such framework.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    pub color: bool,
    pub group_by: GroupBy,
    pub show_passes: bool,
    pub framework: Option<String>,
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write the report: {0}")]
    Io(#[from] io::Error),
    #[error("cannot write the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the report as CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("the report has no framework `{id}` (it has: {known})")]
    UnknownFramework { id: String, known: String },
}

/// Renders `report` in `format` to `out`.
pub fn render(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn io::Write,
) -> Result<(), RenderError> {
    match format {
        Format::Text => text::render(report, opts, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, opts, out),
        Format::Junit => junit::render(report, out),
        Format::Csv => csv::render(report, out),
    }?;
    out.flush()?;
    Ok(())
}

/// Renders `report` in `format` into a string.
pub fn render_to_string(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let mut out = Vec::new();
    render(report, format, opts, &mut out)?;
    // Every reporter writes UTF-8; a lossy conversion cannot change anything.
    Ok(String::from_utf8_lossy(&out).into_owned())
}
