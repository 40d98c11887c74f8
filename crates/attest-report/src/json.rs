//! The report as JSON: the [`Report`] serialized as it is, pretty-printed with two spaces and a
//! final newline.
//!
//! The shape is versioned by `schema_version` ([`attest_core::REPORT_SCHEMA_VERSION`]) and
//! described by the JSON Schema (draft 2020-12) `schemas/report.schema.json` at the root of the
//! repository. Fields that are absent (`location`, `waiver`…) are left out rather than `null`,
//! except `input` on findings, which is `null` for results that come from no input.

use std::io;

use attest_core::Report;

use crate::RenderError;

/// The JSON Schema of the report, as committed at `schemas/report.schema.json`.
pub const SCHEMA: &str = include_str!("../../../schemas/report.schema.json");

/// Renders `report` as pretty-printed JSON.
pub fn render(report: &Report, out: &mut dyn io::Write) -> Result<(), RenderError> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")?;
    Ok(())
}
