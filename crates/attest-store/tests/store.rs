//! The store's behaviour, the same tests on SQLite and on a real PostgreSQL server (the one
//! `scripts/services.sh` starts; `ATTEST_TEST_POSTGRES_URL`).

use serde_json::json;

use attest_core::{Snapshot, SnapshotResource};
use attest_engine::drift::Ignore;
use attest_store::{FindingRow, NewScan, Store, BASELINE, COMPLIANCE, DRIFT};

fn res(key: &str, ty: &str, attrs: serde_json::Value) -> SnapshotResource {
    SnapshotResource {
        key: key.into(),
        resource_type: ty.into(),
        physical_id: None,
        account: Some("123456789012".into()),
        region: Some("us-east-1".into()),
        attributes: attrs,
    }
}

fn finding(rule: &str, resource: &str, outcome: &str) -> FindingRow {
    FindingRow {
        rule_id: rule.into(),
        resource_id: resource.into(),
        resource_type: "aws_security_group".into(),
        outcome: outcome.into(),
        severity: "high".into(),
        message: format!("{rule} {outcome}"),
        controls: vec!["soc2:CC6.1".into()],
    }
}

fn scan(resources: Vec<SnapshotResource>, findings: Vec<FindingRow>) -> NewScan {
    NewScan {
        started_at: "2026-11-29T00:00:00.000Z".into(),
        finished_at: "2026-11-29T00:00:01.000Z".into(),
        rules_version: "test".into(),
        inputs: json!({"inputs": []}),
        summary: json!({"counts": {"pass": 1}}),
        timings: json!({}),
        snapshot: Snapshot::new(resources, vec![]),
        findings,
    }
}

fn sg(port: i64) -> serde_json::Value {
    json!({"name": "web", "ingress": [{"from_port": port, "to_port": port, "cidr_blocks": ["10.0.0.0/8"]}]})
}

/// The whole life of an environment, on one back end.
async fn lifecycle(store: Store) {
    assert_eq!(
        store.schema_version().await.unwrap(),
        attest_store::schema::LATEST
    );

    // Environments.
    let env = store
        .add_environment("prod", "aws", &json!({"aws": {"aws": true}}))
        .await
        .unwrap();
    let e = store
        .add_environment("prod", "aws", &json!({}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("exists already"), "{e}");
    assert!(store
        .add_environment("bad name", "aws", &json!({}))
        .await
        .is_err());
    let other = store
        .add_environment("copy", "path", &json!({"paths": ["/x"]}))
        .await
        .unwrap();
    let names: Vec<String> = store
        .environments()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["copy", "prod"]);
    assert_eq!(store.environment("prod").await.unwrap(), env);
    assert!(store
        .environment("nope")
        .await
        .unwrap_err()
        .to_string()
        .contains("no environment named `nope`"));
    assert!(store
        .set_baseline(&env, None)
        .await
        .unwrap_err()
        .to_string()
        .contains("no scan yet"));

    // Scan 1: no baseline yet, so no drift and (no previous scan) no events.
    let ignore = Ignore::defaults();
    let base = vec![
        res("sg-1", "aws_security_group", sg(443)),
        res(
            "arn:aws:s3:::logs",
            "aws_s3_bucket",
            json!({"bucket": "logs", "versioning": [{"enabled": true}]}),
        ),
    ];
    let s1 = store
        .record_scan(
            &env,
            scan(base.clone(), vec![finding("r1", "sg-1", "pass")]),
            &ignore,
        )
        .await
        .unwrap();
    assert!(s1.drift.is_none() && s1.events.is_empty());
    let snap = store.snapshot(s1.id).await.unwrap();
    assert_eq!(snap, Snapshot::new(base.clone(), vec![]));

    // Baseline from the latest scan; export → import elsewhere → export is byte-identical.
    let b = store.set_baseline(&env, None).await.unwrap();
    assert_eq!(b.source_scan_id, Some(s1.id));
    let imported = store
        .import_baseline(&other, &b.document, "prod.json")
        .await
        .unwrap();
    assert_eq!(imported.document, b.document);
    assert_eq!(
        store.baseline(&other).await.unwrap().unwrap().document,
        b.document
    );
    assert!(store
        .import_baseline(&other, "{", "bad.json")
        .await
        .unwrap_err()
        .to_string()
        .starts_with("bad.json:1:"));

    // Scan 2: port changed, a user added, the rule now fails → drift and compliance events.
    let mut changed = vec![
        res("sg-1", "aws_security_group", sg(80)),
        res(
            "arn:aws:s3:::logs",
            "aws_s3_bucket",
            json!({"bucket": "logs", "versioning": [{"enabled": true}]}),
        ),
        res(
            "arn:aws:iam::123456789012:user/eve",
            "aws_iam_user",
            json!({"name": "eve"}),
        ),
    ];
    let s2 = store
        .record_scan(
            &env,
            scan(changed.clone(), vec![finding("r1", "sg-1", "fail")]),
            &ignore,
        )
        .await
        .unwrap();
    let d = s2.drift.as_ref().unwrap();
    assert_eq!(d.counts(), (1, 0, 1));
    let kinds: Vec<(&str, &str)> = s2.events.iter().map(|e| (e.kind, e.subject.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (DRIFT, "arn:aws:iam::123456789012:user/eve"),
            (DRIFT, "sg-1"),
            (COMPLIANCE, "r1 sg-1")
        ]
    );
    let info = store.scan(&env, s2.id).await.unwrap();
    assert_eq!(info.previous_scan_id, Some(s1.id));
    assert_eq!(info.baseline_id, Some(b.id));
    assert_eq!(info.summary["changes"]["added"], 1);
    assert_eq!(info.summary["changes"]["modified"], 1);
    assert_eq!(info.summary["changes"]["newly_failing"], 1);
    assert_eq!(info.summary["drift"]["modified"], 1);

    // Scan 3: the same drift again → no new events.
    let s3 = store
        .record_scan(
            &env,
            scan(changed.clone(), vec![finding("r1", "sg-1", "fail")]),
            &ignore,
        )
        .await
        .unwrap();
    assert_eq!(s3.drift.as_ref().unwrap().counts(), (1, 0, 1));
    assert!(s3.events.is_empty(), "{:?}", s3.events);

    // Scan 4: the port is back, the user stays; the rule passes again.
    changed[0] = res("sg-1", "aws_security_group", sg(443));
    let s4 = store
        .record_scan(&env, scan(changed, vec![finding("r1", "sg-1", "pass")]), &ignore)
        .await
        .unwrap();
    let summaries: Vec<&str> = s4.events.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(summaries, ["RESOLVED sg-1: back to baseline", "FIXED r1 on sg-1"]);

    // History and events as stored.
    let scans = store.scans(&env, 10).await.unwrap();
    assert_eq!(
        scans.iter().map(|s| s.id).collect::<Vec<_>>(),
        [s4.id, s3.id, s2.id, s1.id]
    );
    let events = store.events(&env, &[], None).await.unwrap();
    assert_eq!(events.first().map(|e| e.kind.as_str()), Some(BASELINE));
    assert_eq!(events.len(), 1 + 3 + 2);
    let drift_only = store.events(&env, &["drift".into()], Some(s4.id)).await.unwrap();
    assert_eq!(drift_only.len(), 1);
    assert_eq!(drift_only[0].detail["kind"], "RESOLVED");
    let modified = &events[2];
    assert_eq!(modified.subject, "sg-1");
    assert_eq!(modified.detail["kind"], "MODIFIED");

    // Removing an environment removes everything of it, and nothing of the other.
    store.remove_environment("prod").await.unwrap();
    assert!(store.environment("prod").await.is_err());
    let counts: std::collections::HashMap<String, i64> =
        store.table_counts().await.unwrap().into_iter().collect();
    assert_eq!(counts["scans"], 0);
    assert_eq!(counts["scan_resources"], 0);
    assert_eq!(counts["environments"], 1);
    assert_eq!(counts["baselines"], 1);
    assert_eq!(store.orphans().await.unwrap(), 0);
    store.close().await;
}

#[tokio::test]
async fn sqlite_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/attest.db");
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    lifecycle(store).await;
    // Reopening finds the schema in place and the data kept.
    let again = Store::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(again.environments().await.unwrap().len(), 1);
}

#[tokio::test]
async fn sqlite_bad_locations_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open(dir.path().to_str().unwrap()).await.err().unwrap();
    assert!(e.to_string().contains("it is a directory"), "{e}");
    let file = dir.path().join("not-a-db");
    std::fs::write(
        &file,
        "this is not sqlite, just text that is long enough to be read as a header…",
    )
    .unwrap();
    let e = Store::open(file.to_str().unwrap()).await.err().unwrap();
    assert!(e.to_string().contains("not-a-db"), "{e}");
}

/// A fresh database on the test server, or None outside CI when no server was started.
async fn postgres_database(name: &str) -> Option<String> {
    let url = match std::env::var("ATTEST_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "ATTEST_TEST_POSTGRES_URL is not set in CI: run the tests through scripts/services.sh"
            );
            eprintln!("notice: ATTEST_TEST_POSTGRES_URL is not set; skipping the PostgreSQL tests");
            return None;
        }
    };
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let db = format!("attest_{name}_{}", std::process::id());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db}")))
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
    Some(format!("{base}/{db}"))
}

#[tokio::test]
async fn postgres_lifecycle() {
    let Some(url) = postgres_database("lifecycle").await else {
        return;
    };
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    lifecycle(store).await;
    let again = Store::open(&url).await.unwrap();
    assert_eq!(
        again.schema_version().await.unwrap(),
        attest_store::schema::LATEST
    );
    assert_eq!(again.environments().await.unwrap().len(), 1);
}

#[tokio::test]
async fn postgres_concurrent_opens_migrate_once() {
    let Some(url) = postgres_database("concurrent").await else {
        return;
    };
    let (a, b) = tokio::join!(Store::open(&url), Store::open(&url));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.schema_version().await.unwrap(), attest_store::schema::LATEST);
    assert_eq!(b.schema_version().await.unwrap(), attest_store::schema::LATEST);
}

#[tokio::test]
async fn postgres_bad_credentials_name_the_server_not_the_password() {
    let Some(url) = postgres_database("badcreds").await else {
        return;
    };
    let bad = url.replace("postgres://postgres@", "postgres://nobody:hunter2@");
    let e = Store::open(&bad).await.err().unwrap();
    let msg = e.to_string();
    assert!(msg.contains("cannot open the store postgres://nobody@"), "{msg}");
    assert!(!msg.contains("hunter2"), "{msg}");
}
