//! Recording a scan: its snapshot, findings, drift against the baseline and the events they give,
//! all in one transaction.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;
use sqlx::{Any, Row, Transaction};

use attest_core::Snapshot;
use attest_engine::drift::{self, DriftKind, DriftReport, Ignore, ResourceDrift};

use crate::{Environment, NewEvent, Result, Store, COMPLIANCE, DRIFT};

/// One finding as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub rule_id: String,
    pub resource_id: String,
    pub resource_type: String,
    /// pass, fail, unknown or waived.
    pub outcome: String,
    pub severity: String,
    pub message: String,
    /// `framework:criterion` the rule evidences.
    pub controls: Vec<String>,
}

/// A scan to record.
#[derive(Debug, Clone)]
pub struct NewScan {
    pub started_at: String,
    pub finished_at: String,
    pub rules_version: String,
    pub inputs: serde_json::Value,
    /// Outcome counts overall, per framework and criterion. The store adds `changes`: what changed
    /// since the previous scan.
    pub summary: serde_json::Value,
    pub timings: serde_json::Value,
    pub snapshot: Snapshot,
    pub findings: Vec<FindingRow>,
}

/// What recording a scan did.
#[derive(Debug, Clone)]
pub struct RecordedScan {
    pub id: i64,
    /// Drift against the baseline in force, if one is set.
    pub drift: Option<DriftReport>,
    pub events: Vec<NewEvent>,
}

/// Environment variable that makes a scan pause after writing everything and before committing,
/// for that many seconds: it lets tests kill a scan in the middle of its write.
pub const PAUSE_BEFORE_COMMIT: &str = "ATTEST_STORE_PAUSE_BEFORE_COMMIT";

/// A value bound to a statement.
enum Arg {
    Int(i64),
    MaybeInt(Option<i64>),
    Text(String),
    MaybeText(Option<String>),
}

/// Rows per INSERT statement are bounded so that a statement stays under every back end's limit
/// on bound values.
const MAX_ARGS: usize = 4000;

async fn insert_rows(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Arg>>,
) -> Result<()> {
    let per_statement = (MAX_ARGS / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                // Anonymous `?` on SQLite: sqlx looks up every named parameter by name, which
                // SQLite answers by a linear walk (quadratic in a statement's parameters).
                n += 1;
                if store.is_postgres() {
                    sql.push_str(&format!("${n}"));
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for arg in row {
                q = match arg {
                    Arg::Int(v) => q.bind(v),
                    Arg::MaybeInt(v) => q.bind(v),
                    Arg::Text(v) => q.bind(v),
                    Arg::MaybeText(v) => q.bind(v),
                };
            }
        }
        q.execute(&mut **tx)
            .await
            .map_err(store.err(format!("writing {table}")))?;
    }
    Ok(())
}

pub(crate) async fn insert_events(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    environment_id: i64,
    scan_id: Option<i64>,
    at: &str,
    events: &[NewEvent],
) -> Result<()> {
    let rows = events
        .iter()
        .map(|e| {
            vec![
                Arg::Int(environment_id),
                Arg::MaybeInt(scan_id),
                Arg::Text(at.to_string()),
                Arg::Text(e.kind.to_string()),
                Arg::Text(e.subject.clone()),
                Arg::Text(e.summary.clone()),
                Arg::Text(e.detail.to_string()),
            ]
        })
        .collect();
    insert_rows(
        store,
        tx,
        "events",
        &[
            "environment_id",
            "scan_id",
            "at",
            "kind",
            "subject",
            "summary",
            "detail",
        ],
        rows,
    )
    .await
}

/// One line about a resource's drift.
pub fn drift_summary(d: &ResourceDrift) -> String {
    let what = match d.kind {
        DriftKind::Added => "ADDED",
        DriftKind::Removed => "REMOVED",
        DriftKind::Modified => "MODIFIED",
    };
    let mut line = format!("{what} {} {}", d.resource_type, d.key);
    if d.kind == DriftKind::Modified {
        let mut paths: Vec<&str> = d.changes.iter().map(|c| c.path.as_str()).collect();
        paths.dedup();
        line.push_str(&format!(": {}", paths.join(", ")));
    }
    line
}

impl Store {
    /// Records a scan of `env`: its snapshot and findings, its drift against the baseline in force
    /// (volatile attributes per `ignore`), and the events that differ from the previous scan — a
    /// resource newly drifted, drifting differently or back to baseline; a rule newly failing or
    /// no longer failing on a resource. Everything is written in one transaction.
    pub async fn record_scan(
        &self,
        env: &Environment,
        mut scan: NewScan,
        ignore: &Ignore,
    ) -> Result<RecordedScan> {
        let previous = self.latest_scan(env).await?;
        let baseline = self.baseline(env).await?;
        let drift = match &baseline {
            Some(b) => Some(drift::diff(&b.doc()?.snapshot(), &scan.snapshot, ignore)),
            None => None,
        };
        let mut events = Vec::new();

        // Drift events: only what differs from the previous scan's drift against the same baseline.
        let previous_state: HashMap<String, String> = match (&previous, &baseline) {
            (Some(p), Some(b)) if p.baseline_id == Some(b.id) => self.drift_state(p.id).await?,
            _ => HashMap::new(),
        };
        let mut state_rows = Vec::new();
        if let Some(d) = &drift {
            for r in &d.resources {
                let fp = drift::fingerprint(r);
                if previous_state.get(&r.key) != Some(&fp) {
                    events.push(NewEvent {
                        kind: DRIFT,
                        subject: r.key.clone(),
                        summary: drift_summary(r),
                        detail: serde_json::to_value(r).unwrap_or_default(),
                    });
                }
                state_rows.push((r.key.clone(), r.kind, fp));
            }
            let now_drifted: std::collections::HashSet<&str> =
                d.resources.iter().map(|r| r.key.as_str()).collect();
            let mut back: Vec<&String> = previous_state
                .keys()
                .filter(|k| !now_drifted.contains(k.as_str()) && !d.unread.contains(k))
                .collect();
            back.sort();
            for key in back {
                events.push(NewEvent {
                    kind: DRIFT,
                    subject: key.clone(),
                    summary: format!("RESOLVED {key}: back to baseline"),
                    detail: json!({ "key": key, "kind": "RESOLVED" }),
                });
            }
        }

        // What changed since the previous scan, and compliance transitions.
        let mut changes = json!({});
        if let Some(p) = &previous {
            let since = drift::diff(&self.snapshot(p.id).await?, &scan.snapshot, ignore);
            let (added, removed, modified) = since.counts();
            let before: BTreeMap<(String, String), String> = self
                .outcomes(p.id)
                .await?
                .into_iter()
                .map(|(rule, res, outcome)| ((rule, res), outcome))
                .collect();
            let (mut newly_failing, mut resolved) = (0, 0);
            for f in &scan.findings {
                let was = before.get(&(f.rule_id.clone(), f.resource_id.clone()));
                let failed_before = was.is_some_and(|o| o == "fail");
                if f.outcome == "fail" && !failed_before {
                    newly_failing += 1;
                    events.push(NewEvent {
                        kind: COMPLIANCE,
                        subject: format!("{} {}", f.rule_id, f.resource_id),
                        summary: format!("FAILING {} on {}: {}", f.rule_id, f.resource_id, f.message),
                        detail: json!({
                            "rule_id": f.rule_id, "resource_id": f.resource_id, "resource_type": f.resource_type,
                            "severity": f.severity, "before": was, "after": "fail", "message": f.message,
                            "controls": f.controls,
                        }),
                    });
                } else if f.outcome != "fail" && failed_before {
                    resolved += 1;
                    events.push(NewEvent {
                        kind: COMPLIANCE,
                        subject: format!("{} {}", f.rule_id, f.resource_id),
                        summary: format!("{} {} on {}", if f.outcome == "pass" { "FIXED" } else { "NO LONGER FAILING" }, f.rule_id, f.resource_id),
                        detail: json!({
                            "rule_id": f.rule_id, "resource_id": f.resource_id, "resource_type": f.resource_type,
                            "severity": f.severity, "before": "fail", "after": f.outcome, "message": f.message,
                            "controls": f.controls,
                        }),
                    });
                }
            }
            changes = json!({
                "previous_scan": p.id,
                "added": added, "removed": removed, "modified": modified,
                "newly_failing": newly_failing, "no_longer_failing": resolved,
            });
        }
        if let Some(obj) = scan.summary.as_object_mut() {
            obj.insert("changes".into(), changes);
            if let Some(d) = &drift {
                let (added, removed, modified) = d.counts();
                obj.insert(
                    "drift".into(),
                    json!({ "baseline_id": baseline.as_ref().map(|b| b.id), "added": added, "removed": removed, "modified": modified }),
                );
            }
        }

        let mut tx = self
            .pool()
            .begin()
            .await
            .map_err(self.err("starting the scan's transaction"))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scans (environment_id, started_at, finished_at, attest_version, rules_version, \
             baseline_id, previous_scan_id, resource_count, inputs, summary, timings, unread) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(env.id)
        .bind(scan.started_at.clone())
        .bind(scan.finished_at.clone())
        .bind(env!("CARGO_PKG_VERSION"))
        .bind(scan.rules_version.clone())
        .bind(baseline.as_ref().map(|b| b.id))
        .bind(previous.as_ref().map(|p| p.id))
        .bind(scan.snapshot.resources.len() as i64)
        .bind(scan.inputs.to_string())
        .bind(scan.summary.to_string())
        .bind(scan.timings.to_string())
        .bind(serde_json::to_string(&scan.snapshot.unread).unwrap_or_else(|_| "[]".into()))
        .fetch_one(&mut *tx)
        .await
        .map_err(self.err("writing the scan"))?;
        let resources = std::mem::take(&mut scan.snapshot.resources)
            .into_iter()
            .map(|r| {
                vec![
                    Arg::Int(id),
                    Arg::Text(r.key),
                    Arg::Text(r.resource_type),
                    Arg::MaybeText(r.physical_id),
                    Arg::MaybeText(r.account),
                    Arg::MaybeText(r.region),
                    Arg::Text(r.attributes.to_string()),
                ]
            })
            .collect();
        insert_rows(
            self,
            &mut tx,
            "scan_resources",
            &[
                "scan_id",
                "key",
                "type",
                "physical_id",
                "account",
                "region",
                "attributes",
            ],
            resources,
        )
        .await?;
        let findings = std::mem::take(&mut scan.findings)
            .into_iter()
            .map(|f| {
                vec![
                    Arg::Int(id),
                    Arg::Text(f.rule_id),
                    Arg::Text(f.resource_id),
                    Arg::Text(f.resource_type),
                    Arg::Text(f.outcome),
                    Arg::Text(f.severity),
                    Arg::Text(f.message),
                    Arg::Text(serde_json::to_string(&f.controls).unwrap_or_else(|_| "[]".into())),
                ]
            })
            .collect();
        insert_rows(
            self,
            &mut tx,
            "findings",
            &[
                "scan_id",
                "rule_id",
                "resource_id",
                "resource_type",
                "outcome",
                "severity",
                "message",
                "controls",
            ],
            findings,
        )
        .await?;
        let state = state_rows
            .into_iter()
            .map(|(key, kind, fp)| {
                vec![
                    Arg::Int(id),
                    Arg::Text(key),
                    Arg::Text(format!("{kind:?}").to_uppercase()),
                    Arg::Text(fp),
                ]
            })
            .collect();
        insert_rows(
            self,
            &mut tx,
            "drift_state",
            &["scan_id", "key", "kind", "fingerprint"],
            state,
        )
        .await?;
        insert_events(self, &mut tx, env.id, Some(id), &scan.finished_at, &events).await?;
        if let Some(secs) = std::env::var(PAUSE_BEFORE_COMMIT)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            eprintln!("attest: store: scan #{id} written, pausing {secs} s before commit");
            std::thread::sleep(std::time::Duration::from_secs(secs));
        }
        tx.commit().await.map_err(self.err("committing the scan"))?;
        Ok(RecordedScan { id, drift, events })
    }

    /// key → drift fingerprint of a scan.
    async fn drift_state(&self, scan_id: i64) -> Result<HashMap<String, String>> {
        let rows = sqlx::query("SELECT key, fingerprint FROM drift_state WHERE scan_id = $1")
            .bind(scan_id)
            .fetch_all(self.pool())
            .await
            .map_err(self.err(format!("reading the drift of scan {scan_id}")))?;
        rows.iter()
            .map(|r| {
                let get = |e| self.err("reading drift state")(e);
                Ok((r.try_get(0).map_err(get)?, r.try_get(1).map_err(get)?))
            })
            .collect()
    }
}
