//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "attest",
    version,
    about = "Cloud security and compliance: check infrastructure against SOC 2 and CIS rules",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// The store of environments, scans and baselines: a SQLite file path or a
    /// `postgres://user@host/db` URL (default: `$ATTEST_DATABASE`, else
    /// `~/.local/share/attest/attest.db`).
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan Terraform, CloudFormation and inventories, and report per framework criterion.
    Scan(Box<ScanArgs>),
    /// Read a live account and write its normalized inventory, to scan later or elsewhere.
    Snapshot(SnapshotArgs),
    /// List the built-in rules or show one.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// List the compliance frameworks or show one, criterion by criterion.
    #[command(subcommand)]
    Frameworks(FrameworksCommand),
    /// Show what this build can evaluate (rules, frameworks, Terraform functions not implemented).
    Doctor,
    /// Add, list, show, change or remove environments: what `attest scan --env` scans and records.
    #[command(subcommand)]
    Env(EnvCommand),
    /// The recorded scans of an environment: outcome counts per framework and criterion, and
    /// what changed between them.
    History(HistoryArgs),
    /// Set, show, export or import an environment's baseline (its known-good snapshot).
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Compare an environment's latest scan with its baseline (or another scan, a baseline file,
    /// or its infrastructure code): resources added, removed and modified, attribute by attribute.
    Drift(DriftArgs),
    /// DRIFT, COMPLIANCE, BASELINE and REMEDIATION events of an environment.
    Events(EventsArgs),
    /// Plan (and with `--apply`, make) the AWS API calls that revert an environment's drift to
    /// its baseline.
    Remediate(RemediateArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output; `Auto` colours a terminal unless `NO_COLOR` is set.
    pub fn enabled(self, to_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    Criterion,
    Resource,
    Rule,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (Terraform `.tf`/`.tf.json`, plan JSON, state, CloudFormation
    /// templates, attest inventories). Default: `.`, or nothing with `--aws`.
    pub paths: Vec<PathBuf>,

    /// Scan this environment (what `attest env add` recorded) and record the scan, its snapshot
    /// and its drift against the baseline in the store.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["paths", "aws"])]
    pub env: Option<String>,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Output format: text, json, sarif, junit or csv.
    #[arg(short, long, default_value = "text")]
    pub format: String,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Only rules mapped to this framework (repeatable); the report rolls up only these.
    #[arg(long, value_name = "ID")]
    pub framework: Vec<String>,

    /// Only this rule, by id or alias such as FG_R00092 (repeatable).
    #[arg(long, value_name = "ID")]
    pub rule: Vec<String>,

    /// Never run this rule, by id or alias (repeatable).
    #[arg(long, value_name = "ID")]
    pub skip_rule: Vec<String>,

    /// Only rules of this severity or higher: critical, high, medium, low, info.
    #[arg(long, value_name = "SEVERITY")]
    pub severity: Option<String>,

    /// Exit 1 when a failure has this severity or higher (default: info, any failure); `none` never.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Configuration file (default: `.attest.toml` in the scanned directory or a parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any `.attest.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Text output: group findings by criterion (default), resource or rule.
    #[arg(long, value_enum, default_value_t = GroupByArg::Criterion)]
    pub group_by: GroupByArg,

    /// Show passing results too (text and SARIF); they are always in JSON, JUnit and CSV.
    #[arg(long)]
    pub show_passes: bool,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Only scan files matching this glob, relative to the scanned directory (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Set a Terraform input variable, NAME=VALUE (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// Read Terraform input variables from a `.tfvars` file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Set a CloudFormation parameter, KEY=VALUE (repeatable; `AWS::Region=…` and
    /// `AWS::AccountId=…` set pseudo parameters).
    #[arg(long = "cfn-param", value_name = "KEY=VALUE")]
    pub cfn_params: Vec<String>,

    /// Read CloudFormation parameters from a JSON file in the AWS CLI's format
    /// (`[{"ParameterKey": "K", "ParameterValue": "V"}]`) (repeatable).
    #[arg(long = "cfn-param-file", value_name = "FILE")]
    pub cfn_param_files: Vec<PathBuf>,

    /// Terraform workspace (`terraform.workspace`; default: `.terraform/environment`, else `default`).
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
}

/// Where live AWS resources are read from.
#[derive(Debug, Clone, Default, Args, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AwsArgs {
    /// Read a live AWS account through its APIs (standard credential chain: environment, profile,
    /// SSO, instance or container role).
    #[arg(long)]
    pub aws: bool,

    /// AWS profile of the shared config and credentials files.
    #[arg(long, value_name = "NAME", requires = "aws")]
    pub profile: Option<String>,

    /// Region to read (repeatable; default: the profile's or environment's region).
    #[arg(long = "region", value_name = "REGION", requires = "aws")]
    pub regions: Vec<String>,

    /// Read every region enabled in the account (EC2 DescribeRegions) instead of `--region`.
    #[arg(long, requires = "aws", conflicts_with = "regions")]
    pub all_regions: bool,

    /// Assume this IAM role (ARN) with the base credentials and read its account.
    #[arg(long, value_name = "ARN", requires = "aws")]
    pub role_arn: Option<String>,

    /// External id the role's trust policy requires (with `--role-arn`).
    #[arg(long, value_name = "ID", requires = "role_arn")]
    pub external_id: Option<String>,

    /// Read several accounts, each through a role: a TOML file of `[[account]]` tables with
    /// `id`, `role` (a role name or ARN) and optionally `external_id`.
    #[arg(long, value_name = "FILE", requires = "aws", conflicts_with_all = ["role_arn", "organization_role"])]
    pub accounts_file: Option<PathBuf>,

    /// Read every active account of the AWS Organization the credentials manage (the
    /// management account), assuming this role name in each member account.
    #[arg(long, value_name = "ROLE_NAME", requires = "aws", conflicts_with = "role_arn")]
    pub organization_role: Option<String>,

    /// Only these services (comma-separated, e.g. `iam,s3,ec2`; an unknown name lists them all).
    #[arg(long, value_name = "LIST", value_delimiter = ',', requires = "aws")]
    pub services: Vec<String>,

    /// Send every AWS API call to this endpoint (an emulator such as moto).
    #[arg(long, value_name = "URL", requires = "aws")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    /// Inventory file to write (JSON; `attest scan FILE` reads it back).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every built-in rule.
    List {
        /// Only rules mapped to this framework.
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show a rule's documentation, metadata and framework mappings.
    Show {
        /// Rule id or alias (e.g. aws-iam-no-admin-policy or FG_R00092).
        id: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum FrameworksCommand {
    /// List the built-in frameworks.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show every criterion of a framework, with the rules that evidence it.
    Show {
        /// Framework id (e.g. soc2).
        id: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Add an environment: a live AWS account set (`--aws` and its options) or code (`--path`).
    Add(Box<EnvAddArgs>),
    /// List the environments.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show an environment: how it is scanned, its scans, its baseline.
    Show {
        name: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Remove an environment with its scans, baselines and events.
    Remove { name: String },
    /// Change an environment's settings: enforcement mode.
    Set(EnvSetArgs),
}

#[derive(Debug, Args)]
pub struct EnvSetArgs {
    pub name: String,
    /// Enforcement: every `attest scan --env NAME` applies the remediation plan for the
    /// enforced types and records it.
    #[arg(long, conflicts_with = "no_enforce")]
    pub enforce: bool,
    /// Turn enforcement off.
    #[arg(long)]
    pub no_enforce: bool,
    /// The types enforcement reverts (comma-separated; default: every supported type).
    #[arg(long, value_name = "TYPES", value_delimiter = ',', requires = "enforce")]
    pub enforce_types: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EnvAddArgs {
    /// Environment name (letters, digits, `-`, `_`, `.`).
    pub name: String,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Infrastructure code or inventories to scan (repeatable), instead of or with `--aws`.
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Configuration file for its scans (rules, waivers, `[drift] ignore`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    pub name: String,
    /// Show at most this many scans (newest first).
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
    /// Also show each criterion's status and counts.
    #[arg(long)]
    pub criteria: bool,
    /// Only this framework in the counts.
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Make a scan (default: the latest) the environment's baseline.
    Set {
        name: String,
        /// Scan id (see `attest history NAME`).
        #[arg(long, value_name = "ID")]
        scan: Option<i64>,
    },
    /// Show the baseline in force.
    Show {
        name: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Write the baseline as a stable, sorted JSON file ("baseline as code").
    Export {
        name: String,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Make a baseline file the environment's baseline.
    Import { name: String, file: PathBuf },
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    pub name: String,
    /// What to compare with: `baseline` (default), `scan:ID`, or a baseline file.
    #[arg(long, value_name = "baseline|scan:ID|FILE", default_value = "baseline")]
    pub against: String,
    /// The scan to compare (default: the latest).
    #[arg(long, value_name = "ID")]
    pub scan: Option<i64>,
    /// Also compare with infrastructure code (Terraform HCL, plan or state; CloudFormation):
    /// unmanaged, missing and changed resources (repeatable).
    #[arg(long = "against-iac", value_name = "PATH")]
    pub against_iac: Vec<PathBuf>,
    /// Configuration file with `[drift] ignore` (default: the environment's).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    pub name: String,
    /// Only these kinds (comma-separated): drift, compliance, baseline, remediation.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Only events of this scan and later.
    #[arg(long, value_name = "ID")]
    pub since_scan: Option<i64>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RemediateArgs {
    pub name: String,
    /// Make the calls (after a confirmation prompt, or `--yes`), then rescan and record.
    #[arg(long)]
    pub apply: bool,
    /// Do not ask for confirmation (required with `--apply` when standard input is not a terminal).
    #[arg(long, requires = "apply")]
    pub yes: bool,
    /// Delete resources of these types added since the baseline (comma-separated); otherwise
    /// added resources are kept and listed.
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub delete_added: Vec<String>,
    /// Only remediate these types (comma-separated).
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Scan the environment (and record the scan) before planning, instead of using its latest scan.
    #[arg(long)]
    pub rescan: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}
