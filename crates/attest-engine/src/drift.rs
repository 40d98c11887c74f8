//! Drift: what changed between two snapshots of one environment (an earlier scan or a baseline,
//! and the current scan), resource by resource and attribute by attribute.
//!
//! - Resources are matched by key. A resource only in the new snapshot is `ADDED`, only in the
//!   old one `REMOVED`, in both with different attributes `MODIFIED`. A resource missing from one
//!   side whose type that side's scan could not list in its account and region is not compared:
//!   its key goes to [`DriftReport::unread`].
//! - Attribute paths are dotted (`versioning.enabled`, `tags.Name`); a change is reported at the
//!   deepest key that differs (an added key has no old value, a removed key no new value).
//! - Lists are multisets: the order of their elements is not drift (the APIs answer security
//!   group rules, CIDR lists and policy statements in any order). A list that differs is reported
//!   as the elements that left it and those that joined it, at path `name[]`.
//! - Values that are unknown (`{"$unknown": reason}`) cannot be compared: they are never drift,
//!   and their paths are counted as undecided. In a list that differs, one unmatched element
//!   holding an unknown makes the whole list undecided (the unknown may be any of the others).
//! - Volatile attributes (last-use dates, counters, transient states) are left out by [`Ignore`]
//!   patterns; how many changes they hid is counted.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use attest_core::snapshot::canonical;
use attest_core::value::UNKNOWN_MARKER;
use attest_core::{Snapshot, SnapshotResource};

/// How a resource drifted.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DriftKind {
    Added,
    Removed,
    Modified,
}

impl DriftKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Added => "ADDED",
            DriftKind::Removed => "REMOVED",
            DriftKind::Modified => "MODIFIED",
        }
    }
}

/// One attribute that differs. `None` is an absent attribute, distinct from a JSON `null`: in
/// JSON an absent side is a missing key.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct AttributeChange {
    /// `versioning.enabled`, `tags.Name`; `ingress[]` for an element that left or joined a list.
    pub path: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub old: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub new: Option<Value>,
}

/// A key that is there is `Some`, even when its value is `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// One resource that drifted.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct ResourceDrift {
    pub key: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub kind: DriftKind,
    /// The attributes that differ, sorted by path (empty for added and removed resources: their
    /// attributes are in the snapshot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<AttributeChange>,
    /// Paths of attributes that could not be compared (unknown on a side), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided: Vec<String>,
}

impl ResourceDrift {
    fn whole(r: &SnapshotResource, kind: DriftKind) -> ResourceDrift {
        ResourceDrift {
            key: r.key.clone(),
            resource_type: r.resource_type.clone(),
            physical_id: r.physical_id.clone(),
            account: r.account.clone(),
            region: r.region.clone(),
            kind,
            changes: Vec::new(),
            undecided: Vec::new(),
        }
    }
}

/// What drifted between two snapshots.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug, Default)]
pub struct DriftReport {
    /// The resources that drifted, sorted by key.
    pub resources: Vec<ResourceDrift>,
    /// Keys of resources present on one side only whose type the other side's scan could not
    /// list in that account and region: not compared. Sorted.
    #[serde(default)]
    pub unread: Vec<String>,
    /// Changes left out as volatile by the [`Ignore`] patterns.
    #[serde(default)]
    pub ignored_changes: usize,
    /// Attributes (of resources present on both sides) that could not be compared because a side
    /// is unknown, including those of resources that did not otherwise drift.
    #[serde(default)]
    pub undecided: usize,
    /// Resources re-created with a new id and the same settings (`[old key, new key]`): the
    /// resource is back as it was, which is not drift.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recreated: Vec<[String; 2]>,
}

impl DriftReport {
    /// No resource drifted (unread keys and undecided attributes are not drift).
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// `(added, removed, modified)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |kind| self.resources.iter().filter(|r| r.kind == kind).count();
        (
            count(DriftKind::Added),
            count(DriftKind::Removed),
            count(DriftKind::Modified),
        )
    }
}

/// Compares `old` (the baseline or earlier scan) with `new` (the current scan). A key present on
/// both sides with different types is compared as one resource, named by its new type.
pub fn diff(old: &Snapshot, new: &Snapshot, ignore: &Ignore) -> DriftReport {
    let olds = by_key(old);
    let news = by_key(new);
    let mut report = DriftReport::default();
    for (key, o) in &olds {
        match news.get(key) {
            None if new.did_not_read(o) => report.unread.push(key.to_string()),
            None => report.resources.push(ResourceDrift::whole(o, DriftKind::Removed)),
            Some(n) => {
                let mut walk = Walk::new(ignore.for_type(&n.resource_type));
                walk.value("", Some(&o.attributes), Some(&n.attributes));
                report.ignored_changes += walk.ignored;
                let mut undecided = walk.undecided;
                undecided.sort();
                undecided.dedup();
                report.undecided += undecided.len();
                if !walk.changes.is_empty() {
                    let mut changes = walk.changes;
                    changes.sort_by_cached_key(change_order);
                    let mut d = ResourceDrift::whole(n, DriftKind::Modified);
                    d.changes = changes;
                    d.undecided = undecided;
                    report.resources.push(d);
                }
            }
        }
    }
    for (key, n) in &news {
        if olds.contains_key(key) {
            continue;
        }
        if old.did_not_read(n) {
            report.unread.push(key.to_string());
        } else {
            report.resources.push(ResourceDrift::whole(n, DriftKind::Added));
        }
    }
    drop_echoes(&mut report);
    pair_recreated(&mut report, old, new, ignore);
    report.resources.sort_by(|a, b| a.key.cmp(&b.key));
    report.unread.sort();
    report
}

/// Types whose id AWS assigns anew when one is created and that nothing else names (a flow log
/// is `fl-…`, whatever it watches): a removed one and an added one with the same settings are the
/// same resource re-created (by remediation, or by its code), not drift.
const RECREATED: &[&str] = &["aws_flow_log"];

/// The attributes that hold the assigned id.
const ASSIGNED_ID: &[&str] = &["id", "arn"];

fn pair_recreated(report: &mut DriftReport, old: &Snapshot, new: &Snapshot, ignore: &Ignore) {
    let settings = |r: &SnapshotResource| -> Value {
        let mut a = r.attributes.clone();
        if let Value::Object(m) = &mut a {
            for k in ASSIGNED_ID {
                m.remove(*k);
            }
        }
        a
    };
    let mut gone = BTreeSet::new();
    for ty in RECREATED {
        let of_kind = |kind: DriftKind| -> Vec<&ResourceDrift> {
            report
                .resources
                .iter()
                .filter(|r| r.kind == kind && r.resource_type == *ty)
                .collect()
        };
        let mut added: Vec<&ResourceDrift> = of_kind(DriftKind::Added);
        for r in of_kind(DriftKind::Removed) {
            let Some(before) = old.get(&r.key) else { continue };
            let found = added.iter().position(|a| {
                new.get(&a.key).is_some_and(|after| {
                    after.account == before.account && after.region == before.region && {
                        let mut walk = Walk::new(ignore.for_type(ty));
                        walk.value("", Some(&settings(before)), Some(&settings(after)));
                        walk.changes.is_empty()
                    }
                })
            });
            if let Some(i) = found {
                let a = added.remove(i);
                gone.insert(r.key.clone());
                gone.insert(a.key.clone());
                report.recreated.push([r.key.clone(), a.key.clone()]);
            }
        }
    }
    report.resources.retain(|r| !gone.contains(&r.key));
    report.recreated.sort();
}

/// The IAM credential report has a row per user, so a user added or removed also adds or removes
/// a row there. That row is the same change as the user's own ADDED / REMOVED entry and is not
/// reported twice (it counts as ignored). Changes of an existing user's row (MFA turned off, a
/// key activated) are still drift.
fn drop_echoes(report: &mut DriftReport) {
    let users: std::collections::HashSet<&str> = report
        .resources
        .iter()
        .filter(|r| r.kind != DriftKind::Modified && r.resource_type == "aws_iam_user")
        .map(|r| r.key.as_str())
        .collect();
    if users.is_empty() {
        return;
    }
    let users: std::collections::HashSet<String> = users.into_iter().map(str::to_string).collect();
    let mut dropped = 0;
    for r in report
        .resources
        .iter_mut()
        .filter(|r| r.kind == DriftKind::Modified && r.resource_type == "aws_iam_credential_report")
    {
        let before = r.changes.len();
        r.changes.retain(|c| {
            let row = c.old.as_ref().or(c.new.as_ref());
            let arn = row.and_then(|v| v.get("arn")).and_then(Value::as_str);
            !(c.path == "users[]" && arn.is_some_and(|a| users.contains(a)))
        });
        dropped += before - r.changes.len();
    }
    report.ignored_changes += dropped;
    report
        .resources
        .retain(|r| r.kind != DriftKind::Modified || !r.changes.is_empty());
}

/// The resources of a snapshot by key; the first of a duplicated key wins, as in the snapshot.
fn by_key(s: &Snapshot) -> BTreeMap<&str, &SnapshotResource> {
    let mut map = BTreeMap::new();
    for r in &s.resources {
        map.entry(r.key.as_str()).or_insert(r);
    }
    map
}

/// Changes by path, then removals before value changes before additions, then by value.
fn change_order(c: &AttributeChange) -> (String, u8, String, String) {
    let rank = match (&c.old, &c.new) {
        (Some(_), None) => 0,
        (Some(_), Some(_)) => 1,
        (None, _) => 2,
    };
    (c.path.clone(), rank, text(c.old.as_ref()), text(c.new.as_ref()))
}

fn text(v: Option<&Value>) -> String {
    v.map(|v| serde_json::to_string(v).unwrap_or_default())
        .unwrap_or_default()
}

/// A stable digest of a drift's kind and changes (16 hex digits, FNV-1a 64 over their canonical
/// JSON): equal for two drifts with the same kind and changes, whatever the resource or scan, so
/// that a store can tell whether a resource's drift changed between scans.
pub fn fingerprint(d: &ResourceDrift) -> String {
    let changes: Vec<AttributeChange> = d
        .changes
        .iter()
        .map(|c| AttributeChange {
            path: c.path.clone(),
            old: c.old.clone().map(canonical),
            new: c.new.clone().map(canonical),
        })
        .collect();
    let json = serde_json::to_string(&(d.kind, &changes)).unwrap_or_default();
    digest(json.as_bytes())
}

/// A short, stable digest of bytes: FNV-1a 64, as 16 hex digits (not for security: for telling
/// stored things apart across runs and machines).
pub fn digest(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Whether a value is an unknown: `{"$unknown": reason}`.
fn is_unknown(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 1 && m.contains_key(UNKNOWN_MARKER))
}

/// Whether a value is or holds an unknown.
fn has_unknown(v: &Value) -> bool {
    match v {
        Value::Object(m) => is_unknown(v) || m.values().any(has_unknown),
        Value::Array(items) => items.iter().any(has_unknown),
        _ => false,
    }
}

/// The comparison of one resource's attribute trees.
struct Walk<'a> {
    /// The patterns that apply to the resource's type.
    patterns: Vec<&'a Pattern>,
    /// The path walked, as pattern segments (list indexes left out, keys split at dots).
    segments: Vec<String>,
    changes: Vec<AttributeChange>,
    undecided: Vec<String>,
    ignored: usize,
}

impl<'a> Walk<'a> {
    fn new(patterns: Vec<&'a Pattern>) -> Self {
        Walk {
            patterns,
            segments: Vec::new(),
            changes: Vec::new(),
            undecided: Vec::new(),
            ignored: 0,
        }
    }

    /// Enters key `key`: returns how many segments to leave.
    fn enter(&mut self, key: &str) -> usize {
        let before = self.segments.len();
        self.segments.extend(key.split('.').map(str::to_string));
        self.segments.len() - before
    }

    fn leave(&mut self, n: usize) {
        self.segments.truncate(self.segments.len() - n);
    }

    fn ignored_here(&self) -> bool {
        self.patterns.iter().any(|p| p.matches(&self.segments))
    }

    fn value(&mut self, path: &str, old: Option<&Value>, new: Option<&Value>) {
        match (old, new) {
            (None, None) => {}
            (Some(o), Some(n)) if is_unknown(o) || is_unknown(n) => self.undecided.push(path.to_string()),
            (Some(Value::Object(a)), Some(Value::Object(b))) => self.object(path, a, b),
            (Some(Value::Array(a)), Some(Value::Array(b))) => self.list(path, a, b),
            (Some(o), Some(n)) if o == n => {}
            _ => {
                // A scalar that changed, a type that changed, or a key added or removed.
                let old = old.map(|v| self.project(v));
                let new = new.map(|v| self.project(v));
                if old.as_ref().is_some_and(has_unknown) || new.as_ref().is_some_and(has_unknown) {
                    self.undecided.push(path.to_string());
                } else if old != new {
                    self.changes.push(AttributeChange {
                        path: path.to_string(),
                        old,
                        new,
                    });
                }
            }
        }
    }

    fn object(&mut self, path: &str, a: &Map<String, Value>, b: &Map<String, Value>) {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for key in keys {
            let (o, n) = (a.get(key), b.get(key));
            let entered = self.enter(key);
            if self.ignored_here() {
                if o != n {
                    self.ignored += 1;
                }
            } else {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                self.value(&child, o, n);
            }
            self.leave(entered);
        }
    }

    /// Compares two lists as multisets of their elements (volatile parts left out).
    fn list(&mut self, path: &str, a: &[Value], b: &[Value]) {
        if a == b && !a.iter().any(has_unknown) {
            return;
        }
        let path = format!("{path}[]");
        let olds = self.elements(a);
        let news = self.elements(b);
        let (mut i, mut j) = (0, 0);
        let (mut removed, mut added, mut pairs) = (Vec::new(), Vec::new(), Vec::new());
        while i < olds.len() || j < news.len() {
            let order = match (olds.get(i), news.get(j)) {
                (Some(o), Some(n)) => o.0.cmp(&n.0),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Less => {
                    removed.push(i);
                    i += 1;
                }
                Ordering::Greater => {
                    added.push(j);
                    j += 1;
                }
                Ordering::Equal => {
                    pairs.push((i, j));
                    i += 1;
                    j += 1;
                }
            }
        }
        let mut undecided = false;
        for &(i, j) in &pairs {
            undecided |= has_unknown(&olds[i].1);
            let (o, n) = (&a[olds[i].2], &b[news[j].2]);
            if o != n {
                // Equal but for ignored parts: count those, report nothing.
                let (changes, unsure) = (self.changes.len(), self.undecided.len());
                self.value(&path, Some(o), Some(n));
                self.changes.truncate(changes);
                self.undecided.truncate(unsure);
            }
        }
        if removed.iter().any(|&i| has_unknown(&olds[i].1)) || added.iter().any(|&j| has_unknown(&news[j].1))
        {
            undecided = true;
        } else {
            for i in removed {
                self.changes.push(AttributeChange {
                    path: path.clone(),
                    old: Some(olds[i].1.clone()),
                    new: None,
                });
            }
            for j in added {
                self.changes.push(AttributeChange {
                    path: path.clone(),
                    old: None,
                    new: Some(news[j].1.clone()),
                });
            }
        }
        if undecided {
            self.undecided.push(path);
        }
    }

    /// The elements of a list as (canonical JSON, projected value, index), sorted.
    fn elements(&mut self, items: &[Value]) -> Vec<(String, Value, usize)> {
        let mut out: Vec<(String, Value, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let p = self.project(v);
                (serde_json::to_string(&p).unwrap_or_default(), p, i)
            })
            .collect();
        out.sort_by(|x, y| x.0.cmp(&y.0).then(x.2.cmp(&y.2)));
        out
    }

    /// The value with its ignored parts removed and its keys sorted.
    fn project(&mut self, v: &Value) -> Value {
        match v {
            Value::Object(m) if !is_unknown(v) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut out = Map::new();
                for key in keys {
                    let entered = self.enter(key);
                    if !self.ignored_here() {
                        let value = self.project(&m[key]);
                        out.insert(key.clone(), value);
                    }
                    self.leave(entered);
                }
                Value::Object(out)
            }
            // Lists inside list elements are sets too (a rule's CIDR blocks come back in any order).
            Value::Array(items) => {
                let mut keyed: Vec<(String, Value)> = items
                    .iter()
                    .map(|i| {
                        let p = self.project(i);
                        (serde_json::to_string(&p).unwrap_or_default(), p)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Array(keyed.into_iter().map(|(_, p)| p).collect())
            }
            other => other.clone(),
        }
    }
}

/// The built-in volatile attributes: values live collectors read that change without anyone
/// changing configuration.
const DEFAULT_PATTERNS: &[&str] = &[
    // IAM regenerates the credential report every few hours.
    "aws_iam_credential_report.generated_time",
    // Password and access key last use (`password_last_used`, `access_key_N_last_used_date`,
    // `_region`, `_service`): they move with every sign-in and API call. `mfa_active`, the
    // `*_active` flags and rotation dates still count.
    "aws_iam_credential_report.users.*_last_used*",
    // `InProgress` while a change propagates to the edge locations, then `Deployed`.
    "aws_cloudfront_distribution.status",
    // `UPDATING` while a version or add-on update runs, then `ACTIVE`.
    "aws_eks_cluster.status",
    // Stopping and starting an instance changes its state and releases its automatic public
    // address (`associate_public_ip_address` still counts).
    "aws_instance.instance_state",
    "aws_instance.public_ip",
    "aws_instance.public_dns",
    // Scaling policies and scheduled actions move the desired capacity between min and max.
    "aws_autoscaling_group.desired_capacity",
    // How many principals use the policy: attachments show as changes of the principals.
    "aws_iam_policy.attachment_count",
    // `rotating` while Secrets Manager rotates the managed master password.
    "aws_db_instance.master_user_secret.secret_status",
];

/// Attribute patterns whose changes are not drift: the built-in volatile list and the user's
/// (`[drift] ignore` in `.attest.toml`).
///
/// A pattern is `TYPE.PATH`: `TYPE` is a resource type or a glob over types (`*`, `aws_iam_*`);
/// `PATH` is dotted attribute keys, where `*` inside a key matches any run of characters (`*`
/// alone: any one key, `*_date`: any key ending in `_date`) and a `**` key matches any number of
/// keys. List indexes are not part of paths (`ingress.description` matches the `description` of
/// every element of `ingress`; `ingress[].description` and `ingress[0].description` are read the
/// same way). A pattern ignores the paths it matches and everything under them (`*.tags` ignores
/// `tags.Name`), so `TYPE.**` ignores every attribute change of a type; added and removed
/// resources are still reported.
#[derive(Debug, Clone)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// The built-in volatile patterns, for documentation.
    pub fn default_patterns() -> &'static [&'static str] {
        DEFAULT_PATTERNS
    }

    /// The built-in volatile patterns.
    pub fn defaults() -> Ignore {
        Ignore {
            patterns: DEFAULT_PATTERNS
                .iter()
                .filter_map(|p| Pattern::parse(p).ok())
                .collect(),
        }
    }

    /// The built-in patterns and the user's; the error names the first pattern that is not valid.
    pub fn new(user_patterns: &[String]) -> Result<Ignore, String> {
        let mut ignore = Ignore::defaults();
        for p in user_patterns {
            ignore.patterns.push(Pattern::parse(p)?);
        }
        Ok(ignore)
    }

    /// No pattern: every change counts.
    pub fn none() -> Ignore {
        Ignore { patterns: Vec::new() }
    }

    /// The patterns, as written.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| p.text.as_str())
    }

    /// Whether a change at `path` (as [`AttributeChange::path`] shows it) of a resource of this
    /// type is ignored.
    pub fn is_ignored(&self, resource_type: &str, path: &str) -> bool {
        let segments = path_segments(path);
        self.for_type(resource_type).iter().any(|p| p.matches(&segments))
    }

    fn for_type(&self, resource_type: &str) -> Vec<&Pattern> {
        self.patterns
            .iter()
            .filter(|p| glob(p.resource_type.as_bytes(), resource_type.as_bytes()))
            .collect()
    }
}

/// One `TYPE.PATH` pattern.
#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    resource_type: String,
    path: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    /// `**`: any number of keys.
    Any,
    /// One key, `*` matching any run of characters.
    Glob(String),
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let err = |why: &str| format!("drift ignore pattern `{text}`: {why}");
        let trimmed = text.trim();
        let (resource_type, path) = trimmed
            .split_once('.')
            .ok_or_else(|| err("expected TYPE.PATH, e.g. `aws_instance.tags.LastSeen` or `*.tags`"))?;
        if resource_type.is_empty() {
            return Err(err("the resource type is empty (`*` is any type)"));
        }
        if resource_type.contains(['[', ']']) {
            return Err(err("the resource type holds a bracket"));
        }
        let path = strip_indexes(path).ok_or_else(|| err("a `[` is not closed by `]`"))?;
        let path = path
            .split('.')
            .map(|s| match s {
                "" => Err(err("a key is empty (two dots in a row, or a dot at an end)")),
                "**" => Ok(Segment::Any),
                s if s.contains("**") => Err(err("`**` must be a whole key")),
                s => Ok(Segment::Glob(s.to_string())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pattern {
            text: trimmed.to_string(),
            resource_type: resource_type.to_string(),
            path,
        })
    }

    /// Whether the pattern matches `segments` or a prefix of them.
    fn matches(&self, segments: &[String]) -> bool {
        matches_prefix(&self.path, segments)
    }
}

fn matches_prefix(pattern: &[Segment], segments: &[String]) -> bool {
    match pattern.split_first() {
        None => true,
        Some((Segment::Any, rest)) => {
            matches_prefix(rest, segments)
                || (!segments.is_empty() && matches_prefix(pattern, &segments[1..]))
        }
        Some((Segment::Glob(g), rest)) => match segments.split_first() {
            Some((first, tail)) => glob(g.as_bytes(), first.as_bytes()) && matches_prefix(rest, tail),
            None => false,
        },
    }
}

/// `*` matches any run of bytes; every other byte matches itself.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// The path without its `[…]` parts, `None` when a bracket is not closed.
fn strip_indexes(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.checked_sub(1)?,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    (depth == 0).then_some(out)
}

/// The pattern segments of a path as shown (`ingress[].description` → `ingress`, `description`).
fn path_segments(path: &str) -> Vec<String> {
    let stripped = strip_indexes(path).unwrap_or_else(|| path.to_string());
    stripped
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use attest_core::Unread;
    use serde_json::json;

    const ACCOUNT: &str = "123456789012";
    const REGION: &str = "us-east-1";

    fn res(key: &str, ty: &str, attrs: Value) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: None,
            account: Some(ACCOUNT.into()),
            region: Some(REGION.into()),
            attributes: attrs,
        }
    }

    fn snap(resources: Vec<SnapshotResource>) -> Snapshot {
        Snapshot::new(resources, vec![])
    }

    /// Diff of one resource's attributes, before and after.
    fn one(ty: &str, old: Value, new: Value, ignore: &Ignore) -> DriftReport {
        diff(
            &snap(vec![res("r", ty, old)]),
            &snap(vec![res("r", ty, new)]),
            ignore,
        )
    }

    fn change(path: &str, old: Option<Value>, new: Option<Value>) -> AttributeChange {
        AttributeChange {
            path: path.into(),
            old,
            new,
        }
    }

    fn changes(report: &DriftReport) -> Vec<AttributeChange> {
        report.resources.iter().flat_map(|r| r.changes.clone()).collect()
    }

    #[test]
    fn added_removed_and_modified_resources_sorted_by_key() {
        let old = snap(vec![
            res("c", "aws_s3_bucket", json!({"bucket": "c"})),
            res("a", "aws_s3_bucket", json!({"bucket": "a", "acl": "private"})),
            res("same", "aws_s3_bucket", json!({"bucket": "same"})),
        ]);
        let mut b = res("b", "aws_sqs_queue", json!({"name": "b"}));
        b.physical_id = Some("queue-b".into());
        let new = snap(vec![
            b,
            res("a", "aws_s3_bucket", json!({"bucket": "a", "acl": "public-read"})),
            res("same", "aws_s3_bucket", json!({"bucket": "same"})),
        ]);
        let report = diff(&old, &new, &Ignore::none());
        let kinds: Vec<(&str, DriftKind)> = report
            .resources
            .iter()
            .map(|r| (r.key.as_str(), r.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("a", DriftKind::Modified),
                ("b", DriftKind::Added),
                ("c", DriftKind::Removed)
            ]
        );
        assert_eq!(report.counts(), (1, 1, 1));
        assert!(!report.is_empty());
        assert_eq!(
            report.resources[0].changes,
            [change("acl", Some(json!("private")), Some(json!("public-read")))]
        );
        assert!(report.resources[1].changes.is_empty());
        assert_eq!(report.resources[1].physical_id.as_deref(), Some("queue-b"));
        assert_eq!(report.resources[1].resource_type, "aws_sqs_queue");
        assert!(diff(&old, &old, &Ignore::none()).is_empty());
    }

    #[test]
    fn nested_changes_are_reported_at_the_deepest_key() {
        let old = json!({
            "versioning": {"enabled": true, "mfa_delete": false},
            "tags": {"Env": "prod", "Old": "x"},
            "logging": {"target_bucket": "logs"},
            "acl": null,
        });
        let new = json!({
            "versioning": {"enabled": false, "mfa_delete": false},
            "tags": {"Env": "prod", "Name": "web"},
            "logging": "off",
        });
        let report = one("aws_s3_bucket", old, new, &Ignore::none());
        assert_eq!(
            changes(&report),
            [
                change("acl", Some(Value::Null), None),
                change(
                    "logging",
                    Some(json!({"target_bucket": "logs"})),
                    Some(json!("off"))
                ),
                change("tags.Name", None, Some(json!("web"))),
                change("tags.Old", Some(json!("x")), None),
                change("versioning.enabled", Some(json!(true)), Some(json!(false))),
            ]
        );
    }

    #[test]
    fn list_order_is_not_drift() {
        let rule = |port: u16, cidr: &str| json!({"from_port": port, "to_port": port, "cidr_blocks": [cidr]});
        let old =
            json!({"ingress": [rule(22, "10.0.0.0/8"), rule(443, "0.0.0.0/0")], "cidrs": ["a", "b", "a"]});
        let new =
            json!({"ingress": [rule(443, "0.0.0.0/0"), rule(22, "10.0.0.0/8")], "cidrs": ["a", "a", "b"]});
        let report = one("aws_security_group", old, new, &Ignore::none());
        assert!(report.is_empty(), "{report:?}");
    }

    #[test]
    fn list_elements_that_join_or_leave_are_reported_at_the_list() {
        let rule = |port: u16, cidr: &str| json!({"from_port": port, "to_port": port, "cidr_blocks": [cidr]});
        let old = json!({"ingress": [rule(22, "10.0.0.0/8")], "cidrs": ["a", "a", "b"]});
        let new = json!({"ingress": [rule(443, "0.0.0.0/0"), rule(22, "10.0.0.0/8")], "cidrs": ["b", "a"]});
        let report = one("aws_security_group", old, new, &Ignore::none());
        assert_eq!(
            changes(&report),
            [
                // Multiset: one of the two `a` left.
                change("cidrs[]", Some(json!("a")), None),
                change("ingress[]", None, Some(rule(443, "0.0.0.0/0"))),
            ]
        );
    }

    #[test]
    fn default_patterns_leave_volatile_attributes_out() {
        let row = |last_used: &str, mfa: bool| {
            json!({"user": "alice", "mfa_active": mfa, "password_last_used": last_used,
                   "access_key_1_last_used_date": last_used})
        };
        let report = one(
            "aws_iam_credential_report",
            json!({"generated_time": "t1", "users": [row("2026-11-01", false)]}),
            json!({"generated_time": "t2", "users": [row("2026-11-20", false)]}),
            &Ignore::defaults(),
        );
        assert!(report.is_empty(), "{report:?}");
        // generated_time, and the two last-use dates of the row.
        assert_eq!(report.ignored_changes, 3);

        // A change that matters shows, without the volatile fields.
        let report = one(
            "aws_iam_credential_report",
            json!({"users": [row("2026-11-01", true)]}),
            json!({"users": [row("2026-11-20", false)]}),
            &Ignore::defaults(),
        );
        assert_eq!(
            changes(&report),
            [
                change(
                    "users[]",
                    Some(json!({"mfa_active": true, "user": "alice"})),
                    None
                ),
                change(
                    "users[]",
                    None,
                    Some(json!({"mfa_active": false, "user": "alice"}))
                ),
            ]
        );

        let report = one(
            "aws_instance",
            json!({"public_ip": "1.2.3.4", "instance_state": "running"}),
            json!({"public_ip": "5.6.7.8", "instance_state": "stopped"}),
            &Ignore::defaults(),
        );
        assert!(report.is_empty());
        assert_eq!(report.ignored_changes, 2);
        // The same change on another type is drift.
        let report = one(
            "aws_eip",
            json!({"public_ip": "1.2.3.4"}),
            json!({"public_ip": "5.6.7.8"}),
            &Ignore::defaults(),
        );
        assert_eq!(report.counts(), (0, 0, 1));
    }

    #[test]
    fn every_default_pattern_is_valid() {
        for p in Ignore::default_patterns() {
            assert!(Pattern::parse(p).is_ok(), "{p}");
        }
        assert_eq!(
            Ignore::defaults().patterns().count(),
            Ignore::default_patterns().len()
        );
    }

    #[test]
    fn user_patterns_with_wildcards_and_prefixes() {
        let ignore = Ignore::new(&[
            "*.tags".to_string(),
            "aws_iam_*.*_date".to_string(),
            "aws_lambda_function.**.updated".to_string(),
            "aws_security_group.ingress[].description".to_string(),
        ])
        .expect("valid patterns");
        assert!(ignore
            .patterns()
            .any(|p| p == "aws_iam_credential_report.generated_time"));
        // Prefix: ignoring `tags` ignores `tags.Name`, on any type.
        assert!(ignore.is_ignored("aws_s3_bucket", "tags.Name"));
        assert!(ignore.is_ignored("aws_iam_user", "create_date"));
        assert!(!ignore.is_ignored("aws_iam_user", "create_date_note"));
        assert!(!ignore.is_ignored("aws_iam_user", "name"));
        assert!(!ignore.is_ignored("aws_s3_bucket", "create_date"));
        assert!(ignore.is_ignored("aws_lambda_function", "updated"));
        assert!(ignore.is_ignored("aws_lambda_function", "a.b[2].updated"));
        assert!(!ignore.is_ignored("aws_lambda_function", "a.b.updated_by"));

        let old = json!({
            "tags": {"Name": "a"},
            "description": "sg",
            "ingress": [{"from_port": 22, "description": "ssh"}, {"from_port": 80, "description": "web"}],
        });
        let new = json!({
            "tags": {"Name": "b", "Owner": "me"},
            "description": "sg",
            "ingress": [{"from_port": 80, "description": "http"}, {"from_port": 22, "description": "ssh"}],
        });
        let report = one("aws_security_group", old.clone(), new.clone(), &ignore);
        assert!(report.is_empty(), "{report:?}");
        // `tags` once, the one rule description.
        assert_eq!(report.ignored_changes, 2);
        let report = one("aws_security_group", old, new, &Ignore::none());
        assert_eq!(report.counts(), (0, 0, 1));
        assert_eq!(report.ignored_changes, 0);
    }

    #[test]
    fn type_wide_pattern_ignores_every_attribute_but_not_presence() {
        let ignore = Ignore::new(&["aws_iam_credential_report.**".to_string()]).expect("valid");
        let report = one(
            "aws_iam_credential_report",
            json!({"users": [{"mfa_active": true}]}),
            json!({"users": [{"mfa_active": false}]}),
            &ignore,
        );
        assert!(report.is_empty());
        let report = diff(
            &snap(vec![]),
            &snap(vec![res("r", "aws_iam_credential_report", json!({}))]),
            &ignore,
        );
        assert_eq!(report.counts(), (1, 0, 0));
    }

    #[test]
    fn invalid_patterns_are_named_in_the_error() {
        for bad in [
            "tags",
            ".tags",
            "aws_s3_bucket.",
            "aws_s3_bucket..a",
            "a.x**",
            "a.b[0",
            "a[0].b",
        ] {
            let err = Ignore::new(&[bad.to_string()]).expect_err(bad);
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
        assert!(Ignore::new(&["*.**".to_string(), "a.b[0].c".to_string()]).is_ok());
    }

    #[test]
    fn unknowns_are_undecided_not_drift() {
        let unknown = json!({"$unknown": "AccessDenied on s3:GetBucketPolicy"});
        let report = one(
            "aws_s3_bucket",
            json!({"policy": "{}", "acl": "private"}),
            json!({"policy": unknown, "acl": "private"}),
            &Ignore::none(),
        );
        assert!(report.is_empty());
        assert_eq!(report.undecided, 1);

        // Along with a real change, the resource lists what it could not compare.
        let report = one(
            "aws_s3_bucket",
            json!({"policy": unknown, "acl": "private", "grant": [{"id": "a"}], "extra": {"x": 1}}),
            json!({"policy": unknown, "acl": "public-read", "grant": [{"id": "b"}, unknown], "extra": {"x": 1, "y": unknown}}),
            &Ignore::none(),
        );
        assert_eq!(
            changes(&report),
            [change("acl", Some(json!("private")), Some(json!("public-read")))]
        );
        assert_eq!(report.resources[0].undecided, ["extra.y", "grant[]", "policy"]);
        assert_eq!(report.undecided, 3);
    }

    #[test]
    fn resources_of_unread_scopes_are_not_removed_or_added() {
        let unread = |ty: &str| Unread {
            resource_type: ty.into(),
            account: Some(ACCOUNT.into()),
            region: Some(REGION.into()),
        };
        let old = Snapshot::new(
            vec![
                res("q", "aws_sqs_queue", json!({})),
                res("b", "aws_s3_bucket", json!({})),
            ],
            vec![unread("aws_sns_topic")],
        );
        let mut elsewhere = res("q2", "aws_sqs_queue", json!({}));
        elsewhere.region = Some("eu-west-1".into());
        let new = Snapshot::new(
            vec![res("t", "aws_sns_topic", json!({})), elsewhere],
            vec![unread("aws_sqs_queue")],
        );
        let report = diff(&old, &new, &Ignore::none());
        assert_eq!(report.unread, ["q", "t"]);
        let kinds: Vec<(&str, DriftKind)> = report
            .resources
            .iter()
            .map(|r| (r.key.as_str(), r.kind))
            .collect();
        assert_eq!(kinds, [("b", DriftKind::Removed), ("q2", DriftKind::Added)]);
    }

    #[test]
    fn fingerprints_follow_kind_and_changes() {
        let drift = |key: &str, kind: DriftKind, new: Value| ResourceDrift {
            key: key.into(),
            resource_type: "aws_s3_bucket".into(),
            physical_id: None,
            account: None,
            region: None,
            kind,
            changes: vec![change("acl", Some(json!({"a": 1, "b": 2})), Some(new))],
            undecided: vec![],
        };
        let a = drift("one", DriftKind::Modified, json!("public"));
        let b = drift("two", DriftKind::Modified, json!("public"));
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 16);
        assert_ne!(
            fingerprint(&a),
            fingerprint(&drift("one", DriftKind::Modified, json!("private")))
        );
        assert_ne!(
            fingerprint(&a),
            fingerprint(&drift("one", DriftKind::Added, json!("public")))
        );
        // Key order in values does not matter.
        let mut c = a.clone();
        c.changes[0].old = Some(serde_json::from_str(r#"{"b": 2, "a": 1}"#).expect("json"));
        assert_eq!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn json_tells_null_from_absent() {
        let c = change("acl", Some(Value::Null), None);
        let text = serde_json::to_string(&c).expect("json");
        assert_eq!(text, r#"{"path":"acl","old":null}"#);
        let back: AttributeChange = serde_json::from_str(&text).expect("parse");
        assert_eq!(back, c);
        let kind = serde_json::to_string(&DriftKind::Modified).expect("json");
        assert_eq!(kind, r#""MODIFIED""#);
    }

    #[test]
    fn credential_report_rows_of_added_users_are_not_reported_twice() {
        let row = |user: &str, mfa: bool| json!({"user": user, "arn": format!("arn:aws:iam::1:user/{user}"), "mfa_active": mfa});
        let report = |rows: Vec<serde_json::Value>| SnapshotResource {
            key: "arn:aws:iam::1:credential-report".into(),
            resource_type: "aws_iam_credential_report".into(),
            physical_id: None,
            account: None,
            region: None,
            attributes: json!({ "users": rows }),
        };
        let user = |name: &str| SnapshotResource {
            key: format!("arn:aws:iam::1:user/{name}"),
            resource_type: "aws_iam_user".into(),
            physical_id: None,
            account: None,
            region: None,
            attributes: json!({ "name": name }),
        };
        let old = Snapshot::new(vec![report(vec![row("alice", true)]), user("alice")], vec![]);
        // eve added: her row is not drift of the report.
        let new = Snapshot::new(
            vec![
                report(vec![row("alice", true), row("eve", false)]),
                user("alice"),
                user("eve"),
            ],
            vec![],
        );
        let d = diff(&old, &new, &Ignore::none());
        assert_eq!(d.counts(), (1, 0, 0), "{d:?}");
        assert_eq!(d.ignored_changes, 1);
        // alice's MFA turned off at the same time: that row still counts.
        let new = Snapshot::new(
            vec![
                report(vec![row("alice", false), row("eve", false)]),
                user("alice"),
                user("eve"),
            ],
            vec![],
        );
        let d = diff(&old, &new, &Ignore::none());
        assert_eq!(d.counts(), (1, 0, 1), "{d:?}");
        let r = d
            .resources
            .iter()
            .find(|r| r.resource_type == "aws_iam_credential_report")
            .unwrap();
        assert_eq!(r.changes.len(), 2, "{r:?}");
        assert!(r
            .changes
            .iter()
            .all(|c| c.old.as_ref().or(c.new.as_ref()).unwrap()["user"] == "alice"));
    }

    #[test]
    fn every_default_pattern_is_documented() {
        let doc = include_str!("../../../docs/drift.md");
        for p in Ignore::default_patterns() {
            assert!(
                doc.contains(&format!("| `{p}` |")),
                "docs/drift.md does not list `{p}`"
            );
        }
    }

    #[test]
    fn a_flow_log_recreated_with_its_settings_is_not_drift() {
        let fl = |id: &str, traffic: &str| SnapshotResource {
            key: format!("arn:aws:ec2:us-east-1:1:vpc-flow-log/{id}"),
            resource_type: "aws_flow_log".into(),
            physical_id: Some(id.into()),
            account: Some("1".into()),
            region: Some("us-east-1".into()),
            attributes: json!({"id": id, "arn": format!("arn:{id}"), "vpc_id": "vpc-1", "traffic_type": traffic}),
        };
        let old = Snapshot::new(vec![fl("fl-1", "REJECT")], vec![]);
        let back = Snapshot::new(vec![fl("fl-2", "REJECT")], vec![]);
        let d = diff(&old, &back, &Ignore::none());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.recreated, vec![[fl("fl-1", "").key, fl("fl-2", "").key]]);
        // Other settings: a different flow log.
        let other = Snapshot::new(vec![fl("fl-2", "ALL")], vec![]);
        assert_eq!(diff(&old, &other, &Ignore::none()).counts(), (1, 1, 0));
    }

    #[test]
    fn lists_inside_list_elements_are_sets() {
        let sg = |cidrs: serde_json::Value| SnapshotResource {
            key: "sg-1".into(),
            resource_type: "aws_security_group".into(),
            physical_id: None,
            account: None,
            region: None,
            attributes: json!({"ingress": [{"from_port": 443, "cidr_blocks": cidrs}]}),
        };
        let a = Snapshot::new(vec![sg(json!(["10.0.0.0/8", "192.168.0.0/16"]))], vec![]);
        let b = Snapshot::new(vec![sg(json!(["192.168.0.0/16", "10.0.0.0/8"]))], vec![]);
        assert!(diff(&a, &b, &Ignore::none()).is_empty());
        let c = Snapshot::new(vec![sg(json!(["10.0.0.0/8"]))], vec![]);
        assert_eq!(diff(&a, &c, &Ignore::none()).counts(), (0, 0, 1));
    }
}
