//! What a loader hands to the engine.

use crate::graph::Reference;
use crate::report::{InputError, InputSummary};
use crate::resource::Resource;

/// Resources, the references between them, and the soft errors of the inputs that could not be
/// read in full. A loader never stops at the first bad file.
#[derive(Debug, Default, Clone)]
pub struct LoadOutput {
    pub resources: Vec<Resource>,
    pub references: Vec<Reference>,
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
}

impl LoadOutput {
    pub fn extend(&mut self, other: LoadOutput) {
        self.resources.extend(other.resources);
        self.references.extend(other.references);
        self.errors.extend(other.errors);
        self.inputs.extend(other.inputs);
    }
}
