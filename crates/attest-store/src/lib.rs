//! attest-store: environments, scans (with full snapshots and findings), baselines and events, in
//! an embedded SQLite file (the default) or a PostgreSQL database shared by a team.
//!
//! One schema for both back ends, applied by numbered migrations ([`schema`]). A scan is written in
//! one transaction: a process killed half way leaves the previous state, never a partial scan.
//! SQLite runs in WAL mode, so readers (`attest history`, the API) work while a scan is written.

mod baseline;
mod record;
pub mod schema;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use attest_core::{Snapshot, SnapshotResource};

pub use baseline::{BaselineDoc, BaselineSource, BASELINE_FORMAT};
pub use record::{FindingRow, NewScan, RecordedScan};

/// What went wrong, with what the store was doing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store {location}: {message}")]
    Open { location: String, message: String },
    #[error("store {location}: {context}: {source}")]
    Query {
        location: String,
        context: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An environment: a named thing attest scans again and again (an AWS account set, a directory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub id: i64,
    pub name: String,
    /// `aws` or `path`.
    pub kind: String,
    /// How to scan it (the command-line options it was added with), as JSON.
    pub config: serde_json::Value,
    pub created_at: String,
}

/// A recorded scan, without its resources and findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanInfo {
    pub id: i64,
    pub environment: String,
    pub started_at: String,
    pub finished_at: String,
    pub attest_version: String,
    pub rules_version: String,
    /// The baseline the scan's drift was computed against, if one was set.
    pub baseline_id: Option<i64>,
    pub previous_scan_id: Option<i64>,
    pub resource_count: i64,
    /// Inputs read and input errors.
    pub inputs: serde_json::Value,
    /// Outcome counts overall, per framework and per criterion, and what changed since the
    /// previous scan.
    pub summary: serde_json::Value,
    pub timings: serde_json::Value,
}

/// The baseline in force for an environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub id: i64,
    pub source_scan_id: Option<i64>,
    pub set_at: String,
    /// The baseline file, exactly as `baseline export` writes it.
    pub document: String,
}

impl Baseline {
    /// The parsed document.
    pub fn doc(&self) -> Result<BaselineDoc> {
        BaselineDoc::parse(&self.document, "the stored baseline")
    }
}

/// Event kinds.
pub const DRIFT: &str = "DRIFT";
pub const COMPLIANCE: &str = "COMPLIANCE";
pub const BASELINE: &str = "BASELINE";
pub const REMEDIATION: &str = "REMEDIATION";

/// Something that happened to an environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub scan_id: Option<i64>,
    pub at: String,
    /// DRIFT, COMPLIANCE, BASELINE or REMEDIATION.
    pub kind: String,
    /// The resource (or rule and resource) the event is about.
    pub subject: String,
    pub summary: String,
    pub detail: serde_json::Value,
}

/// A new event, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub kind: &'static str,
    pub subject: String,
    pub summary: String,
    pub detail: serde_json::Value,
}

/// The store.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    postgres: bool,
    location: String,
}

/// Where the store lives when none is given: `$ATTEST_DATABASE`, else `attest/attest.db` under the
/// user's data directory (`$XDG_DATA_HOME`, else `~/.local/share`).
pub fn default_location() -> Option<String> {
    if let Some(db) = std::env::var_os("ATTEST_DATABASE").filter(|v| !v.is_empty()) {
        return Some(db.to_string_lossy().into_owned());
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("attest").join("attest.db").display().to_string())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `postgres://` or `postgresql://` URLs go to PostgreSQL; anything else is a SQLite file path.
fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A SQLite URL for a file path (characters with a meaning in URLs are escaped).
fn sqlite_url(path: &Path) -> String {
    let mut url = String::from("sqlite://");
    for c in path.display().to_string().chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            c => url.push(c),
        }
    }
    url.push_str("?mode=rwc");
    url
}

/// The location with any password in a URL hidden, for messages.
fn display_location(location: &str) -> String {
    if let Some((scheme, rest)) = location.split_once("://") {
        if let Some((userinfo, host)) = rest.split_once('@') {
            let user = userinfo.split(':').next().unwrap_or_default();
            return format!("{scheme}://{user}@{host}");
        }
    }
    location.to_string()
}

impl Store {
    /// Opens (creating if needed) the store at `location`, a SQLite file path or a `postgres://`
    /// URL, and brings its schema to the newest version.
    pub async fn open(location: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let postgres = is_postgres(location);
        let shown = display_location(location);
        let open_err = |message: String| StoreError::Open {
            location: shown.clone(),
            message,
        };
        let url = if postgres {
            location.to_string()
        } else {
            let path = Path::new(location);
            if path.is_dir() {
                return Err(open_err("it is a directory; give a file path".into()));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| open_err(format!("cannot create {}: {e}", dir.display())))?;
            }
            sqlite_url(path)
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|e| open_err(e.to_string()))?;
        // One connection first: a bad password or an unreachable server is reported at once (a
        // pool would retry until its timeout).
        {
            use sqlx::Connection;
            let mut conn = sqlx::AnyConnection::connect_with(&options)
                .await
                .map_err(|e| open_err(e.to_string()))?;
            if !postgres {
                // SQLite opens files lazily: a file that is not a database fails on first use.
                use sqlx::Executor;
                conn.execute("PRAGMA journal_mode = WAL")
                    .await
                    .map_err(|e| open_err(e.to_string()))?;
            }
            let _ = conn.close().await;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if postgres { 8 } else { 4 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if !postgres {
                        use sqlx::Executor;
                        // WAL: readers go on while a scan is written. Foreign keys are off by
                        // default in SQLite. Writers wait for each other instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 30000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        let store = Store {
            pool,
            postgres,
            location: shown,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        if self.postgres {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// Where the store is (a URL's password hidden).
    pub fn location(&self) -> &str {
        &self.location
    }

    pub(crate) fn err(&self, context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError + '_ {
        let context = context.into();
        move |source| StoreError::Query {
            location: self.location.clone(),
            context,
            source,
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.postgres
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies the migrations this store lacks, all in one transaction that holds the write lock
    /// (SQLite) or an advisory lock (PostgreSQL): two processes opening a new store at once apply
    /// them once, the second waits and finds them applied.
    async fn migrate(&self) -> Result<()> {
        // Up to date (the usual case): nothing to lock, so readers never wait for a writer here.
        let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&self.pool)
            .await
            .unwrap_or(None);
        if current == Some(schema::LATEST) {
            return Ok(());
        }
        let mut tx = if self.postgres {
            let mut tx = self
                .pool
                .begin()
                .await
                .map_err(self.err("starting the migrations"))?;
            sqlx::query("SELECT pg_advisory_xact_lock(7374617465)")
                .execute(&mut *tx)
                .await
                .map_err(self.err("locking the schema"))?;
            tx
        } else {
            // IMMEDIATE takes SQLite's write lock before anything is read.
            self.pool
                .begin_with("BEGIN IMMEDIATE")
                .await
                .map_err(self.err("locking the schema"))?
        };
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .map_err(self.err("creating schema_migrations"))?;
        let current: i64 = sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut *tx)
            .await
            .map_err(self.err("reading the schema version"))?
            .unwrap_or(0);
        if current > schema::LATEST {
            return Err(StoreError::Invalid(format!(
                "the store {} has schema version {current}, newer than this attest knows ({}); upgrade attest",
                self.location,
                schema::LATEST
            )));
        }
        for (version, statements) in schema::migrations(self.postgres) {
            if version <= current {
                continue;
            }
            for statement in &statements {
                sqlx::query(sqlx::AssertSqlSafe(statement.as_str()))
                    .execute(&mut *tx)
                    .await
                    .map_err(self.err(format!("applying migration {version}")))?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(self.err(format!("recording migration {version}")))?;
        }
        tx.commit().await.map_err(self.err("committing the migrations"))
    }

    /// The schema version of the store.
    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&self.pool)
            .await
            .map_err(self.err("reading the schema version"))?;
        Ok(v.unwrap_or(0))
    }

    // ---- environments ------------------------------------------------------------------------

    /// Adds an environment. Names are unique.
    pub async fn add_environment(
        &self,
        name: &str,
        kind: &str,
        config: &serde_json::Value,
    ) -> Result<Environment> {
        validate_name(name)?;
        if self.find_environment(name).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "an environment named `{name}` exists already (`attest env remove {name}` first)"
            )));
        }
        let created_at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO environments (name, kind, config, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(kind)
        .bind(config.to_string())
        .bind(created_at.clone())
        .fetch_one(&self.pool)
        .await
        .map_err(self.err(format!("adding environment {name}")))?;
        Ok(Environment {
            id,
            name: name.to_string(),
            kind: kind.to_string(),
            config: config.clone(),
            created_at,
        })
    }

    /// Replaces an environment's configuration.
    pub async fn set_environment_config(&self, env: &Environment, config: &serde_json::Value) -> Result<()> {
        sqlx::query("UPDATE environments SET config = $1 WHERE id = $2")
            .bind(config.to_string())
            .bind(env.id)
            .execute(&self.pool)
            .await
            .map_err(self.err(format!("updating environment {}", env.name)))?;
        Ok(())
    }

    /// Every environment, by name.
    pub async fn environments(&self) -> Result<Vec<Environment>> {
        let rows = sqlx::query("SELECT id, name, kind, config, created_at FROM environments ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(self.err("listing environments"))?;
        rows.iter().map(|r| self.environment_of(r)).collect()
    }

    async fn find_environment(&self, name: &str) -> Result<Option<Environment>> {
        let row = sqlx::query("SELECT id, name, kind, config, created_at FROM environments WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(self.err(format!("reading environment {name}")))?;
        row.map(|r| self.environment_of(&r)).transpose()
    }

    /// The environment with this name.
    pub async fn environment(&self, name: &str) -> Result<Environment> {
        self.find_environment(name).await?.ok_or_else(|| {
            StoreError::NotFound(format!(
                "no environment named `{name}` in {} (`attest env list` shows them)",
                self.location
            ))
        })
    }

    fn environment_of(&self, r: &AnyRow) -> Result<Environment> {
        let get = |e| self.err("reading an environment")(e);
        let config: String = r.try_get(3).map_err(get)?;
        Ok(Environment {
            id: r.try_get(0).map_err(get)?,
            name: r.try_get(1).map_err(get)?,
            kind: r.try_get(2).map_err(get)?,
            config: parse_json(&config, "environment configuration")?,
            created_at: r.try_get(4).map_err(get)?,
        })
    }

    /// Removes an environment with its scans, baselines and events, in one transaction.
    pub async fn remove_environment(&self, name: &str) -> Result<()> {
        let env = self.environment(name).await?;
        let mut tx = self.pool.begin().await.map_err(self.err("starting a removal"))?;
        let scans = "(SELECT id FROM scans WHERE environment_id = $1)";
        for sql in [
            format!("DELETE FROM scan_resources WHERE scan_id IN {scans}"),
            format!("DELETE FROM findings WHERE scan_id IN {scans}"),
            format!("DELETE FROM drift_state WHERE scan_id IN {scans}"),
            "DELETE FROM events WHERE environment_id = $1".to_string(),
            "DELETE FROM baselines WHERE environment_id = $1".to_string(),
            "DELETE FROM scans WHERE environment_id = $1".to_string(),
            "DELETE FROM environments WHERE id = $1".to_string(),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(env.id)
                .execute(&mut *tx)
                .await
                .map_err(self.err(format!("removing environment {name}")))?;
        }
        tx.commit()
            .await
            .map_err(self.err(format!("removing environment {name}")))
    }

    // ---- scans -------------------------------------------------------------------------------

    const SCAN_COLUMNS: &'static str = "s.id, e.name, s.started_at, s.finished_at, s.attest_version, \
        s.rules_version, s.baseline_id, s.previous_scan_id, s.resource_count, s.inputs, s.summary, s.timings";

    fn scan_of(&self, r: &AnyRow) -> Result<ScanInfo> {
        let get = |e| self.err("reading a scan")(e);
        let inputs: String = r.try_get(9).map_err(get)?;
        let summary: String = r.try_get(10).map_err(get)?;
        let timings: String = r.try_get(11).map_err(get)?;
        Ok(ScanInfo {
            id: r.try_get(0).map_err(get)?,
            environment: r.try_get(1).map_err(get)?,
            started_at: r.try_get(2).map_err(get)?,
            finished_at: r.try_get(3).map_err(get)?,
            attest_version: r.try_get(4).map_err(get)?,
            rules_version: r.try_get(5).map_err(get)?,
            baseline_id: r.try_get(6).map_err(get)?,
            previous_scan_id: r.try_get(7).map_err(get)?,
            resource_count: r.try_get(8).map_err(get)?,
            inputs: parse_json(&inputs, "scan inputs")?,
            summary: parse_json(&summary, "scan summary")?,
            timings: parse_json(&timings, "scan timings")?,
        })
    }

    /// The environment's scans, newest first (at most `limit`).
    pub async fn scans(&self, env: &Environment, limit: i64) -> Result<Vec<ScanInfo>> {
        let sql = format!(
            "SELECT {} FROM scans s JOIN environments e ON e.id = s.environment_id \
             WHERE s.environment_id = $1 ORDER BY s.id DESC LIMIT $2",
            Self::SCAN_COLUMNS
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(env.id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(self.err(format!("listing the scans of {}", env.name)))?;
        rows.iter().map(|r| self.scan_of(r)).collect()
    }

    /// The newest scan of the environment.
    pub async fn latest_scan(&self, env: &Environment) -> Result<Option<ScanInfo>> {
        Ok(self.scans(env, 1).await?.into_iter().next())
    }

    /// A scan of the environment by id.
    pub async fn scan(&self, env: &Environment, id: i64) -> Result<ScanInfo> {
        let sql = format!(
            "SELECT {} FROM scans s JOIN environments e ON e.id = s.environment_id \
             WHERE s.environment_id = $1 AND s.id = $2",
            Self::SCAN_COLUMNS
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(env.id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(self.err(format!("reading scan {id}")))?;
        match row {
            Some(r) => self.scan_of(&r),
            None => Err(StoreError::NotFound(format!(
                "environment `{}` has no scan #{id} (`attest history {}` lists them)",
                env.name, env.name
            ))),
        }
    }

    /// The snapshot a scan recorded: every resource and attribute, and the scopes it could not read.
    pub async fn snapshot(&self, scan_id: i64) -> Result<Snapshot> {
        let rows = sqlx::query(
            "SELECT key, type, physical_id, account, region, attributes FROM scan_resources \
             WHERE scan_id = $1 ORDER BY key",
        )
        .bind(scan_id)
        .fetch_all(&self.pool)
        .await
        .map_err(self.err(format!("reading the resources of scan {scan_id}")))?;
        let mut resources = Vec::with_capacity(rows.len());
        for r in &rows {
            let get = |e| self.err(format!("reading the resources of scan {scan_id}"))(e);
            let attributes: String = r.try_get(5).map_err(get)?;
            resources.push(SnapshotResource {
                key: r.try_get(0).map_err(get)?,
                resource_type: r.try_get(1).map_err(get)?,
                physical_id: r.try_get(2).map_err(get)?,
                account: r.try_get(3).map_err(get)?,
                region: r.try_get(4).map_err(get)?,
                attributes: parse_json(&attributes, "resource attributes")?,
            });
        }
        let unread: String = sqlx::query_scalar("SELECT unread FROM scans WHERE id = $1")
            .bind(scan_id)
            .fetch_one(&self.pool)
            .await
            .map_err(self.err(format!("reading scan {scan_id}")))?;
        let unread = serde_json::from_str(&unread)
            .map_err(|e| StoreError::Invalid(format!("scan {scan_id}: unreadable `unread` column: {e}")))?;
        // Written canonical: only the order (the database's collation may differ) is redone.
        Ok(Snapshot::of_canonical(resources, unread))
    }

    /// (rule id, resource id) → outcome of every finding of a scan.
    pub async fn outcomes(&self, scan_id: i64) -> Result<Vec<(String, String, String)>> {
        let rows = sqlx::query(
            "SELECT rule_id, resource_id, outcome FROM findings WHERE scan_id = $1 ORDER BY rule_id, resource_id",
        )
        .bind(scan_id)
        .fetch_all(&self.pool)
        .await
        .map_err(self.err(format!("reading the findings of scan {scan_id}")))?;
        rows.iter()
            .map(|r| {
                let get = |e| self.err("reading a finding")(e);
                Ok((
                    r.try_get(0).map_err(get)?,
                    r.try_get(1).map_err(get)?,
                    r.try_get(2).map_err(get)?,
                ))
            })
            .collect()
    }

    // ---- baselines ---------------------------------------------------------------------------

    /// The baseline in force (the newest set or imported), if any.
    pub async fn baseline(&self, env: &Environment) -> Result<Option<Baseline>> {
        let row = sqlx::query(
            "SELECT id, source_scan_id, set_at, document FROM baselines WHERE environment_id = $1 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(env.id)
        .fetch_optional(&self.pool)
        .await
        .map_err(self.err(format!("reading the baseline of {}", env.name)))?;
        row.map(|r| {
            let get = |e| self.err("reading a baseline")(e);
            Ok(Baseline {
                id: r.try_get(0).map_err(get)?,
                source_scan_id: r.try_get(1).map_err(get)?,
                set_at: r.try_get(2).map_err(get)?,
                document: r.try_get(3).map_err(get)?,
            })
        })
        .transpose()
    }

    /// Makes a scan (default: the newest) the environment's baseline.
    pub async fn set_baseline(&self, env: &Environment, scan_id: Option<i64>) -> Result<Baseline> {
        let scan = match scan_id {
            Some(id) => self.scan(env, id).await?,
            None => self.latest_scan(env).await?.ok_or_else(|| {
                StoreError::NotFound(format!(
                    "environment `{}` has no scan yet: run `attest scan --env {}` first",
                    env.name, env.name
                ))
            })?,
        };
        let snapshot = self.snapshot(scan.id).await?;
        let doc = BaselineDoc::new(
            &env.name,
            BaselineSource {
                scan: Some(scan.id),
                scanned_at: Some(scan.finished_at.clone()),
            },
            snapshot,
        );
        let summary = format!(
            "baseline set from scan #{} ({} resource{})",
            scan.id,
            doc.resources.len(),
            if doc.resources.len() == 1 { "" } else { "s" }
        );
        self.put_baseline(env, Some(scan.id), doc.to_document(), summary)
            .await
    }

    /// Makes a baseline file the environment's baseline. The file is checked and stored in its
    /// canonical form, so exporting it again gives the same bytes.
    pub async fn import_baseline(&self, env: &Environment, text: &str, origin: &str) -> Result<Baseline> {
        let doc = BaselineDoc::parse(text, origin)?;
        let n = doc.resources.len();
        let summary = format!(
            "baseline imported from {origin} ({n} resource{})",
            if n == 1 { "" } else { "s" }
        );
        // The file's scan id names a scan of the store it came from, maybe not this one.
        self.put_baseline(env, None, doc.to_document(), summary).await
    }

    async fn put_baseline(
        &self,
        env: &Environment,
        source_scan_id: Option<i64>,
        document: String,
        summary: String,
    ) -> Result<Baseline> {
        let set_at = now();
        let mut tx = self.pool.begin().await.map_err(self.err("starting a baseline"))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO baselines (environment_id, source_scan_id, set_at, document) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(env.id)
        .bind(source_scan_id)
        .bind(set_at.clone())
        .bind(document.clone())
        .fetch_one(&mut *tx)
        .await
        .map_err(self.err(format!("storing the baseline of {}", env.name)))?;
        record::insert_events(
            self,
            &mut tx,
            env.id,
            None,
            &set_at,
            &[NewEvent {
                kind: BASELINE,
                subject: env.name.clone(),
                summary,
                detail: serde_json::json!({ "baseline_id": id, "source_scan_id": source_scan_id }),
            }],
        )
        .await?;
        tx.commit().await.map_err(self.err("committing the baseline"))?;
        Ok(Baseline {
            id,
            source_scan_id,
            set_at,
            document,
        })
    }

    // ---- events ------------------------------------------------------------------------------

    /// The environment's events, oldest first; only these kinds when `kinds` is not empty.
    pub async fn events(
        &self,
        env: &Environment,
        kinds: &[String],
        since_scan: Option<i64>,
    ) -> Result<Vec<Event>> {
        let rows = sqlx::query(
            "SELECT id, scan_id, at, kind, subject, summary, detail FROM events WHERE environment_id = $1 \
             AND (scan_id IS NULL OR scan_id >= $2) ORDER BY id",
        )
        .bind(env.id)
        .bind(since_scan.unwrap_or(0))
        .fetch_all(&self.pool)
        .await
        .map_err(self.err(format!("reading the events of {}", env.name)))?;
        let mut out = Vec::new();
        for r in &rows {
            let get = |e| self.err("reading an event")(e);
            let kind: String = r.try_get(3).map_err(get)?;
            if !kinds.is_empty() && !kinds.iter().any(|k| k.eq_ignore_ascii_case(&kind)) {
                continue;
            }
            let detail: String = r.try_get(6).map_err(get)?;
            out.push(Event {
                id: r.try_get(0).map_err(get)?,
                scan_id: r.try_get(1).map_err(get)?,
                at: r.try_get(2).map_err(get)?,
                kind,
                subject: r.try_get(4).map_err(get)?,
                summary: r.try_get(5).map_err(get)?,
                detail: parse_json(&detail, "event detail")?,
            });
        }
        Ok(out)
    }

    /// Records events outside a scan (remediation actions).
    pub async fn add_events(
        &self,
        env: &Environment,
        scan_id: Option<i64>,
        events: &[NewEvent],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(self.err("starting events"))?;
        record::insert_events(self, &mut tx, env.id, scan_id, &now(), events).await?;
        tx.commit().await.map_err(self.err("committing events"))
    }

    /// Row counts per table, for consistency checks and `env show`.
    pub async fn table_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut out = Vec::new();
        for table in [
            "environments",
            "scans",
            "scan_resources",
            "findings",
            "drift_state",
            "baselines",
            "events",
        ] {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&self.pool)
                .await
                .map_err(self.err(format!("counting {table}")))?;
            out.push((table.to_string(), n));
        }
        Ok(out)
    }

    /// Rows that belong to no recorded scan (there must be none: scans are written whole).
    pub async fn orphans(&self) -> Result<i64> {
        let mut total = 0;
        for table in ["scan_resources", "findings", "drift_state"] {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE scan_id NOT IN (SELECT id FROM scans)"
            )))
            .fetch_one(&self.pool)
            .await
            .map_err(self.err(format!("checking {table}")))?;
            total += n;
        }
        Ok(total)
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Environment names: letters, digits, `-`, `_`, `.`; they appear in commands and file names.
fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with(['-', '.']);
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "`{name}` is not a valid environment name: use letters, digits, `-`, `_` and `.` (at most 100)"
        )))
    }
}

fn parse_json(text: &str, what: &str) -> Result<serde_json::Value> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Invalid(format!("unreadable {what} in the store: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert!(is_postgres("postgres://u@h/db") && is_postgres("postgresql://h/db"));
        assert!(!is_postgres("/tmp/postgres.db"));
        assert_eq!(
            display_location("postgres://me:hunter2@db:5432/attest"),
            "postgres://me@db:5432/attest"
        );
        assert_eq!(
            sqlite_url(Path::new("/tmp/a b?#%.db")),
            "sqlite:///tmp/a b%3F%23%25.db?mode=rwc"
        );
    }

    #[test]
    fn names() {
        assert!(validate_name("prod-eu_1.a").is_ok());
        for bad in ["", "-x", ".x", "a b", "a/b", &"x".repeat(101)] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}
