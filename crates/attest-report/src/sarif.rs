//! SARIF 2.1.0, for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers).
//!
//! One run. `tool.driver.rules` lists the report's rules: `id`, a `name` (the id in
//! PascalCase), `shortDescription` (the title), `fullDescription` (the first paragraph of the
//! rule's documentation), `help` (the documentation as Markdown, and as plain text),
//! `defaultConfiguration.level` from the severity (critical and high: `error`, medium:
//! `warning`, low and info: `note`) and `properties`: `tags` (`security`, then the controls as
//! `framework/criterion`), `security-severity` (critical 9.5, high 8.0, medium 5.5, low 3.0,
//! info 0.0), `aliases`, the rule kind and resource types.
//!
//! Results, in the report's order:
//!
//! - a failure is `kind: fail` with the rule's level;
//! - an unknown is `kind: review` (level `none`, as SARIF requires for any kind but `fail`);
//! - a waived finding keeps the kind of its original outcome and carries a `suppressions`
//!   entry: `kind: external` for a waiver in the configuration, `inSource` for an inline
//!   comment, `status: accepted`, the reason as `justification`;
//! - a pass is `kind: pass` (level `none`), only with [`RenderOptions::show_passes`].
//!
//! Each result has `ruleId`, `ruleIndex`, `message.text`, a location (the file as a relative
//! URI with forward slashes, `region.startLine`, `startColumn`, `endLine` when known) with a
//! logical location of kind `resource` named by the resource id, the module calls that led to
//! the resource as `relatedLocations` (and `properties.moduleStack`), and a
//! `partialFingerprints` entry built from the rule and resource ids.
//!
//! Input errors are `invocations[0].toolExecutionNotifications` at level `error`, notices the
//! same at level `note`; `executionSuccessful` is false when an input could not be read.

use std::io;

use attest_core::{AppliedWaiver, Finding, Location, Outcome, Report, RuleInfo, Severity};
use serde_json::{json, Map, Value};

use crate::util::{control_text, module_stack_text, rules_of};
use crate::{RenderError, RenderOptions};

/// The `$schema` of the log.
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";

/// Where to read about attest (`tool.driver.informationUri`).
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Renders `report` as a SARIF 2.1.0 log, pretty-printed.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn io::Write) -> Result<(), RenderError> {
    let log = to_value(report, opts);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The SARIF log as a JSON value.
pub fn to_value(report: &Report, opts: &RenderOptions) -> Value {
    let rules = rules_of(report);
    let results: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| opts.show_passes || f.outcome != Outcome::Pass)
        .map(|f| result(f, &rules))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
                }
            },
            "invocations": [invocation(report)],
            "results": results,
            "properties": {
                "schemaVersion": report.schema_version,
            },
        }]
    })
}

/// The SARIF level of a failure of this severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The `security-severity` score (0.0 to 10.0, as CVSS) of a severity.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn rule_descriptor(rule: &RuleInfo) -> Value {
    let mut tags = vec!["security".to_string()];
    for c in &rule.controls {
        let tag = control_text(c);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let doc = rule.doc.trim();
    let (full, help) = if doc.is_empty() {
        (rule.title.clone(), json!({ "text": rule.title }))
    } else {
        let plain = markdown_to_text(doc);
        let full = first_paragraph(&plain).unwrap_or_else(|| rule.title.clone());
        (full, json!({ "text": plain, "markdown": doc }))
    };
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.id),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": full },
        "help": help,
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": tags,
            "security-severity": security_severity(rule.severity),
            "aliases": rule.aliases,
            "kind": rule.kind,
            "resourceTypes": rule.resource_types,
        }
    })
}

fn result(f: &Finding, rules: &[RuleInfo]) -> Value {
    // What the finding was before any waiver decides its kind.
    let effective = match &f.waiver {
        Some(w) if f.outcome == Outcome::Waived => w.original,
        _ => f.outcome,
    };
    let (kind, level) = match effective {
        Outcome::Fail | Outcome::Waived => ("fail", level(f.severity)),
        Outcome::Unknown => ("review", "none"),
        Outcome::Pass => ("pass", "none"),
    };
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule_id));
    if let Some(index) = rules.iter().position(|rule| rule.id == f.rule_id) {
        r.insert("ruleIndex".into(), json!(index));
    }
    r.insert("kind".into(), json!(kind));
    r.insert("level".into(), json!(level));
    let message: &str = if f.message.trim().is_empty() {
        &f.rule_title
    } else {
        &f.message
    };
    r.insert("message".into(), json!({ "text": message }));

    let mut location = Map::new();
    if let Some(physical) = f.location.as_ref().and_then(physical_location) {
        location.insert("physicalLocation".into(), physical);
    }
    location.insert(
        "logicalLocations".into(),
        json!([{
            "name": f.resource_id,
            "fullyQualifiedName": f.resource_id,
            "kind": "resource",
        }]),
    );
    r.insert("locations".into(), json!([location]));

    let related: Vec<Value> = f
        .module_stack
        .iter()
        .filter_map(|call| {
            let physical = call.location.as_ref().and_then(physical_location)?;
            Some((call, physical))
        })
        .enumerate()
        .map(|(i, (call, physical))| {
            json!({
                "id": i + 1,
                "physicalLocation": physical,
                "message": { "text": format!("via {}", call.address) },
            })
        })
        .collect();
    if !related.is_empty() {
        r.insert("relatedLocations".into(), json!(related));
    }

    r.insert(
        "partialFingerprints".into(),
        json!({ "attestFinding/v1": format!("{}:{}", f.rule_id, f.resource_id) }),
    );
    if let Some(w) = &f.waiver {
        r.insert("suppressions".into(), json!([suppression(w)]));
    }

    let mut props = Map::new();
    props.insert("outcome".into(), json!(f.outcome));
    props.insert("severity".into(), json!(f.severity));
    props.insert("resourceType".into(), json!(f.resource_type));
    if let Some(id) = &f.physical_id {
        props.insert("physicalId".into(), json!(id));
    }
    if let Some(attribute) = &f.attribute {
        props.insert("attribute".into(), json!(attribute));
    }
    if !f.module_stack.is_empty() {
        let stack: Vec<&str> = f.module_stack.iter().map(|c| c.address.as_str()).collect();
        props.insert("moduleStack".into(), json!(stack));
        if let Some(text) = module_stack_text(&f.module_stack) {
            props.insert("via".into(), json!(text));
        }
    }
    let controls: Vec<String> = f.controls.iter().map(control_text).collect();
    props.insert("controls".into(), json!(controls));
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

fn suppression(w: &AppliedWaiver) -> Value {
    let kind = if w.source == "inline" {
        "inSource"
    } else {
        "external"
    };
    let mut props = Map::new();
    props.insert("source".into(), json!(w.source));
    if let Some(owner) = &w.owner {
        props.insert("owner".into(), json!(owner));
    }
    if let Some(expires) = &w.expires {
        props.insert("expires".into(), json!(expires));
    }
    props.insert("originalOutcome".into(), json!(w.original));
    json!({
        "kind": kind,
        "status": "accepted",
        "justification": w.reason,
        "properties": props,
    })
}

fn invocation(report: &Report) -> Value {
    let mut notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut n = Map::new();
            n.insert("level".into(), json!("error"));
            n.insert("message".into(), json!({ "text": e.message }));
            let mut physical = Map::new();
            physical.insert("artifactLocation".into(), json!({ "uri": file_uri(&e.file) }));
            if let Some(line) = e.line.filter(|l| *l > 0) {
                let mut region = Map::new();
                region.insert("startLine".into(), json!(line));
                if let Some(column) = e.column.filter(|c| *c > 0) {
                    region.insert("startColumn".into(), json!(column));
                }
                physical.insert("region".into(), Value::Object(region));
            }
            n.insert("locations".into(), json!([{ "physicalLocation": physical }]));
            Value::Object(n)
        })
        .collect();
    notifications.extend(
        report
            .notices
            .iter()
            .map(|text| json!({ "level": "note", "message": { "text": text } })),
    );
    json!({
        "executionSuccessful": report.errors.is_empty(),
        "toolExecutionNotifications": notifications,
    })
}

fn physical_location(loc: &Location) -> Option<Value> {
    if loc.file.is_empty() {
        return None;
    }
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": file_uri(&loc.file) }));
    if loc.line > 0 {
        let mut region = Map::new();
        region.insert("startLine".into(), json!(loc.line));
        if loc.column > 0 {
            region.insert("startColumn".into(), json!(loc.column));
        }
        if let Some(end) = loc.end_line.filter(|end| *end >= loc.line) {
            region.insert("endLine".into(), json!(end));
        }
        physical.insert("region".into(), Value::Object(region));
    }
    Some(Value::Object(physical))
}

/// A path as a URI reference: forward slashes, no leading `./`, and percent-encoding of what
/// a URI cannot hold. Relative paths stay relative; absolute ones become `file://` URIs.
pub fn file_uri(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let prefix = if path.starts_with('/') {
        "file://"
    } else if drive {
        "file:///"
    } else {
        ""
    };
    // A colon in the first segment of a relative reference would read as a scheme.
    let first_slash = path.find('/').unwrap_or(usize::MAX);
    let mut uri = String::from(prefix);
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')'
            )
            || matches!(b, b'*' | b'+' | b',' | b';' | b'=' | b'@')
            || (b == b':' && ((drive && i == 1) || i > first_slash));
        if keep {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// `aws-s3-bucket-public-read` → `AwsS3BucketPublicRead`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A plain-text rendering of Markdown, good enough for `help.text`: heading markers, code
/// fences, emphasis and inline-code marks go; links keep their text and target.
fn markdown_to_text(markdown: &str) -> String {
    let mut lines = Vec::new();
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            continue;
        }
        let line = match trimmed.strip_prefix('#') {
            Some(_) => trimmed.trim_start_matches('#').trim_start(),
            None => line,
        };
        lines.push(inline_text(line));
    }
    let text = lines.join("\n");
    text.trim().to_string()
}

fn inline_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('[') {
        let after = &rest[start + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        out.push_str(&rest[..start]);
        let text = &after[..close];
        let target = &after[close + 2..close + 2 + end];
        out.push_str(&format!("{text} ({target})"));
        rest = &after[close + 2 + end + 1..];
    }
    out.push_str(rest);
    out.replace("**", "").replace('`', "")
}

/// The first paragraph that is not a heading.
fn first_paragraph(plain: &str) -> Option<String> {
    // Headings lost their markers in `plain`; find them again as one-line paragraphs
    // followed by more text, and skip them.
    let paragraphs: Vec<&str> = plain
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs
        .iter()
        .find(|p| p.contains('\n') || p.ends_with('.'))
        .or(paragraphs.first())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_relative_with_forward_slashes() {
        assert_eq!(file_uri("./infra/main.tf"), "infra/main.tf");
        assert_eq!(file_uri("infra\\net\\main.tf"), "infra/net/main.tf");
        assert_eq!(file_uri("my dir/a#b.tf"), "my%20dir/a%23b.tf");
        assert_eq!(file_uri("/srv/infra/main.tf"), "file:///srv/infra/main.tf");
        assert_eq!(file_uri("C:\\infra\\main.tf"), "file:///C:/infra/main.tf");
        assert_eq!(file_uri("ünï.tf"), "%C3%BCn%C3%AF.tf");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("aws-s3-bucket-public-read"), "AwsS3BucketPublicRead");
    }

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "## What it checks\n\nBuckets with `acl = \"public-read\"`.\n\n```hcl\nacl = \"private\"\n```\n\nSee [the docs](https://example.com/s3).";
        let text = markdown_to_text(md);
        assert_eq!(
            text,
            "What it checks\n\nBuckets with acl = \"public-read\".\n\nacl = \"private\"\n\nSee the docs (https://example.com/s3)."
        );
        assert_eq!(
            first_paragraph(&text).as_deref(),
            Some("Buckets with acl = \"public-read\".")
        );
    }
}
