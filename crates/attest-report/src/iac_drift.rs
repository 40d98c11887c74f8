//! How a live account differs from its infrastructure code ([`IacDrift`]), as text for people and
//! as JSON for tools.
//!
//! Text has, in order: the title; `CHANGED`, each code resource and the live resource it
//! declares (`address (file:line) ↔ key (physical id)`) with each attribute as
//! `path: code value → live value` (compact JSON, `(absent)` for a missing side, long values cut
//! with `…`) and how many attributes could not be compared; `MISSING` (in the code, not in the
//! account); `UNMANAGED` (in the account, not in the code); the provider-managed resources
//! (listed with their reason when there are few, else counted by reason); the undetermined and
//! not-collected code resources, counted with a hint and listed compactly; a summary line.
//! Empty sections are left out. Colours (ANSI, only when asked): yellow for changed, red for
//! missing, magenta for unmanaged, dim for what is not drift.
//!
//! JSON is one object: `schema_version` ([`IAC_DRIFT_SCHEMA_VERSION`]), `summary` (the count of
//! each list and `matched`), then the lists as [`IacDrift`] serializes them, except that each
//! provider-managed resource is an object with its `reason`. Pretty-printed, with a final
//! newline.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use attest_engine::drift::AttributeChange;
use attest_engine::iac_drift::{CodeRef, IacChange, IacDrift, LiveRef};

use crate::util::plural;

/// The version of the JSON's shape.
pub const IAC_DRIFT_SCHEMA_VERSION: &str = "1.0.0";

/// Values longer than this (in characters, as compact JSON) are cut in text.
pub const MAX_VALUE_CHARS: usize = 200;

/// Provider-managed resources are listed one by one up to this many, else counted by reason.
pub const MAX_PROVIDER_MANAGED_LISTED: usize = 10;

const BOLD: &str = "1";
const DIM: &str = "2";
const RED: &str = "31";
const YELLOW: &str = "33";
const MAGENTA: &str = "35";

/// Renders `d` as text under `title`. See the [module documentation](self) for the layout.
pub fn render_text(d: &IacDrift, title: &str, color: bool, w: &mut dyn Write) -> io::Result<()> {
    let mut p = Printer {
        out: String::new(),
        color,
    };
    p.line(&p.paint(BOLD, &clean(title)));
    if !d.changed.is_empty() {
        p.heading(YELLOW, "CHANGED", "code and account differ", d.changed.len());
        for c in &d.changed {
            p.changed(c);
        }
    }
    if !d.missing.is_empty() {
        p.heading(RED, "MISSING", "in the code, not in the account", d.missing.len());
        for c in &d.missing {
            p.line(&format!("  {}", code_text(c)));
        }
    }
    if !d.unmanaged.is_empty() {
        p.heading(
            MAGENTA,
            "UNMANAGED",
            "in the account, not in the code",
            d.unmanaged.len(),
        );
        for l in &d.unmanaged {
            p.line(&format!("  {}", live_text(l)));
        }
    }
    p.provider_managed(&d.provider_managed);
    if !d.undetermined.is_empty() {
        p.out.push('\n');
        p.line(&format!(
            "Undetermined: {} (identity known only after apply or deployment, matching several live \
             resources, or of a type the scan could not list; a state file gives ids to match)",
            plural(d.undetermined.len(), "code resource", "code resources")
        ));
        for c in &d.undetermined {
            let text = format!("  {}", code_text(c));
            p.line(&p.paint(DIM, &text));
        }
    }
    if !d.not_collected.is_empty() {
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &d.not_collected {
            *by_type.entry(c.resource_type.as_str()).or_default() += 1;
        }
        let types: Vec<String> = by_type
            .iter()
            .map(|(t, n)| {
                if *n == 1 {
                    clean(t)
                } else {
                    format!("{} ×{n}", clean(t))
                }
            })
            .collect();
        p.out.push('\n');
        p.line(&format!(
            "Not collected: {} of types the live scan does not read, not compared: {}",
            plural(d.not_collected.len(), "code resource", "code resources"),
            types.join(", ")
        ));
    }
    p.out.push('\n');
    p.line(&summary(d));
    w.write_all(p.out.as_bytes())?;
    w.flush()
}

/// Renders `d` as pretty-printed JSON with a `summary`. See the [module documentation](self).
pub fn render_json(d: &IacDrift, w: &mut dyn Write) -> io::Result<()> {
    let provider_managed: Vec<Value> = d
        .provider_managed
        .iter()
        .map(|(r, reason)| {
            let mut v = serde_json::to_value(r).unwrap_or_else(|_| json!({}));
            if let Value::Object(m) = &mut v {
                m.insert("reason".into(), json!(reason));
            }
            v
        })
        .collect();
    let doc = json!({
        "schema_version": IAC_DRIFT_SCHEMA_VERSION,
        "summary": {
            "matched": d.matched,
            "changed": d.changed.len(),
            "missing": d.missing.len(),
            "unmanaged": d.unmanaged.len(),
            "provider_managed": d.provider_managed.len(),
            "undetermined": d.undetermined.len(),
            "not_collected": d.not_collected.len(),
            "drift": !d.is_empty(),
        },
        "changed": serde_json::to_value(&d.changed)?,
        "missing": serde_json::to_value(&d.missing)?,
        "unmanaged": serde_json::to_value(&d.unmanaged)?,
        "provider_managed": provider_managed,
        "undetermined": serde_json::to_value(&d.undetermined)?,
        "not_collected": serde_json::to_value(&d.not_collected)?,
    });
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    w.write_all(b"\n")?;
    w.flush()
}

struct Printer {
    out: String,
    color: bool,
}

impl Printer {
    fn line(&mut self, text: &str) {
        self.out.push_str(text.trim_end());
        self.out.push('\n');
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A blank line and `NAME (n): what it means`.
    fn heading(&mut self, code: &str, name: &str, meaning: &str, n: usize) {
        self.out.push('\n');
        let text = format!("{} ({n}): {meaning}", self.paint(code, name));
        self.line(&text);
    }

    fn changed(&mut self, c: &IacChange) {
        self.line(&format!("  {} ↔ {}", code_text(&c.code), live_text(&c.live)));
        for change in &c.changes {
            self.line(&format!("    {}", change_text(change)));
        }
        if c.undecided > 0 {
            let text = format!(
                "    {} not compared (unknown)",
                plural(c.undecided, "attribute", "attributes")
            );
            self.line(&self.paint(DIM, &text));
        }
    }

    fn provider_managed(&mut self, list: &[(LiveRef, String)]) {
        if list.is_empty() {
            return;
        }
        self.out.push('\n');
        self.line(&format!("Provider-managed (never in code): {}", list.len()));
        if list.len() <= MAX_PROVIDER_MANAGED_LISTED {
            for (r, reason) in list {
                let text = format!("  {}: {}", live_text(r), clean(reason));
                self.line(&self.paint(DIM, &text));
            }
            return;
        }
        let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, reason) in list {
            *by_reason.entry(reason.as_str()).or_default() += 1;
        }
        for (reason, n) in by_reason {
            let text = format!("  {}: {n}", clean(reason));
            self.line(&self.paint(DIM, &text));
        }
    }
}

/// `address (file:line)`.
fn code_text(c: &CodeRef) -> String {
    let mut text = clean(&c.address);
    match (&c.file, c.line) {
        (Some(file), Some(line)) => text.push_str(&format!(" ({}:{line})", clean(file))),
        (Some(file), None) => text.push_str(&format!(" ({})", clean(file))),
        _ => {}
    }
    if !c.address.contains(&c.resource_type) {
        text.push_str(&format!(" [{}]", clean(&c.resource_type)));
    }
    text
}

/// `type key (physical id), region`.
fn live_text(l: &LiveRef) -> String {
    let mut text = format!("{} {}", clean(&l.resource_type), clean(&l.key));
    if let Some(p) = l.physical_id.as_deref().filter(|p| *p != l.key) {
        text.push_str(&format!(" ({})", clean(p)));
    }
    if let Some(region) = &l.region {
        text.push_str(&format!(", {}", clean(region)));
    }
    text
}

/// `path: code value → live value`.
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
    let text = clean(&serde_json::to_string(v).unwrap_or_default());
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// `Drift: 1 changed, 2 missing, 3 unmanaged (…)`, or `No drift (…).`; the parenthesis counts
/// what matched and what is not drift.
fn summary(d: &IacDrift) -> String {
    let mut notes = vec![format!("{} matched", d.matched)];
    if !d.provider_managed.is_empty() {
        notes.push(format!("{} provider-managed", d.provider_managed.len()));
    }
    if !d.undetermined.is_empty() {
        notes.push(format!("{} undetermined", d.undetermined.len()));
    }
    if !d.not_collected.is_empty() {
        notes.push(format!("{} not collected", d.not_collected.len()));
    }
    let notes = notes.join(", ");
    if d.is_empty() {
        return format!("No drift ({notes}).");
    }
    format!(
        "Drift: {} changed, {} missing, {} unmanaged ({notes})",
        d.changed.len(),
        d.missing.len(),
        d.unmanaged.len()
    )
}

/// Addresses, keys and values come from code and the cloud: control characters (escape
/// sequences) are not printed.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(address: &str, ty: &str, line: Option<u32>) -> CodeRef {
        CodeRef {
            address: address.into(),
            resource_type: ty.into(),
            file: line.map(|_| "main.tf".to_string()),
            line,
        }
    }

    fn live(key: &str, ty: &str, physical_id: Option<&str>) -> LiveRef {
        LiveRef {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: physical_id.map(str::to_string),
            region: Some("us-east-1".into()),
        }
    }

    fn sample() -> IacDrift {
        IacDrift {
            matched: 3,
            changed: vec![IacChange {
                code: code("aws_s3_bucket.logs", "aws_s3_bucket", Some(2)),
                live: live("arn:aws:s3:::acme-logs", "aws_s3_bucket", Some("acme-logs")),
                changes: vec![
                    AttributeChange {
                        path: "tags.owner".into(),
                        old: None,
                        new: Some(json!("alice")),
                    },
                    AttributeChange {
                        path: "versioning[0].enabled".into(),
                        old: Some(json!(true)),
                        new: Some(json!(false)),
                    },
                ],
                undecided: 2,
            }],
            missing: vec![code("aws_sqs_queue.jobs", "aws_sqs_queue", Some(9))],
            unmanaged: vec![live(
                "arn:aws:sqs:us-east-1:123456789012:legacy",
                "aws_sqs_queue",
                Some("legacy"),
            )],
            provider_managed: vec![(
                live(
                    "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1",
                    "aws_vpc",
                    Some("vpc-1"),
                ),
                "default VPC".into(),
            )],
            undetermined: vec![code("Uploads", "aws_s3_bucket", None)],
            not_collected: vec![
                code("aws_route53_zone.a", "aws_route53_zone", Some(1)),
                code("aws_route53_zone.b", "aws_route53_zone", Some(5)),
            ],
        }
    }

    fn text(d: &IacDrift, color: bool) -> String {
        let mut out = Vec::new();
        render_text(d, "Drift against code", color, &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_lists_each_section_and_a_summary() {
        let t = text(&sample(), false);
        let expected = "\
Drift against code

CHANGED (1): code and account differ
  aws_s3_bucket.logs (main.tf:2) ↔ aws_s3_bucket arn:aws:s3:::acme-logs (acme-logs), us-east-1
    tags.owner: (absent) → \"alice\"
    versioning[0].enabled: true → false
    2 attributes not compared (unknown)

MISSING (1): in the code, not in the account
  aws_sqs_queue.jobs (main.tf:9)

UNMANAGED (1): in the account, not in the code
  aws_sqs_queue arn:aws:sqs:us-east-1:123456789012:legacy (legacy), us-east-1

Provider-managed (never in code): 1
  aws_vpc arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1 (vpc-1), us-east-1: default VPC

Undetermined: 1 code resource (identity known only after apply or deployment, matching several \
live resources, or of a type the scan could not list; a state file gives ids to match)
  Uploads [aws_s3_bucket]

Not collected: 2 code resources of types the live scan does not read, not compared: aws_route53_zone ×2

Drift: 1 changed, 1 missing, 1 unmanaged (3 matched, 1 provider-managed, 1 undetermined, 2 not collected)
";
        assert_eq!(t, expected);
        assert!(!t.contains('\x1b'));
    }

    #[test]
    fn text_colours_only_when_asked_and_says_when_there_is_no_drift() {
        let t = text(&sample(), true);
        assert!(t.contains("\x1b[33mCHANGED\x1b[0m"));
        assert!(t.contains("\x1b[31mMISSING\x1b[0m"));
        assert!(t.contains("\x1b[35mUNMANAGED\x1b[0m"));
        let quiet = IacDrift {
            matched: 4,
            ..IacDrift::default()
        };
        assert_eq!(
            text(&quiet, false),
            "Drift against code\n\nNo drift (4 matched).\n"
        );
    }

    #[test]
    fn many_provider_managed_resources_are_counted_by_reason() {
        let mut d = IacDrift::default();
        for i in 0..12 {
            let reason = if i % 3 == 0 {
                "default VPC"
            } else {
                "default subnet"
            };
            d.provider_managed
                .push((live(&format!("k{i:02}"), "aws_subnet", None), reason.to_string()));
        }
        let t = text(&d, false);
        assert!(t.contains("Provider-managed (never in code): 12\n  default VPC: 4\n  default subnet: 8\n"));
        assert!(!t.contains("k00"));
    }

    #[test]
    fn long_values_are_cut_and_control_characters_dropped() {
        let mut d = sample();
        d.changed[0].changes = vec![AttributeChange {
            path: "policy\x1b[2J".into(),
            old: Some(json!("x".repeat(500))),
            new: None,
        }];
        let t = text(&d, false);
        let line = t.lines().find(|l| l.contains("policy")).expect("policy line");
        assert!(line.contains("policy\u{fffd}[2J"));
        assert!(line.ends_with("… → (absent)"));
        assert!(line.chars().count() < 260);
    }

    #[test]
    fn json_has_a_summary_and_reasons() {
        let mut out = Vec::new();
        render_json(&sample(), &mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with("}\n"));
        let doc: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(doc["schema_version"], json!(IAC_DRIFT_SCHEMA_VERSION));
        assert_eq!(
            doc["summary"],
            json!({"matched": 3, "changed": 1, "missing": 1, "unmanaged": 1, "provider_managed": 1,
                   "undetermined": 1, "not_collected": 2, "drift": true})
        );
        assert_eq!(doc["changed"][0]["code"]["address"], json!("aws_s3_bucket.logs"));
        assert_eq!(doc["changed"][0]["code"]["type"], json!("aws_s3_bucket"));
        // An absent side of a change is a missing key.
        let first = &doc["changed"][0]["changes"][0];
        assert_eq!(first["path"], json!("tags.owner"));
        assert!(first.get("old").is_none());
        assert_eq!(first["new"], json!("alice"));
        assert_eq!(doc["provider_managed"][0]["reason"], json!("default VPC"));
        assert_eq!(
            doc["provider_managed"][0]["key"],
            json!("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1")
        );
        assert_eq!(doc["undetermined"][0]["address"], json!("Uploads"));

        let mut out = Vec::new();
        render_json(&IacDrift::default(), &mut out).expect("render");
        let doc: Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(doc["summary"]["drift"], json!(false));
        assert_eq!(doc["changed"], json!([]));
    }
}
