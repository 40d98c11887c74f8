//! Compliance framework catalogs.
//!
//! A framework is data: a TOML file in the shape of [`Framework`] that lists every criterion
//! (also those no rule can evidence) and, per criterion, the rules that give evidence for it.
//! The built-in catalogs are compiled into the binary; users can load their own files with
//! [`load_file`] or [`parse`], and check them with [`validate`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use attest_core::framework::Framework;

/// Built-in catalogs: (origin used in error messages, TOML text).
const BUILTIN_SOURCES: &[(&str, &str)] = &[
    (
        "builtin:frameworks/soc2.toml",
        include_str!("../frameworks/soc2.toml"),
    ),
    (
        "builtin:frameworks/cis-aws-3.0.toml",
        include_str!("../frameworks/cis-aws-3.0.toml"),
    ),
];

/// Why a framework file could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum FrameworkError {
    /// The text is not valid TOML or does not fit the framework shape, at a known position.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The text does not fit the framework shape, and the parser gave no position.
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// All built-in frameworks that parsed, in a fixed order.
///
/// A built-in catalog that fails to parse is left out rather than aborting; the unit tests make
/// sure every built-in catalog parses.
pub fn builtin() -> &'static [Framework] {
    static BUILTIN: OnceLock<Vec<Framework>> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        BUILTIN_SOURCES
            .iter()
            .filter_map(|(origin, text)| parse(text, origin).ok())
            .collect()
    })
}

/// The built-in framework with this id (`soc2`, `cis-aws-3.0`), compared without regard to ASCII case.
pub fn builtin_by_id(id: &str) -> Option<&'static Framework> {
    builtin().iter().find(|fw| fw.id.eq_ignore_ascii_case(id))
}

/// Parses a framework from TOML text. `origin` (a path or a label) names the source in errors.
pub fn parse(text: &str, origin: &str) -> Result<Framework, FrameworkError> {
    toml::from_str::<Framework>(text).map_err(|err| {
        let message = err.message().trim().to_string();
        match err.span().and_then(|span| line_column(text, span.start)) {
            Some((line, column)) => FrameworkError::Syntax {
                origin: origin.to_string(),
                line,
                column,
                message,
            },
            None => FrameworkError::Invalid {
                origin: origin.to_string(),
                message,
            },
        }
    })
}

/// Reads and parses a framework file.
pub fn load_file(path: &Path) -> Result<Framework, FrameworkError> {
    let text = std::fs::read_to_string(path).map_err(|source| FrameworkError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Checks a parsed framework for mistakes the file format cannot catch; `known_rule` says
/// whether a rule id exists. Returns one message per problem, empty when the framework is sound.
pub fn validate(fw: &Framework, known_rule: impl Fn(&str) -> bool) -> Vec<String> {
    let mut problems = Vec::new();
    if fw.id.trim().is_empty() {
        problems.push("framework id is empty".to_string());
    }
    if fw.name.trim().is_empty() {
        problems.push(format!("framework {}: name is empty", fw.id));
    }
    let mut seen = HashSet::new();
    for criterion in &fw.criteria {
        let id = criterion.id.trim();
        if id.is_empty() {
            problems.push(format!("criterion with title {:?}: id is empty", criterion.title));
        } else if !seen.insert(id.to_ascii_lowercase()) {
            problems.push(format!("criterion {id}: duplicate id"));
        }
        if criterion.title.trim().is_empty() {
            problems.push(format!("criterion {id}: title is empty"));
        }
        let mut rules_seen = HashSet::new();
        for mapping in &criterion.rules {
            let rule = mapping.rule.trim();
            if rule.is_empty() {
                problems.push(format!("criterion {id}: rule id is empty"));
                continue;
            }
            if !known_rule(rule) {
                problems.push(format!("criterion {id}: unknown rule {rule}"));
            }
            if !rules_seen.insert(rule) {
                problems.push(format!("criterion {id}: rule {rule} is mapped twice"));
            }
            if mapping.rationale.trim().is_empty() {
                problems.push(format!("criterion {id}: rule {rule} has an empty rationale"));
            }
        }
    }
    problems
}

/// 1-based line and column (in characters) of a byte offset in `text`.
fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..)?.chars().count() + 1;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use attest_core::framework::Automation;

    const SOC2_IDS: &[&str] = &[
        "CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC2.1", "CC2.2", "CC2.3", "CC3.1", "CC3.2", "CC3.3",
        "CC3.4", "CC4.1", "CC4.2", "CC5.1", "CC5.2", "CC5.3", "CC6.1", "CC6.2", "CC6.3", "CC6.4", "CC6.5",
        "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC7.4", "CC7.5", "CC8.1", "CC9.1", "CC9.2",
        "A1.1", "A1.2", "A1.3", "C1.1", "C1.2", "PI1.1", "PI1.2", "PI1.3", "PI1.4", "PI1.5", "P1.1", "P2.1",
        "P3.1", "P3.2", "P4.1", "P4.2", "P4.3", "P5.1", "P5.2", "P6.1", "P6.2", "P6.3", "P6.4", "P6.5",
        "P6.6", "P6.7", "P7.1", "P8.1",
    ];

    /// Built-in rule ids with the criterion each one primarily evidences.
    const PRIMARY: &[(&str, &str)] = &[
        ("aws-iam-no-admin-policy", "CC5.2"),
        ("aws-ec2-sg-no-public-http", "CC6.1"),
        ("aws-cloudwatch-flow-log-reject-alarm", "CC7.2"),
        ("aws-cloudwatch-cloudfront-4xx-alarm", "CC2.1"),
        ("aws-dynamodb-kms-encryption", "CC8.1"),
    ];

    fn soc2() -> &'static Framework {
        builtin_by_id("soc2").expect("soc2 is built in")
    }

    const CIS_AWS_IDS: &[&str] = &[
        "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11", "1.12", "1.13",
        "1.14", "1.15", "1.16", "1.17", "1.18", "1.19", "1.20", "1.21", "1.22", "2.1.1", "2.1.2", "2.1.3",
        "2.1.4", "2.2.1", "2.3.1", "2.3.2", "2.3.3", "2.4.1", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
        "3.7", "3.8", "3.9", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9", "4.10", "4.11",
        "4.12", "4.13", "4.14", "4.15", "4.16", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6",
    ];

    fn cis_aws() -> &'static Framework {
        builtin_by_id("cis-aws-3.0").expect("cis-aws-3.0 is built in")
    }

    #[test]
    fn every_builtin_catalog_parses() {
        for (origin, text) in BUILTIN_SOURCES {
            if let Err(err) = parse(text, origin) {
                panic!("{err}");
            }
        }
        assert_eq!(builtin().len(), BUILTIN_SOURCES.len());
    }

    #[test]
    fn soc2_header() {
        let fw = soc2();
        assert_eq!(fw.id, "soc2");
        assert_eq!(fw.name, "SOC 2 — Trust Services Criteria");
        assert_eq!(fw.version, "2017 (points of focus revised 2022)");
        assert!(!fw.description.trim().is_empty());
        assert!(builtin_by_id("SOC2").is_some());
        assert!(builtin_by_id("no-such-framework").is_none());
    }

    #[test]
    fn soc2_lists_all_61_criteria_in_order() {
        let ids: Vec<&str> = soc2().criteria.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), 61);
        assert_eq!(ids, SOC2_IDS);
    }

    #[test]
    fn soc2_criteria_have_titles_groups_and_rationales() {
        for c in &soc2().criteria {
            assert!(!c.title.trim().is_empty(), "{} has no title", c.id);
            assert!(!c.group.trim().is_empty(), "{} has no group", c.id);
            for m in &c.rules {
                assert!(
                    !m.rationale.trim().is_empty(),
                    "{} / {} has no rationale",
                    c.id,
                    m.rule
                );
            }
            if !c.rules.is_empty() {
                assert_ne!(
                    c.automation,
                    Automation::Manual,
                    "{} has rules but is manual",
                    c.id
                );
            }
        }
    }

    #[test]
    fn soc2_groups_follow_the_criterion_families() {
        for c in &soc2().criteria {
            let expected = match c.id.split('.').next().unwrap_or_default() {
                "CC1" => "Control Environment",
                "CC2" => "Communication and Information",
                "CC3" => "Risk Assessment",
                "CC4" => "Monitoring Activities",
                "CC5" => "Control Activities",
                "CC6" => "Logical and Physical Access Controls",
                "CC7" => "System Operations",
                "CC8" => "Change Management",
                "CC9" => "Risk Mitigation",
                "A1" => "Availability",
                "C1" => "Confidentiality",
                "PI1" => "Processing Integrity",
                _ => "Privacy",
            };
            assert_eq!(c.group, expected, "{}", c.id);
        }
    }

    #[test]
    fn soc2_maps_each_rule_to_its_primary_criterion() {
        let fw = soc2();
        for (rule, primary) in PRIMARY {
            let ids: Vec<&str> = fw.criteria_for_rule(rule).map(|c| c.id.as_str()).collect();
            assert!(ids.contains(primary), "{rule} not mapped to {primary}: {ids:?}");
        }
    }

    #[test]
    fn builtin_catalogs_validate_against_the_registry() {
        let known = |id: &str| crate::registry::all().iter().any(|r| r.meta().id == id);
        for (rule, _) in PRIMARY {
            assert!(known(rule), "{rule} is not a registered rule id");
        }
        for fw in builtin() {
            let problems = validate(fw, known);
            assert!(problems.is_empty(), "{}: {problems:?}", fw.id);
        }
    }

    #[test]
    fn builtin_catalogs_come_in_a_fixed_order() {
        let ids: Vec<&str> = builtin().iter().map(|fw| fw.id.as_str()).collect();
        assert_eq!(ids, ["soc2", "cis-aws-3.0"]);
    }

    #[test]
    fn cis_aws_header() {
        let fw = cis_aws();
        assert_eq!(fw.id, "cis-aws-3.0");
        assert_eq!(fw.name, "CIS Amazon Web Services Foundations Benchmark");
        assert_eq!(fw.version, "3.0.0");
        assert!(!fw.description.trim().is_empty());
        assert!(builtin_by_id("CIS-AWS-3.0").is_some());
    }

    #[test]
    fn cis_aws_lists_all_62_recommendations_in_order() {
        let ids: Vec<&str> = cis_aws().criteria.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), 62);
        assert_eq!(ids, CIS_AWS_IDS);
    }

    #[test]
    fn cis_aws_groups_follow_the_benchmark_sections() {
        for c in &cis_aws().criteria {
            let expected = match c.id.split('.').next().unwrap_or_default() {
                "1" => "Identity and Access Management",
                "2" => "Storage",
                "3" => "Logging",
                "4" => "Monitoring",
                "5" => "Networking",
                other => panic!("{}: unexpected section {other}", c.id),
            };
            assert_eq!(c.group, expected, "{}", c.id);
            assert!(!c.title.trim().is_empty(), "{} has no title", c.id);
        }
    }

    #[test]
    fn cis_aws_automation_marks_the_people_and_document_recommendations_manual() {
        let fw = cis_aws();
        let with = |a: Automation| -> Vec<&str> {
            fw.criteria
                .iter()
                .filter(|c| c.automation == a)
                .map(|c| c.id.as_str())
                .collect()
        };
        // Manual in the benchmark, and no rule evidences them.
        assert_eq!(
            with(Automation::Manual),
            ["1.1", "1.2", "1.3", "1.7", "1.18", "1.21", "2.1.3"]
        );
        // Manual in the benchmark, but a rule gives part of the evidence.
        assert_eq!(with(Automation::Partial), ["1.22", "5.5"]);
        for c in &fw.criteria {
            if c.automation == Automation::Partial {
                assert!(!c.rules.is_empty(), "{} is partial without a rule", c.id);
            }
        }
    }

    #[test]
    fn cis_aws_is_valid_before_any_rule_is_mapped() {
        let fw = parse(
            include_str!("../frameworks/cis-aws-3.0.toml"),
            "builtin:frameworks/cis-aws-3.0.toml",
        )
        .expect("parses");
        let problems = validate(&fw, |_| true);
        assert!(problems.is_empty(), "{problems:?}");
        // Recommendations only people can evidence never get rules; they stay in the catalog.
        assert!(fw.criterion("1.1").is_some_and(|c| c.rules.is_empty()));
    }

    #[test]
    fn malformed_toml_names_origin_and_line() {
        let text = "id = \"x\"\nname = \"X\"\nversion = = \"1\"\n";
        let err = parse(text, "custom/broken.toml").expect_err("malformed TOML");
        match &err {
            FrameworkError::Syntax { origin, line, .. } => {
                assert_eq!(origin, "custom/broken.toml");
                assert_eq!(*line, 3);
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        assert!(err.to_string().starts_with("custom/broken.toml:3:"), "{err}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let text = r#"
id = "x"
name = "X"
version = "1"

[[criteria]]
id = "X.1"
title = "Something is done."
automation = "manual"
severity = "high"
"#;
        let err = parse(text, "custom/x.toml").expect_err("unknown field");
        let shown = err.to_string();
        assert!(shown.contains("custom/x.toml"), "{shown}");
        assert!(shown.contains("severity"), "{shown}");
    }

    #[test]
    fn validate_reports_unknown_rules_duplicates_and_empty_text() {
        let text = r#"
id = "x"
name = "X"
version = "1"

[[criteria]]
id = "X.1"
title = "Something is done."
automation = "partial"

[[criteria.rules]]
rule = "aws-iam-no-admin-policy"
rationale = "Known rule."

[[criteria.rules]]
rule = "no-such-rule"
rationale = ""

[[criteria]]
id = "x.1"
title = " "
automation = "manual"
"#;
        let fw = parse(text, "custom/x.toml").expect("valid TOML");
        let problems = validate(&fw, |id| id == "aws-iam-no-admin-policy");
        let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
        assert!(has("unknown rule no-such-rule"), "{problems:?}");
        assert!(has("duplicate id"), "{problems:?}");
        assert!(has("empty rationale"), "{problems:?}");
        assert!(has("title is empty"), "{problems:?}");
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn load_file_reports_missing_files_by_path() {
        let err = load_file(Path::new("/nonexistent/attest/framework.toml")).expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/attest/framework.toml"));
    }
}
