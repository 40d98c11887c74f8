//! ECS `ListTaskDefinitionFamilies` (status `ACTIVE`) and `DescribeTaskDefinition` (the latest
//! active revision of each family) → `aws_ecs_task_definition`.
//!
//! `container_definitions` is the JSON string Terraform shows, in the ECS API's shape (camelCase
//! keys), holding the settings rules judge (`privileged`, `user`, `readonlyRootFilesystem`,
//! `linuxParameters`, ports, mounts, `secrets` by reference…). It never holds values that may be
//! secret: environment variable values are replaced by `(redacted)`, and `command`,
//! `entryPoint`, `dockerLabels` and log driver options are left out.

use aws_sdk_ecs::types::{ContainerDefinition, TaskDefinition};
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};
use crate::redact::REDACTED;

/// `DescribeTaskDefinition` calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes only `DescribeTaskDefinition` tells.
const DESCRIBED: &[&str] = &[
    "container_definitions",
    "network_mode",
    "requires_compatibilities",
    "cpu",
    "memory",
    "execution_role_arn",
    "task_role_arn",
    "pid_mode",
    "ipc_mode",
    "revision",
    "volume",
];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ecs = client!(c.session, aws_sdk_ecs, "ecs");
    let (families, err) = drain(
        ecs.list_task_definition_families()
            .status(aws_sdk_ecs::types::TaskDefinitionFamilyStatus::Active)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("ecs", "ListTaskDefinitionFamilies", e.message));
    }
    let ecs = &ecs;
    let described: Vec<(String, Result<TaskDefinition, ApiError>)> = futures::stream::iter(families)
        .map(|family| async move {
            // The family alone names its latest ACTIVE revision.
            let r = ecs
                .describe_task_definition()
                .task_definition(&family)
                .send()
                .await
                .map_err(|e| ApiError::from_sdk(&e))
                .and_then(|o| {
                    o.task_definition.ok_or_else(|| ApiError {
                        code: "EmptyAnswer".into(),
                        message: "DescribeTaskDefinition answered without a task definition".into(),
                    })
                });
            (family, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (family, r) in described {
        if let Err(e) = &r {
            out.errors.push(c.error(
                "ecs",
                "DescribeTaskDefinition",
                format!("task definition family {family}: {}", e.message),
            ));
        }
        out.resources.push(task_definition(c, &family, r.as_ref()));
    }
    out
}

/// References from task definitions: none that rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

/// The latest revision of a family, or the family with the attributes only
/// `DescribeTaskDefinition` tells unknown.
pub fn task_definition(c: &Ctx<'_>, family: &str, described: Result<&TaskDefinition, &ApiError>) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(family));
    a.insert("family".into(), json!(family));
    let arn = match described {
        Ok(t) => t.task_definition_arn().map(str::to_string),
        Err(_) => None,
    };
    a.insert("arn".into(), json!(arn));
    a.insert(
        "arn_without_revision".into(),
        json!(c.arn("ecs", &format!("task-definition/{family}"))),
    );
    match described {
        Ok(t) => {
            a.insert("revision".into(), json!(t.revision()));
            let containers: Vec<Json> = t.container_definitions().iter().map(container).collect();
            a.insert(
                "container_definitions".into(),
                json!(Json::Array(containers).to_string()),
            );
            a.insert("network_mode".into(), json!(t.network_mode().map(|m| m.as_str())));
            a.insert(
                "requires_compatibilities".into(),
                json!(t
                    .requires_compatibilities()
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()),
            );
            a.insert("cpu".into(), json!(t.cpu()));
            a.insert("memory".into(), json!(t.memory()));
            a.insert("execution_role_arn".into(), json!(t.execution_role_arn()));
            a.insert("task_role_arn".into(), json!(t.task_role_arn()));
            a.insert("pid_mode".into(), json!(t.pid_mode().map(|m| m.as_str())));
            a.insert("ipc_mode".into(), json!(t.ipc_mode().map(|m| m.as_str())));
            a.insert(
                "volume".into(),
                Json::Array(
                    t.volumes()
                        .iter()
                        .map(|v| {
                            json!({
                                "name": v.name(),
                                "host_path": v.host().and_then(|h| h.source_path()),
                            })
                        })
                        .collect(),
                ),
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("ecs", "DescribeTaskDefinition");
            for key in DESCRIBED {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn
        .clone()
        .unwrap_or_else(|| c.local_id("aws_ecs_task_definition", family));
    c.resource(rid, "aws_ecs_task_definition", Some(family), a)
}

/// One container definition in the ECS API's shape, without secret-bearing values. Settings the
/// answer leaves out stay absent, as in Terraform's normalized JSON.
fn container(d: &ContainerDefinition) -> Json {
    let mut m = Map::new();
    let mut put = |k: &str, v: Json| {
        if !v.is_null() && v != json!([]) {
            m.insert(k.to_string(), v);
        }
    };
    put("name", json!(d.name()));
    put("image", json!(d.image()));
    put("cpu", json!(d.cpu()));
    put("memory", json!(d.memory()));
    put("memoryReservation", json!(d.memory_reservation()));
    put("essential", json!(d.essential()));
    put("privileged", json!(d.privileged()));
    put("user", json!(d.user()));
    put("readonlyRootFilesystem", json!(d.readonly_root_filesystem()));
    put("disableNetworking", json!(d.disable_networking()));
    put("interactive", json!(d.interactive()));
    put("pseudoTerminal", json!(d.pseudo_terminal()));
    put("workingDirectory", json!(d.working_directory()));
    put("hostname", json!(d.hostname()));
    put(
        "portMappings",
        Json::Array(
            d.port_mappings()
                .iter()
                .map(|p| {
                    json!({
                        "containerPort": p.container_port(),
                        "hostPort": p.host_port(),
                        "protocol": p.protocol().map(|x| x.as_str()),
                    })
                })
                .collect(),
        ),
    );
    put(
        "environment",
        Json::Array(
            d.environment()
                .iter()
                .map(|e| json!({"name": e.name(), "value": REDACTED}))
                .collect(),
        ),
    );
    put(
        "secrets",
        Json::Array(
            d.secrets()
                .iter()
                .map(|s| json!({"name": s.name(), "valueFrom": s.value_from()}))
                .collect(),
        ),
    );
    put(
        "mountPoints",
        Json::Array(
            d.mount_points()
                .iter()
                .map(|p| {
                    json!({
                        "sourceVolume": p.source_volume(),
                        "containerPath": p.container_path(),
                        "readOnly": p.read_only(),
                    })
                })
                .collect(),
        ),
    );
    put(
        "volumesFrom",
        Json::Array(
            d.volumes_from()
                .iter()
                .map(|v| json!({"sourceContainer": v.source_container(), "readOnly": v.read_only()}))
                .collect(),
        ),
    );
    put("dockerSecurityOptions", json!(d.docker_security_options()));
    if let Some(l) = d.linux_parameters() {
        let mut lp = Map::new();
        if let Some(caps) = l.capabilities() {
            lp.insert(
                "capabilities".into(),
                json!({"add": caps.add(), "drop": caps.drop()}),
            );
        }
        if let Some(init) = l.init_process_enabled() {
            lp.insert("initProcessEnabled".into(), json!(init));
        }
        put("linuxParameters", Json::Object(lp));
    }
    if let Some(l) = d.log_configuration() {
        put(
            "logConfiguration",
            json!({ "logDriver": l.log_driver().as_str() }),
        );
    }
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use aws_sdk_ecs::types::{KeyValuePair, NetworkMode, Secret};

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn container_definitions_hold_no_secret_values() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let t = TaskDefinition::builder()
            .family("web")
            .revision(3)
            .task_definition_arn("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3")
            .network_mode(NetworkMode::Awsvpc)
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image("nginx")
                    .privileged(true)
                    .command("--password=hunter2")
                    .environment(
                        KeyValuePair::builder()
                            .name("DB_PASSWORD")
                            .value("hunter2")
                            .build(),
                    )
                    .secrets(
                        Secret::builder()
                            .name("API_KEY")
                            .value_from("arn:aws:secretsmanager:us-east-1:1:secret:k")
                            .build()
                            .expect("secret"),
                    )
                    .build(),
            )
            .build();
        let r = task_definition(&c, "web", Ok(&t));
        assert_eq!(r.id, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3");
        assert_eq!(r.physical_id.as_deref(), Some("web"));
        assert_eq!(r.attr("network_mode").as_str(), Some("awsvpc"));
        let text = r.attr("container_definitions").as_str().expect("a JSON string");
        assert!(!text.contains("hunter2"), "{text}");
        let parsed: Json = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(parsed[0]["privileged"], json!(true));
        assert_eq!(
            parsed[0]["environment"],
            json!([{"name": "DB_PASSWORD", "value": REDACTED}])
        );
        assert_eq!(parsed[0]["secrets"][0]["name"], json!("API_KEY"));
        assert!(parsed[0].get("command").is_none());
    }

    #[test]
    fn denied_describe_leaves_containers_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "AccessDeniedException".into(),
            message: "not allowed".into(),
        };
        let r = task_definition(&c, "web", Err(&denied));
        assert_eq!(r.id, "aws_ecs_task_definition:us-east-1:web");
        assert_eq!(
            r.attr("container_definitions"),
            &attest_core::Value::Unknown("AccessDeniedException on ecs:DescribeTaskDefinition".into())
        );
    }
}
