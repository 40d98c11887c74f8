//! `aws-ecs-task-no-privileged`: ECS task definitions run no privileged containers.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::managed;

pub struct EcsTaskNoPrivileged;

const ATTR: &str = "container_definitions";

static META: RuleMeta = RuleMeta {
    id: "aws-ecs-task-no-privileged",
    title: "ECS task definitions do not run privileged containers",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_ecs_task_definition"],
    aliases: &[Alias {
        tool: "prowler",
        id: "ecs_task_definitions_no_privileged_containers",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_ecs_task_definition` passes when no container in `container_definitions` has
`"privileged": true`. The attribute is a JSON document, however it is written: a
`jsonencode([...])` expression, a heredoc, a `file(...)` the loader read, or the string a state
file holds. A container without `privileged` is not privileged (the ECS default).

It fails when some container is privileged, naming it. It gives `unknown` when the document is
only known after apply (it interpolates a value that is not known), when it is not valid JSON,
or when a container's `privileged` is not known.

## Why it matters

A privileged container runs with all Linux capabilities and access to the host's devices: code
in it can load kernel modules, read other containers' memory and take over the EC2 instance.
One compromised dependency is then a compromised host. Running containers without privileges
keeps them within least privilege and stops them from installing software on the host (SOC 2
CC6.8, CC6.3). Fargate does not allow privileged containers at all.

## How to fix

Remove `privileged` (or set it to `false`); grant only the Linux capabilities a container
really needs with `linuxParameters.capabilities.add`.

Terraform:

```hcl
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    {
      name       = "app"
      image      = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2"
      essential  = true
      memory     = 512
      privileged = false
    }
  ])
}
```

CloudFormation:

```yaml
AppTask:
  Type: AWS::ECS::TaskDefinition
  Properties:
    Family: app
    ContainerDefinitions:
      - Name: app
        Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2
        Essential: true
        Memory: 512
        Privileged: false
```

Console: ECS → *Task definitions* → the task definition → *Create new revision* → the container
→ *Docker configuration* / *Security* → clear *Privileged* → *Create*, then update the services
to the new revision. CLI: register a new revision without `"privileged": true`:

```sh
aws ecs register-task-definition --cli-input-json file://app-task.json
```
"#;

impl Rule for EcsTaskNoPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph.get(i).attr(ATTR), i).at(ATTR))
            .collect()
    }
}

/// The container definitions as a list of values, or why they cannot be told.
fn containers(value: &Value) -> Result<Vec<Value>, String> {
    let parsed = match value {
        Value::String(_) => match value.parse_json_string() {
            Some(Ok(doc)) => doc,
            Some(Err(e)) => return Err(format!("container_definitions is not valid JSON: {e}")),
            None => return Err("container_definitions is not a JSON document".into()),
        },
        Value::Null => return Err("container_definitions is not set".into()),
        Value::Unknown(_) => return Err("container_definitions is not known before apply".into()),
        other => other.clone(),
    };
    match parsed {
        Value::List(items) => Ok(items),
        Value::Object(_) => Ok(vec![parsed]),
        Value::Unknown(_) => Err("container_definitions is not known before apply".into()),
        other => Err(format!(
            "container_definitions holds a {}, not a list of containers",
            other.kind()
        )),
    }
}

fn judge(value: &Value, i: usize) -> Evaluation {
    let list = match containers(value) {
        Ok(list) => list,
        Err(why) => {
            return Evaluation::unknown(i, format!("{why}: cannot tell whether a container is privileged"))
        }
    };
    let mut privileged = Vec::new();
    let mut unknown = Vec::new();
    for (k, container) in list.iter().enumerate() {
        let name = match container.get("name").as_str() {
            Some(n) => format!("\"{n}\""),
            None => format!("#{k}"),
        };
        let flag = if container.is_unknown() {
            Tri::Unknown
        } else {
            container.get("privileged").truthy(false)
        };
        match flag {
            Tri::True => privileged.push(name),
            Tri::Unknown => unknown.push(name),
            Tri::False => {}
        }
    }
    if !privileged.is_empty() {
        return Evaluation::fail(
            i,
            format!(
                "privileged = true on container {}: it has root-level access to the host",
                privileged.join(", ")
            ),
        );
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "privileged is not known before apply on container {}",
                unknown.join(", ")
            ),
        );
    }
    Evaluation::pass(
        i,
        format!("none of the {} container definition(s) is privileged", list.len()),
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn json_strings_lists_and_unknowns() {
        let g = graph(
            vec![
                res(
                    "aws_ecs_task_definition.plain",
                    json!({"container_definitions": r#"[{"name":"app","image":"app:1"},{"name":"side","privileged":false}]"#}),
                ),
                res(
                    "aws_ecs_task_definition.priv",
                    json!({"container_definitions": r#"[{"name":"app"},{"name":"agent","privileged":true}]"#}),
                ),
                res(
                    "aws_ecs_task_definition.priv_string",
                    json!({"container_definitions": r#"[{"name":"app","privileged":"true"}]"#}),
                ),
                res(
                    "aws_ecs_task_definition.list",
                    json!({"container_definitions": [{"name": "app", "privileged": true}]}),
                ),
                res(
                    "aws_ecs_task_definition.doc_var",
                    json!({"container_definitions": unknown()}),
                ),
                res(
                    "aws_ecs_task_definition.flag_var",
                    json!({"container_definitions": [{"name": "app", "privileged": unknown()}]}),
                ),
                res(
                    "aws_ecs_task_definition.bad_json",
                    json!({"container_definitions": "[{\"name\": "}),
                ),
            ],
            &[],
        );
        let evals = EcsTaskNoPrivileged.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_ecs_task_definition.plain".into(), Verdict::Pass),
                ("aws_ecs_task_definition.priv".into(), Verdict::Fail),
                ("aws_ecs_task_definition.priv_string".into(), Verdict::Fail),
                ("aws_ecs_task_definition.list".into(), Verdict::Fail),
                ("aws_ecs_task_definition.doc_var".into(), Verdict::Unknown),
                ("aws_ecs_task_definition.flag_var".into(), Verdict::Unknown),
                ("aws_ecs_task_definition.bad_json".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("\"agent\""), "{}", evals[1].message);
        assert!(
            evals[6].message.contains("not valid JSON"),
            "{}",
            evals[6].message
        );
    }
}
