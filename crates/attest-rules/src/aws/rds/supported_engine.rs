//! `aws-rds-supported-engine`: RDS instances run a database engine that RDS supports.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::not_known_why;

pub struct RdsSupportedEngine;

const INSTANCE: &str = "aws_db_instance";

/// The engines the RDS API accepts for `CreateDBInstance` today (the RDS service, and with it
/// these engines, holds a FedRAMP High authorization). `aurora` (MySQL 5.6-compatible Aurora)
/// reached end of life and is left out.
const SUPPORTED: &[&str] = &[
    "aurora-mysql",
    "aurora-postgresql",
    "custom-oracle-ee",
    "custom-oracle-ee-cdb",
    "custom-oracle-se2",
    "custom-oracle-se2-cdb",
    "custom-sqlserver-ee",
    "custom-sqlserver-se",
    "custom-sqlserver-web",
    "custom-sqlserver-dev",
    "db2-ae",
    "db2-se",
    "mariadb",
    "mysql",
    "oracle-ee",
    "oracle-ee-cdb",
    "oracle-se2",
    "oracle-se2-cdb",
    "postgres",
    "sqlserver-ee",
    "sqlserver-se",
    "sqlserver-ex",
    "sqlserver-web",
];

static META: RuleMeta = RuleMeta {
    id: "aws-rds-supported-engine",
    title: "RDS instances run a database engine that Amazon RDS supports",
    severity: Severity::Low,
    kind: RuleKind::Resource,
    resource_types: &[INSTANCE],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00094",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_db_instance` passes when its `engine` is one Amazon RDS currently accepts for new
instances: MySQL, MariaDB, PostgreSQL, Aurora MySQL and Aurora PostgreSQL, Oracle (`oracle-ee`,
`oracle-se2` and their `-cdb` forms), SQL Server (`sqlserver-ee`, `-se`, `-ex`, `-web`), Db2
(`db2-ae`, `db2-se`) and the RDS Custom engines. It fails for any other value — a misspelt engine,
or one RDS no longer offers such as `aurora` (MySQL 5.6-compatible Aurora, past end of life).
An engine only known after apply gives `unknown`. An instance created from a snapshot or as a
read replica without `engine` takes its source's engine and gives `unknown`.

## Why it matters

The RDS service holds a FedRAMP authorization for the engines it runs today; an engine outside
that list is either an error in the configuration or a database that no longer receives security
updates from AWS. SOC 2 CC7.1 expects components with known vulnerabilities to be found, and CC8.1
that platform changes stay on supported versions.

## How to fix

Terraform:

```hcl
resource "aws_db_instance" "orders" {
  engine         = "postgres"
  engine_version = "16.4"
  instance_class = "db.t4g.medium"
  # ...
}
```

CloudFormation:

```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    EngineVersion: "16.4"
    DBInstanceClass: db.t4g.medium
```

Console: RDS → *Databases* → the database → *Actions* → *Migrate snapshot* or *Upgrade* to a
supported engine. CLI: `aws rds describe-db-engine-versions --query 'DBEngineVersions[].Engine'`
lists the engines a region offers.
"#;

impl Rule for RdsSupportedEngine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[INSTANCE])
            .into_iter()
            .map(|i| {
                let r = graph.get(i);
                let eval = match r.attr("engine") {
                    Value::String(engine) if SUPPORTED.contains(&engine.to_ascii_lowercase().as_str()) => {
                        Evaluation::pass(i, format!("engine `{engine}` is supported by Amazon RDS"))
                    }
                    Value::String(engine) => Evaluation::fail(
                        i,
                        format!("engine `{engine}` is not an engine Amazon RDS supports for new instances"),
                    ),
                    Value::Unknown(_) => Evaluation::unknown(
                        i,
                        format!("the engine is {}", not_known_why(r, r.attr("engine"))),
                    ),
                    _ if !r.attr("replicate_source_db").is_null()
                        || !r.attr("snapshot_identifier").is_null() =>
                    {
                        Evaluation::unknown(
                            i,
                            "no engine is written: it comes from the source instance or snapshot",
                        )
                    }
                    _ => Evaluation::unknown(i, "no engine is written"),
                };
                eval.at("engine")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown};

    fn verdict(attrs: serde_json::Value) -> Verdict {
        let g = graph(vec![res("aws_db_instance.db", attrs)], &[]);
        let out = RdsSupportedEngine.check(&g);
        assert_eq!(out.len(), 1);
        out[0].verdict
    }

    #[test]
    fn engines() {
        assert_eq!(verdict(json!({"engine": "postgres"})), Verdict::Pass);
        assert_eq!(verdict(json!({"engine": "Aurora-PostgreSQL"})), Verdict::Pass);
        assert_eq!(verdict(json!({"engine": "aurora"})), Verdict::Fail);
        assert_eq!(verdict(json!({"engine": "postgresql"})), Verdict::Fail);
        assert_eq!(verdict(json!({"engine": unknown()})), Verdict::Unknown);
        assert_eq!(verdict(json!({"replicate_source_db": "db-1"})), Verdict::Unknown);
    }
}
