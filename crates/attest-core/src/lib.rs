//! attest-core: the resource model, the rule API, outcomes and report types.
//!
//! No I/O and no async here: loaders (attest-iac, attest-aws) produce [`Resource`]s and
//! [`Reference`]s, the engine runs [`Rule`]s over a [`ResourceGraph`], reporters render a
//! [`Report`].

pub mod framework;
pub mod graph;
pub mod load;
pub mod redact;
pub mod report;
pub mod resource;
pub mod rule;
pub mod snapshot;
pub mod value;

pub use framework::{Automation, Criterion, Framework, RuleMapping};
pub use graph::{Edge, Reference, ResourceGraph};
pub use load::{LoadOutput, Suppression};
pub use report::{
    AppliedWaiver, ControlRef, Counts, CriterionReport, CriterionStatus, Finding, FrameworkReport,
    InputError, InputSummary, Outcome, Report, RuleInfo, Summary, ToolInfo, REPORT_SCHEMA_VERSION,
};
pub use resource::{InputKind, Location, Mode, ModuleCall, Provenance, Resource};
pub use rule::{is_unreadable_placeholder, Alias, Evaluation, Rule, RuleKind, RuleMeta, Severity, Verdict};
pub use snapshot::{Snapshot, SnapshotResource, Unread};
pub use value::{Tri, Value};
