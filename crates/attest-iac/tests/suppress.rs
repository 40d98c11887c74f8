//! Inline suppressions (`# attest:ignore <rule> <reason>`) found in Terraform configuration.

use std::path::PathBuf;

use attest_core::{InputError, Suppression};
use attest_iac::suppress::scan_text;
use attest_iac::{load_paths, LoadOptions};

fn scan(text: &str) -> (Vec<Suppression>, Vec<InputError>) {
    scan_text("main.tf", text)
}

/// (rule, reason, comment line, target line) of each suppression.
fn summary(s: &[Suppression]) -> Vec<(&str, &str, u32, u32)> {
    s.iter()
        .map(|s| (s.rule.as_str(), s.reason.as_str(), s.comment.line, s.target.line))
        .collect()
}

#[test]
fn comment_on_the_header_line() {
    let (s, e) = scan(
        "resource \"aws_s3_bucket\" \"logs\" { # attest:ignore aws-s3-bucket-versioning logs are write-once\n  \
         bucket = \"logs\"\n}\n",
    );
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(
        summary(&s),
        vec![("aws-s3-bucket-versioning", "logs are write-once", 1, 1)]
    );
    assert_eq!(s[0].comment.column, 35);
    assert_eq!((s[0].target.file.as_str(), s[0].target.column), ("main.tf", 1));
}

#[test]
fn comment_lines_above_in_every_style() {
    let text = r#"
locals {
  a = 1
}

# Public on purpose.
# attest:ignore FG_R00041 the web tier, behind the CDN
// attest:ignore aws-ec2-sg-no-public-ssh   bastion,  see   NET-9
/* attest:ignore aws-ec2-sg-description reviewed */
/*
  attest:ignore aws-other
  spans two lines
*/
resource "aws_security_group" "web" {
  name = "web"
}
"#;
    let (s, e) = scan(text);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(
        summary(&s),
        vec![
            ("FG_R00041", "the web tier, behind the CDN", 7, 14),
            ("aws-ec2-sg-no-public-ssh", "bastion, see NET-9", 8, 14),
            ("aws-ec2-sg-description", "reviewed", 9, 14),
            ("aws-other", "spans two lines", 10, 14),
        ]
    );
}

#[test]
fn data_and_module_blocks_take_suppressions_too() {
    let text = "# attest:ignore r1 why\ndata \"aws_iam_policy_document\" \"p\" {\n}\n\n\
                # attest:ignore r2 why not\nmodule \"net\" {\n  source = \"./net\"\n}\n";
    let (s, e) = scan(text);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(summary(&s), vec![("r1", "why", 1, 2), ("r2", "why not", 5, 6)]);
}

#[test]
fn hash_inside_strings_and_heredocs_is_not_a_comment() {
    let text = r##"
resource "aws_instance" "a" {
  user_data = <<-EOT
    #!/bin/sh
    # attest:ignore r1 not a comment, a shell line
    echo "${var.x}" # attest:ignore r2 still the heredoc
    EOT
  tags = { Name = "# attest:ignore r3 in a string", Other = "x ${"#"} y" }
  # attest:ignore r4 inside the block body, not above a block
}
resource "aws_instance" "b" {
  description = "a \" quote # attest:ignore r5 still a string"
}
"##;
    let (s, e) = scan(text);
    assert!(s.is_empty(), "{s:?}");
    // The one real comment is inside a block, attached to nothing: an error, not a suppression.
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].line, e[0].column), (Some(9), Some(3)));
    assert!(e[0].message.contains("header line"), "{e:?}");
}

#[test]
fn missing_reason_is_an_error_at_the_comment() {
    let text = "\n  # attest:ignore aws-s3-bucket-versioning\nresource \"aws_s3_bucket\" \"a\" {}\n\
                resource \"aws_s3_bucket\" \"b\" {} // attest:ignore\n";
    let (s, e) = scan(text);
    assert!(s.is_empty(), "{s:?}");
    let at: Vec<_> = e.iter().map(|e| (e.file.as_str(), e.line, e.column)).collect();
    assert_eq!(
        at,
        vec![("main.tf", Some(2), Some(3)), ("main.tf", Some(4), Some(33))]
    );
    for e in &e {
        assert!(
            e.message
                .starts_with("attest:ignore needs a rule id and a reason"),
            "{e}"
        );
    }
}

#[test]
fn wildcard_and_misplaced_directives_are_errors() {
    let text = "# attest:ignore * everything\nresource \"a\" \"b\" {}\n\n\
                # attest:ignore r1 why\nvariable \"v\" {}\n";
    let (s, e) = scan(text);
    assert!(s.is_empty(), "{s:?}");
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].message.contains("`*` is not allowed"), "{e:?}");
    assert!(e[1].message.contains("not to `variable`"), "{e:?}");
}

#[test]
fn blank_line_or_code_breaks_the_association() {
    let text = "# attest:ignore r1 separated by a blank line\n\nresource \"a\" \"b\" {}\n\
                resource \"a\" \"c\" {} # attest:ignore r2 belongs to c\n\
                resource \"a\" \"d\" {}\n\
                # attest:ignore r3 above e\n#\n# more words\nresource \"a\" \"e\" {\n}\n";
    let (s, e) = scan(text);
    assert_eq!(
        summary(&s),
        vec![("r2", "belongs to c", 4, 4), ("r3", "above e", 6, 9)]
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, Some(1));
}

#[test]
fn other_words_in_comments_are_left_alone() {
    let text = "# see attest:ignore in the README\n# attest:ignored r1 why\nresource \"a\" \"b\" {}\n";
    let (s, e) = scan(text);
    assert!(s.is_empty() && e.is_empty(), "{s:?} {e:?}");
}

#[test]
fn target_matches_the_location_the_loader_gives() {
    let dir = tempfile::tempdir().unwrap();
    let text = "terraform {\n}\n\n  # attest:ignore FG_R00041 reviewed\n  \
                resource \"aws_security_group\" \"web\" {\n  count = 2\n  name = \"web\"\n}\n\n\
                resource \"aws_s3_bucket\" \"b\" { # attest:ignore r1 why\n}\n";
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    std::fs::write(dir.path().join("other.tf.json"), "{\"locals\": {\"a\": 1}}").unwrap();
    let out = load_paths(&[PathBuf::from(dir.path())], &LoadOptions::default());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.suppressions.len(), 2, "{:?}", out.suppressions);
    let located = |id: &str| {
        out.resources
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.provenance.location.clone())
            .unwrap_or_else(|| panic!("{id} has no location: {:?}", out.resources))
    };
    for (suppression, id) in out
        .suppressions
        .iter()
        .zip(["aws_security_group.web[0]", "aws_s3_bucket.b"])
    {
        let loc = located(id);
        assert_eq!(
            (
                &suppression.target.file,
                suppression.target.line,
                suppression.target.column
            ),
            (&loc.file, loc.line, loc.column),
            "{id}"
        );
    }
    assert_eq!(
        located("aws_security_group.web[1]").line,
        out.suppressions[0].target.line
    );
}

#[test]
fn malformed_directives_reach_the_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "# attest:ignore FG_R00041\nresource \"aws_s3_bucket\" \"b\" {\n}\n",
    )
    .unwrap();
    let out = load_paths(&[PathBuf::from(dir.path())], &LoadOptions::default());
    assert!(out.suppressions.is_empty());
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(out.errors[0].file.ends_with("main.tf"));
    assert_eq!((out.errors[0].line, out.errors[0].column), (Some(1), Some(1)));
}
