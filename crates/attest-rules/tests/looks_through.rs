//! `Rule::looks_through`: the types a rule reads to judge its subjects are real types, and a live
//! scan that could not list one of them leaves the subjects of its region `unknown`.

use std::collections::BTreeSet;

use attest_core::{InputKind, Mode, Provenance, Resource, ResourceGraph, Rule, Value, Verdict};
use attest_engine::unreadable::Unreadable;

#[test]
fn every_looked_through_type_is_a_real_type_other_than_the_subjects() {
    let rules = attest_rules::all();
    let subjects: BTreeSet<&str> = rules
        .iter()
        .flat_map(|r| r.meta().resource_types.iter().copied())
        .collect();
    let mut problems = Vec::new();
    let mut listed = 0;
    for rule in rules {
        let meta = rule.meta();
        let types = rule.looks_through();
        let unique: BTreeSet<&str> = types.iter().copied().collect();
        if unique.len() != types.len() {
            problems.push(format!("{}: a type is listed twice in {types:?}", meta.id));
        }
        for &ty in types {
            listed += 1;
            if ty.is_empty()
                || !ty.starts_with("aws_")
                || ty.contains(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            {
                problems.push(format!("{}: `{ty}` is not a resource type", meta.id));
            }
            if meta.resource_types.contains(&ty) {
                problems.push(format!("{}: `{ty}` is one of its own subjects", meta.id));
            }
            // Real: some rule judges it, or the rule's documentation names it (the types the
            // loaders give, which the rule tells its readers it reads).
            if !subjects.contains(ty) && !meta.doc.contains(&format!("`{ty}`")) {
                problems.push(format!(
                    "{}: `{ty}` is neither a rule's subject nor named in the rule's documentation",
                    meta.id
                ));
            }
        }
    }
    assert!(
        listed >= 20,
        "only {listed} looked-through types: overrides went missing"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rules_that_must_look_through_related_types_do() {
    let expect: &[(&str, &[&str])] = &[
        ("aws-vpc-flow-logging", &["aws_flow_log"]),
        ("aws-iam-user-single-active-access-key", &["aws_iam_access_key"]),
        (
            "aws-lambda-function-not-public",
            &["aws_lambda_permission", "aws_lambda_function_url"],
        ),
        (
            "aws-lambda-permission-source-conditions",
            &["aws_lambda_permission"],
        ),
        ("aws-rds-cluster-multi-az", &["aws_rds_cluster_instance"]),
        (
            "aws-ec2-db-sg-no-public-ingress",
            &["aws_db_instance", "aws_rds_cluster"],
        ),
        ("aws-ec2-instance-sg-no-public-all-ports", &["aws_instance"]),
        ("aws-ec2-instance-sg-no-public-ldap", &["aws_instance"]),
        ("aws-ec2-lb-sg-no-all-ports", &["aws_lb", "aws_alb", "aws_elb"]),
        (
            "aws-elb-https-listener",
            &["aws_lb_listener_rule", "aws_alb_listener_rule"],
        ),
    ];
    for (id, types) in expect {
        let rule = attest_rules::find(id).unwrap_or_else(|| panic!("no rule {id}"));
        for ty in *types {
            assert!(
                rule.looks_through().contains(ty),
                "{id} does not look through {ty}: {:?}",
                rule.looks_through()
            );
        }
    }
    // Rules that weigh placeholders themselves leave it empty: the engine would otherwise make
    // their decided verdicts unknown a second time.
    for id in [
        "aws-cloudwatch-flow-log-reject-alarm",
        "aws-cloudwatch-cloudfront-4xx-alarm",
        "aws-ec2-sg-no-public-http",
        "aws-s3-block-public-access",
        "aws-s3-not-public",
        "aws-iam-access-analyzer-enabled",
    ] {
        let rule = attest_rules::find(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert!(
            rule.looks_through().is_empty(),
            "{id}: {:?}",
            rule.looks_through()
        );
    }
}

fn live(id: &str, ty: &str, region: &str, attrs: serde_json::Value) -> Resource {
    let mut p = Provenance::new(InputKind::Live);
    p.account = Some("111122223333".into());
    p.region = Some(region.into());
    let mut r = Resource::new(id, ty, Value::from_json(&attrs), p);
    r.physical_id = attrs.get("id").and_then(|v| v.as_str()).map(str::to_string);
    r
}

/// The stand-in a live collection leaves when the list call of `ty` fails in `region`.
fn placeholder(ty: &str, region: &str, attrs: &[&str], reason: &str) -> Resource {
    let map: serde_json::Map<String, serde_json::Value> = attrs
        .iter()
        .map(|a| (a.to_string(), serde_json::json!({"$unknown": reason})))
        .collect();
    let mut r = live(
        &format!("{ty}:{region}:unreadable"),
        ty,
        region,
        serde_json::Value::Object(map),
    );
    r.mode = Mode::Data;
    r
}

/// What the engine does with a rule's evaluations: `temper` them with the graph's placeholders.
fn run(rule: &dyn Rule, graph: &ResourceGraph) -> Vec<(String, Verdict, String)> {
    Unreadable::of(graph)
        .temper(graph, rule.looks_through(), rule.check(graph))
        .into_iter()
        .map(|e| {
            let id = e.resource.map(|i| graph.get(i).id.clone()).unwrap_or_default();
            (id, e.verdict, e.message)
        })
        .collect()
}

#[test]
fn a_vpc_whose_flow_logs_could_not_be_read_is_unknown() {
    let rule = attest_rules::find("aws-vpc-flow-logging").unwrap();
    let graph = ResourceGraph::new(
        vec![
            live(
                "vpc-east",
                "aws_vpc",
                "us-east-1",
                serde_json::json!({"id": "vpc-east"}),
            ),
            live(
                "vpc-west",
                "aws_vpc",
                "eu-west-1",
                serde_json::json!({"id": "vpc-west"}),
            ),
            live(
                "fl-west",
                "aws_flow_log",
                "eu-west-1",
                serde_json::json!({"id": "fl-west", "vpc_id": "vpc-west", "traffic_type": "ALL"}),
            ),
            placeholder(
                "aws_flow_log",
                "us-east-1",
                &["vpc_id", "traffic_type"],
                "AccessDenied on ec2:DescribeFlowLogs",
            ),
        ],
        &[],
    );
    // Without the engine the rule alone would say "no flow log" in us-east-1.
    let alone: Vec<Verdict> = rule.check(&graph).iter().map(|e| e.verdict).collect();
    assert_eq!(alone, vec![Verdict::Fail, Verdict::Pass]);
    let out = run(rule, &graph);
    assert_eq!(out[0].0, "vpc-east");
    assert_eq!(out[0].1, Verdict::Unknown);
    assert!(
        out[0]
            .2
            .contains("aws_flow_log in 111122223333/us-east-1 could not be read")
            && out[0].2.contains("AccessDenied on ec2:DescribeFlowLogs"),
        "{}",
        out[0].2
    );
    // eu-west-1 read its flow logs: its verdict stands.
    assert_eq!((out[1].0.as_str(), out[1].1), ("vpc-west", Verdict::Pass));
}

#[test]
fn a_user_whose_access_keys_could_not_be_read_is_unknown_and_code_is_untouched() {
    let rule = attest_rules::find("aws-iam-user-single-active-access-key").unwrap();
    let mut user = live(
        "bob",
        "aws_iam_user",
        "us-east-1",
        serde_json::json!({"name": "bob"}),
    );
    user.provenance.region = None;
    let mut keys = placeholder(
        "aws_iam_access_key",
        "global",
        &["user", "status"],
        "AccessDenied on iam:ListAccessKeys",
    );
    keys.provenance.region = None;
    let code = Resource::new(
        "aws_iam_user.alice",
        "aws_iam_user",
        Value::from_json(&serde_json::json!({"name": "alice"})),
        Provenance::new(InputKind::TfHcl),
    );
    let graph = ResourceGraph::new(vec![user, keys, code], &[]);
    let out = run(rule, &graph);
    assert_eq!(
        out.iter().map(|(id, v, _)| (id.as_str(), *v)).collect::<Vec<_>>(),
        vec![("bob", Verdict::Unknown), ("aws_iam_user.alice", Verdict::Pass)]
    );
}
