//! `aws-wafv2-known-bad-inputs`: WAFv2 web ACLs use the AWS known-bad-inputs rule group.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::{not_known, not_known_why};

pub struct WafKnownBadInputs;

const ACL: &str = "aws_wafv2_web_acl";
const GROUP: &str = "AWSManagedRulesKnownBadInputsRuleSet";
/// Rules of the group whose exclusion removes the Log4j protection it exists for.
const LOG4J_RULES: &[&str] = &[
    "Log4JRCE",
    "Log4JRCE_ALL_HEADER",
    "Log4JRCE_HEADER",
    "Log4JRCE_BODY",
];

static META: RuleMeta = RuleMeta {
    id: "aws-wafv2-known-bad-inputs",
    title: "WAFv2 web ACLs block known bad inputs with the AWS managed rule group",
    severity: Severity::Critical,
    kind: RuleKind::Resource,
    resource_types: &[ACL],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00500",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_wafv2_web_acl` passes when one of its `rule` blocks has a
`managed_rule_group_statement` for the AWS-vendored `AWSManagedRulesKnownBadInputsRuleSet`
that is enforced: the rule's `override_action` is not `count`, and the statement neither lists
a Log4j rule (`Log4JRCE…`) in `excluded_rule` nor overrides it with `rule_action_override` to
`count`. It fails when no such rule exists (the message says when the group is present but
only counting or with the Log4j rules excluded). Rule blocks only known after apply, or rules
written as `rule_json`, give `unknown`.

## Why it matters

The known-bad-inputs group blocks request patterns that exploit common vulnerabilities —
notably the Log4j (Log4Shell) remote code execution payloads, along with other invalid or
malicious inputs — before they reach the application. Running it in count mode, or excluding
its Log4j rules, leaves that door open. Filtering malicious payloads is a control against
unauthorized code (SOC 2 CC6.8) and boundary protection (CC6.6).

## How to fix

Terraform:

```hcl
resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "known-bad-inputs"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}
```

CloudFormation:

```yaml
EdgeWebAcl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Allow: {}}
    Rules:
      - Name: known-bad-inputs
        Priority: 1
        OverrideAction: {None: {}}
        Statement:
          ManagedRuleGroupStatement:
            VendorName: AWS
            Name: AWSManagedRulesKnownBadInputsRuleSet
        VisibilityConfig:
          CloudWatchMetricsEnabled: true
          MetricName: known-bad-inputs
          SampledRequestsEnabled: true
    VisibilityConfig:
      CloudWatchMetricsEnabled: true
      MetricName: edge
      SampledRequestsEnabled: true
```

Console: WAF & Shield → *Web ACLs* → the web ACL → *Rules* → *Add rules* → *Add managed rule
groups* → *AWS managed rule groups* → *Known bad inputs* → *Add to web ACL* → *Save*. CLI: add
the rule to the `Rules` from `aws wafv2 get-web-acl --name edge --scope REGIONAL --id <id>` and
apply it with `aws wafv2 update-web-acl --name edge --scope REGIONAL --id <id> --lock-token <token> --rules file://rules.json --default-action Allow={} --visibility-config …`.
"#;

impl Rule for WafKnownBadInputs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[ACL])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

/// What a rule block says about the known-bad-inputs group.
enum Found {
    Enforced,
    /// Present but weakened; the string says how.
    Weakened(String),
    Absent,
    Unknown,
}

fn non_empty(v: &Value) -> Option<bool> {
    v.blocks().map(|b| !b.is_empty())
}

fn excludes_log4j(statement: &Value) -> Option<bool> {
    let mut unknown = false;
    for attr in ["excluded_rule", "rule_action_override"] {
        let Some(items) = statement.get(attr).blocks() else {
            unknown = true;
            continue;
        };
        for item in items {
            match item.get("name") {
                Value::String(n) if LOG4J_RULES.contains(&n.as_str()) => {
                    if attr == "excluded_rule" {
                        return Some(true);
                    }
                    // rule_action_override: only a `count` action weakens the rule.
                    match non_empty(item.path("action_to_use.count")) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
                Value::String(_) => {}
                _ => unknown = true,
            }
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

fn examine(rule: &Value) -> Found {
    let Some(statements) = rule.get("statement").blocks() else {
        return Found::Unknown;
    };
    let mut result = Found::Absent;
    for statement in statements {
        let Some(groups) = statement.get("managed_rule_group_statement").blocks() else {
            return Found::Unknown;
        };
        for group in groups {
            let (name, vendor) = (group.get("name"), group.get("vendor_name"));
            if name.contains_unknown() || vendor.contains_unknown() {
                result = Found::Unknown;
                continue;
            }
            if name.as_str() != Some(GROUP) || vendor.as_str() != Some("AWS") {
                continue;
            }
            let counting = match rule.get("override_action").blocks() {
                Some(actions) => match actions.first() {
                    Some(a) => non_empty(a.get("count")),
                    None => Some(false),
                },
                None => None,
            };
            return match (counting, excludes_log4j(group)) {
                (Some(true), _) => Found::Weakened("runs in count mode (override_action count)".into()),
                (_, Some(true)) => Found::Weakened("excludes its Log4j rules".into()),
                (Some(false), Some(false)) => Found::Enforced,
                _ => Found::Unknown,
            };
        }
    }
    result
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let acl = graph.get(i);
    let Some(rules) = acl.attr("rule").blocks() else {
        return Evaluation::unknown(
            i,
            format!("the rule blocks are {}", not_known_why(acl, acl.attr("rule"))),
        )
        .at("rule");
    };
    let mut weakened = Vec::new();
    let mut unknown = Vec::new();
    for (n, rule) in rules.iter().enumerate() {
        let name = rule
            .get("name")
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("rule {n}"));
        match examine(rule) {
            Found::Enforced => {
                return Evaluation::pass(i, format!("rule `{name}` enforces {GROUP}")).at("rule");
            }
            Found::Weakened(how) => weakened.push(format!("rule `{name}` {how}")),
            Found::Unknown => unknown.push(format!("rule `{name}`")),
            Found::Absent => {}
        }
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!("the statements of {} are {}", unknown.join(", "), not_known(acl)),
        )
        .at("rule");
    }
    if rules.is_empty() && !acl.attr("rule_json").is_null() {
        return Evaluation::unknown(i, "rules are given as rule_json, which this rule does not read")
            .at("rule_json");
    }
    if !weakened.is_empty() {
        return Evaluation::fail(i, format!("{GROUP} is not enforced: {}", weakened.join("; "))).at("rule");
    }
    Evaluation::fail(i, format!("no rule uses the {GROUP} managed rule group")).at("rule")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    fn rule(override_action: serde_json::Value, group: serde_json::Value) -> serde_json::Value {
        json!({
            "name": "kbi",
            "override_action": [override_action],
            "statement": [{"managed_rule_group_statement": [group]}]
        })
    }

    #[test]
    fn enforced_counting_excluded_absent_and_unknown() {
        let kbi = json!({"name": GROUP, "vendor_name": "AWS"});
        let none = json!({"none": [{}]});
        let g = graph(
            vec![
                res(
                    "aws_wafv2_web_acl.ok",
                    json!({"rule": [rule(none.clone(), kbi.clone())]}),
                ),
                res(
                    "aws_wafv2_web_acl.counting",
                    json!({"rule": [rule(json!({"count": [{}]}), kbi.clone())]}),
                ),
                res(
                    "aws_wafv2_web_acl.excluded",
                    json!({"rule": [rule(none.clone(), json!({"name": GROUP, "vendor_name": "AWS", "excluded_rule": [{"name": "Log4JRCE"}]}))]}),
                ),
                res(
                    "aws_wafv2_web_acl.other_group",
                    json!({"rule": [rule(none.clone(), json!({"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}))]}),
                ),
                res("aws_wafv2_web_acl.empty", json!({})),
                res(
                    "aws_wafv2_web_acl.var",
                    json!({"rule": [rule(none, json!({"name": unknown(), "vendor_name": "AWS"}))]}),
                ),
            ],
            &[],
        );
        let evals = WafKnownBadInputs.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_wafv2_web_acl.ok".into(), Verdict::Pass),
                ("aws_wafv2_web_acl.counting".into(), Verdict::Fail),
                ("aws_wafv2_web_acl.excluded".into(), Verdict::Fail),
                ("aws_wafv2_web_acl.other_group".into(), Verdict::Fail),
                ("aws_wafv2_web_acl.empty".into(), Verdict::Fail),
                ("aws_wafv2_web_acl.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("count mode"), "{}", evals[1].message);
    }
}
