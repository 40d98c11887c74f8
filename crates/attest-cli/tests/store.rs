//! Environments, recorded scans, baselines, drift and events as a user runs them, on Terraform code
//! (the live AWS flow is in tests/live_drift.rs).

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn attest(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ATTEST_DATABASE", dir.join("store/attest.db"))
        .env_remove("ATTEST_STORE_PAUSE_BEFORE_COMMIT")
        .output()
        .expect("run attest")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

const WEB_443: &str = r#"
resource "aws_security_group" "web" {
  name        = "web"
  description = "web servers"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join("infra")).expect("mkdir");
    std::fs::write(dir.join("infra").join(name), text).expect("write");
}

#[test]
fn environment_scans_baseline_drift_and_events() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(dir, "main.tf", WEB_443);

    let o = attest(dir, &["env", "add", "web", "--path", "infra"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("added environment `web`"), "{}", err(&o));
    let o = attest(dir, &["env", "add", "web", "--path", "infra"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("exists already"), "{}", err(&o));
    let o = attest(dir, &["env", "list"]);
    assert!(out(&o).starts_with("web "), "{}", out(&o));

    // Scan 1, recorded; the report is the usual one.
    let o = attest(dir, &["scan", "--env", "web", "--fail-on", "none", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("recorded scan #1 of `web`"), "{}", err(&o));
    assert!(err(&o).contains("no baseline set"), "{}", err(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json report");
    assert_eq!(report["summary"]["resources"], 2);

    let o = attest(dir, &["drift", "web"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("has no baseline"), "{}", err(&o));

    let o = attest(dir, &["baseline", "set", "web"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("is scan #1 (2 resources)"), "{}", err(&o));
    let o = attest(dir, &["drift", "web"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("No drift."), "{}", out(&o));

    // Change the code: open port 80 to the world, add a user.
    write(
        dir,
        "main.tf",
        &WEB_443.replace("443", "80").replace("10.0.0.0/8", "0.0.0.0/0"),
    );
    write(
        dir,
        "users.tf",
        "resource \"aws_iam_user\" \"eve\" {\n  name = \"eve\"\n}\n",
    );
    let o = attest(dir, &["scan", "--env", "web", "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("recorded scan #2 of `web`") && err(&o).contains("1 added, 0 removed, 1 modified"),
        "{}",
        err(&o)
    );

    let o = attest(dir, &["drift", "web"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("ADDED aws_iam_user aws_iam_user.eve"), "{text}");
    assert!(
        text.contains("MODIFIED aws_security_group aws_security_group.web"),
        "{text}"
    );
    assert!(text.contains("ingress[]: (absent) → {"), "{text}");
    assert!(text.contains("\"from_port\":80"), "{text}");
    assert!(!text.contains("aws_s3_bucket"), "{text}");

    let o = attest(dir, &["drift", "web", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    assert_eq!(j["environment"], "web");
    assert_eq!(j["summary"]["added"], 1);
    assert_eq!(j["summary"]["modified"], 1);
    let sg = j["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["key"] == "aws_security_group.web"))
        .expect("sg drift");
    let changes = sg["changes"].as_array().expect("changes");
    let removed = changes.iter().find(|c| c.get("new").is_none()).expect("old rule");
    let added = changes.iter().find(|c| c.get("old").is_none()).expect("new rule");
    assert_eq!(removed["old"]["from_port"], 443);
    assert_eq!(added["new"]["from_port"], 80);
    assert_eq!(added["new"]["cidr_blocks"][0], "0.0.0.0/0");

    // The same, against a scan id.
    let o = attest(dir, &["drift", "web", "--against", "scan:1", "--format", "json"]);
    let k: serde_json::Value = serde_json::from_slice(&o.stdout).expect("drift json");
    assert_eq!(k["resources"], j["resources"]);

    // `[drift] ignore` leaves the rules out; the user is still drift.
    std::fs::write(
        dir.join("drift.toml"),
        "[drift]\nignore = [\"aws_security_group.ingress\"]\n",
    )
    .expect("write");
    let o = attest(dir, &["drift", "web", "--config", "drift.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out(&o).contains("MODIFIED"), "{}", out(&o));
    assert!(out(&o).contains("ADDED aws_iam_user"), "{}", out(&o));
    std::fs::write(dir.join("bad.toml"), "[drift]\nignore = [\"\"]\n").expect("write");
    let o = attest(dir, &["drift", "web", "--config", "bad.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("bad.toml"), "{}", err(&o));

    // History: both scans, what changed between them, counts per framework.
    let o = attest(dir, &["history", "web", "--criteria"]);
    let h = out(&o);
    assert!(h.contains("#2") && h.contains("#1"), "{h}");
    assert!(
        h.contains("since #1: 1 added, 0 removed, 1 modified resources"),
        "{h}"
    );
    assert!(h.contains("soc2:") && h.contains("CC6.1"), "{h}");
    let o = attest(dir, &["history", "web", "--format", "json"]);
    let scans: serde_json::Value = serde_json::from_slice(&o.stdout).expect("history json");
    assert_eq!(scans[0]["id"], 2);
    assert!(
        scans[0]["summary"]["changes"]["newly_failing"]
            .as_u64()
            .unwrap_or(0)
            >= 1
    );

    // Events: the baseline, the drift of both resources, the rules newly failing.
    let o = attest(dir, &["events", "web"]);
    let ev = out(&o);
    assert!(ev.contains("BASELINE"), "{ev}");
    assert!(
        ev.contains("DRIFT       ADDED aws_iam_user aws_iam_user.eve"),
        "{ev}"
    );
    assert!(
        ev.contains("DRIFT       MODIFIED aws_security_group aws_security_group.web: ingress[]"),
        "{ev}"
    );
    assert!(ev.contains("COMPLIANCE  FAILING"), "{ev}");
    let o = attest(
        dir,
        &["events", "web", "--kind", "compliance", "--format", "json"],
    );
    let ev: serde_json::Value = serde_json::from_slice(&o.stdout).expect("events json");
    assert!(ev
        .as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|e| e["kind"] == "COMPLIANCE")));
    let o = attest(dir, &["events", "web", "--kind", "bogus"]);
    assert_eq!(o.status.code(), Some(2));

    // Baseline as code: export, import elsewhere, export again: the same bytes.
    let o = attest(dir, &["baseline", "export", "web", "-o", "web.baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let first = std::fs::read(dir.join("web.baseline.json")).expect("read");
    assert_eq!(
        attest(dir, &["env", "add", "copy", "--path", "infra"])
            .status
            .code(),
        Some(0)
    );
    let o = attest(dir, &["baseline", "import", "copy", "web.baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    attest(dir, &["baseline", "export", "copy", "-o", "copy.baseline.json"]);
    assert_eq!(
        std::fs::read(dir.join("copy.baseline.json")).expect("read"),
        first
    );
    // And the file itself is something to compare with.
    let o = attest(dir, &["drift", "web", "--against", "web.baseline.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("against baseline file web.baseline.json"),
        "{}",
        out(&o)
    );

    std::fs::write(
        dir.join("broken.json"),
        "{\n  \"attest_baseline\": 1,\n  nope\n}\n",
    )
    .expect("write");
    let o = attest(dir, &["baseline", "import", "copy", "broken.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("broken.json:3:3"), "{}", err(&o));

    let o = attest(dir, &["env", "remove", "copy"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = attest(dir, &["env", "show", "copy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no environment named `copy`"), "{}", err(&o));
}

#[test]
fn secrets_are_redacted_in_stored_snapshots() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        dir,
        "db.tf",
        "resource \"aws_db_instance\" \"db\" {\n  identifier = \"db\"\n  password = \"hunter2-very-secret\"\n}\n",
    );
    attest(dir, &["env", "add", "db", "--path", "infra"]);
    assert!(attest(dir, &["scan", "--env", "db", "--fail-on", "none"])
        .status
        .success());
    attest(dir, &["baseline", "set", "db"]);
    attest(dir, &["baseline", "export", "db", "-o", "db.json"]);
    let text = std::fs::read_to_string(dir.join("db.json")).expect("read");
    assert!(text.contains("\"password\": \"(redacted)\""), "{text}");
    let store = std::fs::read(dir.join("store/attest.db")).expect("read store");
    let needle = b"hunter2-very-secret";
    assert!(!store.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn bad_store_locations_and_names_are_clear_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let o = attest(dir, &["--database", dir.to_str().unwrap_or("."), "env", "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("it is a directory"), "{}", err(&o));
    let o = attest(dir, &["env", "add", "no good", "--path", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not a valid environment name"), "{}", err(&o));
    let o = attest(dir, &["env", "add", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--aws"), "{}", err(&o));
    let o = attest(dir, &["env", "add", "x", "--path", "does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("does-not-exist"), "{}", err(&o));
    let o = attest(dir, &["scan", "--env", "missing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no environment named `missing`"), "{}", err(&o));
}

/// A scan killed while its transaction is open leaves the store as it was; readers work while a
/// scan is being written.
fn killed_scan_case(database: Option<String>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let db = database.unwrap_or_else(|| dir.join("store/attest.db").display().to_string());
    let attest = |dir: &Path, args: &[&str]| {
        let mut all = vec!["--database", db.as_str()];
        all.extend_from_slice(args);
        attest(dir, &all)
    };
    write(dir, "main.tf", WEB_443);
    attest(dir, &["env", "add", "web", "--path", "infra"]);
    assert!(attest(dir, &["scan", "--env", "web", "--fail-on", "none"])
        .status
        .success());
    attest(dir, &["baseline", "set", "web"]);
    write(
        dir,
        "users.tf",
        "resource \"aws_iam_user\" \"eve\" {\n  name = \"eve\"\n}\n",
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_attest"))
        .args([
            "scan",
            "--env",
            "web",
            "--fail-on",
            "none",
            "-o",
            "report.json",
            "-f",
            "json",
        ])
        .current_dir(dir)
        .env("ATTEST_DATABASE", &db)
        .env("ATTEST_STORE_PAUSE_BEFORE_COMMIT", "60")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let paused = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.contains("pausing 60 s before commit"));
    assert!(paused, "the scan never reached its commit");

    // While the write transaction is open, readers see the committed state.
    let o = attest(dir, &["history", "web", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let scans: serde_json::Value = serde_json::from_slice(&o.stdout).expect("history json");
    assert_eq!(scans.as_array().map(Vec::len), Some(1));

    child.kill().expect("SIGKILL");
    child.wait().expect("wait");

    let o = attest(dir, &["history", "web", "--format", "json"]);
    let scans: serde_json::Value = serde_json::from_slice(&o.stdout).expect("history json");
    assert_eq!(scans.as_array().map(Vec::len), Some(1), "{scans}");
    let o = attest(dir, &["events", "web", "--kind", "drift"]);
    assert!(out(&o).contains("No events"), "{}", out(&o));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let store = attest_store::Store::open(&db).await.expect("open");
        assert_eq!(store.orphans().await.expect("orphans"), 0);
        let counts: std::collections::HashMap<String, i64> =
            store.table_counts().await.expect("counts").into_iter().collect();
        assert_eq!(counts["scans"], 1);
        assert_eq!(counts["scan_resources"], 2);
        store.close().await;
    });

    // The next scan records normally (PostgreSQL does not give back the id the killed scan
    // took: ids grow, they need not be consecutive).
    let o = attest(dir, &["scan", "--env", "web", "--fail-on", "none"]);
    assert!(err(&o).contains("recorded scan #"), "{}", err(&o));
    assert!(err(&o).contains("1 added, 0 removed, 0 modified"), "{}", err(&o));
    let o = attest(dir, &["history", "web", "--format", "json"]);
    let scans: serde_json::Value = serde_json::from_slice(&o.stdout).expect("history json");
    assert_eq!(scans.as_array().map(Vec::len), Some(2), "{scans}");
}

#[test]
fn killed_scan_leaves_the_previous_state() {
    killed_scan_case(None);
}

/// The same on PostgreSQL (the server scripts/services.sh starts).
#[test]
fn killed_scan_leaves_the_previous_state_on_postgres() {
    let url = match std::env::var("ATTEST_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "ATTEST_TEST_POSTGRES_URL is not set in CI: run the tests through scripts/services.sh"
            );
            eprintln!("notice: ATTEST_TEST_POSTGRES_URL is not set; skipping");
            return;
        }
    };
    let name = format!("attest_cli_kill_{}", std::process::id());
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        let o = Command::new("psql")
            .arg(&url)
            .arg("-qc")
            .arg(&sql)
            .output()
            .expect("psql");
        assert!(o.status.success(), "{}", err(&o));
    }
    let base = url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(url);
    killed_scan_case(Some(format!("{base}/{name}")));
}
