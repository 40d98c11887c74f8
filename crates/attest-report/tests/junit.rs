mod common;

use std::collections::BTreeMap;

use attest_core::Report;
use attest_report::{render_to_string, Format, RenderOptions};
use insta::assert_snapshot;
use quick_xml::events::Event;
use quick_xml::Reader;

fn junit(report: &Report) -> String {
    render_to_string(report, Format::Junit, &RenderOptions::default()).expect("render junit")
}

/// An element as the parser saw it: name, attributes (unescaped), text (unescaped).
#[derive(Debug, Default, Clone)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    depth: usize,
}

/// Parses `xml` strictly (matching end tags, well-formed escapes) into a flat list of elements.
fn parse(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut elements = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                elements.push(element(&e, open.len()));
                open.push(elements.len() - 1);
            }
            Event::Empty(e) => elements.push(element(&e, open.len())),
            Event::End(_) => {
                open.pop().expect("balanced tags");
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&t.decode().expect("utf-8"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let name = r.decode().expect("utf-8");
                    let ch = match name.as_ref() {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    elements[i].text.push_str(ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    elements
}

fn element(e: &quick_xml::events::BytesStart<'_>, depth: usize) -> Element {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let key = String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8");
            let value = a.unescape_value().expect("well-formed value").into_owned();
            (key, value)
        })
        .collect();
    Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).expect("utf-8"),
        attrs,
        text: String::new(),
        depth,
    }
}

fn count(elements: &[Element], name: &str) -> usize {
    elements.iter().filter(|e| e.name == name).count()
}

#[test]
fn snapshot() {
    assert_snapshot!("junit", junit(&common::report()));
}

#[test]
fn well_formed_with_the_right_counts() {
    let xml = junit(&common::report());
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let elements = parse(&xml);

    let root = &elements[0];
    assert_eq!(root.name, "testsuites");
    // 9 findings and 2 input errors.
    assert_eq!(root.attrs["tests"], "11");
    assert_eq!(root.attrs["failures"], "3");
    assert_eq!(root.attrs["errors"], "2");
    assert_eq!(root.attrs["skipped"], "3");

    // One suite per rule, plus the input errors.
    let suites: Vec<&Element> = elements.iter().filter(|e| e.name == "testsuite").collect();
    assert_eq!(suites.len(), 7);
    assert_eq!(count(&elements, "testcase"), 11);
    assert!(elements
        .iter()
        .filter(|e| e.name == "testsuite")
        .all(|e| e.depth == 1));
    assert!(elements
        .iter()
        .filter(|e| e.name == "testcase")
        .all(|e| e.depth == 2));
    assert_eq!(count(&elements, "failure"), 3);
    assert_eq!(count(&elements, "skipped"), 3);
    assert_eq!(count(&elements, "error"), 2);

    let s3 = suites
        .iter()
        .find(|s| s.attrs["name"] == "aws-s3-block-public-access")
        .expect("s3 suite");
    assert_eq!(s3.attrs["tests"], "3");
    assert_eq!(s3.attrs["failures"], "1");
    assert_eq!(s3.attrs["skipped"], "1");
    let guardduty = suites
        .iter()
        .find(|s| s.attrs["name"] == "aws-guardduty-enabled")
        .expect("empty suite");
    assert_eq!(guardduty.attrs["tests"], "0");
    let errors = suites.last().expect("suites");
    assert_eq!(errors.attrs["name"], "input-errors");
    assert_eq!(errors.attrs["errors"], "2");
    for suite in &suites {
        let n: usize = suite.attrs["tests"].parse().expect("number");
        let f: usize = suite.attrs["failures"].parse().expect("number");
        let s: usize = suite.attrs["skipped"].parse().expect("number");
        assert!(f + s <= n);
    }
}

#[test]
fn testcases_name_resources_and_rules_and_escape_text() {
    let elements = parse(&junit(&common::report()));
    let case = elements
        .iter()
        .find(|e| e.name == "testcase" && e.attrs["name"] == "aws_iam_policy.admin")
        .expect("iam testcase");
    assert_eq!(case.attrs["classname"], "aws-iam-no-admin-policy");
    assert_eq!(case.attrs["file"], "infra/iam.tf");
    let failure = elements
        .iter()
        .find(|e| e.name == "failure" && e.attrs["type"] == "critical")
        .expect("iam failure");
    let message = "policy allows \"Action\": \"*\" on \"Resource\": \"*\" <full admin> & more";
    assert_eq!(failure.attrs["message"], message);
    assert!(failure.text.starts_with(message), "{}", failure.text);
    assert!(failure.text.contains("location: infra/iam.tf:60"));
    assert!(failure.text.contains("controls: soc2/CC6.1, soc2/CC6.3"));

    let module = elements
        .iter()
        .find(|e| e.name == "failure" && e.text.contains("module.storage.aws_s3_bucket.logs"))
        .expect("module failure");
    assert!(module
        .text
        .contains("location: infra/modules/storage/main.tf:12 via module.storage (infra/main.tf:3)"));

    let skipped: Vec<&str> = elements
        .iter()
        .filter(|e| e.name == "skipped")
        .map(|e| e.attrs["message"].as_str())
        .collect();
    assert!(skipped.contains(&"waived: Public website bucket, reviewed by security"));
    assert!(skipped.contains(&"unknown: `encrypted` is not known until apply"));

    let error = elements.iter().find(|e| e.name == "error").expect("input error");
    assert_eq!(
        error.attrs["message"],
        "expected `=` or `{` after the attribute name"
    );
    assert_eq!(
        error.text,
        "infra/broken.tf:3:7: expected `=` or `{` after the attribute name"
    );
}

#[test]
fn control_characters_do_not_break_the_document() {
    let mut report = common::report();
    report.findings[0].message = "bad \u{1b}[31m bytes\u{0} here".to_string();
    let xml = junit(&report);
    let elements = parse(&xml);
    assert!(elements
        .iter()
        .any(|e| e.text.contains("bad \u{FFFD}[31m bytes\u{FFFD} here")));
}

#[test]
fn empty_report_is_an_empty_document() {
    let xml = junit(&common::empty_report());
    let elements = parse(&xml);
    assert_eq!(elements.len(), 1);
    assert_eq!(elements[0].attrs["tests"], "0");
}
