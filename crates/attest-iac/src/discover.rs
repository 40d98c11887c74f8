//! Finding inputs: walking directories, detecting each file's kind from its content.

use std::path::PathBuf;

use attest_core::LoadOutput;

/// Options shared by all loaders.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Globs (matched against paths relative to the scanned root) of files to include; empty
    /// means everything.
    pub include: Vec<String>,
    /// Globs of files to skip.
    pub exclude: Vec<String>,
    /// `--var NAME=VALUE` (Terraform variables given on the command line).
    pub tf_vars: Vec<(String, String)>,
    /// `--var-file FILE`.
    pub tf_var_files: Vec<PathBuf>,
}

/// Loads every input found under `paths` (files or directories).
pub fn load_paths(paths: &[PathBuf], opts: &LoadOptions) -> LoadOutput {
    let _ = (paths, opts);
    LoadOutput::default()
}
