//! JUnit XML, for CI systems that show test reports.
//!
//! ```text
//! <testsuites name="attest" tests failures errors skipped>
//!   <testsuite name="<rule id>" tests failures errors skipped>      one per rule
//!     <properties> title, severity, aliases, controls </properties>
//!     <testcase name="<resource id>" classname="<rule id>" file line>  one per finding
//!       <failure message type="<severity>">message, location, controls</failure>   fail
//!       <skipped message="unknown: …"/> or <skipped message="waived: …"/>          unknown, waived
//!     </testcase>                                                                    pass: empty
//!   </testsuite>
//!   <testsuite name="input-errors">  one <testcase> with an <error> per input error
//! </testsuites>
//! ```
//!
//! Every rule of the report gets a suite, so one with no resource in scope shows as an empty
//! suite. Passes are passing test cases. Text is escaped by the XML writer; characters XML
//! 1.0 cannot carry at all (most control characters) become U+FFFD.

use std::io;

use attest_core::{Finding, InputError, Outcome, Report, RuleInfo};
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::util::{control_text, location_text, rules_of};
use crate::RenderError;

/// The name of the suite that holds input errors.
pub const INPUT_ERRORS_SUITE: &str = "input-errors";

type XmlWriter<'o> = Writer<&'o mut dyn io::Write>;

#[derive(Default, Clone, Copy)]
struct Tally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Tally {
    fn of(findings: &[&Finding]) -> Tally {
        let mut t = Tally {
            tests: findings.len(),
            ..Tally::default()
        };
        for f in findings {
            match f.outcome {
                Outcome::Fail => t.failures += 1,
                Outcome::Unknown | Outcome::Waived => t.skipped += 1,
                Outcome::Pass => {}
            }
        }
        t
    }

    fn add(&mut self, other: Tally) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(&self) -> [(&'static str, String); 4] {
        [
            ("tests", self.tests.to_string()),
            ("failures", self.failures.to_string()),
            ("errors", self.errors.to_string()),
            ("skipped", self.skipped.to_string()),
        ]
    }
}

/// Renders `report` as JUnit XML.
pub fn render(report: &Report, out: &mut dyn io::Write) -> Result<(), RenderError> {
    let rules = rules_of(report);
    let suites: Vec<(&RuleInfo, Vec<&Finding>)> = rules
        .iter()
        .map(|rule| {
            let findings = report.findings.iter().filter(|f| f.rule_id == rule.id).collect();
            (rule, findings)
        })
        .collect();
    let errors_tally = Tally {
        tests: report.errors.len(),
        errors: report.errors.len(),
        ..Tally::default()
    };
    let mut total = Tally::default();
    for (_, findings) in &suites {
        total.add(Tally::of(findings));
    }
    total.add(errors_tally);

    let mut w: XmlWriter<'_> = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let name = clean(&report.tool.name);
    let total_attrs = total.attributes();
    w.create_element("testsuites")
        .with_attribute(("name", name.as_str()))
        .with_attributes(total_attrs.iter().map(|(k, v)| (*k, v.as_str())))
        .write_inner_content(|w| {
            for (rule, findings) in &suites {
                rule_suite(w, rule, findings)?;
            }
            if !report.errors.is_empty() {
                errors_suite(w, &report.errors, errors_tally)?;
            }
            Ok(())
        })?;
    // The writer leaves the last line open.
    w.into_inner().write_all(b"\n")?;
    Ok(())
}

fn rule_suite(w: &mut XmlWriter<'_>, rule: &RuleInfo, findings: &[&Finding]) -> io::Result<()> {
    let tally = Tally::of(findings);
    let attrs = tally.attributes();
    let name = clean(&rule.id);
    let mut properties: Vec<(String, String)> = vec![
        ("title".to_string(), rule.title.clone()),
        ("severity".to_string(), rule.severity.as_str().to_string()),
    ];
    for (tool, id) in &rule.aliases {
        properties.push((format!("alias.{tool}"), id.clone()));
    }
    if !rule.controls.is_empty() {
        let controls: Vec<String> = rule.controls.iter().map(control_text).collect();
        properties.push(("controls".to_string(), controls.join(" ")));
    }
    w.create_element("testsuite")
        .with_attribute(("name", name.as_str()))
        .with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())))
        .write_inner_content(|w| {
            w.create_element("properties").write_inner_content(|w| {
                for (key, value) in &properties {
                    let (key, value) = (clean(key), clean(value));
                    w.create_element("property")
                        .with_attribute(("name", key.as_str()))
                        .with_attribute(("value", value.as_str()))
                        .write_empty()?;
                }
                Ok(())
            })?;
            for f in findings {
                testcase(w, f)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn testcase(w: &mut XmlWriter<'_>, f: &Finding) -> io::Result<()> {
    let name = clean(&f.resource_id);
    let classname = clean(&f.rule_id);
    let mut attrs: Vec<(&str, String)> = vec![("name", name), ("classname", classname)];
    if let Some(loc) = &f.location {
        attrs.push(("file", clean(&loc.file)));
        attrs.push(("line", loc.line.to_string()));
    }
    let element = w
        .create_element("testcase")
        .with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())));
    match f.outcome {
        Outcome::Pass => {
            element.write_empty()?;
        }
        Outcome::Fail => {
            let message = one_line(&f.message);
            let body = failure_body(f);
            element.write_inner_content(|w| {
                w.create_element("failure")
                    .with_attribute(("message", message.as_str()))
                    .with_attribute(("type", f.severity.as_str()))
                    .write_text_content(text(&body))?;
                Ok(())
            })?;
        }
        Outcome::Unknown | Outcome::Waived => {
            let message = match (&f.waiver, f.outcome) {
                (Some(waiver), Outcome::Waived) => format!("waived: {}", one_line(&waiver.reason)),
                _ => format!("{}: {}", f.outcome.as_str(), one_line(&f.message)),
            };
            element.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", message.as_str()))
                    .write_empty()?;
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// The text of a `<failure>`: the message, then where and which controls, one per line.
fn failure_body(f: &Finding) -> String {
    let mut lines = vec![f.message.clone()];
    if let Some(loc) = location_text(f) {
        lines.push(format!("location: {loc}"));
    }
    lines.push(format!("resource: {} ({})", f.resource_id, f.resource_type));
    lines.push(format!(
        "rule: {} ({}) {}",
        f.rule_id,
        f.severity.as_str(),
        f.rule_title
    ));
    if !f.controls.is_empty() {
        let controls: Vec<String> = f.controls.iter().map(control_text).collect();
        lines.push(format!("controls: {}", controls.join(", ")));
    }
    clean(&lines.join("\n"))
}

fn errors_suite(w: &mut XmlWriter<'_>, errors: &[InputError], tally: Tally) -> io::Result<()> {
    let attrs = tally.attributes();
    w.create_element("testsuite")
        .with_attribute(("name", INPUT_ERRORS_SUITE))
        .with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())))
        .write_inner_content(|w| {
            for e in errors {
                let name = match (e.line, e.column) {
                    (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
                    (Some(l), None) => format!("{}:{l}", e.file),
                    _ => e.file.clone(),
                };
                let name = clean(&name);
                let message = one_line(&e.message);
                let body = clean(&e.to_string());
                w.create_element("testcase")
                    .with_attribute(("name", name.as_str()))
                    .with_attribute(("classname", INPUT_ERRORS_SUITE))
                    .write_inner_content(|w| {
                        w.create_element("error")
                            .with_attribute(("message", message.as_str()))
                            .with_attribute(("type", "input"))
                            .write_text_content(text(&body))?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Element text, escaping only what must be (`<`, `>`, `&`) so quotes stay readable.
fn text(body: &str) -> BytesText<'_> {
    BytesText::from_escaped(partial_escape(body))
}

/// `text` with every character XML 1.0 cannot hold replaced by U+FFFD.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

/// `text` cleaned and on one line, for attribute values (parsers turn newlines in attributes
/// into spaces anyway).
fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(clean("a\u{1}b\tc\u{FFFE}"), "a\u{FFFD}b\tc\u{FFFD}");
        assert_eq!(one_line(" a\n  b\r\n"), "a b");
    }
}
