//! Secrets Manager secrets and their rotation schedules.
//!
//! | CloudFormation | canonical |
//! |---|---|
//! | `AWS::SecretsManager::Secret` | `aws_secretsmanager_secret` (`ReplicaRegions` → `replica`); a `SecretString` becomes an `aws_secretsmanager_secret_version` with id `<LogicalId>.SecretString` whose `secret_id` refers to the secret |
//! | `AWS::SecretsManager::RotationSchedule` | `aws_secretsmanager_secret_rotation` (`RotationRules` → `rotation_rules`; a `HostedRotationLambda` is a function CloudFormation creates, so `rotation_lambda_arn` is unknown) |

use attest_core::Value;

use super::{block, each, obj, tags, Ctx, Source, Translated};

pub fn secret(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let replica = each(p.get("ReplicaRegions"), |r| {
        obj(vec![
            ("region", r.get("Region").clone()),
            ("kms_key_id", r.get("KmsKeyId").clone()),
        ])
    });
    let mut out = vec![Translated::new(
        s.id,
        "aws_secretsmanager_secret",
        obj(vec![
            ("name", p.get("Name").clone()),
            ("description", p.get("Description").clone()),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            ("replica", replica),
            ("tags", tags(p.get("Tags"))),
        ]),
    )];
    if !p.get("SecretString").is_null() {
        let secret_id = ctx.reference(s.id, "Ref");
        out.push(Translated::new(
            format!("{}.SecretString", s.id),
            "aws_secretsmanager_secret_version",
            obj(vec![
                ("secret_id", secret_id),
                ("secret_string", p.get("SecretString").clone()),
            ]),
        ));
    }
    out
}

pub fn rotation_schedule(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let lambda = match (p.get("RotationLambdaARN"), p.get("HostedRotationLambda")) {
        (Value::Null, Value::Null) => Value::Null,
        (Value::Null, _) => Value::unknown(format!(
            "the rotation function of {} is created at deployment",
            s.id
        )),
        (arn, _) => arn.clone(),
    };
    vec![Translated::new(
        s.id,
        "aws_secretsmanager_secret_rotation",
        obj(vec![
            ("secret_id", p.get("SecretId").clone()),
            ("rotation_lambda_arn", lambda),
            (
                "rotation_rules",
                block(p.get("RotationRules"), |r| {
                    obj(vec![
                        (
                            "automatically_after_days",
                            r.get("AutomaticallyAfterDays").clone(),
                        ),
                        ("duration", r.get("Duration").clone()),
                        ("schedule_expression", r.get("ScheduleExpression").clone()),
                    ])
                }),
            ),
            ("rotate_immediately", p.get("RotateImmediatelyOnUpdate").clone()),
        ]),
    )]
}
