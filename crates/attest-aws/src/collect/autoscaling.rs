//! EC2 Auto Scaling `DescribeAutoScalingGroups` → `aws_autoscaling_group`.
//!
//! `availability_zones` is the list the API answers (for groups in a VPC, the zones of their
//! subnets) and `vpc_zone_identifier` the subnets, split from the API's comma-separated string.
//! References: `launch_template.0.id` → `aws_launch_template`, `vpc_zone_identifier.N` →
//! `aws_subnet`, `load_balancers.N` → `aws_elb`, `target_group_arns.N` → `aws_lb_target_group`
//! (when collected).

use aws_sdk_autoscaling::types::{AutoScalingGroup, LaunchTemplateSpecification};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::drain;
use super::targets::{managed, reference, Targets};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let asg = client!(c.session, aws_sdk_autoscaling, "autoscaling");
    let (groups, err) = drain(asg.describe_auto_scaling_groups().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("autoscaling", "DescribeAutoScalingGroups", e.message));
    }
    out.resources.extend(groups.iter().filter_map(|g| group(c, g)));
    out
}

/// The Terraform `launch_template` block of a specification.
fn template_block(t: &LaunchTemplateSpecification) -> Json {
    json!([{
        "id": t.launch_template_id(),
        "name": t.launch_template_name(),
        "version": t.version(),
    }])
}

pub fn group(c: &Ctx<'_>, g: &AutoScalingGroup) -> Option<Resource> {
    let name = g.auto_scaling_group_name()?;
    let arn = g.auto_scaling_group_arn().map(str::to_string);
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert("min_size".into(), json!(g.min_size()));
    a.insert("max_size".into(), json!(g.max_size()));
    a.insert("desired_capacity".into(), json!(g.desired_capacity()));
    a.insert("availability_zones".into(), json!(g.availability_zones()));
    let subnets: Vec<&str> = g
        .vpc_zone_identifier()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    a.insert("vpc_zone_identifier".into(), json!(subnets));
    a.insert(
        "launch_configuration".into(),
        json!(g.launch_configuration_name()),
    );
    a.insert(
        "launch_template".into(),
        g.launch_template().map(template_block).unwrap_or(json!([])),
    );
    a.insert(
        "mixed_instances_policy".into(),
        match g
            .mixed_instances_policy()
            .and_then(|m| m.launch_template())
            .and_then(|t| t.launch_template_specification())
        {
            Some(t) => json!([{
                "launch_template": [{
                    "launch_template_specification": [{
                        "launch_template_id": t.launch_template_id(),
                        "launch_template_name": t.launch_template_name(),
                        "version": t.version(),
                    }]
                }]
            }]),
            None => json!([]),
        },
    );
    a.insert("load_balancers".into(), json!(g.load_balancer_names()));
    a.insert("target_group_arns".into(), json!(g.target_group_arns()));
    a.insert("health_check_type".into(), json!(g.health_check_type()));
    a.insert(
        "health_check_grace_period".into(),
        json!(g.health_check_grace_period()),
    );
    a.insert(
        "tag".into(),
        Json::Array(
            g.tags()
                .iter()
                .map(|t| {
                    json!({
                        "key": t.key(),
                        "value": t.value(),
                        "propagate_at_launch": t.propagate_at_launch(),
                    })
                })
                .collect(),
        ),
    );
    let rid = arn.unwrap_or_else(|| c.local_id("aws_autoscaling_group", name));
    Some(c.resource(rid, "aws_autoscaling_group", Some(name), a))
}

/// Auto Scaling group → launch template, subnets, classic load balancers and target groups, in
/// the same account and region.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let targets = Targets::build(
        out,
        &[
            ("aws_launch_template", &["id", "name"]),
            ("aws_subnet", &["id", "arn"]),
            ("aws_elb", &["name"]),
            ("aws_lb_target_group", &["arn"]),
        ],
    );
    let mut refs = Vec::new();
    for r in managed(out, &["aws_autoscaling_group"]) {
        let template = r.attr("launch_template.0");
        let templates = &["aws_launch_template"];
        match targets.find(templates, r, None, template.get("id").as_str()) {
            Some(to) => refs.push(reference(r, "launch_template.0.id", to)),
            None => targets.edges(r, "launch_template.0.name", templates, None, &mut refs),
        }
        let mixed =
            "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id";
        targets.edges(r, mixed, templates, None, &mut refs);
        for (attr, ty) in [
            ("vpc_zone_identifier", "aws_subnet"),
            ("load_balancers", "aws_elb"),
            ("target_group_arns", "aws_lb_target_group"),
        ] {
            targets.edges(r, attr, &[ty], None, &mut refs);
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_autoscaling::types::TagDescription;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn group_maps_zones_subnets_and_template() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let g = AutoScalingGroup::builder()
            .auto_scaling_group_name("web")
            .auto_scaling_group_arn(
                "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:u:autoScalingGroupName/web",
            )
            .availability_zones("us-east-1a")
            .availability_zones("us-east-1b")
            .vpc_zone_identifier("subnet-1,subnet-2")
            .launch_template(
                LaunchTemplateSpecification::builder()
                    .launch_template_id("lt-1")
                    .version("$Latest")
                    .build(),
            )
            .tags(
                TagDescription::builder()
                    .key("team")
                    .value("a")
                    .propagate_at_launch(true)
                    .build(),
            )
            .build();
        let r = group(&c, &g).expect("group");
        assert_eq!(r.physical_id.as_deref(), Some("web"));
        assert_eq!(
            r.attr("availability_zones").to_json(),
            json!(["us-east-1a", "us-east-1b"])
        );
        assert_eq!(
            r.attr("vpc_zone_identifier").to_json(),
            json!(["subnet-1", "subnet-2"])
        );
        assert_eq!(r.attr("launch_template.id").as_str(), Some("lt-1"));

        // The launch template and subnets are linked when collected.
        let mut lt = serde_json::Map::new();
        lt.insert("id".into(), json!("lt-1"));
        let template = c.resource("arn:lt-1".into(), "aws_launch_template", Some("lt-1"), lt);
        let subnet = c.resource(
            "arn:subnet-2".into(),
            "aws_subnet",
            Some("subnet-2"),
            serde_json::Map::new(),
        );
        let out = LoadOutput {
            resources: vec![r, template, subnet],
            ..LoadOutput::default()
        };
        let refs: Vec<(String, String)> = link(&out).into_iter().map(|x| (x.path, x.to)).collect();
        assert_eq!(
            refs,
            vec![
                ("launch_template.0.id".to_string(), "arn:lt-1".to_string()),
                ("vpc_zone_identifier.1".to_string(), "arn:subnet-2".to_string()),
            ]
        );
    }
}
