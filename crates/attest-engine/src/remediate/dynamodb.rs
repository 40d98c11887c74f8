//! DynamoDB tables: deletion protection and encryption through `UpdateTable`, point-in-time
//! recovery through `UpdateContinuousBackups`.
//!
//! What attest does not revert: a deleted table (its items are gone), the key schema, and the
//! settings that need values the scan does not read (billing mode capacity, stream view type) or
//! that AWS rations (table class). Turning point-in-time recovery off is left to a person too: it
//! deletes the table's continuous backups. Added tables are never deleted.

use serde_json::{json, Value};

use super::util::{fully_known, str_of, top};
use super::{Out, Step, Subject};
use crate::drift::DriftKind;

pub(super) const TYPES: &[&str] = &["aws_dynamodb_table"];

/// The attributes reverted automatically, in the order their calls run: deletion protection
/// first (instant), encryption last (it keeps the table busy while it re-encrypts).
const HANDLED: &[&str] = &[
    "deletion_protection_enabled",
    "point_in_time_recovery",
    "server_side_encryption",
];

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    if s.drift.kind == DriftKind::Removed {
        out.manual(
            s,
            None,
            "a deleted table's items are gone: restore it from a backup (point-in-time recovery or \
             AWS Backup) or re-create it from code",
        );
        return;
    }
    let name = str_of(s.attributes(), "name")
        .map(str::to_string)
        .unwrap_or_else(|| s.physical_id());
    for attr in HANDLED {
        let mut paths: Vec<&str> = s
            .changes()
            .iter()
            .map(|c| c.path.as_str())
            .filter(|p| top(p) == *attr)
            .collect();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        match *attr {
            "deletion_protection_enabled" => deletion_protection(s, out, &name, &paths),
            "point_in_time_recovery" => point_in_time_recovery(s, out, &name, &paths),
            _ => encryption(s, out, &name, &paths),
        }
    }
    let mut others: Vec<&str> = s
        .changes()
        .iter()
        .map(|c| c.path.as_str())
        .filter(|p| !HANDLED.contains(&top(p)))
        .collect();
    others.dedup();
    for p in others {
        out.manual(s, Some(p), other_reason(top(p)));
    }
}

/// Added tables are kept: deleting one deletes its items.
pub(super) fn delete(_s: &Subject<'_>, _out: &mut Out<'_>) -> bool {
    false
}

/// The baseline's and the current value of a top-level attribute.
fn sides<'a>(s: &'a Subject<'_>, attr: &str) -> (Option<&'a Value>, Option<&'a Value>) {
    (
        s.baseline.and_then(|r| r.attributes.get(attr)),
        s.current.and_then(|r| r.attributes.get(attr)),
    )
}

fn manual_all(s: &Subject<'_>, out: &mut Out<'_>, paths: &[&str], reason: &str) {
    for p in paths {
        out.manual(s, Some(p), reason);
    }
}

fn deletion_protection(s: &Subject<'_>, out: &mut Out<'_>, name: &str, paths: &[&str]) {
    let (base, now) = sides(s, "deletion_protection_enabled");
    let Some(on) = base.and_then(Value::as_bool) else {
        return manual_all(s, out, paths, "the baseline's deletion protection is not known");
    };
    out.action(
        s,
        Step::Modify,
        paths,
        format!(
            "{} deletion protection of table {name}",
            if on { "enable" } else { "disable" }
        ),
        "dynamodb",
        "UpdateTable",
        json!({"TableName": name, "DeletionProtectionEnabled": on}),
        now.cloned(),
        base.cloned(),
    );
}

fn point_in_time_recovery(s: &Subject<'_>, out: &mut Out<'_>, name: &str, paths: &[&str]) {
    let (base, now) = sides(s, "point_in_time_recovery");
    let enabled = |v: Option<&Value>| {
        v.and_then(Value::as_array)
            .and_then(|blocks| match blocks.as_slice() {
                [] => Some(false),
                [b] => b.get("enabled").and_then(Value::as_bool),
                _ => None,
            })
    };
    match enabled(base) {
        Some(true) => out.action(
            s,
            Step::Modify,
            paths,
            format!("enable point-in-time recovery of table {name}"),
            "dynamodb",
            "UpdateContinuousBackups",
            json!({
                "TableName": name,
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
            }),
            now.cloned(),
            base.cloned(),
        ),
        Some(false) => manual_all(
            s,
            out,
            paths,
            "turning point-in-time recovery off deletes the table's continuous backups: turn it off \
             yourself (UpdateContinuousBackups) if that is intended",
        ),
        None => manual_all(
            s,
            out,
            paths,
            "the baseline's point-in-time recovery is not known",
        ),
    }
}

/// The `SSESpecification` that gives a table the encryption of a `server_side_encryption` block:
/// no block or a disabled one is the AWS-owned key (`Enabled: false`); an enabled one is KMS,
/// with its key when the block names one (else the AWS-managed `aws/dynamodb` key).
fn sse_specification(block: &Value) -> Option<Value> {
    match block.as_array()?.as_slice() {
        [] => Some(json!({"Enabled": false})),
        [b] => match b.get("enabled")?.as_bool()? {
            false => Some(json!({"Enabled": false})),
            true => match str_of(b, "kms_key_arn").filter(|k| !k.is_empty()) {
                Some(key) => Some(json!({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": key})),
                None => Some(json!({"Enabled": true, "SSEType": "KMS"})),
            },
        },
        _ => None,
    }
}

fn encryption(s: &Subject<'_>, out: &mut Out<'_>, name: &str, paths: &[&str]) {
    let (base, now) = sides(s, "server_side_encryption");
    let Some(spec) = base.filter(|b| fully_known(b)).and_then(sse_specification) else {
        return manual_all(s, out, paths, "the baseline's encryption is not known");
    };
    let aws_owned = json!({"Enabled": false});
    if spec == aws_owned && now.and_then(sse_specification).as_ref() == Some(&aws_owned) {
        return manual_all(
            s,
            out,
            paths,
            "the baseline and the table both use an AWS-owned key (DynamoDB only reports it \
             differently): nothing to revert",
        );
    }
    let summary = match spec.get("KMSMasterKeyId").and_then(Value::as_str) {
        Some(key) => format!("encrypt table {name} with KMS key {key}"),
        None if spec["Enabled"] == true => format!("encrypt table {name} with the AWS-managed KMS key"),
        None => format!("encrypt table {name} with an AWS-owned key"),
    };
    out.action(
        s,
        Step::Modify,
        paths,
        summary,
        "dynamodb",
        "UpdateTable",
        json!({"TableName": name, "SSESpecification": spec}),
        now.cloned(),
        base.cloned(),
    );
}

fn other_reason(attr: &str) -> &'static str {
    match attr {
        "hash_key" | "range_key" => {
            "the key schema of a table cannot be changed: re-create the table and copy its items"
        }
        "billing_mode" => {
            "switching the billing mode needs capacity settings attest does not read (and is \
             allowed once a day): set it with UpdateTable"
        }
        "stream_enabled" => {
            "a stream needs its view type, which attest does not read: set it with UpdateTable \
             StreamSpecification"
        }
        "table_class" => {
            "a table's class changes its pricing and may change only twice in 30 days: set it with \
             UpdateTable TableClass"
        }
        "name" | "id" | "arn" => "a table cannot be renamed: replace it",
        _ => "attest has no automatic revert for this attribute of a DynamoDB table",
    }
}

#[cfg(test)]
mod tests {
    use attest_core::{Snapshot, SnapshotResource};
    use serde_json::{json, Value};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Action, Plan, PlanOptions, Step};

    const ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/k1";

    fn table(attrs: Value) -> Snapshot {
        let mut a = json!({
            "id": "orders",
            "name": "orders",
            "arn": ARN,
            "hash_key": "pk",
            "range_key": null,
            "billing_mode": "PAY_PER_REQUEST",
            "stream_enabled": false,
            "deletion_protection_enabled": false,
            "table_class": "STANDARD",
            "server_side_encryption": [],
            "point_in_time_recovery": [{"enabled": false}],
            "ttl": {"$unknown": "not collected by attest's live AWS scan yet"},
        });
        if let (Some(a), Some(b)) = (a.as_object_mut(), attrs.as_object()) {
            for (k, v) in b {
                a.insert(k.clone(), v.clone());
            }
        }
        Snapshot::new(
            vec![SnapshotResource {
                key: ARN.into(),
                resource_type: "aws_dynamodb_table".into(),
                physical_id: Some("orders".into()),
                account: Some("123456789012".into()),
                region: Some("us-east-1".into()),
                attributes: a,
            }],
            vec![],
        )
    }

    fn run(base: &Snapshot, now: &Snapshot, opts: &PlanOptions) -> Plan {
        plan(&diff(base, now, &Ignore::none()), base, now, opts)
    }

    fn calls(p: &Plan) -> Vec<(&str, &Value)> {
        p.actions
            .iter()
            .map(|a: &Action| (a.call.operation.as_str(), &a.call.params))
            .collect()
    }

    #[test]
    fn protection_recovery_and_encryption_are_restored() {
        let base = table(json!({
            "deletion_protection_enabled": true,
            "point_in_time_recovery": [{"enabled": true}],
            "server_side_encryption": [{"enabled": true, "kms_key_arn": KEY}],
        }));
        let now = table(json!({}));
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            [
                (
                    "UpdateTable",
                    &json!({"TableName": "orders", "DeletionProtectionEnabled": true})
                ),
                (
                    "UpdateContinuousBackups",
                    &json!({"TableName": "orders",
                            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}})
                ),
                (
                    "UpdateTable",
                    &json!({"TableName": "orders",
                            "SSESpecification": {"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": KEY}})
                ),
            ]
        );
        assert!(p
            .actions
            .iter()
            .all(|a| a.step == Step::Modify && a.call.service == "dynamodb"));
        assert_eq!(p.actions[1].paths, ["point_in_time_recovery[]"]);
        assert_eq!(p.actions[1].before, Some(json!([{"enabled": false}])));
        assert_eq!(p.actions[1].after, Some(json!([{"enabled": true}])));
        assert_eq!(p.actions[2].before, Some(json!([])));
        assert_eq!(p.actions[2].physical_id.as_deref(), Some("orders"));
    }

    #[test]
    fn baseline_without_a_customer_key_goes_back_to_the_aws_owned_key() {
        let base = table(json!({}));
        let now = table(json!({
            "deletion_protection_enabled": true,
            "server_side_encryption": [{"enabled": true, "kms_key_arn": KEY}],
        }));
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            [
                (
                    "UpdateTable",
                    &json!({"TableName": "orders", "DeletionProtectionEnabled": false})
                ),
                (
                    "UpdateTable",
                    &json!({"TableName": "orders", "SSESpecification": {"Enabled": false}})
                ),
            ]
        );
        // An enabled block without a key ARN is the AWS-managed key.
        let base = table(json!({"server_side_encryption": [{"enabled": true, "kms_key_arn": ""}]}));
        let p = run(&base, &table(json!({})), &PlanOptions::default());
        assert_eq!(
            calls(&p),
            [(
                "UpdateTable",
                &json!({"TableName": "orders", "SSESpecification": {"Enabled": true, "SSEType": "KMS"}})
            )]
        );
        // Both sides are the AWS-owned key, reported two ways: no call, said why.
        let base = table(json!({"server_side_encryption": [{"enabled": false, "kms_key_arn": ""}]}));
        let p = run(&base, &table(json!({})), &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1, "{:?}", p.manual);
        assert!(p.manual[0].reason.contains("AWS-owned"));
    }

    #[test]
    fn recovery_turned_on_since_the_baseline_is_left_alone() {
        let base = table(json!({}));
        let now = table(json!({"point_in_time_recovery": [{"enabled": true}]}));
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.actions.is_empty());
        // One item for the path (the block that left and the one that joined).
        assert_eq!(p.manual.len(), 1, "{:?}", p.manual);
        assert!(p
            .manual
            .iter()
            .all(|m| m.path.as_deref() == Some("point_in_time_recovery[]")
                && m.reason.contains("deletes the table's continuous backups")));
    }

    #[test]
    fn unknown_baselines_and_other_attributes_are_manual() {
        let unknown = json!({"$unknown": "AccessDeniedException on dynamodb:DescribeTable"});
        let base = table(
            json!({"deletion_protection_enabled": unknown, "billing_mode": "PROVISIONED",
                                 "hash_key": "id", "table_class": "STANDARD_INFREQUENT_ACCESS"}),
        );
        let now = table(json!({"deletion_protection_enabled": true}));
        let p = run(&base, &now, &PlanOptions::default());
        // An unknown side is undecided, not drift: no call for it.
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        let manual: Vec<(Option<&str>, &str)> = p
            .manual
            .iter()
            .map(|m| (m.path.as_deref(), m.reason.as_str()))
            .collect();
        assert_eq!(manual.len(), 3, "{manual:?}");
        assert!(manual[0].1.contains("billing mode"));
        assert!(manual[1].1.contains("key schema"));
        assert!(manual[2].1.contains("class"));

        // A baseline block holding an unknown is not guessed.
        let base = table(json!({"server_side_encryption": [{"enabled": true, "kms_key_arn": KEY}]}));
        let mut now = table(json!({}));
        now.resources[0].attributes["server_side_encryption"] =
            json!([{"enabled": false, "kms_key_arn": ""}]);
        let mut base_unknown = base.clone();
        base_unknown.resources[0].attributes["server_side_encryption"] =
            json!([{"enabled": true, "kms_key_arn": {"$unknown": "x"}}]);
        let d = diff(&base, &now, &Ignore::none());
        let p = plan(&d, &base_unknown, &now, &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert!(
            p.manual.iter().all(|m| m.reason.contains("not known")),
            "{:?}",
            p.manual
        );
    }

    #[test]
    fn removed_tables_are_manual_and_added_ones_kept() {
        let base = table(json!({}));
        let empty = Snapshot::new(vec![], vec![]);
        let p = run(&base, &empty, &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        assert!(p.manual[0].reason.contains("backup"), "{}", p.manual[0].reason);

        let opts = PlanOptions {
            delete_added: vec!["aws_dynamodb_table".into()],
            ..Default::default()
        };
        let p = run(&empty, &base, &opts);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        let p = run(&empty, &base, &PlanOptions::default());
        assert_eq!(p.kept.len(), 1);
    }
}
