//! CSV, one row per finding (passes included), for spreadsheets and ad-hoc analysis.
//!
//! Columns, in order: `rule_id`, `rule_title`, `severity`, `outcome`, `resource_id`,
//! `resource_type`, `file`, `line`, `controls` (`framework/criterion`, `;`-joined), `aliases`
//! (`tool:id`, `;`-joined), `message`, `waiver_reason`. Empty cells stand for absent values.
//! Quoting follows RFC 4180 (the `csv` crate); rows end with `\n`.

use std::io;

use attest_core::Report;

use crate::util::{aliases_text, control_text};
use crate::RenderError;

/// The header row.
pub const COLUMNS: [&str; 12] = [
    "rule_id",
    "rule_title",
    "severity",
    "outcome",
    "resource_id",
    "resource_type",
    "file",
    "line",
    "controls",
    "aliases",
    "message",
    "waiver_reason",
];

/// Renders `report` as CSV.
pub fn render(report: &Report, out: &mut dyn io::Write) -> Result<(), RenderError> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for f in &report.findings {
        let (file, line) = match &f.location {
            Some(loc) => (loc.file.as_str(), loc.line.to_string()),
            None => ("", String::new()),
        };
        let controls: Vec<String> = f.controls.iter().map(control_text).collect();
        let record: [&str; 12] = [
            &f.rule_id,
            &f.rule_title,
            f.severity.as_str(),
            f.outcome.as_str(),
            &f.resource_id,
            &f.resource_type,
            file,
            &line,
            &controls.join(";"),
            &aliases_text(&f.rule_aliases, ";"),
            &f.message,
            f.waiver.as_ref().map(|w| w.reason.as_str()).unwrap_or(""),
        ];
        w.write_record(record)?;
    }
    w.flush()?;
    Ok(())
}
