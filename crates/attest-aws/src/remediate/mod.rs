//! Executes remediation plans ([`attest_engine::remediate`]): each action is one AWS API call,
//! made in the resource's account and region, in plan order. A failed call is reported and the
//! others go on.
//!
//! Each service has its own module with `run(session, operation, params)`; parameters use the
//! API's own names, as the plan shows them.

/// Sends a request: `Ok(note)`, or the service's error.
macro_rules! send {
    ($request:expr, $note:expr) => {
        match $request.send().await {
            Ok(_) => Ok($note),
            Err(e) => Err($crate::remediate::sdk_error(&e)),
        }
    };
}

mod cloudtrail;
mod cloudwatch;
mod dynamodb;
mod ec2;
mod iam;
mod kms;
mod logs;
mod s3;

use std::collections::HashMap;

use attest_engine::remediate::{Action, ApiCall};

use crate::ctx::Session;
use crate::observe::Observer;
use crate::AwsOptions;

/// What happened to one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded; a short note (`revoked 1 rule`).
    Applied(String),
    /// The call failed: the call and the service's error.
    Failed(String),
}

/// Runs the actions in order; one outcome per action.
pub async fn execute(opts: &AwsOptions, actions: &[Action]) -> Vec<Outcome> {
    let base = Session::load_observed(opts, None, Observer::default()).await;
    let mut sessions: HashMap<(Option<String>, String), Session> = HashMap::new();
    let mut out = Vec::with_capacity(actions.len());
    for a in actions {
        let region = a.region.clone().unwrap_or_else(|| base.region());
        let key = (a.account.clone(), region.clone());
        if !sessions.contains_key(&key) {
            let s = session_for(opts, &base, a.account.as_deref(), &region)
                .await
                .in_region(&region);
            sessions.insert(key.clone(), s);
        }
        let Some(s) = sessions.get(&key) else {
            out.push(Outcome::Failed("no session".into()));
            continue;
        };
        let call = &a.call;
        let result = run(s, call).await;
        out.push(match result {
            Ok(note) => Outcome::Applied(note),
            Err(e) => Outcome::Failed(format!("{}.{} in {region}: {e}", call.service, call.operation)),
        });
    }
    out
}

/// The session for an account: through the accounts file's role, the organization role or
/// `--role-arn` when the environment uses one, else the base credentials.
async fn session_for(opts: &AwsOptions, base: &Session, account: Option<&str>, region: &str) -> Session {
    if let Some(account) = account {
        if let Some(t) = opts.accounts.iter().find(|t| t.account_id == account) {
            if let Some(role) = &t.role_arn {
                return base.assume_role(role, t.external_id.as_deref()).await;
            }
        }
        if let Some(role) = &opts.organization_role {
            let partition = crate::ctx::partition_of(region);
            let arn = format!(
                "arn:{partition}:iam::{account}:role/{}",
                role.trim_start_matches('/')
            );
            return base.assume_role(&arn, None).await;
        }
    }
    match &opts.role_arn {
        Some(arn) => base.assume_role(arn, opts.external_id.as_deref()).await,
        None => base.in_region(&base.region()),
    }
}

async fn run(s: &Session, call: &ApiCall) -> Result<String, String> {
    let (op, p) = (call.operation.as_str(), &call.params);
    match call.service.as_str() {
        "ec2" => ec2::run(s, op, p).await,
        "s3" => s3::run(s, op, p).await,
        "iam" => iam::run(s, op, p).await,
        "kms" => kms::run(s, op, p).await,
        "dynamodb" => dynamodb::run(s, op, p).await,
        "cloudtrail" => cloudtrail::run(s, op, p).await,
        "cloudwatch" => cloudwatch::run(s, op, p).await,
        "logs" => logs::run(s, op, p).await,
        other => Err(format!("attest does not call the {other} service")),
    }
}

/// Helpers for the service modules.
pub(crate) mod params {
    use serde_json::Value;

    /// A required string parameter.
    pub fn str<'a>(p: &'a Value, key: &str) -> Result<&'a str, String> {
        p.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the plan's `{key}` parameter is missing or not a string"))
    }

    /// An optional string parameter.
    pub fn opt_str<'a>(p: &'a Value, key: &str) -> Option<&'a str> {
        p.get(key).and_then(Value::as_str)
    }

    /// A required boolean parameter.
    pub fn bool(p: &Value, key: &str) -> Result<bool, String> {
        p.get(key)
            .and_then(Value::as_bool)
            .ok_or_else(|| format!("the plan's `{key}` parameter is missing or not a boolean"))
    }

    /// An optional integer parameter.
    pub fn opt_i64(p: &Value, key: &str) -> Option<i64> {
        p.get(key).and_then(Value::as_i64)
    }

    /// A list of strings; `None` when absent.
    pub fn strings(p: &Value, key: &str) -> Result<Option<Vec<String>>, String> {
        match p.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("the plan's `{key}` holds a value that is not a string"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(format!("the plan's `{key}` parameter is not a list")),
        }
    }

    /// A list parameter (empty when absent).
    pub fn list<'a>(p: &'a Value, key: &str) -> &'a [Value] {
        p.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// A parameter that is an unsupported operation for a module.
    pub fn unsupported(service: &str, op: &str) -> String {
        format!("attest does not call {service}.{op}")
    }
}

/// The error of an SDK call, as `Code: message`.
pub(crate) fn sdk_error<E>(e: &E) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error,
{
    let e = crate::api::ApiError::from_sdk(e);
    if e.message.starts_with(&e.code) {
        e.message
    } else {
        format!("{}: {}", e.code, e.message)
    }
}
