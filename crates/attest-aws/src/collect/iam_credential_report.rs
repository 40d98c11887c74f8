//! IAM credential report: `GenerateCredentialReport` (repeated while IAM says it is in progress)
//! and `GetCredentialReport` → one `aws_iam_credential_report` per account, attest's own type (no
//! Terraform resource describes it), id `arn:<partition>:iam::<account>:credential-report`:
//!
//! - `generated_time`: when IAM produced the report (RFC 3339);
//! - `users`: one object per row of the CSV, the root user's row included (`user` =
//!   `<root_account>`), keyed by the report's column names (`user`, `arn`, `password_enabled`,
//!   `password_last_used`, `mfa_active`, `access_key_1_active`, `access_key_1_last_rotated`,
//!   `access_key_1_last_used_date`, … `cert_2_last_rotated`). `true`/`false` become booleans;
//!   `N/A`, `no_information` and `not_supported` become null (nothing to tell); everything else
//!   stays the report's text (timestamps in ISO 8601).
//!
//! The report tells what no other call does: when the root user was last used, which console
//! users have no MFA, and when each access key was last rotated and used. When it cannot be read,
//! `users` is unknown with the reason, and the error names the call.

use std::time::Duration;

use aws_sdk_iam::types::ReportStateType;
use serde_json::{json, Map, Value as Json};

use attest_core::LoadOutput;

use super::unknown;
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// The resource type.
pub const CREDENTIAL_REPORT: &str = "aws_iam_credential_report";
/// `GenerateCredentialReport` calls while IAM prepares the report.
const GENERATE_ATTEMPTS: u32 = 10;
const GENERATE_PAUSE: Duration = Duration::from_secs(2);

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let mut out = LoadOutput::default();
    let Some(id) = c
        .account
        .as_deref()
        .map(|a| format!("arn:{}:iam::{a}:credential-report", c.partition()))
    else {
        // No account id, no report id: the STS error is already reported.
        return out;
    };
    let iam = client!(c.session, aws_sdk_iam, "iam");
    let report = async {
        for attempt in 1..=GENERATE_ATTEMPTS {
            let state = iam
                .generate_credential_report()
                .send()
                .await
                .map_err(|e| ("GenerateCredentialReport", ApiError::from_sdk(&e)))?;
            if state.state() == Some(&ReportStateType::Complete) || attempt == GENERATE_ATTEMPTS {
                break;
            }
            tokio::time::sleep(GENERATE_PAUSE).await;
        }
        iam.get_credential_report()
            .send()
            .await
            .map_err(|e| ("GetCredentialReport", ApiError::from_sdk(&e)))
    }
    .await;
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    match report {
        Ok(r) => {
            a.insert(
                "generated_time".into(),
                json!(r.generated_time().map(|t| t.to_string())),
            );
            let text = r
                .content()
                .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
                .unwrap_or_default();
            match rows(&text) {
                Ok(users) => {
                    a.insert("users".into(), Json::Array(users));
                }
                Err(why) => {
                    out.errors
                        .push(c.error("iam", "GetCredentialReport", why.clone()));
                    a.insert("users".into(), unknown(&why));
                }
            }
        }
        Err((op, e)) => {
            out.errors.push(c.error("iam", op, e.message.clone()));
            a.insert("generated_time".into(), unknown(&e.unknown_reason("iam", op)));
            a.insert("users".into(), unknown(&e.unknown_reason("iam", op)));
        }
    }
    out.resources
        .push(c.resource(id.clone(), CREDENTIAL_REPORT, Some(&id), a));
    out
}

/// The rows of the report's CSV as objects keyed by its header.
pub fn rows(text: &str) -> Result<Vec<Json>, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("the credential report is not CSV: {e}"))?
        .clone();
    if !header.iter().any(|h| h == "user") {
        return Err("the credential report has no `user` column".into());
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("the credential report is not CSV: {e}"))?;
        let row: Map<String, Json> = header
            .iter()
            .zip(record.iter())
            .map(|(k, v)| (k.to_string(), cell(v)))
            .collect();
        out.push(Json::Object(row));
    }
    Ok(out)
}

fn cell(v: &str) -> Json {
    match v {
        "true" => json!(true),
        "false" => json!(false),
        "N/A" | "no_information" | "not_supported" | "" => Json::Null,
        other => json!(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_the_columns_and_type_the_flags() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\n\
<root_account>,arn:aws:iam::123456789012:root,2024-01-01T00:00:00+00:00,not_supported,2026-11-01T10:00:00+00:00,true,false,N/A,N/A\n\
alice,arn:aws:iam::123456789012:user/alice,2024-02-01T00:00:00+00:00,true,no_information,false,true,2024-02-01T00:00:00+00:00,2026-11-20T00:00:00+00:00\n";
        let users = rows(csv).expect("a valid report");
        assert_eq!(users.len(), 2);
        assert_eq!(users[0]["user"], json!("<root_account>"));
        assert_eq!(users[0]["password_enabled"], Json::Null);
        assert_eq!(users[0]["password_last_used"], json!("2026-11-01T10:00:00+00:00"));
        assert_eq!(users[0]["mfa_active"], json!(true));
        assert_eq!(users[1]["password_last_used"], Json::Null);
        assert_eq!(users[1]["access_key_1_active"], json!(true));
        assert_eq!(
            users[1]["access_key_1_last_rotated"],
            json!("2024-02-01T00:00:00+00:00")
        );
    }

    #[test]
    fn a_report_that_is_not_one_is_an_error() {
        assert!(rows("").is_err());
        assert!(rows("name,arn\nx,y\n").unwrap_err().contains("no `user` column"));
        assert!(rows("user,arn\nx,y,z\n").is_err());
    }
}
