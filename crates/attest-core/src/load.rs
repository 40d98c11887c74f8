//! What a loader hands to the engine.

use crate::graph::Reference;
use crate::report::{InputError, InputSummary};
use crate::resource::{Location, Resource};

/// An inline suppression found in a source file (`# attest:ignore <rule> <reason>` on or just
/// above a resource block): findings of that rule on resources declared at `target` are waived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule id or alias as written.
    pub rule: String,
    pub reason: String,
    /// Where the comment is.
    pub comment: Location,
    /// The start of the block it applies to (file and line match a resource's location).
    pub target: Location,
}

/// Resources, the references between them, and the soft errors of the inputs that could not be
/// read in full. A loader never stops at the first bad file.
#[derive(Debug, Default, Clone)]
pub struct LoadOutput {
    pub resources: Vec<Resource>,
    pub references: Vec<Reference>,
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
    pub suppressions: Vec<Suppression>,
}

impl LoadOutput {
    pub fn extend(&mut self, other: LoadOutput) {
        self.resources.extend(other.resources);
        self.references.extend(other.references);
        self.errors.extend(other.errors);
        self.inputs.extend(other.inputs);
        self.suppressions.extend(other.suppressions);
    }
}
