//! A live AWS environment on moto for the CLI's drift and remediation tests: change the account
//! with boto3 the way a user would, run `attest` against it, read its JSON answers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// moto, a Python with boto3 (both from scripts/services.sh) and a scratch directory holding the
/// store. `None` (with a notice) when the services are not running outside CI.
pub struct Moto {
    pub endpoint: String,
    pub python: String,
    pub dir: tempfile::TempDir,
}

impl Moto {
    /// Resets moto: every test starts from an empty account.
    pub fn start() -> Option<Moto> {
        let (endpoint, python) = match (
            std::env::var("ATTEST_MOTO_ENDPOINT"),
            std::env::var("ATTEST_SERVICES_PYTHON"),
        ) {
            (Ok(e), Ok(p)) if !e.is_empty() && !p.is_empty() => (e, p),
            _ => {
                assert!(
                        std::env::var_os("CI").is_none(),
                        "ATTEST_MOTO_ENDPOINT / ATTEST_SERVICES_PYTHON are not set in CI: run the tests through scripts/services.sh"
                    );
                eprintln!("notice: moto is not running; skipping a live test");
                return None;
            }
        };
        let reset = Command::new("curl")
            .args(["-sf", "-X", "POST", &format!("{endpoint}/moto-api/reset")])
            .output()
            .expect("curl");
        assert!(reset.status.success(), "moto reset failed");
        Some(Moto {
            endpoint,
            python,
            dir: tempfile::tempdir().expect("tempdir"),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs boto3 code. In scope: `json`, clients `ec2 iam ddb kms logs cw s3 ct` (us-east-1),
    /// `c(name, region="us-east-1")` for others, and `state`, a dict kept in `state.json` between
    /// calls. Returns `state` after the code ran.
    pub fn boto(&self, code: &str) -> serde_json::Value {
        let endpoint = &self.endpoint;
        let script = format!(
            r#"
import json, os, boto3
E = {endpoint:?}
def c(name, region="us-east-1"): return boto3.client(name, endpoint_url=E, region_name=region,
    aws_access_key_id="testing", aws_secret_access_key="testing")
ec2, iam, ddb, kms, logs, cw, s3, ct = (c("ec2"), c("iam"), c("dynamodb"), c("kms"), c("logs"),
    c("cloudwatch"), c("s3"), c("cloudtrail"))
path = "state.json"
state = json.load(open(path)) if os.path.exists(path) else {{}}
{code}
json.dump(state, open(path, "w"))
"#
        );
        let o = Command::new(&self.python)
            .arg("-c")
            .arg(script)
            .current_dir(self.path())
            .output()
            .expect("run python");
        assert!(
            o.status.success(),
            "boto3 step failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_str(&std::fs::read_to_string(self.path().join("state.json")).expect("state"))
            .expect("state json")
    }

    /// Runs `attest` with the test store and moto's credentials.
    pub fn attest(&self, args: &[&str]) -> Output {
        self.attest_with(args, &[])
    }

    pub fn attest_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_attest"));
        c.args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("ATTEST_DATABASE", self.store())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env_remove("ATTEST_STORE_PAUSE_BEFORE_COMMIT");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run attest")
    }

    pub fn store(&self) -> PathBuf {
        self.path().join("attest.db")
    }

    /// `attest env add NAME --aws` against moto, us-east-1, only these services.
    pub fn env_add(&self, name: &str, services: &str) {
        let o = self.attest(&[
            "env",
            "add",
            name,
            "--aws",
            "--endpoint-url",
            &self.endpoint,
            "--region",
            "us-east-1",
            "--services",
            services,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }

    /// `attest scan --env NAME`, recorded; returns stderr.
    pub fn scan(&self, name: &str) -> String {
        let o = self.attest(&[
            "scan",
            "--env",
            name,
            "--fail-on",
            "none",
            "-f",
            "json",
            "-o",
            "report.json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stderr(&o)
    }

    /// Scan, then make it the baseline.
    pub fn scan_and_baseline(&self, name: &str) {
        self.scan(name);
        let o = self.attest(&["baseline", "set", name]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }

    /// `attest drift NAME --format json` (exit code, parsed answer).
    pub fn drift(&self, name: &str) -> (Option<i32>, serde_json::Value) {
        let o = self.attest(&["drift", name, "--format", "json"]);
        let v =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("drift json: {e}: {}", stderr(&o)));
        (o.status.code(), v)
    }

    /// `attest remediate NAME --format json [args]` (exit code, parsed plan or result).
    pub fn remediate(&self, name: &str, args: &[&str]) -> (Option<i32>, serde_json::Value) {
        let mut all = vec!["remediate", name, "--format", "json"];
        all.extend_from_slice(args);
        let o = self.attest(&all);
        let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "remediate json: {e}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                stderr(&o)
            )
        });
        (o.status.code(), v)
    }

    /// `attest events NAME --kind KIND --format json`.
    pub fn events(&self, name: &str, kind: &str) -> Vec<serde_json::Value> {
        let o = self.attest(&["events", name, "--kind", kind, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("events json");
        v.as_array().cloned().unwrap_or_default()
    }

    /// The whole cycle most tests share: after the account drifted, plan (asserting the plan
    /// names every `expected` operation), apply with `--yes`, and check that a fresh scan has no
    /// drift left and that the REMEDIATION events were recorded. Returns the plan.
    pub fn remediate_and_verify(&self, name: &str, expected: &[&str]) -> serde_json::Value {
        self.scan(name);
        let (code, plan) = self.remediate(name, &[]);
        assert_eq!(code, Some(1), "a plan with actions exits 1: {plan}");
        let ops: Vec<&str> = plan["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["call"]["operation"].as_str())
            .collect();
        for op in expected {
            assert!(ops.contains(op), "the plan has no {op}: {plan}");
        }
        assert!(
            plan["manual"].as_array().is_some_and(Vec::is_empty),
            "manual items: {plan}"
        );
        let (code, applied) = self.remediate(name, &["--apply", "--yes"]);
        assert_eq!(code, Some(0), "apply: {applied}");
        let results = applied["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), ops.len(), "{applied}");
        assert!(results.iter().all(|r| r["status"] == "applied"), "{applied}");
        // `--apply` rescans and records: no drift is left.
        let (code, drift) = self.drift(name);
        assert_eq!(code, Some(0), "drift left after remediation: {drift}");
        let events = self.events(name, "remediation");
        assert_eq!(events.len(), ops.len(), "{events:?}");
        // Running it again changes nothing.
        let (code, again) = self.remediate(name, &["--apply", "--yes"]);
        assert_eq!(code, Some(0), "{again}");
        assert!(again["actions"].as_array().is_some_and(Vec::is_empty), "{again}");
        plan
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
