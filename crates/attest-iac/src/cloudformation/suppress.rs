//! Inline suppressions in YAML templates.
//!
//! A comment `# attest:ignore <rule> <reason>` waives the findings of one rule on a resource of the
//! template (and on what it expands to: a SAM function's role, a nested stack's resources). The
//! comment goes on the line of the resource's logical id (`  Logs: # attest:ignore …`) or in the
//! run of comment-only lines directly above it; a blank line or a line with content ends that run.
//! Its target is the logical id's location, the one the loader gives the resource. The directive
//! syntax and its errors are those of Terraform's (see [`crate::suppress`]).
//!
//! Comments are found line by line: a `#` starts one at the start of a line or after whitespace,
//! outside quoted scalars; lines of block scalars (`|`, `>`) are content.

use attest_core::{InputError, Location, Suppression};

use crate::suppress::{directive, rule_and_reason};

/// What a line of YAML holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Line {
    Blank,
    /// Only a comment, starting at this byte offset.
    Comment(usize),
    /// Content, with a trailing comment at this byte offset.
    Content(Option<usize>),
}

/// Finds the suppressions of a YAML template. `targets` are the (line, column) of the resources'
/// logical ids.
pub fn scan_yaml(file: &str, text: &str, targets: &[(u32, u32)]) -> (Vec<Suppression>, Vec<InputError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text.split('\n').collect();
    let kinds = classify(&raw);
    let mut suppressions = Vec::new();
    let mut errors = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let start = match kind {
            Line::Comment(start) | Line::Content(Some(start)) => *start,
            _ => continue,
        };
        let Some(body) = raw.get(i).and_then(|l| l.get(start..)) else {
            continue;
        };
        let Some(rest) = directive(body.trim_end_matches('\r')) else {
            continue;
        };
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let column = raw
            .get(i)
            .and_then(|l| l.get(..start))
            .map_or(0, |s| s.chars().count());
        let column = u32::try_from(column + 1).unwrap_or(u32::MAX);
        let error = |message: &str| InputError::at(file, line, column, message);
        let Some(target) = target_of(i, &kinds, targets) else {
            errors.push(error(
                "attest:ignore must be on the line of a resource's logical id, or in the comment lines \
                 directly above it (no blank line between)",
            ));
            continue;
        };
        match rule_and_reason(rest) {
            Ok((rule, reason)) => suppressions.push(Suppression {
                rule,
                reason,
                comment: Location::new(file, line, column),
                target: Location::new(file, target.0, target.1),
            }),
            Err(message) => errors.push(error(message)),
        }
    }
    (suppressions, errors)
}

/// The logical id a comment on 0-based line `i` belongs to.
fn target_of(i: usize, kinds: &[Line], targets: &[(u32, u32)]) -> Option<(u32, u32)> {
    let at_line = |n: usize| {
        let n = u32::try_from(n + 1).ok()?;
        targets.iter().find(|(l, _)| *l == n).copied()
    };
    if let Some(t) = at_line(i) {
        return Some(t);
    }
    if !matches!(kinds.get(i), Some(Line::Comment(_))) {
        return None;
    }
    let mut next = i + 1;
    while let Some(Line::Comment(_)) = kinds.get(next) {
        next += 1;
    }
    at_line(next)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn classify(lines: &[&str]) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    // The indentation of the line that opened a block scalar.
    let mut block: Option<usize> = None;
    for line in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            out.push(Line::Blank);
            continue;
        }
        if let Some(parent) = block {
            if indent(line) > parent {
                out.push(Line::Content(None));
                continue;
            }
            block = None;
        }
        let comment = comment_start(line);
        let content = comment.map_or(line, |c| line.get(..c).unwrap_or(line)).trim_end();
        if content.trim().is_empty() {
            out.push(match comment {
                Some(c) => Line::Comment(c),
                None => Line::Blank,
            });
            continue;
        }
        if opens_block_scalar(content) {
            block = Some(indent(line));
        }
        out.push(Line::Content(comment));
    }
    out
}

/// Whether a line's content ends with a block scalar header (`key: |`, `- >-`, `key: !Sub |`).
fn opens_block_scalar(content: &str) -> bool {
    let (before, last) = match content.rsplit_once([' ', '\t']) {
        Some((before, last)) => (before.trim_end(), last),
        None => ("", content),
    };
    let mut chars = last.chars();
    let header = matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit());
    header
        && (before.is_empty()
            || before.ends_with(':')
            || before.ends_with('-')
            || before.rsplit(' ').next().is_some_and(|w| w.starts_with('!')))
}

/// The byte offset of the `#` that starts a comment on a line, outside quoted scalars.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev: Option<char> = None;
    // The last character that is not whitespace, outside quotes.
    let mut last_token: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    if chars.peek().map(|(_, n)| *n) == Some('\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
            }
            Some(_) => match c {
                '\\' => {
                    chars.next();
                }
                '"' => quote = None,
                _ => {}
            },
            None => match c {
                '#' if prev.is_none_or(char::is_whitespace) => return Some(i),
                '\'' | '"' if last_token.is_none_or(|t| matches!(t, ':' | '-' | '[' | '{' | ',' | '?')) => {
                    quote = Some(c);
                }
                _ => {}
            },
        }
        if quote.is_none() && !c.is_whitespace() {
            last_token = Some(c);
        }
        prev = Some(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_quotes_and_block_scalars() {
        assert_eq!(comment_start("a: b # c"), Some(5));
        assert_eq!(comment_start("a: 'b # c' # d"), Some(11));
        assert_eq!(comment_start("a: \"b \\\" # c\""), None);
        assert_eq!(comment_start("a: it's # c"), Some(8));
        assert_eq!(comment_start("a: b#c"), None);
        let lines = ["A: |", "  # not a comment", "B: x # yes"];
        assert_eq!(
            classify(&lines),
            vec![Line::Content(None), Line::Content(None), Line::Content(Some(5))]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "#",
            "'",
            "\"",
            "a: |",
            "a: 'x\n# attest:ignore r why\nB:",
            "é # attest:ignore",
        ] {
            let _ = scan_yaml("t.yaml", text, &[(3, 1)]);
        }
    }
}
