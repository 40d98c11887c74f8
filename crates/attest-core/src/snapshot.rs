//! Snapshots: every managed resource of one scan, every attribute, as plain JSON in a canonical
//! shape (object keys sorted, secrets redacted). Scans store them, baselines are made of them,
//! drift compares two of them.

use serde::{Deserialize, Serialize};

use crate::redact::redact_value;
use crate::resource::{Mode, Resource};
use crate::rule::is_unreadable_placeholder;

/// One resource as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotResource {
    /// What matches the resource across snapshots: the resource id, which is the ARN or physical
    /// id for live resources and the address (or logical id) for infrastructure code.
    pub key: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Cloud-side identity when it differs from the key (`sg-…`, a bucket name).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub physical_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<String>,
    /// The attribute tree, canonical: keys sorted at every depth, secrets redacted, unknown values
    /// as `{"$unknown": reason}`.
    pub attributes: serde_json::Value,
}

/// A resource type a live scan could not list in one account and region (the call failed or the
/// scan left the service out). Resources of that type and scope are neither present nor absent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unread {
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<String>,
}

/// Every managed resource of a scan, sorted by key (unique), and the scopes it could not read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub resources: Vec<SnapshotResource>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub unread: Vec<Unread>,
}

impl Snapshot {
    /// Builds a snapshot from loaded resources: managed resources only (data sources are lookups,
    /// not resources), live placeholders become [`Unread`] scopes. The first resource of a
    /// duplicated key wins, as in the resource graph.
    pub fn from_resources<'a>(resources: impl IntoIterator<Item = &'a Resource>) -> Snapshot {
        let mut out = Vec::new();
        let mut unread = Vec::new();
        for r in resources {
            if is_unreadable_placeholder(r) {
                unread.push(Unread {
                    resource_type: r.resource_type.clone(),
                    account: r.provenance.account.clone(),
                    region: r.provenance.region.clone(),
                });
                continue;
            }
            if r.mode != Mode::Managed {
                continue;
            }
            let mut attributes = r.attributes.clone();
            redact_value(&mut attributes);
            out.push(SnapshotResource {
                key: r.id.clone(),
                resource_type: r.resource_type.clone(),
                physical_id: r.physical_id.clone().filter(|p| *p != r.id),
                account: r.provenance.account.clone(),
                region: r.provenance.region.clone(),
                attributes: attributes.to_json(),
            });
        }
        Snapshot::new(out, unread)
    }

    /// Sorts and de-duplicates (first of a key wins) and canonicalizes attribute trees.
    pub fn new(resources: Vec<SnapshotResource>, unread: Vec<Unread>) -> Snapshot {
        let resources = resources
            .into_iter()
            .map(|mut r| {
                r.attributes = canonical(std::mem::take(&mut r.attributes));
                r
            })
            .collect();
        Snapshot::of_canonical(resources, unread)
    }

    /// Sorts and de-duplicates resources whose attributes are canonical already (read back from
    /// a store that wrote them canonical).
    pub fn of_canonical(mut resources: Vec<SnapshotResource>, mut unread: Vec<Unread>) -> Snapshot {
        resources.sort_by(|a, b| a.key.cmp(&b.key));
        resources.dedup_by(|later, first| later.key == first.key);
        unread.sort();
        unread.dedup();
        Snapshot { resources, unread }
    }

    /// The resource with this key.
    pub fn get(&self, key: &str) -> Option<&SnapshotResource> {
        self.resources
            .binary_search_by(|r| r.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.resources[i])
    }

    /// Whether this snapshot could not read resources like `r` (same type, account and region).
    pub fn did_not_read(&self, r: &SnapshotResource) -> bool {
        self.unread
            .iter()
            .any(|u| u.resource_type == r.resource_type && u.account == r.account && u.region == r.region)
    }
}

/// The same JSON with object keys sorted at every depth.
pub fn canonical(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, canonical(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(canonical).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{InputKind, Provenance};
    use crate::value::Value;
    use serde_json::json;

    fn live(id: &str, ty: &str, attrs: serde_json::Value, mode: Mode) -> Resource {
        let mut p = Provenance::new(InputKind::Live);
        p.account = Some("123456789012".into());
        p.region = Some("us-east-1".into());
        let mut r = Resource::new(id, ty, Value::from_json(&attrs), p);
        r.mode = mode;
        r
    }

    #[test]
    fn managed_resources_sorted_redacted_and_canonical() {
        let rs = vec![
            live(
                "b",
                "aws_db_instance",
                json!({"z": 1, "password": "hunter2", "a": {"y": 1, "x": 2}}),
                Mode::Managed,
            ),
            live("a", "aws_s3_bucket", json!({"bucket": "a"}), Mode::Managed),
            live(
                "a",
                "aws_s3_bucket",
                json!({"bucket": "duplicate"}),
                Mode::Managed,
            ),
            live(
                "aws_sqs_queue:us-east-1:unreadable",
                "aws_sqs_queue",
                json!({}),
                Mode::Data,
            ),
            live(
                "us-east-1",
                "aws_region",
                json!({"name": "us-east-1"}),
                Mode::Data,
            ),
        ];
        let s = Snapshot::from_resources(&rs);
        assert_eq!(
            s.resources.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(s.get("a").unwrap().attributes, json!({"bucket": "a"}));
        let db = serde_json::to_string(&s.get("b").unwrap().attributes).unwrap();
        assert_eq!(db, r#"{"a":{"x":2,"y":1},"password":"(redacted)","z":1}"#);
        assert_eq!(s.unread.len(), 1);
        assert!(s.did_not_read(&SnapshotResource {
            key: "q".into(),
            resource_type: "aws_sqs_queue".into(),
            physical_id: None,
            account: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            attributes: json!({}),
        }));
        assert!(!s.did_not_read(s.get("a").unwrap()));
    }
}
