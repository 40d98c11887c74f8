//! CSV, one row per finding (passes included), for spreadsheets and ad-hoc analysis.
//!
//! Columns, in order: `rule_id`, `rule_title`, `severity`, `outcome`, `resource_id`,
//! `resource_type`, `file`, `line`, `controls` (`framework/criterion`, `;`-joined), `aliases`
//! (`tool:id`, `;`-joined), `message`, `waiver_reason`. Empty cells stand for absent values.
//! Quoting follows RFC 4180 (the `csv` crate); rows end with `\n`. A cell that a spreadsheet would
//! take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with
//! `'`, so text that came from scanned files (resource names, messages, waiver reasons) is never run.

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

/// The cell as text a spreadsheet shows and never evaluates.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

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
        w.write_record(record.iter().map(|cell| defuse(cell).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-1+2"), "'-1+2");
        assert_eq!(defuse("aws_s3_bucket.logs"), "aws_s3_bucket.logs");
        assert_eq!(defuse(""), "");
    }
}
