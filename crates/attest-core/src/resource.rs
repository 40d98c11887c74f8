//! Resources and where they came from.

use serde::{Deserialize, Serialize};

use crate::value::Value;

/// Whether a resource is managed (`resource`) or read (`data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Managed,
    Data,
}

/// The loader (input kind) a resource or error comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Terraform configuration (`.tf`, `.tf.json`).
    TfHcl,
    /// `terraform show -json` of a plan.
    TfPlan,
    /// `terraform.tfstate` (format version 4) or `terraform show -json` of a state.
    TfState,
    /// A CloudFormation template.
    Cfn,
    /// An Azure Resource Manager template.
    Arm,
    /// A live cloud account.
    Live,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::TfHcl => "tf_hcl",
            InputKind::TfPlan => "tf_plan",
            InputKind::TfState => "tf_state",
            InputKind::Cfn => "cfn",
            InputKind::Arm => "arm",
            InputKind::Live => "live",
        }
    }
}

/// A place in a source file. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// Path as given to the scan (relative to the working directory when it was relative).
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub end_line: Option<u32>,
}

impl Location {
    pub fn new(file: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            file: file.into(),
            line,
            column,
            end_line: None,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One module call on the way from the root module to a resource (outermost first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleCall {
    /// Module address, e.g. `module.net` or `module.net["a"]`.
    pub address: String,
    /// Where the `module` block is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
}

/// Where a resource came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub input: InputKind,
    /// The source span (the resource block in HCL; the resource in a template). For plan and
    /// state files, the block in the configuration when it was found beside them.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
    /// The module calls that led to this resource (outermost first); empty in the root module.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub module_stack: Vec<ModuleCall>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<String>,
}

impl Provenance {
    pub fn new(input: InputKind) -> Self {
        Provenance {
            input,
            location: None,
            module_stack: Vec::new(),
            account: None,
            region: None,
        }
    }

    pub fn at(input: InputKind, location: Location) -> Self {
        Provenance {
            location: Some(location),
            ..Provenance::new(input)
        }
    }
}

/// A resource in the canonical (Terraform provider schema) vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Terraform address (`module.net.aws_security_group.web["a"]`, `data.aws_iam_policy_document.x`),
    /// CloudFormation logical id, or ARN / physical id for live resources. Unique in a graph.
    pub id: String,
    /// Canonical type, e.g. `aws_security_group`.
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default)]
    pub mode: Mode,
    /// The attribute tree (an object).
    pub attributes: Value,
    pub provenance: Provenance,
    /// Cloud-side identity when known (ARN, `sg-…`), used to match IaC, live and snapshots.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub physical_id: Option<String>,
}

impl Resource {
    pub fn new(
        id: impl Into<String>,
        resource_type: impl Into<String>,
        attributes: Value,
        provenance: Provenance,
    ) -> Self {
        Resource {
            id: id.into(),
            resource_type: resource_type.into(),
            mode: Mode::Managed,
            attributes,
            provenance,
            physical_id: None,
        }
    }

    /// Shorthand for `self.attributes.path(path)`.
    pub fn attr(&self, path: &str) -> &Value {
        self.attributes.path(path)
    }

    pub fn location(&self) -> Option<&Location> {
        self.provenance.location.as_ref()
    }
}
