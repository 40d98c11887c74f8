//! `.attest.toml`: options as written (every field optional, unknown keys rejected), and the
//! search for the file upward from the scanned path.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::EngineError;

/// The file name looked for in the scanned directory and its parents.
pub const CONFIG_FILE: &str = ".attest.toml";

/// The options of a configuration file, as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Globs of files to scan (relative to the scanned directory); empty means all.
    pub include: Option<Vec<String>>,
    /// Globs of files to skip.
    pub exclude: Option<Vec<String>>,
    /// Default for `--fail-on`: `critical`, `high`, `medium`, `low`, `info` or `none`.
    pub fail_on: Option<String>,
    pub rules: Option<RuleOptions>,
    #[serde(default)]
    pub waivers: Vec<WaiverOptions>,
    pub drift: Option<DriftOptions>,
}

/// `[drift]`: what baseline drift leaves out.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftOptions {
    /// Attribute patterns that are not drift, on top of the built-in volatile list:
    /// `TYPE.PATH` with `*` for any type or key and `**` for any depth (`aws_instance.tags.LastSeen`,
    /// `*.tags.updated_at`).
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOptions {
    /// Run only these rules (ids or aliases).
    pub enable: Option<Vec<String>>,
    /// Never run these rules (ids or aliases).
    pub disable: Option<Vec<String>>,
}

/// A waiver: an accepted failure, with who accepted it, why, and until when.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverOptions {
    /// Rule id or alias (`aws-ec2-sg-no-public-http`, `FG_R00041`), or `*` for every rule.
    pub rule: String,
    /// Glob over resource ids (`aws_security_group.legacy*`); default `*`.
    pub resource: Option<String>,
    /// Glob over the file the resource is declared in (`legacy/**`); default: any file.
    pub file: Option<String>,
    pub reason: String,
    pub owner: Option<String>,
    /// Last day the waiver applies (`YYYY-MM-DD`); after it the finding counts again.
    pub expires: Option<String>,
}

/// A configuration file that was read, and where from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub options: Options,
}

impl Options {
    pub fn parse(text: &str, origin: &Path) -> Result<Options, EngineError> {
        toml::from_str::<Options>(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            EngineError::Config {
                path: origin.display().to_string(),
                line,
                column,
                message: e.message().to_string(),
            }
        })
    }

    pub fn load(path: &Path) -> Result<Options, EngineError> {
        let text = std::fs::read_to_string(path).map_err(|e| EngineError::Config {
            path: path.display().to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read: {e}"),
        })?;
        Options::parse(&text, path)
    }
}

/// Finds `.attest.toml` in `start` (a file's directory, or a directory) or the nearest parent.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() { start.parent()? } else { start };
    let abs = std::path::absolute(start).ok()?;
    abs.ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map(|i| before.len() - i)
        .unwrap_or(before.len() + 1);
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_file() {
        let o = Options::parse(
            r#"
include = ["**/*.tf"]
exclude = ["test/**"]
fail_on = "high"
[rules]
disable = ["FG_R00041"]
[[waivers]]
rule = "aws-ec2-sg-no-public-http"
resource = "aws_security_group.legacy*"
reason = "legacy web tier, retired in Q1"
owner = "platform@example.com"
expires = "2027-03-31"
"#,
            Path::new(".attest.toml"),
        )
        .unwrap();
        assert_eq!(o.fail_on.as_deref(), Some("high"));
        assert_eq!(o.waivers.len(), 1);
        assert_eq!(o.rules.unwrap().disable.unwrap(), vec!["FG_R00041"]);
    }

    #[test]
    fn unknown_keys_are_errors_with_line() {
        let err =
            Options::parse("fail_on = \"high\"\nfial_on = 1\n", Path::new("x/.attest.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("x/.attest.toml:2:1"), "{msg}");
        assert!(msg.contains("fial_on"), "{msg}");
    }

    #[test]
    fn waiver_requires_reason() {
        let err = Options::parse("[[waivers]]\nrule = \"x\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("reason"), "{err}");
    }

    #[test]
    fn found_upward() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        let found = find_config(&nested).unwrap();
        assert_eq!(found.parent().unwrap(), std::path::absolute(dir.path()).unwrap());
    }
}
