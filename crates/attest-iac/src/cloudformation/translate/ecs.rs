//! ECS task definitions.
//!
//! `AWS::ECS::TaskDefinition` becomes `aws_ecs_task_definition`. Terraform holds the containers as
//! `container_definitions`, a JSON string in the shape of the ECS API (camelCase keys:
//! `privileged`, `portMappings`, `readonlyRootFilesystem`…): the `ContainerDefinitions`
//! structures are written in that shape, keys with their first letter lowercased, except the
//! keys of maps the user names (`DockerLabels`, `Options` of the log and FireLens
//! configurations). Their references stay on `container_definitions`.

use std::collections::BTreeMap;

use attest_core::Value;

use super::{each, json_string, obj, one_or_list, tags, Ctx, Source, Translated};

/// Maps whose keys are the user's, not property names.
const USER_MAPS: &[&str] = &["DockerLabels", "Options"];

fn camel(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A CloudFormation structure in the ECS API's shape.
fn api_shape(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, item)| {
                    let item = if USER_MAPS.contains(&k.as_str()) {
                        item.clone()
                    } else {
                        api_shape(item)
                    };
                    (camel(k), item)
                })
                .collect::<BTreeMap<_, _>>(),
        ),
        Value::List(items) => Value::List(items.iter().map(api_shape).collect()),
        other => other.clone(),
    }
}

pub fn task_definition(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let containers = p.get("ContainerDefinitions");
    let definitions = match containers {
        Value::Null => Value::Null,
        other => json_string(&each(other, api_shape)),
    };
    let volume = each(p.get("Volumes"), |v| {
        obj(vec![
            ("name", v.get("Name").clone()),
            ("host_path", v.path("Host.SourcePath").clone()),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_ecs_task_definition",
        obj(vec![
            ("family", p.get("Family").clone()),
            ("container_definitions", definitions),
            ("network_mode", p.get("NetworkMode").clone()),
            (
                "requires_compatibilities",
                one_or_list(p.get("RequiresCompatibilities")),
            ),
            ("cpu", p.get("Cpu").clone()),
            ("memory", p.get("Memory").clone()),
            ("execution_role_arn", p.get("ExecutionRoleArn").clone()),
            ("task_role_arn", p.get("TaskRoleArn").clone()),
            ("pid_mode", p.get("PidMode").clone()),
            ("ipc_mode", p.get("IpcMode").clone()),
            ("volume", volume),
            ("tags", tags(p.get("Tags"))),
        ]),
    )
    .holding("container_definitions", containers)]
}
