//! The baseline file: a known-good snapshot of every resource and attribute of an environment,
//! stable and sorted so that it can be reviewed and kept in git ("baseline as code").

use serde::{Deserialize, Serialize};

use attest_core::{Snapshot, SnapshotResource, Unread};

use crate::{Result, StoreError};

/// The version of the file format.
pub const BASELINE_FORMAT: u32 = 1;

/// Where a baseline came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineSource {
    /// The scan it was taken from, in the store it was taken in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scan: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scanned_at: Option<String>,
}

/// The baseline file. Resources are sorted by key and attribute keys are sorted at every depth;
/// secrets are redacted as in every stored snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineDoc {
    pub attest_baseline: u32,
    /// The environment it was taken from.
    pub environment: String,
    pub source: BaselineSource,
    pub resources: Vec<SnapshotResource>,
    /// Resource types the source scan could not list (per account and region).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub unread: Vec<Unread>,
}

impl BaselineDoc {
    pub fn new(environment: &str, source: BaselineSource, snapshot: Snapshot) -> BaselineDoc {
        BaselineDoc {
            attest_baseline: BASELINE_FORMAT,
            environment: environment.to_string(),
            source,
            resources: snapshot.resources,
            unread: snapshot.unread,
        }
    }

    /// Reads a baseline file; `origin` names it in messages. Resources are put in canonical order;
    /// two resources with one key are an error.
    pub fn parse(text: &str, origin: &str) -> Result<BaselineDoc> {
        let doc: BaselineDoc = serde_json::from_str(text).map_err(|e| {
            StoreError::Invalid(format!(
                "{origin}:{}:{}: not an attest baseline: {e}",
                e.line(),
                e.column()
            ))
        })?;
        if doc.attest_baseline != BASELINE_FORMAT {
            return Err(StoreError::Invalid(format!(
                "{origin}: baseline format {} is not supported (this attest reads format {BASELINE_FORMAT})",
                doc.attest_baseline
            )));
        }
        let mut keys: Vec<&str> = doc.resources.iter().map(|r| r.key.as_str()).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return Err(StoreError::Invalid(format!(
                "{origin}: resource `{}` appears twice",
                w[0]
            )));
        }
        if let Some(r) = doc.resources.iter().find(|r| !r.attributes.is_object()) {
            return Err(StoreError::Invalid(format!(
                "{origin}: resource `{}`: `attributes` must be an object",
                r.key
            )));
        }
        let snapshot = Snapshot::new(doc.resources, doc.unread);
        Ok(BaselineDoc {
            resources: snapshot.resources,
            unread: snapshot.unread,
            ..doc
        })
    }

    /// The file's text: pretty JSON with a trailing newline. The same baseline always gives the
    /// same bytes.
    pub fn to_document(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The resources as a snapshot to compare with.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            resources: self.resources.clone(),
            unread: self.unread.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(key: &str, attrs: serde_json::Value) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: "aws_s3_bucket".into(),
            physical_id: None,
            account: None,
            region: Some("us-east-1".into()),
            attributes: attrs,
        }
    }

    #[test]
    fn canonical_text_round_trips_byte_identical() {
        let snap = Snapshot::new(
            vec![
                res("b", json!({"z": 1, "a": [3, 1]})),
                res("a", json!({"bucket": "a"})),
            ],
            vec![],
        );
        let doc = BaselineDoc::new(
            "prod",
            BaselineSource {
                scan: Some(3),
                scanned_at: None,
            },
            snap,
        );
        let text = doc.to_document();
        assert!(text.find("\"key\": \"a\"").unwrap() < text.find("\"key\": \"b\"").unwrap());
        assert!(text.find("\"a\": [").unwrap() < text.find("\"z\": 1").unwrap());
        let again = BaselineDoc::parse(&text, "f.json").unwrap().to_document();
        assert_eq!(again, text);
    }

    #[test]
    fn unsorted_input_is_put_in_order() {
        let text = r#"{"attest_baseline":1,"environment":"x","source":{},
            "resources":[{"key":"b","type":"t","attributes":{"y":1,"x":2}},{"key":"a","type":"t","attributes":{}}]}"#;
        let doc = BaselineDoc::parse(text, "f.json").unwrap();
        assert_eq!(doc.resources[0].key, "a");
        assert_eq!(
            serde_json::to_string(&doc.resources[1].attributes).unwrap(),
            r#"{"x":2,"y":1}"#
        );
    }

    #[test]
    fn bad_files_say_where_and_why() {
        let e = BaselineDoc::parse("{\n  \"attest_baseline\": 1,\n  oops\n}", "base.json").unwrap_err();
        assert!(
            e.to_string().starts_with("base.json:3:3: not an attest baseline"),
            "{e}"
        );
        let e = BaselineDoc::parse(
            r#"{"attest_baseline":9,"environment":"x","source":{},"resources":[]}"#,
            "f",
        )
        .unwrap_err();
        assert!(e.to_string().contains("format 9 is not supported"), "{e}");
        let dup = r#"{"attest_baseline":1,"environment":"x","source":{},
            "resources":[{"key":"a","type":"t","attributes":{}},{"key":"a","type":"t","attributes":{}}]}"#;
        assert!(BaselineDoc::parse(dup, "f")
            .unwrap_err()
            .to_string()
            .contains("`a` appears twice"));
        let not_obj = r#"{"attest_baseline":1,"environment":"x","source":{},"resources":[{"key":"a","type":"t","attributes":3}]}"#;
        assert!(BaselineDoc::parse(not_obj, "f")
            .unwrap_err()
            .to_string()
            .contains("must be an object"));
    }
}
