//! WAFv2 `ListWebACLs` and `GetWebACL` → `aws_wafv2_web_acl`: scope `REGIONAL` in each region
//! ([`collect`]), scope `CLOUDFRONT` once per account through us-east-1 ([`collect_global`]).
//!
//! `GetWebACL` gives `default_action`, the `rule` blocks (`action` / `override_action`,
//! `statement`, `visibility_config`) and `visibility_config`. Statements keep the managed rule
//! group, rule group reference, IP set reference, geo match and rate-based statements and the
//! `and` / `or` / `not` combinations, as the CloudFormation translation does; other statements
//! are left out of the block. Rule groups that Firewall Manager adds around the ACL's own rules
//! are not shown (Terraform does not show them either).
//!
//! References: `aws_cloudfront_distribution.web_acl_id` → the `CLOUDFRONT` web ACL whose ARN it
//! holds.

use aws_sdk_wafv2::types::{
    OverrideAction, RuleAction, Scope, Statement, VisibilityConfig, WebAcl, WebAclSummary,
};
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, ANY_REGION};
use super::unknown;
use crate::api::ApiError;
use crate::ctx::{client, Ctx, Session};

/// `GetWebACL` calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes only `GetWebACL` tells.
const DESCRIBED: &[&str] = &["rule", "default_action", "visibility_config", "capacity"];

/// Web ACLs of scope `REGIONAL`.
pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    read(c, c.session, Scope::Regional).await
}

/// Web ACLs of scope `CLOUDFRONT`, which WAF serves from us-east-1 only (cn-north-1 in the China
/// partition; GovCloud has no CloudFront).
pub async fn collect_global(c: &Ctx<'_>) -> LoadOutput {
    let region = match c.partition() {
        "aws" => "us-east-1",
        "aws-cn" => "cn-north-1",
        _ => return LoadOutput::default(),
    };
    let session = c.session.in_region(region);
    read(c, &session, Scope::Cloudfront).await
}

async fn read(c: &Ctx<'_>, session: &Session, scope: Scope) -> LoadOutput {
    let waf = client!(session, aws_sdk_wafv2, "wafv2");
    let mut out = LoadOutput::default();
    let mut summaries: Vec<WebAclSummary> = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        match waf
            .list_web_acls()
            .scope(scope.clone())
            .limit(100)
            .set_next_marker(marker.take())
            .send()
            .await
        {
            Ok(page) => {
                summaries.extend(page.web_acls().iter().cloned());
                match page.next_marker() {
                    Some(m) if !m.is_empty() && !page.web_acls().is_empty() => marker = Some(m.to_string()),
                    _ => break,
                }
            }
            Err(e) => {
                let e = ApiError::from_sdk(&e);
                out.errors.push(c.error(
                    "wafv2",
                    "ListWebACLs",
                    format!("scope {}: {}", scope.as_str(), e.message),
                ));
                break;
            }
        }
    }
    let waf = &waf;
    let scope = &scope;
    let described: Vec<(WebAclSummary, Result<WebAcl, ApiError>)> = futures::stream::iter(summaries)
        .map(|s| async move {
            let r = waf
                .get_web_acl()
                .scope(scope.clone())
                .set_name(s.name().map(str::to_string))
                .set_id(s.id().map(str::to_string))
                .send()
                .await
                .map_err(|e| ApiError::from_sdk(&e))
                .and_then(|o| {
                    o.web_acl.ok_or_else(|| ApiError {
                        code: "EmptyAnswer".into(),
                        message: "GetWebACL answered without a web ACL".into(),
                    })
                });
            (s, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (s, r) in described {
        if let Err(e) = &r {
            out.errors.push(c.error(
                "wafv2",
                "GetWebACL",
                format!("web ACL {}: {}", s.name().unwrap_or_default(), e.message),
            ));
        }
        out.resources.extend(web_acl(c, scope, &s, r.as_ref()));
    }
    out
}

/// References: CloudFront distribution → web ACL, by the ARN in `web_acl_id`.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let targets = Targets::build(out, &[("aws_wafv2_web_acl", &["arn"])]);
    let mut refs = Vec::new();
    for d in managed(out, &["aws_cloudfront_distribution"]) {
        targets.edges(
            d,
            "web_acl_id",
            &["aws_wafv2_web_acl"],
            Some(ANY_REGION),
            &mut refs,
        );
    }
    refs
}

/// A web ACL from its summary and `GetWebACL` answer (or with what only that call tells
/// unknown).
pub fn web_acl(
    c: &Ctx<'_>,
    scope: &Scope,
    s: &WebAclSummary,
    described: Result<&WebAcl, &ApiError>,
) -> Option<Resource> {
    let id = s.id()?;
    let name = s.name().unwrap_or_default();
    let arn = s.arn().map(str::to_string);
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert("scope".into(), json!(scope.as_str()));
    a.insert("description".into(), json!(s.description()));
    match described {
        Ok(w) => {
            a.insert("capacity".into(), json!(w.capacity()));
            a.insert(
                "default_action".into(),
                match w.default_action() {
                    Some(d) => json!([{
                        "allow": present(d.allow().is_some()),
                        "block": present(d.block().is_some()),
                    }]),
                    None => json!([]),
                },
            );
            a.insert(
                "rule".into(),
                Json::Array(
                    w.rules()
                        .iter()
                        .map(|r| {
                            json!({
                                "name": r.name(),
                                "priority": r.priority(),
                                "action": r.action().map(rule_action).into_iter().collect::<Vec<_>>(),
                                "override_action": r.override_action().map(override_action).into_iter().collect::<Vec<_>>(),
                                "statement": r.statement().map(statement).into_iter().collect::<Vec<_>>(),
                                "visibility_config": visibility(r.visibility_config()),
                            })
                        })
                        .collect(),
                ),
            );
            a.insert("visibility_config".into(), visibility(w.visibility_config()));
        }
        Err(e) => {
            let reason = e.unknown_reason("wafv2", "GetWebACL");
            for key in DESCRIBED {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.clone().unwrap_or_else(|| c.local_id("aws_wafv2_web_acl", id));
    Some(c.resource(rid, "aws_wafv2_web_acl", Some(id), a))
}

/// An action block: `[{}]` when set, `[]` when not.
fn present(set: bool) -> Json {
    if set {
        json!([{}])
    } else {
        json!([])
    }
}

fn rule_action(x: &RuleAction) -> Json {
    json!({
        "allow": present(x.allow().is_some()),
        "block": present(x.block().is_some()),
        "count": present(x.count().is_some()),
        "captcha": present(x.captcha().is_some()),
        "challenge": present(x.challenge().is_some()),
    })
}

fn override_action(x: &OverrideAction) -> Json {
    json!({
        "count": present(x.count().is_some()),
        "none": present(x.none().is_some()),
    })
}

fn visibility(v: Option<&VisibilityConfig>) -> Json {
    match v {
        Some(v) => json!([{
            "cloudwatch_metrics_enabled": v.cloud_watch_metrics_enabled(),
            "metric_name": v.metric_name(),
            "sampled_requests_enabled": v.sampled_requests_enabled(),
        }]),
        None => json!([]),
    }
}

fn excluded(rules: &[aws_sdk_wafv2::types::ExcludedRule]) -> Json {
    Json::Array(rules.iter().map(|r| json!({"name": r.name()})).collect())
}

fn overrides(list: &[aws_sdk_wafv2::types::RuleActionOverride]) -> Json {
    Json::Array(
        list.iter()
            .map(|o| {
                json!({
                    "name": o.name(),
                    "action_to_use": o.action_to_use().map(rule_action).into_iter().collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// A statement as Terraform's `statement` block (the statements the module documentation names).
fn statement(s: &Statement) -> Json {
    let mut m = Map::new();
    if let Some(g) = s.managed_rule_group_statement() {
        m.insert(
            "managed_rule_group_statement".into(),
            json!([{
                "name": g.name(),
                "vendor_name": g.vendor_name(),
                "version": g.version(),
                "excluded_rule": excluded(g.excluded_rules()),
                "rule_action_override": overrides(g.rule_action_overrides()),
                "scope_down_statement": g.scope_down_statement().map(statement).into_iter().collect::<Vec<_>>(),
            }]),
        );
    }
    if let Some(g) = s.rule_group_reference_statement() {
        m.insert(
            "rule_group_reference_statement".into(),
            json!([{
                "arn": g.arn(),
                "excluded_rule": excluded(g.excluded_rules()),
                "rule_action_override": overrides(g.rule_action_overrides()),
            }]),
        );
    }
    if let Some(x) = s.ip_set_reference_statement() {
        m.insert("ip_set_reference_statement".into(), json!([{ "arn": x.arn() }]));
    }
    if let Some(x) = s.geo_match_statement() {
        m.insert(
            "geo_match_statement".into(),
            json!([{ "country_codes": x.country_codes().iter().map(|c| c.as_str()).collect::<Vec<_>>() }]),
        );
    }
    if let Some(x) = s.rate_based_statement() {
        m.insert(
            "rate_based_statement".into(),
            json!([{
                "limit": x.limit(),
                "aggregate_key_type": x.aggregate_key_type().as_str(),
                "scope_down_statement": x.scope_down_statement().map(statement).into_iter().collect::<Vec<_>>(),
            }]),
        );
    }
    if let Some(x) = s.and_statement() {
        m.insert(
            "and_statement".into(),
            json!([{ "statement": x.statements().iter().map(statement).collect::<Vec<_>>() }]),
        );
    }
    if let Some(x) = s.or_statement() {
        m.insert(
            "or_statement".into(),
            json!([{ "statement": x.statements().iter().map(statement).collect::<Vec<_>>() }]),
        );
    }
    if let Some(x) = s.not_statement() {
        m.insert(
            "not_statement".into(),
            json!([{ "statement": x.statement().map(statement).into_iter().collect::<Vec<_>>() }]),
        );
    }
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use aws_sdk_wafv2::types::{
        AllowAction, CountAction, DefaultAction, ExcludedRule, ManagedRuleGroupStatement, Rule,
    };

    use super::*;
    use crate::ctx::Session;

    fn summary() -> WebAclSummary {
        WebAclSummary::builder()
            .name("edge")
            .id("abc")
            .arn("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/abc")
            .build()
    }

    fn visibility(name: &str) -> VisibilityConfig {
        VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(name)
            .build()
            .expect("visibility")
    }

    #[test]
    fn rules_map_to_the_terraform_blocks() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let group = ManagedRuleGroupStatement::builder()
            .vendor_name("AWS")
            .name("AWSManagedRulesKnownBadInputsRuleSet")
            .excluded_rules(
                ExcludedRule::builder()
                    .name("Log4JRCE")
                    .build()
                    .expect("excluded"),
            )
            .build()
            .expect("group");
        let acl = WebAcl::builder()
            .name("edge")
            .id("abc")
            .arn("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/abc")
            .default_action(
                DefaultAction::builder()
                    .allow(AllowAction::builder().build())
                    .build(),
            )
            .visibility_config(visibility("edge"))
            .rules(
                Rule::builder()
                    .name("kbi")
                    .priority(1)
                    .statement(Statement::builder().managed_rule_group_statement(group).build())
                    .override_action(
                        OverrideAction::builder()
                            .count(CountAction::builder().build())
                            .build(),
                    )
                    .visibility_config(visibility("kbi"))
                    .build()
                    .expect("rule"),
            )
            .build()
            .expect("acl");
        let r = web_acl(&c, &Scope::Regional, &summary(), Ok(&acl)).expect("acl");
        assert_eq!(
            r.id,
            "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/abc"
        );
        assert_eq!(r.physical_id.as_deref(), Some("abc"));
        assert_eq!(r.attr("scope").as_str(), Some("REGIONAL"));
        assert_eq!(
            r.attr("default_action").to_json(),
            json!([{"allow": [{}], "block": []}])
        );
        assert_eq!(
            r.attr("rule.0.override_action").to_json(),
            json!([{"count": [{}], "none": []}])
        );
        assert_eq!(
            r.attr("rule.0.statement.0.managed_rule_group_statement.0.excluded_rule")
                .to_json(),
            json!([{"name": "Log4JRCE"}])
        );
    }

    #[test]
    fn denied_get_web_acl_leaves_rules_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "WAFAccessDeniedException".into(),
            message: "not allowed".into(),
        };
        let r = web_acl(&c, &Scope::Regional, &summary(), Err(&denied)).expect("acl");
        assert_eq!(
            r.attr("rule"),
            &attest_core::Value::Unknown("WAFAccessDeniedException on wafv2:GetWebACL".into())
        );
    }
}
