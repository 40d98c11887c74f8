mod common;

use attest_report::{render_to_string, Format, GroupBy, RenderError, RenderOptions};
use insta::assert_snapshot;

fn text(report: &attest_core::Report, opts: &RenderOptions) -> String {
    render_to_string(report, Format::Text, opts).expect("render text")
}

#[test]
fn by_criterion() {
    assert_snapshot!("by_criterion", text(&common::report(), &RenderOptions::default()));
}

#[test]
fn by_criterion_with_passes() {
    let opts = RenderOptions {
        show_passes: true,
        ..RenderOptions::default()
    };
    assert_snapshot!("by_criterion_with_passes", text(&common::report(), &opts));
}

#[test]
fn by_resource() {
    let opts = RenderOptions {
        group_by: GroupBy::Resource,
        ..RenderOptions::default()
    };
    assert_snapshot!("by_resource", text(&common::report(), &opts));
}

#[test]
fn by_rule() {
    let opts = RenderOptions {
        group_by: GroupBy::Rule,
        ..RenderOptions::default()
    };
    assert_snapshot!("by_rule", text(&common::report(), &opts));
}

#[test]
fn empty_report() {
    assert_snapshot!("empty", text(&common::empty_report(), &RenderOptions::default()));
}

#[test]
fn manual_and_not_applicable_criteria_are_never_dropped() {
    let out = text(&common::passing_report(), &RenderOptions::default());
    for id in ["CC1.1", "CC9.2", "CC7.1"] {
        assert!(out.contains(id), "{id} missing from:\n{out}");
    }
    assert!(out.contains("MANUAL"));
    assert!(out.contains("N/A"));
}

#[test]
fn passes_are_counted_not_listed_by_default() {
    let out = text(&common::report(), &RenderOptions::default());
    assert!(!out.contains("aws_s3_bucket.assets"));
    assert!(out.contains("3 passed, 3 failed, 1 unknown, 2 waived"));
    let opts = RenderOptions {
        show_passes: true,
        ..RenderOptions::default()
    };
    assert!(text(&common::report(), &opts).contains("aws_s3_bucket.assets"));
}

#[test]
fn framework_is_chosen_ignoring_case() {
    let opts = RenderOptions {
        framework: Some("SOC2".to_string()),
        ..RenderOptions::default()
    };
    assert_eq!(
        text(&common::report(), &opts),
        text(&common::report(), &RenderOptions::default())
    );
}

#[test]
fn unknown_framework_is_an_error() {
    let opts = RenderOptions {
        framework: Some("cis-aws".to_string()),
        ..RenderOptions::default()
    };
    let err = render_to_string(&common::report(), Format::Text, &opts).expect_err("unknown framework");
    assert!(matches!(err, RenderError::UnknownFramework { .. }));
    assert_eq!(
        err.to_string(),
        "the report has no framework `cis-aws` (it has: soc2)"
    );
}

#[test]
fn colour_only_when_asked() {
    for group_by in [GroupBy::Criterion, GroupBy::Resource, GroupBy::Rule] {
        let plain = RenderOptions {
            group_by,
            show_passes: true,
            ..RenderOptions::default()
        };
        let out = text(&common::report(), &plain);
        assert!(!out.contains('\x1b'), "escape codes without colour:\n{out}");

        let coloured = RenderOptions {
            color: true,
            ..plain.clone()
        };
        let out = text(&common::report(), &coloured);
        assert!(out.contains("\x1b[31mfail"), "no red failure in:\n{out}");
        assert!(out.contains("\x1b[32mpass"), "no green pass in:\n{out}");
        assert!(out.contains("\x1b[33munknown"), "no yellow unknown in:\n{out}");
        assert!(out.contains("\x1b[34mwaived"), "no blue waiver in:\n{out}");
        assert!(out.contains("\x1b[0m"));
    }
}

#[test]
fn coloured_by_criterion() {
    let opts = RenderOptions {
        color: true,
        ..RenderOptions::default()
    };
    let out = text(&common::report(), &opts).replace('\x1b', "^[");
    assert_snapshot!("by_criterion_colour", out);
}
