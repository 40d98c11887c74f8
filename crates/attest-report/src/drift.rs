//! Drift between two snapshots ([`DriftReport`]), as text for people and as JSON for tools.
//!
//! Text has, in order: the title; each drifted resource in key order (`MODIFIED`, `ADDED` or
//! `REMOVED`, its type and key, its physical id when it differs), and under a modified resource
//! each changed attribute as `path: old → new` (compact JSON, `(absent)` for a missing side,
//! values longer than [`MAX_VALUE_CHARS`] cut with `…`) and the attributes that could not be
//! compared (`not compared (unknown): …`); the resources not compared because a scan could not list them; a summary line.
//! Colours (ANSI, only when asked): green for added, red for removed, yellow for modified.
//!
//! JSON is one object: `schema_version` ([`DRIFT_SCHEMA_VERSION`]), the caller's metadata fields,
//! `summary` (`added`, `removed`, `modified`, `ignored_changes`, `undecided`), `resources` (as
//! [`attest_engine::drift::ResourceDrift`] serializes, an absent side of a change being a missing
//! `old` or `new` key) and `unread`, pretty-printed with a final newline.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use attest_engine::drift::{AttributeChange, DriftKind, DriftReport, ResourceDrift};

use crate::util::plural;

/// The version of the drift JSON's shape.
pub const DRIFT_SCHEMA_VERSION: &str = "1.0.0";

/// Values longer than this (in characters, as compact JSON) are cut in text.
pub const MAX_VALUE_CHARS: usize = 200;

/// Renders `report` as text under `title`. See the [module documentation](self) for the layout.
pub fn render_text(report: &DriftReport, title: &str, color: bool, w: &mut dyn Write) -> io::Result<()> {
    let mut out = String::new();
    line(&mut out, &paint(color, "1", &clean(title)));
    if !report.resources.is_empty() {
        out.push('\n');
    }
    for r in &report.resources {
        resource(&mut out, r, color);
    }
    if !report.unread.is_empty() {
        out.push('\n');
        line(
            &mut out,
            "Not compared (the scan could not list this type in that account/region):",
        );
        for key in &report.unread {
            line(&mut out, &format!("  {}", clean(key)));
        }
    }
    if !report.recreated.is_empty() {
        out.push('\n');
        line(
            &mut out,
            "Re-created with a new id and the baseline's settings (not drift):",
        );
        for [old, new] in &report.recreated {
            line(&mut out, &format!("  {} → {}", clean(old), clean(new)));
        }
    }
    out.push('\n');
    line(&mut out, &summary(report));
    w.write_all(out.as_bytes())?;
    w.flush()
}

fn resource(out: &mut String, r: &ResourceDrift, color: bool) {
    let code = match r.kind {
        DriftKind::Added => "32",
        DriftKind::Removed => "31",
        DriftKind::Modified => "33",
    };
    let mut head = format!(
        "{} {} {}",
        paint(color, code, r.kind.as_str()),
        clean(&r.resource_type),
        clean(&r.key)
    );
    if let Some(p) = r.physical_id.as_deref().filter(|p| *p != r.key) {
        head.push_str(&format!(" ({})", clean(p)));
    }
    line(out, &head);
    for c in &r.changes {
        line(out, &format!("  {}", change_text(c)));
    }
    if !r.undecided.is_empty() {
        let paths: Vec<String> = r.undecided.iter().map(|p| clean(p)).collect();
        let text = format!("  not compared (unknown): {}", paths.join(", "));
        line(out, &paint(color, "2", &text));
    }
}

/// `path: old → new`.
fn change_text(c: &AttributeChange) -> String {
    format!(
        "{}: {} → {}",
        clean(&c.path),
        value_text(c.old.as_ref()),
        value_text(c.new.as_ref())
    )
}

/// Compact JSON, `(absent)` for no value, cut after [`MAX_VALUE_CHARS`] characters.
fn value_text(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "(absent)".to_string();
    };
    let text = serde_json::to_string(v).unwrap_or_default();
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// `3 resources drifted: 1 added, 0 removed, 2 modified (4 volatile changes ignored)`, or
/// `No drift.`; the parenthesis also counts attributes that could not be compared.
fn summary(report: &DriftReport) -> String {
    let mut notes = Vec::new();
    if report.ignored_changes > 0 {
        notes.push(format!(
            "{} ignored",
            plural(report.ignored_changes, "volatile change", "volatile changes")
        ));
    }
    if report.undecided > 0 {
        notes.push(format!(
            "{} could not be compared",
            plural(report.undecided, "attribute", "attributes")
        ));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    if report.is_empty() {
        return format!("No drift{notes}.");
    }
    let (added, removed, modified) = report.counts();
    let drifted = if report.resources.len() == 1 {
        "resource drifted"
    } else {
        "resources drifted"
    };
    format!(
        "{} {drifted}: {added} added, {removed} removed, {modified} modified{notes}",
        report.resources.len()
    )
}

fn line(out: &mut String, text: &str) {
    out.push_str(text.trim_end());
    out.push('\n');
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color && !text.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Keys and paths come from the cloud: control characters (escape sequences) are not printed.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// Renders `report` as pretty-printed JSON, with the fields of `meta` (an object: the scans
/// compared, their dates…) at the top level. Other `meta` values, and fields that would replace
/// the report's own, are left out.
pub fn render_json(report: &DriftReport, meta: Value, w: &mut dyn Write) -> io::Result<()> {
    const OWN: [&str; 5] = ["schema_version", "summary", "resources", "unread", "recreated"];
    let mut doc = Map::new();
    doc.insert("schema_version".into(), json!(DRIFT_SCHEMA_VERSION));
    if let Value::Object(fields) = meta {
        for (k, v) in fields {
            if !OWN.contains(&k.as_str()) {
                doc.insert(k, v);
            }
        }
    }
    let (added, removed, modified) = report.counts();
    doc.insert(
        "summary".into(),
        json!({
            "added": added,
            "removed": removed,
            "modified": modified,
            "ignored_changes": report.ignored_changes,
            "undecided": report.undecided,
        }),
    );
    doc.insert("resources".into(), serde_json::to_value(&report.resources)?);
    doc.insert("unread".into(), json!(report.unread));
    if !report.recreated.is_empty() {
        doc.insert("recreated".into(), json!(report.recreated));
    }
    serde_json::to_writer_pretty(&mut *w, &Value::Object(doc))?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, old: Option<Value>, new: Option<Value>) -> AttributeChange {
        AttributeChange {
            path: path.into(),
            old,
            new,
        }
    }

    fn drift(key: &str, ty: &str, kind: DriftKind, changes: Vec<AttributeChange>) -> ResourceDrift {
        ResourceDrift {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: None,
            account: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            kind,
            changes,
            undecided: vec![],
        }
    }

    fn sample() -> DriftReport {
        let mut sg = drift(
            "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc",
            "aws_security_group",
            DriftKind::Modified,
            vec![
                change("description", Some(Value::Null), None),
                change(
                    "ingress[]",
                    None,
                    Some(json!({"cidr_blocks": ["0.0.0.0/0"], "from_port": 22})),
                ),
                change("name", Some(json!("web")), Some(json!("web2"))),
            ],
        );
        sg.physical_id = Some("sg-0abc".into());
        sg.undecided = vec!["tags".into()];
        let mut bucket = drift("arn:aws:s3:::logs", "aws_s3_bucket", DriftKind::Added, vec![]);
        // Same as the key: not repeated.
        bucket.physical_id = Some("arn:aws:s3:::logs".into());
        DriftReport {
            resources: vec![
                sg,
                bucket,
                drift(
                    "arn:aws:sqs:us-east-1:123456789012:old",
                    "aws_sqs_queue",
                    DriftKind::Removed,
                    vec![],
                ),
            ],
            unread: vec!["arn:aws:sns:us-east-1:123456789012:t".into()],
            ignored_changes: 4,
            undecided: 1,
            recreated: vec![["fl-1".into(), "fl-2".into()]],
        }
    }

    fn text(report: &DriftReport, color: bool) -> String {
        let mut out = Vec::new();
        render_text(
            report,
            "Drift of prod: scan #12 against baseline (scan #9)",
            color,
            &mut out,
        )
        .expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_lists_resources_changes_unread_and_summary() {
        let got = text(&sample(), false);
        let expected = "\
Drift of prod: scan #12 against baseline (scan #9)

MODIFIED aws_security_group arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc (sg-0abc)
  description: null → (absent)
  ingress[]: (absent) → {\"cidr_blocks\":[\"0.0.0.0/0\"],\"from_port\":22}
  name: \"web\" → \"web2\"
  not compared (unknown): tags
ADDED aws_s3_bucket arn:aws:s3:::logs
REMOVED aws_sqs_queue arn:aws:sqs:us-east-1:123456789012:old

Not compared (the scan could not list this type in that account/region):
  arn:aws:sns:us-east-1:123456789012:t

Re-created with a new id and the baseline's settings (not drift):
  fl-1 → fl-2

3 resources drifted: 1 added, 1 removed, 1 modified (4 volatile changes ignored, 1 attribute could not be compared)
";
        assert_eq!(got, expected);
    }

    #[test]
    fn text_without_drift_and_with_color() {
        let empty = DriftReport::default();
        assert_eq!(
            text(&empty, false),
            "Drift of prod: scan #12 against baseline (scan #9)\n\nNo drift.\n"
        );
        let quiet = DriftReport {
            ignored_changes: 1,
            ..DriftReport::default()
        };
        assert!(text(&quiet, false).ends_with("\nNo drift (1 volatile change ignored).\n"));
        let colored = text(&sample(), true);
        assert!(colored.contains("\x1b[33mMODIFIED\x1b[0m aws_security_group"));
        assert!(colored.contains("\x1b[31mREMOVED\x1b[0m aws_sqs_queue"));
        assert!(colored.contains("\x1b[32mADDED\x1b[0m aws_s3_bucket"));
        assert!(!text(&sample(), false).contains('\x1b'));
    }

    #[test]
    fn long_values_are_cut_and_control_characters_dropped() {
        let long = "x".repeat(300);
        let report = DriftReport {
            resources: vec![drift(
                "k\x1b[2J",
                "aws_iam_policy",
                DriftKind::Modified,
                vec![change("policy", Some(json!(long)), Some(json!("é")))],
            )],
            ..DriftReport::default()
        };
        let got = text(&report, false);
        let expected = format!("  policy: \"{}… → \"é\"\n", "x".repeat(MAX_VALUE_CHARS - 1));
        assert!(got.contains(&expected), "{got}");
        assert!(got.contains("MODIFIED aws_iam_policy k\u{fffd}[2J\n"), "{got}");
        assert!(got.ends_with("1 resource drifted: 0 added, 0 removed, 1 modified\n"));
    }

    #[test]
    fn json_has_meta_summary_resources_and_unread() {
        let mut out = Vec::new();
        let meta = json!({"environment": "prod", "scan": 12, "summary": "not mine"});
        render_json(&sample(), meta, &mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with("}\n"));
        let doc: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(doc["schema_version"], json!(DRIFT_SCHEMA_VERSION));
        assert_eq!(doc["environment"], json!("prod"));
        assert_eq!(doc["scan"], json!(12));
        assert_eq!(
            doc["summary"],
            json!({"added": 1, "removed": 1, "modified": 1, "ignored_changes": 4, "undecided": 1})
        );
        let sg = &doc["resources"][0];
        assert_eq!(sg["type"], json!("aws_security_group"));
        assert_eq!(sg["kind"], json!("MODIFIED"));
        // An absent side is a missing key, a null is a null.
        assert_eq!(sg["changes"][0], json!({"path": "description", "old": null}));
        assert_eq!(sg["changes"][1]["new"]["from_port"], json!(22));
        assert_eq!(doc["unread"], json!(["arn:aws:sns:us-east-1:123456789012:t"]));
        let back: Vec<ResourceDrift> =
            serde_json::from_value(doc["resources"].clone()).expect("resources read back");
        assert_eq!(back, sample().resources);
    }
}
