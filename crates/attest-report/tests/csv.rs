mod common;

use attest_report::{render_to_string, Format, RenderOptions};
use insta::assert_snapshot;

fn csv(report: &attest_core::Report) -> String {
    render_to_string(report, Format::Csv, &RenderOptions::default()).expect("render csv")
}

#[test]
fn snapshot() {
    assert_snapshot!("csv", csv(&common::report()));
}

#[test]
fn one_row_per_finding_that_reads_back() {
    let report = common::report();
    let out = csv(&report);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, attest_report::csv::COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), report.findings.len());
    for (row, f) in rows.iter().zip(&report.findings) {
        assert_eq!(row.len(), 12);
        assert_eq!(&row[0], f.rule_id);
        assert_eq!(&row[3], f.outcome.as_str());
        assert_eq!(&row[10], f.message);
    }

    // Quotes, commas and a module resource.
    let first = &rows[0];
    assert_eq!(&first[4], "module.storage.aws_s3_bucket.logs");
    assert_eq!(&first[6], "infra/modules/storage/main.tf");
    assert_eq!(&first[7], "12");
    assert_eq!(&first[8], "soc2/CC6.1;soc2/CC6.6");
    assert_eq!(&first[9], "checkov:CKV_AWS_53;fugue:FG_R00229");
    assert_eq!(
        &first[10],
        "bucket \"logs\" allows public ACLs, block_public_acls = false"
    );
    assert!(out.contains("\"bucket \"\"logs\"\" allows public ACLs, block_public_acls = false\""));

    // An account-level result has no location; a waiver has its reason.
    let account = rows.iter().find(|r| &r[4] == "account").expect("account row");
    assert_eq!((&account[6], &account[7]), ("", ""));
    let waived = rows.iter().find(|r| &r[3] == "waived").expect("waived row");
    assert_eq!(&waived[11], "Public website bucket, reviewed by security");
}

#[test]
fn newlines_in_cells_stay_in_one_record() {
    let mut report = common::report();
    report.findings[0].message = "first line\nsecond line".to_string();
    let out = csv(&report);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), report.findings.len());
    assert_eq!(&rows[0][10], "first line\nsecond line");
}

#[test]
fn empty_report_is_a_header() {
    assert_eq!(
        csv(&common::empty_report()),
        "rule_id,rule_title,severity,outcome,resource_id,resource_type,file,line,controls,aliases,message,waiver_reason\n"
    );
}
