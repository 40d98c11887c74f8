//! WAFv2 web ACLs.
//!
//! `AWS::WAFv2::WebACL` becomes `aws_wafv2_web_acl`: `DefaultAction` → `default_action`, each of
//! `Rules` → a `rule` block with `action` / `override_action`, `statement` and
//! `visibility_config`. Actions become the provider's blocks (`Count: {}` → `count = [{}]`;
//! custom request handling and responses are not carried). Statements translate
//! `ManagedRuleGroupStatement` (with `ExcludedRules` → `excluded_rule` and `RuleActionOverrides`
//! → `rule_action_override`), `RuleGroupReferenceStatement`, `IPSetReferenceStatement`,
//! `GeoMatchStatement`, `RateBasedStatement` and the `And` / `Or` / `Not` combinations; other
//! statements are left out of the block.

use attest_core::Value;

use super::{block, each, obj, one_or_list, tags, Ctx, Source, Translated};

/// `{Allow: {...}}`-style action structures as the provider's action blocks.
fn actions(v: &Value) -> Value {
    block(v, |a| {
        obj(["Allow", "Block", "Count", "Captcha", "Challenge", "None"]
            .iter()
            .map(|&k| {
                let name = match k {
                    "Allow" => "allow",
                    "Block" => "block",
                    "Count" => "count",
                    "Captcha" => "captcha",
                    "Challenge" => "challenge",
                    _ => "none",
                };
                (name, block(a.get(k), |_| obj(Vec::new())))
            })
            .collect())
    })
}

fn excluded(v: &Value) -> Value {
    each(v, |r| obj(vec![("name", r.get("Name").clone())]))
}

fn statement(s: &Value) -> Value {
    let nested = |key: &str| {
        block(s.get(key), |c| {
            obj(vec![("statement", each(c.get("Statements"), statement))])
        })
    };
    obj(vec![
        (
            "managed_rule_group_statement",
            block(s.get("ManagedRuleGroupStatement"), |m| {
                obj(vec![
                    ("name", m.get("Name").clone()),
                    ("vendor_name", m.get("VendorName").clone()),
                    ("version", m.get("Version").clone()),
                    ("excluded_rule", excluded(m.get("ExcludedRules"))),
                    (
                        "rule_action_override",
                        each(m.get("RuleActionOverrides"), |o| {
                            obj(vec![
                                ("name", o.get("Name").clone()),
                                ("action_to_use", actions(o.get("ActionToUse"))),
                            ])
                        }),
                    ),
                    (
                        "scope_down_statement",
                        block(m.get("ScopeDownStatement"), statement),
                    ),
                ])
            }),
        ),
        (
            "rule_group_reference_statement",
            block(s.get("RuleGroupReferenceStatement"), |r| {
                obj(vec![
                    ("arn", r.get("Arn").clone()),
                    ("excluded_rule", excluded(r.get("ExcludedRules"))),
                ])
            }),
        ),
        (
            "ip_set_reference_statement",
            block(s.get("IPSetReferenceStatement"), |r| {
                obj(vec![("arn", r.get("Arn").clone())])
            }),
        ),
        (
            "geo_match_statement",
            block(s.get("GeoMatchStatement"), |g| {
                obj(vec![("country_codes", one_or_list(g.get("CountryCodes")))])
            }),
        ),
        (
            "rate_based_statement",
            block(s.get("RateBasedStatement"), |r| {
                obj(vec![
                    ("limit", r.get("Limit").clone()),
                    ("aggregate_key_type", r.get("AggregateKeyType").clone()),
                    (
                        "scope_down_statement",
                        block(r.get("ScopeDownStatement"), statement),
                    ),
                ])
            }),
        ),
        ("and_statement", nested("AndStatement")),
        ("or_statement", nested("OrStatement")),
        (
            "not_statement",
            block(s.get("NotStatement"), |n| {
                obj(vec![("statement", block(n.get("Statement"), statement))])
            }),
        ),
    ])
}

fn visibility(v: &Value) -> Value {
    block(v, |c| {
        obj(vec![
            (
                "cloudwatch_metrics_enabled",
                c.get("CloudWatchMetricsEnabled").clone(),
            ),
            ("metric_name", c.get("MetricName").clone()),
            (
                "sampled_requests_enabled",
                c.get("SampledRequestsEnabled").clone(),
            ),
        ])
    })
}

pub fn web_acl(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let rule = each(p.get("Rules"), |r| {
        obj(vec![
            ("name", r.get("Name").clone()),
            ("priority", r.get("Priority").clone()),
            ("action", actions(r.get("Action"))),
            ("override_action", actions(r.get("OverrideAction"))),
            ("statement", block(r.get("Statement"), statement)),
            ("visibility_config", visibility(r.get("VisibilityConfig"))),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_wafv2_web_acl",
        obj(vec![
            ("name", p.get("Name").clone()),
            ("description", p.get("Description").clone()),
            ("scope", p.get("Scope").clone()),
            ("default_action", actions(p.get("DefaultAction"))),
            ("rule", rule),
            ("visibility_config", visibility(p.get("VisibilityConfig"))),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
