//! A representative report, built by hand: rules with aliases and documentation; passing,
//! failing, unknown and waived findings; a resource in a module; an account-level result; a
//! finding no criterion covers; input errors; a notice; and a SOC 2 roll-up with failing,
//! passing, unknown, not applicable and manual criteria.

#![allow(dead_code)]

use std::collections::BTreeMap;

use attest_core::report::rollup;
use attest_core::{
    AppliedWaiver, Automation, ControlRef, Counts, Criterion, Finding, Framework, InputError, InputKind,
    InputSummary, Location, ModuleCall, Outcome, Report, RuleInfo, RuleKind, RuleMapping, Severity, Summary,
    ToolInfo, REPORT_SCHEMA_VERSION,
};

pub const S3: &str = "aws-s3-block-public-access";
pub const IAM: &str = "aws-iam-no-admin-policy";
pub const TRAIL: &str = "aws-cloudtrail-enabled";
pub const EBS: &str = "aws-ebs-volume-encrypted";
pub const GUARDDUTY: &str = "aws-guardduty-enabled";
pub const FLOW_LOGS: &str = "aws-vpc-flow-logs-enabled";

fn controls(ids: &[&str]) -> Vec<ControlRef> {
    ids.iter()
        .map(|id| ControlRef {
            framework: "soc2".to_string(),
            criterion: (*id).to_string(),
        })
        .collect()
}

fn aliases(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(t, id)| (t.to_string(), id.to_string()))
        .collect()
}

struct RuleSpec {
    id: &'static str,
    title: &'static str,
    severity: Severity,
    kind: RuleKind,
    resource_types: &'static [&'static str],
    aliases: &'static [(&'static str, &'static str)],
    controls: &'static [&'static str],
}

const RULES: [RuleSpec; 6] = [
    RuleSpec {
        id: TRAIL,
        title: "A multi-region CloudTrail trail logs management events",
        severity: Severity::Medium,
        kind: RuleKind::Account,
        resource_types: &["aws_cloudtrail"],
        aliases: &[("prowler", "cloudtrail_multi_region_enabled"), ("cis-aws", "3.1")],
        controls: &["CC7.2"],
    },
    RuleSpec {
        id: EBS,
        title: "EBS volumes are encrypted",
        severity: Severity::Medium,
        kind: RuleKind::Resource,
        resource_types: &["aws_ebs_volume"],
        aliases: &[("fugue", "FG_R00016"), ("checkov", "CKV_AWS_3")],
        controls: &["CC6.7"],
    },
    RuleSpec {
        id: GUARDDUTY,
        title: "GuardDuty is enabled",
        severity: Severity::Medium,
        kind: RuleKind::Account,
        resource_types: &["aws_guardduty_detector"],
        aliases: &[],
        controls: &["CC7.1"],
    },
    RuleSpec {
        id: IAM,
        title: "IAM policies do not grant full administrative privileges",
        severity: Severity::Critical,
        kind: RuleKind::Resource,
        resource_types: &["aws_iam_policy"],
        aliases: &[("fugue", "FG_R00092"), ("checkov", "CKV_AWS_62")],
        controls: &["CC6.1", "CC6.3"],
    },
    RuleSpec {
        id: S3,
        title: "S3 buckets block public access",
        severity: Severity::High,
        kind: RuleKind::Graph,
        resource_types: &["aws_s3_bucket"],
        aliases: &[("fugue", "FG_R00229"), ("checkov", "CKV_AWS_53")],
        controls: &["CC6.1", "CC6.6"],
    },
    RuleSpec {
        id: FLOW_LOGS,
        title: "VPC flow logs are enabled",
        severity: Severity::Info,
        kind: RuleKind::Graph,
        resource_types: &["aws_vpc"],
        aliases: &[("fugue", "FG_R00054")],
        controls: &[],
    },
];

fn spec(id: &str) -> &'static RuleSpec {
    RULES.iter().find(|r| r.id == id).expect("rule spec")
}

fn doc(title: &str) -> String {
    format!(
        "## What it checks\n\n{title}: the check looks at the resource's attributes \
         and at the resources attached to it.\n\n## Why it matters\n\nMisconfigured resources \
         are the most common cause of cloud breaches.\n\n## How to fix\n\n```hcl\n\
         resource \"aws_s3_bucket_public_access_block\" \"this\" {{\n  block_public_acls = true\n}}\n```\n\n\
         See [the AWS documentation](https://docs.aws.amazon.com/).\n"
    )
}

fn rule_info(s: &RuleSpec) -> RuleInfo {
    RuleInfo {
        id: s.id.to_string(),
        title: s.title.to_string(),
        severity: s.severity,
        kind: s.kind,
        resource_types: s.resource_types.iter().map(|t| t.to_string()).collect(),
        aliases: aliases(s.aliases),
        doc: doc(s.title),
        controls: controls(s.controls),
    }
}

fn finding(rule: &str, outcome: Outcome, resource_id: &str, message: &str) -> Finding {
    let s = spec(rule);
    let resource_type = if s.kind == RuleKind::Account {
        "account".to_string()
    } else {
        resource_id
            .split('.')
            .rev()
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    Finding {
        rule_id: s.id.to_string(),
        rule_title: s.title.into(),
        rule_aliases: aliases(s.aliases).into(),
        rule_kind: s.kind,
        severity: s.severity,
        outcome,
        resource_id: resource_id.to_string(),
        resource_type,
        physical_id: None,
        input: Some(InputKind::TfHcl),
        message: message.to_string(),
        attribute: None,
        location: None,
        module_stack: Vec::new(),
        controls: controls(s.controls).into(),
        waiver: None,
    }
}

fn at(mut f: Finding, file: &str, line: u32) -> Finding {
    f.location = Some(Location::new(file, line, 1));
    f
}

fn waived(mut f: Finding, reason: &str, source: &str, owner: Option<&str>, expires: Option<&str>) -> Finding {
    f.waiver = Some(AppliedWaiver {
        reason: reason.to_string(),
        owner: owner.map(str::to_string),
        expires: expires.map(str::to_string),
        source: source.to_string(),
        original: f.outcome,
    });
    f.outcome = Outcome::Waived;
    f
}

pub fn findings() -> Vec<Finding> {
    let mut in_module = at(
        finding(
            S3,
            Outcome::Fail,
            "module.storage.aws_s3_bucket.logs",
            "bucket \"logs\" allows public ACLs, block_public_acls = false",
        ),
        "infra/modules/storage/main.tf",
        12,
    );
    in_module.attribute = Some("block_public_acls".to_string());
    if let Some(loc) = &mut in_module.location {
        loc.end_line = Some(30);
    }
    in_module.module_stack = vec![ModuleCall {
        address: "module.storage".to_string(),
        location: Some(Location::new("infra/main.tf", 3, 1)),
    }];

    let mut unknown = at(
        finding(
            EBS,
            Outcome::Unknown,
            "aws_ebs_volume.data",
            "`encrypted` is not known until apply",
        ),
        "infra/main.tf",
        100,
    );
    unknown.input = Some(InputKind::TfPlan);

    let mut trail = finding(
        TRAIL,
        Outcome::Pass,
        "account",
        "trail `main` logs management events in every region",
    );
    trail.input = None;

    let mut vpc = at(
        finding(
            FLOW_LOGS,
            Outcome::Fail,
            "aws_vpc.main",
            "no flow log captures traffic of this VPC",
        ),
        "infra/network.tf",
        5,
    );
    vpc.physical_id = Some("vpc-0a1b2c3d".to_string());

    vec![
        in_module,
        at(
            finding(
                S3,
                Outcome::Pass,
                "aws_s3_bucket.assets",
                "public access is blocked",
            ),
            "infra/main.tf",
            20,
        ),
        waived(
            at(
                finding(
                    S3,
                    Outcome::Fail,
                    "aws_s3_bucket.website",
                    "bucket allows public reads",
                ),
                "infra/main.tf",
                40,
            ),
            "Public website bucket, reviewed by security",
            "config",
            Some("web-team"),
            Some("2026-12-31"),
        ),
        at(
            finding(
                IAM,
                Outcome::Fail,
                "aws_iam_policy.admin",
                "policy allows \"Action\": \"*\" on \"Resource\": \"*\" <full admin> & more",
            ),
            "infra/iam.tf",
            60,
        ),
        at(
            finding(
                IAM,
                Outcome::Pass,
                "aws_iam_policy.readonly",
                "no statement allows every action",
            ),
            "infra/iam.tf",
            80,
        ),
        trail,
        unknown,
        waived(
            at(
                finding(
                    EBS,
                    Outcome::Unknown,
                    "aws_ebs_volume.scratch",
                    "`encrypted` is not known until apply",
                ),
                "infra/main.tf",
                120,
            ),
            "scratch disk, holds no data",
            "inline",
            None,
            None,
        ),
        vpc,
    ]
}

fn criterion(id: &str, title: &str, group: &str, automation: Automation, rules: &[&str]) -> Criterion {
    Criterion {
        id: id.to_string(),
        title: title.to_string(),
        group: group.to_string(),
        automation,
        rules: rules
            .iter()
            .map(|r| RuleMapping {
                rule: r.to_string(),
                rationale: "gives configuration evidence".to_string(),
            })
            .collect(),
    }
}

pub fn soc2() -> Framework {
    use Automation::{Automated, Manual, Partial};
    let access = "Logical and Physical Access Controls";
    let ops = "System Operations";
    Framework {
        id: "soc2".to_string(),
        name: "SOC 2 Trust Services Criteria".to_string(),
        version: "2017".to_string(),
        description: String::new(),
        criteria: vec![
            criterion(
                "CC1.1",
                "The entity demonstrates a commitment to integrity and ethical values",
                "Control Environment",
                Manual,
                &[],
            ),
            criterion(
                "CC6.1",
                "Logical access security software, infrastructure, and architectures",
                access,
                Partial,
                &[S3, IAM],
            ),
            criterion(
                "CC6.3",
                "Role-based access and least privilege",
                access,
                Partial,
                &[IAM],
            ),
            criterion(
                "CC6.6",
                "Boundary protection against outside threats",
                access,
                Automated,
                &[S3],
            ),
            criterion(
                "CC6.7",
                "Restricts the transmission, movement and removal of information",
                access,
                Partial,
                &[EBS],
            ),
            criterion(
                "CC7.1",
                "Detects configuration changes and vulnerabilities",
                ops,
                Partial,
                &[GUARDDUTY],
            ),
            criterion(
                "CC7.2",
                "Monitors system components for anomalies",
                ops,
                Partial,
                &[TRAIL],
            ),
            criterion(
                "CC9.2",
                "Assesses and manages risks of vendors and business partners",
                "Risk Mitigation",
                Manual,
                &[],
            ),
        ],
    }
}

/// The full report.
pub fn report() -> Report {
    let findings = findings();
    let mut counts = Counts::default();
    for f in &findings {
        counts.add(f.outcome);
    }
    let fw = soc2();
    let mut rules: Vec<RuleInfo> = RULES.iter().map(rule_info).collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Report {
        schema_version: REPORT_SCHEMA_VERSION.to_string(),
        tool: ToolInfo {
            name: "attest".to_string(),
            version: "0.1.0".to_string(),
        },
        inputs: vec![
            InputSummary {
                path: "infra".to_string(),
                kind: InputKind::TfHcl,
                resources: 9,
            },
            InputSummary {
                path: "infra/plan.json".to_string(),
                kind: InputKind::TfPlan,
                resources: 2,
            },
        ],
        errors: vec![
            InputError::at(
                "infra/broken.tf",
                3,
                7,
                "expected `=` or `{` after the attribute name",
            ),
            InputError::new(
                "infra/empty.json",
                "not a CloudFormation template or a Terraform plan",
            ),
        ],
        notices: vec![
            "waiver .attest.toml:12 for `aws-iam-no-admin-policy` expired on 2024-01-31 and no longer \
             applies (1 finding counts again)"
                .to_string(),
        ],
        summary: Summary {
            resources: 11,
            rules: RULES.len(),
            counts,
        },
        rules,
        frameworks: rollup(&findings, &[&fw]),
        findings,
    }
}

/// A scan of nothing: no inputs, rules, findings or frameworks.
pub fn empty_report() -> Report {
    Report {
        schema_version: REPORT_SCHEMA_VERSION.to_string(),
        tool: ToolInfo {
            name: "attest".to_string(),
            version: "0.1.0".to_string(),
        },
        inputs: Vec::new(),
        errors: Vec::new(),
        notices: Vec::new(),
        summary: Summary::default(),
        rules: Vec::new(),
        findings: Vec::new(),
        frameworks: Vec::new(),
    }
}

/// The full report with only its passing findings and no errors or notices.
pub fn passing_report() -> Report {
    let mut r = report();
    r.findings.retain(|f| f.outcome == Outcome::Pass);
    r.errors.clear();
    r.notices.clear();
    let mut counts = Counts::default();
    for f in &r.findings {
        counts.add(f.outcome);
    }
    r.summary.counts = counts;
    r.frameworks = rollup(&r.findings, &[&soc2()]);
    r
}
