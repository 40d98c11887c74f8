//! Text for people at a terminal.
//!
//! The output has, in order:
//!
//! 1. a header: the tool, how many inputs, resources and rules, and each input;
//! 2. the findings, grouped by [`GroupBy`]:
//!    - by criterion (the default): for each framework of the report (or only the one asked
//!      for), each criterion in catalog order with its status and counts, and under it the
//!      findings of the rules mapped to it. Criteria that are `manual` or `not_applicable`
//!      follow, listed compactly by id and title. Findings that no shown criterion covers come
//!      last, grouped by rule;
//!    - by resource: each resource, sorted by id, with its findings;
//!    - by rule: each rule, sorted by id, with its findings;
//! 3. input errors as `file:line:column: message`;
//! 4. notices;
//! 5. a summary line: `N passed, N failed, N unknown, N waived`.
//!
//! Failures, unknowns and waived findings are listed one by one; passes only when
//! [`RenderOptions::show_passes`] is set, and are counted otherwise. Colours (ANSI) are used
//! only when [`RenderOptions::color`] is set: red for failures, green for passes, yellow for
//! unknowns, blue for waived findings, dim for details.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use attest_core::{
    AppliedWaiver, Counts, CriterionReport, CriterionStatus, Finding, FrameworkReport, Outcome, Report,
    RuleInfo,
};

use crate::util::{aliases_text, location_text, plural, rules_of, sort_findings};
use crate::{GroupBy, RenderError, RenderOptions};

/// Renders `report` as text. See the [module documentation](self) for the layout.
pub fn render(report: &Report, opts: &RenderOptions, out: &mut dyn io::Write) -> Result<(), RenderError> {
    let frameworks = select_frameworks(report, opts)?;
    let mut p = Printer {
        buf: String::new(),
        color: opts.color,
        show_passes: opts.show_passes,
    };
    p.header(report);
    match opts.group_by {
        GroupBy::Criterion => p.by_criterion(report, &frameworks),
        GroupBy::Resource => p.by_resource(report),
        GroupBy::Rule => {
            p.blank();
            let findings: Vec<&Finding> = report.findings.iter().collect();
            p.by_rule(report, &findings, "Findings by rule");
        }
    }
    p.errors(report);
    p.notices(report);
    p.summary(report);
    out.write_all(p.buf.as_bytes())?;
    Ok(())
}

/// The frameworks to show: all of them, or the one asked for.
fn select_frameworks<'r>(
    report: &'r Report,
    opts: &RenderOptions,
) -> Result<Vec<&'r FrameworkReport>, RenderError> {
    match &opts.framework {
        None => Ok(report.frameworks.iter().collect()),
        Some(id) => match report.frameworks.iter().find(|fw| fw.id.eq_ignore_ascii_case(id)) {
            Some(fw) => Ok(vec![fw]),
            None => Err(RenderError::UnknownFramework {
                id: id.clone(),
                known: if report.frameworks.is_empty() {
                    "none".to_string()
                } else {
                    report
                        .frameworks
                        .iter()
                        .map(|fw| fw.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            }),
        },
    }
}

#[derive(Clone, Copy)]
enum Style {
    Bold,
    Dim,
    Fail,
    Pass,
    Unknown,
    Waived,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Fail => "31",
            Style::Pass => "32",
            Style::Unknown => "33",
            Style::Waived => "34",
        }
    }

    fn of_outcome(outcome: Outcome) -> Style {
        match outcome {
            Outcome::Pass => Style::Pass,
            Outcome::Fail => Style::Fail,
            Outcome::Unknown => Style::Unknown,
            Outcome::Waived => Style::Waived,
        }
    }

    fn of_status(status: CriterionStatus) -> Style {
        match status {
            CriterionStatus::Fail => Style::Fail,
            CriterionStatus::Unknown => Style::Unknown,
            CriterionStatus::Pass => Style::Pass,
            CriterionStatus::NotApplicable | CriterionStatus::Manual => Style::Dim,
        }
    }
}

fn status_label(status: CriterionStatus) -> &'static str {
    match status {
        CriterionStatus::Fail => "FAIL",
        CriterionStatus::Unknown => "UNKNOWN",
        CriterionStatus::Pass => "PASS",
        CriterionStatus::NotApplicable => "N/A",
        CriterionStatus::Manual => "MANUAL",
    }
}

/// Width of the outcome column (`unknown`).
const OUTCOME_WIDTH: usize = 7;
/// Width of the severity column (`critical`).
const SEVERITY_WIDTH: usize = 8;

struct Printer {
    buf: String,
    color: bool,
    show_passes: bool,
}

impl Printer {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{}m{text}\x1b[0m", style.code())
        } else {
            text.to_string()
        }
    }

    fn line(&mut self, text: &str) {
        self.buf.push_str(text.trim_end());
        self.buf.push('\n');
    }

    fn blank(&mut self) {
        self.buf.push('\n');
    }

    /// `2 failed, 1 unknown, 3 passed`: the counts that are not zero, most pressing first.
    fn counts(&self, counts: &Counts) -> String {
        let parts: Vec<String> = [
            (counts.fail, "failed", Style::Fail),
            (counts.unknown, "unknown", Style::Unknown),
            (counts.waived, "waived", Style::Waived),
            (counts.pass, "passed", Style::Pass),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, word, style)| self.paint(style, &format!("{n} {word}")))
        .collect();
        parts.join(", ")
    }

    fn header(&mut self, report: &Report) {
        let resources: usize = report.summary.resources;
        let title = format!(
            "{} {}: scanned {}, {}, {}",
            report.tool.name,
            report.tool.version,
            plural(report.inputs.len(), "input", "inputs"),
            plural(resources, "resource", "resources"),
            plural(report.summary.rules, "rule", "rules"),
        );
        let title = self.paint(Style::Bold, &title);
        self.line(&title);
        for input in &report.inputs {
            let detail = self.paint(
                Style::Dim,
                &format!(
                    "({}, {})",
                    input.kind.as_str(),
                    plural(input.resources, "resource", "resources")
                ),
            );
            self.line(&format!("  {} {detail}", input.path));
        }
    }

    fn by_criterion(&mut self, report: &Report, frameworks: &[&FrameworkReport]) {
        let show = self.show_passes;
        if frameworks.is_empty() {
            self.blank();
            let findings: Vec<&Finding> = report.findings.iter().collect();
            self.by_rule(report, &findings, "Findings by rule");
            return;
        }
        for fw in frameworks {
            self.framework(report, fw);
        }
        let unmapped: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| {
                !frameworks
                    .iter()
                    .any(|fw| fw.criteria.iter().any(|c| covers(fw, c, f)))
            })
            .collect();
        if unmapped.iter().any(|f| shown(show, f)) {
            self.blank();
            let heading = if frameworks.len() == 1 {
                format!("Not mapped to a criterion of {}", frameworks[0].id)
            } else {
                "Not mapped to a criterion of these frameworks".to_string()
            };
            self.by_rule(report, &unmapped, &heading);
        }
    }

    fn framework(&mut self, report: &Report, fw: &FrameworkReport) {
        let show = self.show_passes;
        self.blank();
        let title = self.paint(Style::Bold, &format!("{} {} ({})", fw.name, fw.version, fw.id));
        let counts = self.counts(&fw.counts);
        if counts.is_empty() {
            self.line(&title);
        } else {
            self.line(&format!("{title}: {counts}"));
        }

        let listed: Vec<&CriterionReport> = fw
            .criteria
            .iter()
            .filter(|c| !matches!(c.status, CriterionStatus::Manual | CriterionStatus::NotApplicable))
            .collect();
        let id_width = listed.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in listed {
            let status = format!("{:<7}", status_label(c.status));
            let status = self.paint(Style::of_status(c.status), &status);
            let counts = self.counts(&c.counts);
            self.line(&format!("  {status} {:<id_width$}  {}  {counts}", c.id, c.title));
            let mut findings: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| covers(fw, c, f) && shown(show, f))
                .collect();
            sort_findings(&mut findings);
            for f in findings {
                self.finding_in_list(f, "    ");
            }
        }

        self.compact_criteria(
            fw,
            CriterionStatus::NotApplicable,
            "Not applicable, no scanned resource in scope",
        );
        self.compact_criteria(
            fw,
            CriterionStatus::Manual,
            "Manual, evidenced by people and documents",
        );
    }

    fn compact_criteria(&mut self, fw: &FrameworkReport, status: CriterionStatus, heading: &str) {
        let criteria: Vec<&CriterionReport> = fw.criteria.iter().filter(|c| c.status == status).collect();
        if criteria.is_empty() {
            return;
        }
        let label = self.paint(Style::of_status(status), &format!("{:<7}", status_label(status)));
        self.line(&format!("  {label} {heading} ({}):", criteria.len()));
        let id_width = criteria.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in criteria {
            self.line(&format!("          {:<id_width$}  {}", c.id, c.title));
        }
    }

    /// A finding under a criterion or in the unmapped list: outcome, severity, rule and resource
    /// on the first line; where and why on the next.
    fn finding_in_list(&mut self, f: &Finding, indent: &str) {
        let outcome = self.paint(
            Style::of_outcome(f.outcome),
            &format!("{:<OUTCOME_WIDTH$}", f.outcome.as_str()),
        );
        self.line(&format!(
            "{indent}{outcome} {:<SEVERITY_WIDTH$} {}  {}",
            f.severity.as_str(),
            f.rule_id,
            f.resource_id
        ));
        let detail_indent = format!("{indent}{}", " ".repeat(OUTCOME_WIDTH + 1));
        self.detail(f, &detail_indent, true);
    }

    /// The lines under a finding's first line: `file:line via module…: message`, then the
    /// waiver when there is one.
    fn detail(&mut self, f: &Finding, indent: &str, with_location: bool) {
        let location = if with_location { location_text(f) } else { None };
        let text = match location {
            Some(loc) => format!("{}: {}", self.paint(Style::Dim, &loc), f.message),
            None => f.message.clone(),
        };
        self.line(&format!("{indent}{text}"));
        if let Some(waiver) = &f.waiver {
            let text = self.paint(Style::Waived, &waiver_text(waiver));
            self.line(&format!("{indent}{text}"));
        }
    }

    fn by_resource(&mut self, report: &Report) {
        let show = self.show_passes;
        let mut resources: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &report.findings {
            resources.entry(f.resource_id.as_str()).or_default().push(f);
        }
        self.blank();
        let heading = self.paint(Style::Bold, "Findings by resource");
        self.line(&heading);
        let mut quiet = 0;
        for (id, mut findings) in resources {
            if !findings.iter().any(|f| shown(show, f)) {
                quiet += 1;
                continue;
            }
            let mut counts = Counts::default();
            for f in &findings {
                counts.add(f.outcome);
            }
            let first = findings[0];
            let place = findings
                .iter()
                .find_map(|f| location_text(f))
                .map(|loc| format!("  {}", self.paint(Style::Dim, &loc)))
                .unwrap_or_default();
            let counts = self.counts(&counts);
            self.blank();
            self.line(&format!("  {id} ({}){place}  {counts}", first.resource_type));
            sort_findings(&mut findings);
            for f in findings.into_iter().filter(|f| shown(show, f)) {
                let outcome = self.paint(
                    Style::of_outcome(f.outcome),
                    &format!("{:<OUTCOME_WIDTH$}", f.outcome.as_str()),
                );
                self.line(&format!(
                    "    {outcome} {:<SEVERITY_WIDTH$} {}",
                    f.severity.as_str(),
                    f.rule_id
                ));
                let indent = " ".repeat(4 + OUTCOME_WIDTH + 1);
                self.detail(f, &indent, false);
            }
        }
        if quiet > 0 {
            self.blank();
            let text = format!(
                "  {} with only passes not listed",
                plural(quiet, "resource", "resources")
            );
            let text = self.paint(Style::Dim, &text);
            self.line(&text);
        }
    }

    /// `findings` grouped under their rules, in the order of the report's rules.
    fn by_rule(&mut self, report: &Report, findings: &[&Finding], heading: &str) {
        let show = self.show_passes;
        let heading = self.paint(Style::Bold, heading);
        self.line(&heading);
        let rules = rules_of(report);
        let mut quiet = 0;
        let mut any = false;
        for rule in &rules {
            let mut of_rule: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.rule_id == rule.id)
                .collect();
            if !of_rule.iter().any(|f| shown(show, f)) {
                if !of_rule.is_empty() {
                    quiet += 1;
                }
                continue;
            }
            any = true;
            let mut counts = Counts::default();
            for f in &of_rule {
                counts.add(f.outcome);
            }
            self.blank();
            self.rule_heading(rule, &counts);
            sort_findings(&mut of_rule);
            for f in of_rule.into_iter().filter(|f| shown(show, f)) {
                let outcome = self.paint(
                    Style::of_outcome(f.outcome),
                    &format!("{:<OUTCOME_WIDTH$}", f.outcome.as_str()),
                );
                self.line(&format!("    {outcome} {}", f.resource_id));
                let indent = " ".repeat(4 + OUTCOME_WIDTH + 1);
                self.detail(f, &indent, true);
            }
        }
        if quiet > 0 {
            self.blank();
            let text = format!("  {} with only passes not listed", plural(quiet, "rule", "rules"));
            let text = self.paint(Style::Dim, &text);
            self.line(&text);
        } else if !any {
            self.line("  no findings");
        }
    }

    fn rule_heading(&mut self, rule: &RuleInfo, counts: &Counts) {
        let aliases = if rule.aliases.is_empty() {
            String::new()
        } else {
            format!("  [{}]", aliases_text(&rule.aliases, ", "))
        };
        let aliases = self.paint(Style::Dim, &aliases);
        let counts = self.counts(counts);
        self.line(&format!(
            "  {} ({}) {}{aliases}  {counts}",
            rule.id,
            rule.severity.as_str(),
            rule.title
        ));
    }

    fn errors(&mut self, report: &Report) {
        if report.errors.is_empty() {
            return;
        }
        self.blank();
        let heading = format!("Input errors ({}):", report.errors.len());
        let heading = self.paint(Style::Fail, &heading);
        self.line(&heading);
        for e in &report.errors {
            self.line(&format!("  {e}"));
        }
    }

    fn notices(&mut self, report: &Report) {
        if report.notices.is_empty() {
            return;
        }
        self.blank();
        let heading = self.paint(Style::Bold, &format!("Notices ({}):", report.notices.len()));
        self.line(&heading);
        for n in &report.notices {
            self.line(&format!("  {n}"));
        }
    }

    fn summary(&mut self, report: &Report) {
        let c = &report.summary.counts;
        let mut text = format!(
            "{}, {}, {}, {}",
            self.paint(Style::Pass, &format!("{} passed", c.pass)),
            self.paint(Style::Fail, &format!("{} failed", c.fail)),
            self.paint(Style::Unknown, &format!("{} unknown", c.unknown)),
            self.paint(Style::Waived, &format!("{} waived", c.waived)),
        );
        if !report.errors.is_empty() {
            let errors = plural(report.errors.len(), "input error", "input errors");
            let _ = write!(text, "; {}", self.paint(Style::Fail, &errors));
        }
        self.blank();
        self.line(&text);
    }
}

/// True when `finding` is listed one by one: always, except passes without `show_passes`.
fn shown(show_passes: bool, finding: &Finding) -> bool {
    show_passes || finding.outcome != Outcome::Pass
}

/// True when `finding` gives evidence for criterion `c` of `fw`: its controls name the
/// criterion, or the criterion maps its rule.
fn covers(fw: &FrameworkReport, c: &CriterionReport, finding: &Finding) -> bool {
    finding
        .controls
        .iter()
        .any(|r| r.framework == fw.id && r.criterion == c.id)
        || c.rules.contains(&finding.rule_id)
}

fn waiver_text(w: &AppliedWaiver) -> String {
    let mut extra = vec![format!("{} waiver", w.source)];
    if let Some(owner) = &w.owner {
        extra.push(format!("owner {owner}"));
    }
    if let Some(expires) = &w.expires {
        extra.push(format!("expires {expires}"));
    }
    extra.push(format!("was {}", w.original.as_str()));
    format!("waived: {} ({})", w.reason, extra.join(", "))
}
