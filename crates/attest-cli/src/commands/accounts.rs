//! The accounts file of a multi-account live scan (`--accounts-file`):
//!
//! ```toml
//! [[account]]
//! id = "111122223333"
//! role = "attest-audit"            # a role name in that account, or a full role ARN
//! external_id = "8f1c…"            # optional: when the role's trust policy requires one
//! ```

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    account: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    role: String,
    #[serde(default)]
    external_id: Option<String>,
}

/// Reads and checks an accounts file; errors name the file, line and column.
pub fn read(path: &Path) -> anyhow::Result<Vec<attest_aws::AccountTarget>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the accounts file {}", path.display()))?;
    parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
}

fn parse(text: &str) -> Result<Vec<attest_aws::AccountTarget>, String> {
    let file: File = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        format!("{line}:{col}: {}", e.message())
    })?;
    if file.account.is_empty() {
        return Err("1:1: no [[account]] table: list each account with its id and role".into());
    }
    let mut out = Vec::new();
    for (i, a) in file.account.into_iter().enumerate() {
        let n = i + 1;
        if a.id.len() != 12 || !a.id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "account #{n}: id `{}` is not a 12-digit AWS account id",
                a.id
            ));
        }
        let role_arn = if a.role.starts_with("arn:") {
            if !a.role.contains(&format!(":iam::{}:role/", a.id)) {
                return Err(format!(
                    "account #{n}: role `{}` is not a role of account {}",
                    a.role, a.id
                ));
            }
            a.role
        } else if a.role.is_empty() || a.role.contains(':') {
            return Err(format!(
                "account #{n}: role `{}` is neither a role name nor a role ARN",
                a.role
            ));
        } else {
            format!("arn:aws:iam::{}:role/{}", a.id, a.role.trim_start_matches('/'))
        };
        out.push(attest_aws::AccountTarget {
            account_id: a.id,
            role_arn: Some(role_arn),
            external_id: a.external_id,
        });
    }
    let mut ids: Vec<&str> = out.iter().map(|a| a.account_id.as_str()).collect();
    ids.sort();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("account {} is listed twice", w[0]));
    }
    Ok(out)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_arns_become_role_arns() {
        let got = parse(
            r#"
[[account]]
id = "111122223333"
role = "attest-audit"

[[account]]
id = "444455556666"
role = "arn:aws-us-gov:iam::444455556666:role/audit/attest"
external_id = "x-1"
"#,
        )
        .expect("valid file");
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].role_arn.as_deref(),
            Some("arn:aws:iam::111122223333:role/attest-audit")
        );
        assert_eq!(got[0].external_id, None);
        assert_eq!(
            got[1].role_arn.as_deref(),
            Some("arn:aws-us-gov:iam::444455556666:role/audit/attest")
        );
        assert_eq!(got[1].external_id.as_deref(), Some("x-1"));
    }

    #[test]
    fn bad_files_say_where() {
        let e = parse("[[account]]\nid = 111122223333\nrole = \"r\"\n").unwrap_err();
        assert!(e.starts_with("2:6:"), "{e}");
        let e = parse("[[account]]\nid = \"12\"\nrole = \"r\"\n").unwrap_err();
        assert!(e.contains("12-digit"), "{e}");
        let e = parse("[[account]]\nid = \"111122223333\"\nrole = \"arn:aws:iam::999999999999:role/r\"\n")
            .unwrap_err();
        assert!(e.contains("not a role of account"), "{e}");
        let e = parse("[[account]]\nid = \"111122223333\"\nrole = \"r\"\nregion = \"x\"\n").unwrap_err();
        assert!(e.starts_with("4:1:") && e.contains("unknown field"), "{e}");
        let e = parse("").unwrap_err();
        assert!(e.contains("no [[account]]"), "{e}");
        let twice = "[[account]]\nid = \"111122223333\"\nrole = \"r\"\n[[account]]\nid = \"111122223333\"\nrole = \"s\"\n";
        assert!(parse(twice).unwrap_err().contains("listed twice"));
    }
}
