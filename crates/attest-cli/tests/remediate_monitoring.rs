//! `attest remediate` on the monitoring family against moto: DynamoDB tables, CloudTrail trails,
//! CloudWatch alarms, CloudWatch Logs metric filters and log groups put back to the baseline;
//! drift left to a person; added trails and alarms kept or deleted.
//!
//! What moto cannot show, covered by the planners' unit tests instead:
//! - moto ignores `UpdateTable`'s `SSESpecification`: a table's encryption can neither drift nor
//!   be restored here.
//! - moto's `PutMetricFilter` appends a second filter of the same name instead of overwriting
//!   it: only a deleted filter is restored here, not a changed one.
//! - moto has no `AssociateKmsKey` / `DisassociateKmsKey`: a log group's key is restored here only
//!   by re-creating a deleted group.
#![cfg(feature = "aws")]

mod common;

use common::Moto;

/// The operations of a plan, in order.
fn ops(plan: &serde_json::Value) -> Vec<String> {
    plan["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["call"]["operation"].as_str().map(str::to_string))
        .collect()
}

/// Every scenario in sequence: they share moto. Each has its own environment, whose baseline is
/// the account as the scenarios before it left it.
#[test]
fn remediate_tables_trails_alarms_and_logs() {
    let Some(m) = Moto::start() else {
        return;
    };

    // 1. A table that lost its deletion protection and point-in-time recovery: both come back.
    m.boto(
        r#"
ddb.create_table(TableName="attest-orders", BillingMode="PAY_PER_REQUEST",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    DeletionProtectionEnabled=True,
    SSESpecification={"Enabled": True, "SSEType": "KMS",
        "KMSMasterKeyId": "arn:aws:kms:us-east-1:123456789012:key/orders"})
ddb.update_continuous_backups(TableName="attest-orders",
    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
"#,
    );
    m.env_add("tables", "dynamodb");
    m.scan_and_baseline("tables");
    m.boto(
        r#"
ddb.update_table(TableName="attest-orders", DeletionProtectionEnabled=False)
ddb.update_continuous_backups(TableName="attest-orders",
    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
"#,
    );
    let plan = m.remediate_and_verify("tables", &["UpdateTable", "UpdateContinuousBackups"]);
    assert_eq!(ops(&plan), ["UpdateTable", "UpdateContinuousBackups"], "{plan}");
    assert_eq!(
        plan["actions"][0]["call"]["params"],
        serde_json::json!({"TableName": "attest-orders", "DeletionProtectionEnabled": true})
    );
    let s = m.boto(
        r#"
state["protected"] = ddb.describe_table(TableName="attest-orders")["Table"]["DeletionProtectionEnabled"]
state["pitr"] = ddb.describe_continuous_backups(TableName="attest-orders")[
    "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
"#,
    );
    assert_eq!(s["protected"], true);
    assert_eq!(s["pitr"], "ENABLED");

    // 2. Drift attest leaves to a person: recovery turned on for a table whose baseline had it
    //    off (turning it off again would delete the table's continuous backups).
    m.boto(
        r#"
ddb.create_table(TableName="attest-scratch", BillingMode="PAY_PER_REQUEST",
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
"#,
    );
    m.env_add("tables-manual", "dynamodb");
    m.scan_and_baseline("tables-manual");
    m.boto(
        r#"
ddb.update_continuous_backups(TableName="attest-scratch",
    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
"#,
    );
    m.scan("tables-manual");
    let (code, plan) = m.remediate("tables-manual", &[]);
    assert_eq!(code, Some(1), "manual drift is left: {plan}");
    assert!(plan["actions"].as_array().is_some_and(Vec::is_empty), "{plan}");
    let manual = plan["manual"].as_array().cloned().unwrap_or_default();
    assert_eq!(manual.len(), 1, "{plan}");
    assert_eq!(
        manual[0]["key"],
        "arn:aws:dynamodb:us-east-1:123456789012:table/attest-scratch"
    );
    assert_eq!(manual[0]["path"], "point_in_time_recovery[]");
    assert!(
        manual[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("continuous backups")),
        "{plan}"
    );
    let s = m.boto(
        r#"state["pitr"] = ddb.describe_continuous_backups(TableName="attest-scratch")[
    "ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]"#,
    );
    assert_eq!(s["pitr"], "ENABLED", "nothing was applied");

    // 3. A trail stopped and weakened: logging, its settings and its selectors come back.
    m.boto(
        r#"
s3.create_bucket(Bucket="attest-trail-logs")
ct.create_trail(Name="attest-main", S3BucketName="attest-trail-logs", IsMultiRegionTrail=True,
    IncludeGlobalServiceEvents=True, EnableLogFileValidation=True,
    KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/trail",
    CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
    CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/trail")
ct.start_logging(Name="attest-main")
"#,
    );
    m.env_add("trails", "cloudtrail");
    m.scan_and_baseline("trails");
    m.boto(
        r#"
ct.stop_logging(Name="attest-main")
ct.update_trail(Name="attest-main", IsMultiRegionTrail=False, EnableLogFileValidation=False,
    KmsKeyId="", CloudWatchLogsLogGroupArn="", CloudWatchLogsRoleArn="")
ct.put_event_selectors(TrailName="attest-main", EventSelectors=[{"ReadWriteType": "WriteOnly",
    "IncludeManagementEvents": True, "DataResources": [], "ExcludeManagementEventSources": []}])
"#,
    );
    let plan = m.remediate_and_verify("trails", &["StartLogging", "UpdateTrail", "PutEventSelectors"]);
    assert_eq!(
        ops(&plan),
        ["StartLogging", "UpdateTrail", "PutEventSelectors"],
        "{plan}"
    );
    let s = m.boto(
        r#"
t = ct.describe_trails(trailNameList=["attest-main"])["trailList"][0]
state["trail"] = [t["IsMultiRegionTrail"], t["LogFileValidationEnabled"], t["KmsKeyId"],
    t["CloudWatchLogsLogGroupArn"], t["CloudWatchLogsRoleArn"]]
state["logging"] = ct.get_trail_status(Name="attest-main")["IsLogging"]
state["selectors"] = ct.get_event_selectors(TrailName="attest-main")["EventSelectors"]
"#,
    );
    assert_eq!(
        s["trail"],
        serde_json::json!([
            true,
            true,
            "arn:aws:kms:us-east-1:123456789012:key/trail",
            "arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
            "arn:aws:iam::123456789012:role/trail"
        ])
    );
    assert_eq!(s["logging"], true);
    assert_eq!(s["selectors"][0]["ReadWriteType"], "All", "{}", s["selectors"]);

    // 4. The trail deleted: re-created with the baseline's settings, logging again, under the
    //    same ARN (the rescan shows no drift).
    m.env_add("trail-deleted", "cloudtrail");
    m.scan_and_baseline("trail-deleted");
    m.boto(r#"ct.delete_trail(Name="attest-main")"#);
    let plan = m.remediate_and_verify("trail-deleted", &["CreateTrail", "StartLogging"]);
    assert_eq!(ops(&plan), ["CreateTrail", "StartLogging"], "{plan}");
    assert_eq!(plan["actions"][0]["step"], "restore", "{plan}");
    let s = m.boto(
        r#"
t = ct.describe_trails(trailNameList=["attest-main"])["trailList"][0]
state["trail"] = [t["S3BucketName"], t["IsMultiRegionTrail"], t["KmsKeyId"]]
state["logging"] = ct.get_trail_status(Name="attest-main")["IsLogging"]
"#,
    );
    assert_eq!(
        s["trail"],
        serde_json::json!([
            "attest-trail-logs",
            true,
            "arn:aws:kms:us-east-1:123456789012:key/trail"
        ])
    );
    assert_eq!(s["logging"], true);

    // 5. An added trail: kept by default, deleted with --delete-added.
    m.env_add("trail-added", "cloudtrail");
    m.scan_and_baseline("trail-added");
    m.boto(r#"ct.create_trail(Name="attest-extra", S3BucketName="attest-trail-logs")"#);
    m.scan("trail-added");
    let (code, applied) = m.remediate("trail-added", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "only kept resources: {applied}");
    assert_eq!(
        applied["kept"][0]["key"], "arn:aws:cloudtrail:us-east-1:123456789012:trail/attest-extra",
        "{applied}"
    );
    let trails = |m: &Moto| {
        let s = m.boto(r#"state["trails"] = sorted(t["Name"] for t in ct.describe_trails()["trailList"])"#);
        s["trails"].clone()
    };
    assert_eq!(trails(&m), serde_json::json!(["attest-extra", "attest-main"]));
    let (code, applied) = m.remediate(
        "trail-added",
        &["--delete-added", "aws_cloudtrail", "--apply", "--yes"],
    );
    assert_eq!(code, Some(0), "{applied}");
    assert_eq!(ops(&applied), ["DeleteTrail"], "{applied}");
    assert_eq!(applied["actions"][0]["step"], "delete_added", "{applied}");
    assert_eq!(applied["results"][0]["status"], "applied", "{applied}");
    assert_eq!(trails(&m), serde_json::json!(["attest-main"]));

    // 6. Alarms: one weakened (actions removed, threshold raised), one deleted. PutMetricAlarm
    //    writes each back whole; the deleted one returns under the same ARN.
    m.boto(
        r#"
for name, metric in [("attest-root-use", "RootUse"), ("attest-trail-changes", "TrailChanges")]:
    cw.put_metric_alarm(AlarmName=name, AlarmDescription="CIS " + metric, MetricName=metric,
        Namespace="CISBenchmark", Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold", TreatMissingData="notBreaching",
        Dimensions=[{"Name": "Trail", "Value": "attest-main"}],
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:security"])
"#,
    );
    m.env_add("alarms", "cloudwatch");
    m.scan_and_baseline("alarms");
    m.boto(
        r#"
cw.put_metric_alarm(AlarmName="attest-root-use", MetricName="RootUse", Namespace="CISBenchmark",
    Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=100.0,
    ComparisonOperator="GreaterThanOrEqualToThreshold")
cw.delete_alarms(AlarmNames=["attest-trail-changes"])
"#,
    );
    let plan = m.remediate_and_verify("alarms", &["PutMetricAlarm"]);
    assert_eq!(ops(&plan), ["PutMetricAlarm", "PutMetricAlarm"], "{plan}");
    let s = m.boto(
        r#"
state["alarms"] = sorted([a["AlarmName"], a["Threshold"], a["AlarmActions"], a["AlarmDescription"],
    a["Dimensions"]] for a in cw.describe_alarms()["MetricAlarms"])
"#,
    );
    let sns = "arn:aws:sns:us-east-1:123456789012:security";
    let dims = serde_json::json!([{"Name": "Trail", "Value": "attest-main"}]);
    assert_eq!(
        s["alarms"],
        serde_json::json!([
            ["attest-root-use", 1.0, [sns], "CIS RootUse", dims],
            ["attest-trail-changes", 1.0, [sns], "CIS TrailChanges", dims]
        ])
    );

    // 7. An added alarm: kept by default, deleted with --delete-added.
    m.env_add("alarm-added", "cloudwatch");
    m.scan_and_baseline("alarm-added");
    m.boto(
        r#"
cw.put_metric_alarm(AlarmName="attest-extra", MetricName="X", Namespace="Y", Statistic="Sum",
    Period=60, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
"#,
    );
    m.scan("alarm-added");
    let (code, applied) = m.remediate("alarm-added", &["--apply", "--yes"]);
    assert_eq!(code, Some(0), "{applied}");
    assert_eq!(
        applied["kept"][0]["key"], "arn:aws:cloudwatch:us-east-1:123456789012:alarm:attest-extra",
        "{applied}"
    );
    let alarms = |m: &Moto| {
        let s = m
            .boto(r#"state["names"] = sorted(a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"])"#);
        s["names"].clone()
    };
    assert_eq!(
        alarms(&m).as_array().map(Vec::len),
        Some(3),
        "kept alarms survive --apply"
    );
    let (code, applied) = m.remediate(
        "alarm-added",
        &[
            "--delete-added",
            "aws_cloudwatch_metric_alarm",
            "--apply",
            "--yes",
        ],
    );
    assert_eq!(code, Some(0), "{applied}");
    assert_eq!(ops(&applied), ["DeleteAlarms"], "{applied}");
    assert_eq!(
        alarms(&m),
        serde_json::json!(["attest-root-use", "attest-trail-changes"])
    );

    // 8. A log group's retention shortened and its metric filter deleted: both come back.
    m.boto(
        r#"
logs.create_log_group(logGroupName="attest-trail")
logs.put_retention_policy(logGroupName="attest-trail", retentionInDays=365)
logs.put_metric_filter(logGroupName="attest-trail", filterName="attest-root-use",
    filterPattern='{ $.userIdentity.type = "Root" }',
    metricTransformations=[{"metricName": "RootUse", "metricNamespace": "CISBenchmark", "metricValue": "1"}])
"#,
    );
    m.env_add("logs", "logs");
    m.scan_and_baseline("logs");
    m.boto(
        r#"
logs.put_retention_policy(logGroupName="attest-trail", retentionInDays=1)
logs.delete_metric_filter(logGroupName="attest-trail", filterName="attest-root-use")
"#,
    );
    let plan = m.remediate_and_verify("logs", &["PutRetentionPolicy", "PutMetricFilter"]);
    // The filter is re-created (restore) before the retention is set back (modify).
    assert_eq!(ops(&plan), ["PutMetricFilter", "PutRetentionPolicy"], "{plan}");
    assert_eq!(plan["actions"][0]["call"]["service"], "logs", "{plan}");
    let s = m.boto(
        r#"
state["retention"] = logs.describe_log_groups(logGroupNamePrefix="attest-trail")["logGroups"][0]["retentionInDays"]
f = logs.describe_metric_filters(logGroupName="attest-trail")["metricFilters"]
state["filters"] = [[x["filterName"], x["filterPattern"], x["metricTransformations"][0]["metricName"]] for x in f]
"#,
    );
    assert_eq!(s["retention"], 365);
    assert_eq!(
        s["filters"],
        serde_json::json!([["attest-root-use", "{ $.userIdentity.type = \"Root\" }", "RootUse"]])
    );

    // 9. A deleted log group: re-created, empty, with its key and retention.
    m.boto(
        r#"
logs.create_log_group(logGroupName="attest-audit", kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/logs")
logs.put_retention_policy(logGroupName="attest-audit", retentionInDays=400)
"#,
    );
    m.env_add("log-group-deleted", "logs");
    m.scan_and_baseline("log-group-deleted");
    m.boto(r#"logs.delete_log_group(logGroupName="attest-audit")"#);
    let plan = m.remediate_and_verify("log-group-deleted", &["CreateLogGroup", "PutRetentionPolicy"]);
    assert_eq!(ops(&plan), ["CreateLogGroup", "PutRetentionPolicy"], "{plan}");
    assert!(
        plan["actions"][0]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("empty")),
        "{plan}"
    );
    let s = m.boto(
        r#"
g = logs.describe_log_groups(logGroupNamePrefix="attest-audit")["logGroups"][0]
state["group"] = [g.get("kmsKeyId"), g.get("retentionInDays")]
"#,
    );
    assert_eq!(
        s["group"],
        serde_json::json!(["arn:aws:kms:us-east-1:123456789012:key/logs", 400])
    );
}
