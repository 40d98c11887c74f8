//! Enforcement: the API calls that bring drifted resources back to their baseline.
//!
//! [`plan`] turns a drift report (baseline → current) into [`Action`]s — one AWS API call each,
//! with the attribute it restores and its value before and after — and [`Manual`] items for drift
//! that has no safe automatic revert. Resources added since the baseline are kept ([`Kept`])
//! unless their type is named in [`PlanOptions::delete_added`]. Nothing here talks to AWS:
//! attest-aws executes the calls. Calls are written with the API's own parameter names (as in
//! the AWS CLI's `--cli-input-json`), so a plan can be reviewed in a pull request.
//!
//! Each family of types has its own module with `TYPES`, `plan` (a removed or modified resource)
//! and `delete` (an added one).

mod cloudtrail;
mod cloudwatch;
mod dynamodb;
mod ec2;
mod iam;
mod kms;
mod s3;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use attest_core::{Snapshot, SnapshotResource};

use crate::drift::{AttributeChange, DriftKind, DriftReport, ResourceDrift};

/// One AWS API call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiCall {
    /// SDK service name: `ec2`, `s3`, `iam`, `kms`, `dynamodb`, `cloudtrail`, `cloudwatch`, `logs`.
    pub service: String,
    /// API operation, as AWS names it: `RevokeSecurityGroupIngress`.
    pub operation: String,
    /// The request, with the API's parameter names.
    pub params: Value,
}

/// The order actions run in: what restores access or protection first, what removes last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Re-create a removed resource, re-authorize a removed rule, re-attach a removed policy.
    Restore,
    /// Set an attribute back to its baseline value.
    Modify,
    /// Revoke an added rule, detach an added policy, delete an added inline policy.
    Remove,
    /// Delete a resource added since the baseline (only with `--delete-added`).
    DeleteAdded,
}

/// One call of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub key: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub physical_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<String>,
    pub step: Step,
    /// The attribute paths (as drift shows them) this call restores; empty for a whole resource.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub paths: Vec<String>,
    /// What it does, in a few words: `revoke ingress tcp 80 from 0.0.0.0/0`.
    pub summary: String,
    pub call: ApiCall,
    /// The value now (absent: not there) and the value the call restores.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub after: Option<Value>,
}

/// Drift attest does not revert by itself, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manual {
    pub key: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub kind: DriftKind,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<String>,
    pub reason: String,
}

/// A resource added since the baseline, left in place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub key: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub physical_id: Option<String>,
}

/// What remediation would do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub manual: Vec<Manual>,
    pub kept: Vec<Kept>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty() && self.manual.is_empty()
    }
}

/// Choices the user makes.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Delete resources of these types added since the baseline (otherwise they are kept).
    pub delete_added: Vec<String>,
    /// Only remediate these types (enforcement mode); empty: every supported type.
    pub only_types: Vec<String>,
}

/// A drifted resource with its baseline and current state.
pub struct Subject<'a> {
    pub drift: &'a ResourceDrift,
    /// The resource in the baseline (absent for an added resource).
    pub baseline: Option<&'a SnapshotResource>,
    /// The resource now (absent for a removed resource).
    pub current: Option<&'a SnapshotResource>,
}

impl Subject<'_> {
    /// The baseline's attributes (for a removed or modified resource) or the current ones.
    pub fn attributes(&self) -> &Value {
        self.baseline
            .or(self.current)
            .map(|r| &r.attributes)
            .unwrap_or(&Value::Null)
    }

    /// The current attributes, or the baseline's when the resource is gone.
    pub fn current_attributes(&self) -> &Value {
        self.current
            .or(self.baseline)
            .map(|r| &r.attributes)
            .unwrap_or(&Value::Null)
    }

    /// The resource's cloud id: its physical id, else an `id` attribute, else its key.
    pub fn physical_id(&self) -> String {
        let d = self.drift;
        d.physical_id
            .clone()
            .or_else(|| {
                self.attributes()
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| d.key.clone())
    }

    pub fn changes(&self) -> &[AttributeChange] {
        &self.drift.changes
    }
}

/// Adds actions and manual items for one subject.
pub(crate) struct Out<'p> {
    plan: &'p mut Plan,
}

impl Out<'_> {
    /// Adds a call. `before` is the current value, `after` the baseline's.
    #[allow(clippy::too_many_arguments)]
    pub fn action(
        &mut self,
        s: &Subject<'_>,
        step: Step,
        paths: &[&str],
        summary: impl Into<String>,
        service: &str,
        operation: &str,
        params: Value,
        before: Option<Value>,
        after: Option<Value>,
    ) {
        let d = s.drift;
        self.plan.actions.push(Action {
            key: d.key.clone(),
            resource_type: d.resource_type.clone(),
            physical_id: d.physical_id.clone(),
            account: d.account.clone(),
            region: d.region.clone(),
            step,
            paths: paths.iter().map(|p| p.to_string()).collect(),
            summary: summary.into(),
            call: ApiCall {
                service: service.to_string(),
                operation: operation.to_string(),
                params,
            },
            before,
            after,
        });
    }

    /// Drift that stays for a person to handle.
    pub fn manual(&mut self, s: &Subject<'_>, path: Option<&str>, reason: impl Into<String>) {
        let d = s.drift;
        self.plan.manual.push(Manual {
            key: d.key.clone(),
            resource_type: d.resource_type.clone(),
            kind: d.kind,
            path: path.map(str::to_string),
            reason: reason.into(),
        });
    }
}

/// A family of resource types that can be remediated.
struct Family {
    types: &'static [&'static str],
    /// Plans a removed or modified resource. Every change must end up as an action or a manual item.
    plan: fn(&Subject<'_>, &mut Out<'_>),
    /// Plans the deletion of an added resource; false when the type has no safe delete.
    delete: fn(&Subject<'_>, &mut Out<'_>) -> bool,
    /// Whether an added resource is removed by calls planned for another resource (an inline
    /// policy by its principal's), so that it is not listed as kept.
    removed_by_others: fn(&SnapshotResource, &[Action]) -> bool,
}

/// For families whose added resources only their own calls remove.
fn never(_: &SnapshotResource, _: &[Action]) -> bool {
    false
}

const FAMILIES: &[Family] = &[
    Family {
        types: ec2::TYPES,
        plan: ec2::plan,
        delete: ec2::delete,
        removed_by_others: never,
    },
    Family {
        types: s3::TYPES,
        plan: s3::plan,
        delete: s3::delete,
        removed_by_others: never,
    },
    Family {
        types: iam::TYPES,
        plan: iam::plan,
        delete: iam::delete,
        removed_by_others: iam::removed_by_others,
    },
    Family {
        types: kms::TYPES,
        plan: kms::plan,
        delete: kms::delete,
        removed_by_others: never,
    },
    Family {
        types: dynamodb::TYPES,
        plan: dynamodb::plan,
        delete: dynamodb::delete,
        removed_by_others: never,
    },
    Family {
        types: cloudtrail::TYPES,
        plan: cloudtrail::plan,
        delete: cloudtrail::delete,
        removed_by_others: never,
    },
    Family {
        types: cloudwatch::TYPES,
        plan: cloudwatch::plan,
        delete: cloudwatch::delete,
        removed_by_others: never,
    },
];

fn family(resource_type: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.types.contains(&resource_type))
}

/// Every type that has automatic reverts.
pub fn supported_types() -> Vec<&'static str> {
    let mut t: Vec<&'static str> = FAMILIES.iter().flat_map(|f| f.types.iter().copied()).collect();
    t.sort_unstable();
    t
}

/// Types that report on other resources rather than configure anything (the IAM credential
/// report, the account summary): their drift follows from the resources they report on and is
/// remediated there, so it is neither an action nor a manual item.
const REPORTS: &[&str] = &["aws_iam_credential_report", "aws_iam_account_summary"];

/// The plan that turns `current` back into `baseline`, given their drift.
pub fn plan(drift: &DriftReport, baseline: &Snapshot, current: &Snapshot, opts: &PlanOptions) -> Plan {
    let mut plan = Plan::default();
    for d in &drift.resources {
        if !opts.only_types.is_empty() && !opts.only_types.iter().any(|t| t == &d.resource_type) {
            continue;
        }
        if REPORTS.contains(&d.resource_type.as_str()) {
            continue;
        }
        let s = Subject {
            drift: d,
            baseline: baseline.get(&d.key),
            current: current.get(&d.key),
        };
        let mut out = Out { plan: &mut plan };
        match (d.kind, family(&d.resource_type)) {
            (DriftKind::Added, f) => {
                if opts.delete_added.iter().any(|t| t == &d.resource_type) {
                    if !f.is_some_and(|f| (f.delete)(&s, &mut out)) {
                        out.manual(
                            &s,
                            None,
                            format!("attest has no automatic delete for {}", d.resource_type),
                        );
                    }
                } else {
                    plan.kept.push(Kept {
                        key: d.key.clone(),
                        resource_type: d.resource_type.clone(),
                        physical_id: d.physical_id.clone(),
                    });
                }
            }
            (_, Some(f)) => (f.plan)(&s, &mut out),
            (_, None) => out.manual(
                &s,
                None,
                format!("attest has no automatic revert for {}", d.resource_type),
            ),
        }
    }
    // An added resource that another resource's calls already remove is not kept.
    plan.kept.retain(|k| {
        let (Some(r), Some(f)) = (current.get(&k.key), family(&k.resource_type)) else {
            return true;
        };
        !(f.removed_by_others)(r, &plan.actions)
    });
    // Stable: within a step, resources in key order and each resource's calls as planned.
    plan.actions
        .sort_by(|a, b| (a.step, &a.key).cmp(&(b.step, &b.key)));
    plan
}

/// Helpers for the family modules.
pub(crate) mod util {
    use serde_json::Value;

    /// A string attribute.
    pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
        v.get(key).and_then(Value::as_str)
    }

    /// Whether a value is known (not `{"$unknown": …}`).
    pub fn known(v: &Value) -> bool {
        !matches!(v, Value::Object(m) if m.len() == 1 && m.contains_key(attest_core::value::UNKNOWN_MARKER))
    }

    /// Whether a value is known at every depth.
    pub fn fully_known(v: &Value) -> bool {
        known(v)
            && match v {
                Value::Array(items) => items.iter().all(fully_known),
                Value::Object(m) => m.values().all(fully_known),
                _ => true,
            }
    }

    /// The first segment of a drift path: `ingress` for `ingress[]`, `versioning` for
    /// `versioning[0].enabled`.
    pub fn top(path: &str) -> &str {
        let end = path.find(['.', '[']).unwrap_or(path.len());
        &path[..end]
    }
}
