//! What a CloudTrail trail records and where it delivers, shared by the CloudTrail rules.

use attest_core::{Evaluation, ResourceGraph, Tri, Value, Verdict};

use crate::aws::links::{ids, managed, names_resource, resolve, Link};
use crate::aws::scope::{LiveScopes, Requirement};
use crate::aws::wording::{attr_not_known, not_known};

pub const TRAIL: &str = "aws_cloudtrail";
pub const BUCKET: &str = "aws_s3_bucket";

/// An account-level evaluation (no subject resource).
pub fn account(verdict: Verdict, message: impl Into<String>) -> Evaluation {
    Evaluation {
        resource: None,
        verdict,
        message: message.into(),
        attribute: None,
    }
}

/// The managed trails of the graph.
pub fn trails(graph: &ResourceGraph) -> Vec<usize> {
    managed(graph, &[TRAIL])
}

/// Whether an attribute that names another resource (a key, a log group) is set: a non-empty
/// string, or an unknown value that a reference edge explains. `Err` when it cannot be told.
pub fn reference_set(graph: &ResourceGraph, i: usize, attr: &str) -> Result<Option<String>, String> {
    let targets = graph.referenced_by_attr(i, attr);
    match graph.get(i).attr(attr) {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ if !targets.is_empty() => Ok(Some(ids(graph, &targets))),
        Value::Unknown(_) => Err(attr_not_known(graph.get(i), attr)),
        other => Ok(Some(other.to_string())),
    }
}

/// Whether a trail records one kind of event, for reads and for writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub read: Tri,
    pub write: Tri,
}

impl Coverage {
    const NONE: Coverage = Coverage {
        read: Tri::False,
        write: Tri::False,
    };

    fn or(self, other: Coverage) -> Coverage {
        Coverage {
            read: self.read.or(other.read),
            write: self.write.or(other.write),
        }
    }

    pub fn both(self) -> Tri {
        self.read.and(self.write)
    }
}

/// Reads/writes covered by a `read_write_type` (default `All`).
fn read_write(value: &Value) -> Coverage {
    match value {
        Value::Null => Coverage {
            read: Tri::True,
            write: Tri::True,
        },
        Value::String(s) => Coverage {
            read: Tri::from(s == "All" || s == "ReadOnly"),
            write: Tri::from(s == "All" || s == "WriteOnly"),
        },
        _ => Coverage {
            read: Tri::Unknown,
            write: Tri::Unknown,
        },
    }
}

/// The `field_selector` of an advanced selector for `field`, as the values it matches.
enum FieldMatch {
    /// No selector on that field: every value.
    Any,
    Equals(Vec<String>),
    NotEquals(Vec<String>),
    StartsWith(Vec<String>),
    Unknown,
}

type MakeMatch = fn(Vec<String>) -> FieldMatch;

fn field(selector: &Value, name: &str) -> FieldMatch {
    let Some(fields) = selector.get("field_selector").blocks() else {
        return FieldMatch::Unknown;
    };
    let mut found = FieldMatch::Any;
    for f in fields {
        match f.get("field") {
            Value::String(s) if s == name => {}
            Value::String(_) => continue,
            _ => return FieldMatch::Unknown,
        }
        let list = |k: &str| {
            f.get(k)
                .string_list()
                .map(|l| l.iter().map(|s| s.to_string()).collect::<Vec<String>>())
        };
        let ops: [(&str, MakeMatch); 3] = [
            ("equals", FieldMatch::Equals),
            ("not_equals", FieldMatch::NotEquals),
            ("starts_with", FieldMatch::StartsWith),
        ];
        found = FieldMatch::Unknown;
        for (key, make) in ops {
            match list(key) {
                Some(values) if !values.is_empty() => {
                    found = make(values);
                    break;
                }
                Some(_) => {}
                None => return FieldMatch::Unknown,
            }
        }
        for other in ["ends_with", "not_starts_with", "not_ends_with"] {
            if !f.get(other).is_null() {
                return FieldMatch::Unknown;
            }
        }
    }
    found
}

/// Whether a field selector admits `value`.
fn admits(m: &FieldMatch, value: &str) -> Tri {
    match m {
        FieldMatch::Any => Tri::True,
        FieldMatch::Equals(v) => Tri::from(v.iter().any(|x| x == value)),
        FieldMatch::NotEquals(v) => Tri::from(!v.iter().any(|x| x == value)),
        FieldMatch::StartsWith(v) => Tri::from(v.iter().any(|x| value.starts_with(x.as_str()))),
        FieldMatch::Unknown => Tri::Unknown,
    }
}

fn advanced_read_write(selector: &Value) -> Coverage {
    let ro = field(selector, "readOnly");
    Coverage {
        read: admits(&ro, "true"),
        write: admits(&ro, "false"),
    }
}

/// The event selectors of a trail: `Err(attribute)` names the selector attribute that is unknown.
enum Selectors<'a> {
    /// Neither kind is written: management events, reads and writes, and no data events.
    Default,
    Basic(Vec<&'a Value>),
    Advanced(Vec<&'a Value>),
}

fn selectors(trail: &Value) -> Result<Selectors<'_>, String> {
    let basic = trail
        .get("event_selector")
        .blocks()
        .ok_or_else(|| "event_selector".to_string())?;
    let advanced = trail
        .get("advanced_event_selector")
        .blocks()
        .ok_or_else(|| "advanced_event_selector".to_string())?;
    Ok(if !advanced.is_empty() {
        Selectors::Advanced(advanced)
    } else if !basic.is_empty() {
        Selectors::Basic(basic)
    } else {
        Selectors::Default
    })
}

/// Which management events a trail records; `Err` names the selector attribute that is unknown.
pub fn management_events(trail: &Value) -> Result<Coverage, String> {
    Ok(match selectors(trail)? {
        Selectors::Default => Coverage {
            read: Tri::True,
            write: Tri::True,
        },
        Selectors::Basic(list) => list.into_iter().fold(Coverage::NONE, |acc, s| {
            let on = s.get("include_management_events").truthy(true);
            let rw = read_write(s.get("read_write_type"));
            acc.or(Coverage {
                read: on.and(rw.read),
                write: on.and(rw.write),
            })
        }),
        Selectors::Advanced(list) => list.into_iter().fold(Coverage::NONE, |acc, s| {
            let on = admits(&field(s, "eventCategory"), "Management");
            let rw = advanced_read_write(s);
            acc.or(Coverage {
                read: on.and(rw.read),
                write: on.and(rw.write),
            })
        }),
    })
}

/// Whether a `data_resource` value list covers the objects of every bucket.
fn all_s3_objects(values: &Value) -> Tri {
    match values.string_list() {
        Some(list) => Tri::from(
            list.iter()
                .any(|v| matches!(v.trim_end_matches('/'), "arn:aws:s3" | "arn:aws:s3:::")),
        ),
        None => Tri::Unknown,
    }
}

/// Which S3 object-level (data) events of every bucket a trail records; `Err` names the selector
/// attribute that is unknown.
pub fn s3_object_events(trail: &Value) -> Result<Coverage, String> {
    Ok(match selectors(trail)? {
        Selectors::Default => Coverage::NONE,
        Selectors::Basic(list) => list.into_iter().fold(Coverage::NONE, |acc, s| {
            let Some(resources) = s.get("data_resource").blocks() else {
                return acc.or(Coverage {
                    read: Tri::Unknown,
                    write: Tri::Unknown,
                });
            };
            let on = Tri::any(resources.into_iter().map(|r| {
                let ty = match r.get("type") {
                    Value::String(t) => Tri::from(t == "AWS::S3::Object"),
                    Value::Null => Tri::False,
                    _ => Tri::Unknown,
                };
                ty.and(all_s3_objects(r.get("values")))
            }));
            let rw = read_write(s.get("read_write_type"));
            acc.or(Coverage {
                read: on.and(rw.read),
                write: on.and(rw.write),
            })
        }),
        Selectors::Advanced(list) => list.into_iter().fold(Coverage::NONE, |acc, s| {
            let data = admits(&field(s, "eventCategory"), "Data");
            let ty = match field(s, "resources.type") {
                // Data selectors must name a resource type.
                FieldMatch::Any => Tri::False,
                other => admits(&other, "AWS::S3::Object"),
            };
            let every_bucket = match field(s, "resources.ARN") {
                FieldMatch::Any => Tri::True,
                FieldMatch::StartsWith(v) => Tri::from(
                    v.iter()
                        .any(|x| matches!(x.as_str(), "arn:aws:s3" | "arn:aws:s3:::")),
                ),
                FieldMatch::Unknown => Tri::Unknown,
                _ => Tri::False,
            };
            let on = data.and(ty).and(every_bucket);
            let rw = advanced_read_write(s);
            acc.or(Coverage {
                read: on.and(rw.read),
                write: on.and(rw.write),
            })
        }),
    })
}

/// Whether a trail logs and records S3 object-level events of every bucket for `reads` (else
/// writes).
fn s3_object_logging(graph: &ResourceGraph, t: usize, reads: bool) -> Tri {
    let r = graph.get(t);
    let covered = match s3_object_events(&r.attributes) {
        Ok(c) => {
            if reads {
                c.read
            } else {
                c.write
            }
        }
        Err(_) => Tri::Unknown,
    };
    r.attr("enable_logging").truthy(true).and(covered)
}

/// The outcome of the S3 object-level logging rules: some logging trail records object-level
/// events of every bucket for `reads` (else writes). In a live scan, one evaluation per account
/// (any trail of the account, in any region); for code, one account-level evaluation of the
/// scanned configuration.
pub fn judge_s3_object_logging(graph: &ResourceGraph, reads: bool) -> Vec<Evaluation> {
    let kind = if reads { "read" } else { "write" };
    let scopes = LiveScopes::of(graph);
    let what = format!("logging trail recording S3 object-level {kind} events for all buckets");
    let live = Requirement {
        what: &what,
        candidates: &[TRAIL],
        needs: &[TRAIL],
    };
    let mut out = scopes.evaluate(scopes.accounts(), &live, |_, t| {
        let r = graph.get(t);
        match s3_object_logging(graph, t, reads) {
            Tri::True => (Tri::True, format!("trail {}", r.id)),
            Tri::Unknown => (
                Tri::Unknown,
                format!(
                    "for trail {}, its event selectors or enable_logging are {}",
                    r.id,
                    not_known(r)
                ),
            ),
            Tri::False => (Tri::False, format!("trail {} does not record them", r.id)),
        }
    });
    let all = scopes.configured(&[TRAIL]);
    if all.is_empty() {
        return out;
    }
    let mut good = Vec::new();
    let mut undecided = Vec::new();
    for &t in &all {
        match s3_object_logging(graph, t, reads) {
            Tri::True => good.push(t),
            Tri::Unknown => undecided.push(t),
            Tri::False => {}
        }
    }
    let e = if !good.is_empty() {
        account(
            Verdict::Pass,
            format!(
                "trail {} records S3 object-level {kind} events for all buckets",
                ids(graph, &good)
            ),
        )
    } else if !undecided.is_empty() {
        account(
            Verdict::Unknown,
            format!(
                "cannot tell whether trail {} records S3 object-level {kind} events: its event \
                 selectors or enable_logging are {}",
                ids(graph, &undecided),
                not_known(graph.get(undecided[0]))
            ),
        )
    } else {
        account(
            Verdict::Fail,
            format!(
                "the scanned configuration declares no logging trail that records S3 object-level {kind} \
                 events for all buckets (trails: {})",
                ids(graph, &all)
            ),
        )
    };
    out.push(e);
    out
}

/// The S3 bucket a trail delivers to, in the graph.
pub enum TrailBucket {
    Bucket(usize),
    /// Why it cannot be judged (not in the scanned configuration, unknown name).
    Unjudged(String),
}

pub fn trail_bucket(graph: &ResourceGraph, t: usize) -> TrailBucket {
    match resolve(graph, t, "s3_bucket_name", &[BUCKET], |b, s| {
        names_resource(b, s, &["bucket", "id"])
    }) {
        Link::Resources(found) => match found.as_slice() {
            [b] => TrailBucket::Bucket(*b),
            several => TrailBucket::Unjudged(format!(
                "s3_bucket_name matches several buckets ({})",
                ids(graph, several)
            )),
        },
        Link::Literal(name) => TrailBucket::Unjudged(format!(
            "the trail delivers to bucket {name}, which the scanned configuration does not declare"
        )),
        Link::Unknown => TrailBucket::Unjudged(format!(
            "s3_bucket_name is {} and refers to no aws_s3_bucket in the scanned configuration",
            not_known(graph.get(t))
        )),
        Link::Absent => TrailBucket::Unjudged("s3_bucket_name is not set".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::unknown;

    fn cov(v: serde_json::Value, f: fn(&Value) -> Result<Coverage, String>) -> (Tri, Tri) {
        let c = f(&Value::from(v)).unwrap();
        (c.read, c.write)
    }

    #[test]
    fn management_event_selectors() {
        assert_eq!(cov(json!({}), management_events), (Tri::True, Tri::True));
        assert_eq!(
            cov(
                json!({"event_selector": [{"read_write_type": "WriteOnly"}]}),
                management_events
            ),
            (Tri::False, Tri::True)
        );
        assert_eq!(
            cov(
                json!({"event_selector": [{"read_write_type": "WriteOnly"}, {"read_write_type": "ReadOnly"}]}),
                management_events
            ),
            (Tri::True, Tri::True)
        );
        assert_eq!(
            cov(
                json!({"event_selector": [{"include_management_events": false}]}),
                management_events
            ),
            (Tri::False, Tri::False)
        );
        assert_eq!(
            cov(
                json!({"event_selector": [{"read_write_type": unknown()}]}),
                management_events
            ),
            (Tri::Unknown, Tri::Unknown)
        );
        assert_eq!(
            cov(
                json!({"advanced_event_selector": [{"field_selector": [
                    {"field": "eventCategory", "equals": ["Management"]},
                    {"field": "readOnly", "equals": ["false"]}]}]}),
                management_events
            ),
            (Tri::False, Tri::True)
        );
        assert!(management_events(&Value::from(json!({"event_selector": unknown()}))).is_err());
    }

    #[test]
    fn s3_object_selectors() {
        let all = json!({"event_selector": [{"read_write_type": "WriteOnly",
            "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]});
        assert_eq!(cov(all, s3_object_events), (Tri::False, Tri::True));
        let one = json!({"event_selector": [{"data_resource": [{"type": "AWS::S3::Object",
            "values": ["arn:aws:s3:::bucket/"]}]}]});
        assert_eq!(cov(one, s3_object_events), (Tri::False, Tri::False));
        assert_eq!(cov(json!({}), s3_object_events), (Tri::False, Tri::False));
        let adv = json!({"advanced_event_selector": [{"field_selector": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]});
        assert_eq!(cov(adv, s3_object_events), (Tri::True, Tri::True));
        let var = json!({"event_selector": [{"data_resource": [{"type": "AWS::S3::Object",
            "values": unknown()}]}]});
        assert_eq!(cov(var, s3_object_events), (Tri::Unknown, Tri::Unknown));
    }
}
