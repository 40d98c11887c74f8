#[cfg(feature = "aws")]
pub mod accounts;
pub mod baseline;
pub mod doctor;
pub mod drift;
pub mod env;
pub mod events;
pub mod frameworks;
pub mod history;
pub mod remediate;
pub mod rules;
pub mod scan;
pub mod snapshot;
pub mod store;

use std::io::Write;
use std::path::Path;

/// `1 resource`, `2 resources`.
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

use anyhow::Context;

/// Writes a report to `path` all at once: `write` fills a temporary file beside it, which is then
/// renamed, so a reader never sees a partial report. Anything that is not a regular file
/// (`/dev/stdout`, a pipe) is written in place.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut f = std::io::BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(context)?,
        );
        write(&mut f)?;
        return f.flush().with_context(context);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.attest-tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let file = std::fs::File::create(&tmp).with_context(context)?;
        let mut w = std::io::BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error()).with_context(context)?;
        file.sync_all().with_context(context)?;
        std::fs::rename(&tmp, path).with_context(context)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
