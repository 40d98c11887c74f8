//! Inline suppressions in Terraform configuration.
//!
//! A comment `# attest:ignore <rule> <reason>` (or `// …`, or `/* … */`) waives the findings of
//! one rule (named by id or alias) on the resources a block declares. The comment goes on the
//! block's header line (`resource "aws_s3_bucket" "logs" { # attest:ignore …`) or in the run of
//! comment-only lines directly above the header; a blank line or a line with code ends that run,
//! so a comment separated from the block by a blank line does not apply to it. One directive per
//! comment; several comments may suppress several rules on the same block. Directives apply to
//! `resource`, `data` and `module` blocks (for `module`, to everything the call declares).
//!
//! The text is read with a small lexer that knows strings, template interpolations and heredocs,
//! so a `#` inside a string or heredoc is not a comment. A directive without a reason, one
//! naming `*`, or one that is not attached to a block is an input error at the comment, and
//! does not apply.

use std::path::PathBuf;

use attest_core::{InputError, LoadOutput, Location, Suppression};

/// The word that starts a suppression comment.
pub const DIRECTIVE: &str = "attest:ignore";

/// Block types a suppression can be attached to.
const BLOCKS: &[&str] = &["resource", "data", "module"];

/// Reads the native-syntax (`.tf`) files among `files` and returns their suppressions and the
/// errors of malformed directives. JSON files and unreadable files are skipped (the HCL loader
/// reports files it cannot read).
pub fn load_files(files: &[PathBuf]) -> LoadOutput {
    let mut out = LoadOutput::default();
    for file in files {
        let name = file.display().to_string();
        if name.to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let (suppressions, errors) = scan_text(&name, &text);
        out.suppressions.extend(suppressions);
        out.errors.extend(errors);
    }
    out
}

/// Finds the suppressions in the text of one `.tf` file named `file` (the name is used as given
/// in the locations, as the HCL loader does).
pub fn scan_text(file: &str, text: &str) -> (Vec<Suppression>, Vec<InputError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lexed = lex(text);
    let lines = Lines::new(text);
    let line_count = lines.starts.len();
    let mut has_comment = vec![false; line_count];
    for c in &lexed.comments {
        let (first, last) = (
            lines.index(c.start),
            lines.index(c.end.saturating_sub(1).max(c.start)),
        );
        for flag in has_comment.iter_mut().take(last + 1).skip(first) {
            *flag = true;
        }
    }
    let is_code = |i: usize| lexed.code_lines.get(i).copied().unwrap_or(false);
    let is_comment_only = |i: usize| !is_code(i) && has_comment.get(i).copied().unwrap_or(false);

    // The range of lines (first..=header line) whose comments belong to each header.
    let ranges: Vec<(usize, usize, &Header)> = lexed
        .headers
        .iter()
        .map(|h| {
            let line = lines.index(h.start);
            let mut first = line;
            while first > 0 && is_comment_only(first - 1) {
                first -= 1;
            }
            (first, line, h)
        })
        .collect();

    let mut suppressions = Vec::new();
    let mut errors = Vec::new();
    for c in &lexed.comments {
        let Some(body) = text.get(c.body.clone()) else {
            continue;
        };
        let Some(rest) = directive(body) else {
            continue;
        };
        let (line, column) = lines.position(text, c.start);
        let error = |message: &str| InputError::at(file, line, column, message);
        let comment_line = lines.index(c.start);
        let Some(&(_, _, header)) = ranges
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&comment_line))
        else {
            errors.push(error(
                "attest:ignore must be on the header line of a resource, data or module block, or in \
                 the comment lines directly above it (no blank line between)",
            ));
            continue;
        };
        if !BLOCKS.contains(&header.keyword.as_str()) {
            errors.push(error(&format!(
                "attest:ignore applies to resource, data and module blocks, not to `{}`",
                header.keyword
            )));
            continue;
        }
        let (rule, reason) = match rule_and_reason(rest) {
            Ok(parsed) => parsed,
            Err(message) => {
                errors.push(error(message));
                continue;
            }
        };
        let (target_line, target_column) = lines.position(text, header.start);
        suppressions.push(Suppression {
            rule,
            reason,
            comment: Location::new(file, line, column),
            target: Location::new(file, target_line, target_column),
        });
    }
    (suppressions, errors)
}

/// The rule and the reason of a directive (the text after `attest:ignore`), or why it is malformed.
pub(crate) fn rule_and_reason(rest: &str) -> Result<(String, String), &'static str> {
    let mut words = rest.split_whitespace();
    let rule = words.next().unwrap_or_default();
    let reason = words.collect::<Vec<_>>().join(" ");
    if rule.is_empty() || reason.is_empty() {
        return Err(
            "attest:ignore needs a rule id and a reason: `# attest:ignore <rule> <why it is accepted>`",
        );
    }
    if rule.contains('*') {
        return Err(
            "attest:ignore names one rule by id or alias; `*` is not allowed (waive all rules in \
             .attest.toml instead)",
        );
    }
    Ok((rule.to_string(), reason))
}

/// The text after `attest:ignore` when a comment body is a directive.
pub(crate) fn directive(body: &str) -> Option<&str> {
    let body = body.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '/' | '*'));
    let rest = body.strip_prefix(DIRECTIVE)?;
    let rest = rest.strip_suffix("*/").unwrap_or(rest);
    match rest.chars().next() {
        None => Some(rest),
        Some(c) if c.is_whitespace() => Some(rest),
        Some(_) => None,
    }
}

/// Line starts of a text, for offsets → 1-based line and column (in characters).
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 0-based line index of a byte offset.
    fn index(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.index(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset.saturating_sub(start));
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }
}

/// A comment: the whole span and the text between its delimiters (byte ranges).
struct Comment {
    start: usize,
    end: usize,
    body: std::ops::Range<usize>,
}

/// A top-level block: where its first word starts, and that word.
struct Header {
    start: usize,
    keyword: String,
}

struct Lexed {
    comments: Vec<Comment>,
    headers: Vec<Header>,
    /// Per 0-based line: true when something other than a comment or blank is on it.
    code_lines: Vec<bool>,
}

enum Mode {
    /// Expressions and structure; `depth` counts open brackets. The bottom of the stack is the
    /// file body; the others are template interpolations (`${ … }`, `%{ … }`).
    Expr { depth: usize },
    /// A quoted string.
    Str,
    /// A heredoc body, ended by a line holding only the marker.
    Heredoc { marker: String },
}

/// The offset of the newline ending the line that `i` is on (or the end of the text).
fn line_end(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|s| s.find('\n'))
        .map_or(text.len(), |n| i + n)
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Splits HCL native syntax into comments, top-level block headers and lines with code. Never
/// fails: unterminated strings, comments and heredocs run to the end of the line or file.
fn lex(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut out = Lexed {
        comments: Vec::new(),
        headers: Vec::new(),
        code_lines: vec![false],
    };
    let mut line = 0usize;
    let mut stack = vec![Mode::Expr { depth: 0 }];
    // Start of the current top-level statement (its first word).
    let mut statement: Option<usize> = None;
    let mut i = 0usize;
    macro_rules! code {
        () => {
            if let Some(flag) = out.code_lines.get_mut(line) {
                *flag = true;
            }
        };
    }
    macro_rules! newline {
        () => {
            line += 1;
            out.code_lines.push(false);
        };
    }
    while i < bytes.len() {
        let b = at(i);
        let top = stack.len();
        match stack.last_mut() {
            None => break,
            Some(Mode::Expr { depth }) => {
                let root = top == 1;
                match b {
                    b'\n' => {
                        newline!();
                        if root && *depth == 0 {
                            statement = None;
                        }
                        i += 1;
                    }
                    b'#' => {
                        let end = line_end(text, i);
                        out.comments.push(Comment {
                            start: i,
                            end,
                            body: i + 1..end,
                        });
                        i = end;
                    }
                    b'/' if at(i + 1) == b'/' => {
                        let end = line_end(text, i);
                        out.comments.push(Comment {
                            start: i,
                            end,
                            body: i + 2..end,
                        });
                        i = end;
                    }
                    b'/' if at(i + 1) == b'*' => {
                        let (body_end, end) = match text.get(i + 2..).and_then(|s| s.find("*/")) {
                            Some(n) => (i + 2 + n, i + 4 + n),
                            None => (bytes.len(), bytes.len()),
                        };
                        out.comments.push(Comment {
                            start: i,
                            end,
                            body: i + 2..body_end,
                        });
                        for _ in bytes
                            .get(i..end)
                            .unwrap_or_default()
                            .iter()
                            .filter(|&&c| c == b'\n')
                        {
                            newline!();
                        }
                        i = end;
                    }
                    b'"' => {
                        code!();
                        if root && *depth == 0 && statement.is_none() {
                            statement = Some(i);
                        }
                        stack.push(Mode::Str);
                        i += 1;
                    }
                    b'<' if at(i + 1) == b'<' => {
                        code!();
                        let mut j = i + 2;
                        if at(j) == b'-' {
                            j += 1;
                        }
                        let name_start = j;
                        while is_ident(at(j)) {
                            j += 1;
                        }
                        let marker = text.get(name_start..j).unwrap_or_default().to_string();
                        while at(j) == b' ' || at(j) == b'\t' || at(j) == b'\r' {
                            j += 1;
                        }
                        if !marker.is_empty() && at(j) == b'\n' {
                            newline!();
                            stack.push(Mode::Heredoc { marker });
                            i = j + 1;
                        } else {
                            i += 2;
                        }
                    }
                    b'{' | b'[' | b'(' => {
                        code!();
                        if root && *depth == 0 && b == b'{' {
                            if let Some(start) = statement {
                                let end = (start..bytes.len()).find(|&k| !is_ident(at(k))).unwrap_or(start);
                                out.headers.push(Header {
                                    start,
                                    keyword: text.get(start..end).unwrap_or_default().to_string(),
                                });
                            }
                        }
                        *depth += 1;
                        i += 1;
                    }
                    b'}' | b']' | b')' => {
                        code!();
                        if *depth == 0 {
                            if !root && b == b'}' {
                                stack.pop();
                            }
                        } else {
                            *depth -= 1;
                            if root && *depth == 0 {
                                statement = None;
                            }
                        }
                        i += 1;
                    }
                    b' ' | b'\t' | b'\r' => i += 1,
                    _ => {
                        code!();
                        if root && *depth == 0 && statement.is_none() {
                            statement = Some(i);
                        }
                        i += 1;
                    }
                }
            }
            Some(Mode::Str) => match b {
                b'\\' => {
                    code!();
                    // An escape never spans a line; leave the newline to the code below.
                    i += if at(i + 1) == b'\n' { 1 } else { 2 };
                }
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                // A string cannot span lines: recover at the end of the line.
                b'\n' => {
                    stack.pop();
                }
                b'$' | b'%' if at(i + 1) == b && at(i + 2) == b'{' => {
                    code!();
                    i += 3;
                }
                b'$' | b'%' if at(i + 1) == b'{' => {
                    code!();
                    stack.push(Mode::Expr { depth: 0 });
                    i += 2;
                }
                _ => {
                    if !b.is_ascii_whitespace() {
                        code!();
                    }
                    i += 1;
                }
            },
            Some(Mode::Heredoc { marker }) => {
                let line_start = i == 0 || at(i - 1) == b'\n';
                if line_start {
                    let end = line_end(text, i);
                    if text.get(i..end).map(str::trim) == Some(marker.as_str()) {
                        code!();
                        stack.pop();
                        i = end;
                        continue;
                    }
                }
                match b {
                    b'\n' => {
                        newline!();
                        i += 1;
                    }
                    b'$' | b'%' if at(i + 1) == b && at(i + 2) == b'{' => {
                        code!();
                        i += 3;
                    }
                    b'$' | b'%' if at(i + 1) == b'{' => {
                        code!();
                        stack.push(Mode::Expr { depth: 0 });
                        i += 2;
                    }
                    _ => {
                        if !b.is_ascii_whitespace() {
                            code!();
                        }
                        i += 1;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_needs_the_exact_word() {
        assert_eq!(directive(" attest:ignore r why"), Some(" r why"));
        assert_eq!(directive(" attest:ignore r why */"), Some(" r why "));
        assert_eq!(directive(" attest:ignore"), Some(""));
        assert_eq!(directive(" attest:ignored r why"), None);
        assert_eq!(directive(" see attest:ignore r why"), None);
    }

    #[test]
    fn lexer_survives_odd_input() {
        for text in [
            "\"",
            "<<",
            "<<EOF\n",
            "/*",
            "${",
            "resource \"a\" \"b\" {\n  x = \"${\"\n",
            "}}}]]",
        ] {
            let _ = scan_text("x.tf", text);
        }
    }
}
