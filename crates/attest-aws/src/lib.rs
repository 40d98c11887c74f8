//! Live AWS collectors: read an account through the official AWS SDK for Rust and normalize what
//! the APIs answer into the canonical (Terraform provider schema) vocabulary, so that the same
//! rules judge live resources, Terraform and CloudFormation.
//!
//! [`collect`] reads every region of [`AwsOptions::regions`] concurrently (a bounded number at a
//! time) and the global services (IAM, CloudFront) once. It never fails as a whole: every API
//! error becomes an [`attest_core::InputError`] whose `file` is `aws:<region>:<Service>.<Operation>`,
//! and what depended on the failed call is never made to look like a pass:
//!
//! - a call that reads one attribute of one resource (DynamoDB `DescribeTable`, IAM
//!   `GetPolicyVersion`) leaves that attribute `{"$unknown": "<code> on <service>:<Operation>"}`,
//!   so the rules reading it say `unknown`;
//! - a list call that fails leaves no resources of that type. Rules judging that type then have
//!   nothing to judge in that region, and the error in the report is the only trace: read it.
//!   For the types that rules on *other* resources look through (load balancers in front of
//!   security groups, metric filters and alarms behind flow logs, alarms watching CloudFront
//!   distributions, flow logs of VPCs) the collector adds one placeholder of that type
//!   (mode `data`, id `<type>:<region>:unreadable`, every attribute unknown), so those rules say
//!   `unknown` instead of passing or failing on an incomplete picture.
//!
//! Besides the resources, every collection emits one data resource `aws_caller_identity`
//! (`account_id`) per account and one `aws_region` (`name`) per region read, so that
//! account-level rules know which accounts and regions a live scan covered.
//!
//! Multi-account: [`AwsOptions::accounts`] (or [`AwsOptions::organization_role`], which lists the
//! accounts of an AWS Organization) reads each account through a role assumed in it. Region labels
//! in ids and errors are then prefixed with the account (`aws:111122223333/eu-west-1:ec2.…`).

mod api;
mod collect;
mod ctx;
pub mod inventory;
pub mod observe;
pub mod remediate;
pub use attest_core::redact;

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_core::{InputKind, InputSummary, LoadOutput, Mode};
use futures::StreamExt;

pub use collect::{placeholder_id, SERVICES};
pub use inventory::inventory_document;
pub use observe::{CallCount, CallSummary, Observer, Progress};

/// How many regions of one account are read at the same time.
const REGION_CONCURRENCY: usize = 4;
/// How many collectors of one region run at the same time.
const JOB_CONCURRENCY: usize = 8;
/// How many accounts are read at the same time.
const ACCOUNT_CONCURRENCY: usize = 2;

/// One account of a multi-account scan and the role to read it through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTarget {
    pub account_id: String,
    /// The role's ARN; `None` reads the account with the base credentials (the management
    /// account in an Organizations scan).
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
}

/// What to scan and how to reach it. Build it with `AwsOptions::new()` and the `with_*` methods.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AwsOptions {
    /// Named profile of the shared config files; `None` uses the standard credential chain
    /// (environment, SSO, web identity, instance or container role).
    pub profile: Option<String>,
    /// Regions to read; empty means the region of the profile or environment (or `us-east-1`).
    pub regions: Vec<String>,
    /// Read every region enabled in the account (EC2 `DescribeRegions`), instead of `regions`.
    pub all_regions: bool,
    /// Endpoint for every service, for emulators such as moto.
    pub endpoint_url: Option<String>,
    /// Endpoint per service key (see [`SERVICES`], plus `sts`, `organizations` and `s3control`), taking
    /// precedence over `endpoint_url`: for VPC endpoints or proxies.
    pub service_endpoints: BTreeMap<String, String>,
    /// Attempts per call (the SDK's adaptive retry: throttling is retried with back-off).
    pub max_attempts: Option<u32>,
    /// A role to assume (in the single account scanned) with the base credentials.
    pub role_arn: Option<String>,
    /// The external id the role's trust policy asks for.
    pub external_id: Option<String>,
    /// Only these services (keys of [`SERVICES`]); empty reads every one.
    pub services: Vec<String>,
    /// Accounts to read, each through its role; empty reads the account of the credentials.
    pub accounts: Vec<AccountTarget>,
    /// Discover the accounts of the AWS Organization the credentials manage and read each
    /// through this role name (`arn:<partition>:iam::<account>:role/<name>`).
    pub organization_role: Option<String>,
}

impl AwsOptions {
    pub fn new() -> Self {
        AwsOptions::default()
    }

    pub fn with_regions(mut self, regions: Vec<String>) -> Self {
        self.regions = regions;
        self
    }

    pub fn with_all_regions(mut self, all: bool) -> Self {
        self.all_regions = all;
        self
    }

    pub fn with_profile(mut self, profile: Option<String>) -> Self {
        self.profile = profile;
        self
    }

    pub fn with_endpoint_url(mut self, url: Option<String>) -> Self {
        self.endpoint_url = url;
        self
    }

    pub fn with_service_endpoint(mut self, service: &str, url: &str) -> Self {
        self.service_endpoints
            .insert(service.to_string(), url.to_string());
        self
    }

    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    pub fn with_role(mut self, role_arn: Option<String>, external_id: Option<String>) -> Self {
        self.role_arn = role_arn;
        self.external_id = external_id;
        self
    }

    pub fn with_services(mut self, services: Vec<String>) -> Self {
        self.services = services;
        self
    }

    pub fn with_accounts(mut self, accounts: Vec<AccountTarget>) -> Self {
        self.accounts = accounts;
        self
    }

    pub fn with_organization_role(mut self, role: Option<String>) -> Self {
        self.organization_role = role;
        self
    }

    fn wants(&self, service: &str) -> bool {
        self.services.is_empty() || self.services.iter().any(|s| s == service)
    }
}

/// Reads the account(s) and returns their resources in the canonical vocabulary, the references
/// between them and one soft error per failed API call. Resources are sorted by type and id.
pub async fn collect(opts: &AwsOptions) -> LoadOutput {
    collect_observed(opts, &Observer::new()).await
}

/// [`collect`], reporting progress and API calls to `observer`.
pub async fn collect_observed(opts: &AwsOptions, observer: &Observer) -> LoadOutput {
    let base = ctx::Session::load_observed(opts, None, observer.clone()).await;
    let mut out = LoadOutput::default();
    let targets: Vec<Option<AccountTarget>> = if !opts.accounts.is_empty() {
        opts.accounts.iter().cloned().map(Some).collect()
    } else if let Some(role) = &opts.organization_role {
        let (targets, errors) = collect::organizations::accounts(&base, role).await;
        out.errors.extend(errors);
        targets.into_iter().map(Some).collect()
    } else {
        vec![None]
    };
    let qualify = targets.len() > 1 || targets.first().is_some_and(|t| t.is_some());
    let accounts = futures::stream::iter(targets)
        .map(|target| {
            let base = &base;
            async move { collect_account(opts, base, target.as_ref(), qualify).await }
        })
        .buffer_unordered(ACCOUNT_CONCURRENCY)
        .collect::<Vec<LoadOutput>>()
        .await;
    for a in accounts {
        out.extend(a);
    }
    collect::link(&mut out);
    out.resources
        .sort_by(|a, b| (&a.resource_type, &a.id).cmp(&(&b.resource_type, &b.id)));
    out.references
        .sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    out.errors.sort_by(|a, b| a.file.cmp(&b.file));
    out.inputs.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// One account: its identity, its regions, the global collectors once and the regional ones per
/// region.
async fn collect_account(
    opts: &AwsOptions,
    base: &ctx::Session,
    target: Option<&AccountTarget>,
    qualify: bool,
) -> LoadOutput {
    let mut out = LoadOutput::default();
    let role = target
        .map(|t| (t.role_arn.clone(), t.external_id.clone()))
        .unwrap_or_else(|| (opts.role_arn.clone(), opts.external_id.clone()));
    let mut session = match &role.0 {
        Some(arn) => base.assume_role(arn, role.1.as_deref()).await,
        None => base.in_region(&base.region()),
    };
    session.qualify_with_account = qualify;
    let (account, err) = collect::account_id(&session).await;
    if let Some(mut e) = err {
        if let Some(t) = target {
            e.file = format!("aws:{}:sts.GetCallerIdentity", t.account_id);
        }
        out.errors.push(e);
        if role.0.is_some() {
            // The role could not be assumed: nothing can be read through it.
            return out;
        }
    }
    let account = account.or_else(|| target.map(|t| t.account_id.clone()));

    let regions: Vec<String> = if opts.all_regions {
        let (found, err) = collect::ec2_regions::enabled(&session, account.as_deref()).await;
        out.errors.extend(err);
        if found.is_empty() {
            vec![session.region()]
        } else {
            found
        }
    } else if opts.regions.is_empty() {
        vec![session.region()]
    } else {
        let mut r = opts.regions.clone();
        r.sort();
        r.dedup();
        r
    };
    let regions = Arc::new(regions);
    out.resources
        .extend(collect::scope_resources(&session, account.as_deref(), &regions));
    out.resources.extend(collect::skipped_scope_placeholders(
        &session,
        account.as_deref(),
        &regions,
        |s| opts.wants(s),
    ));

    let observer = session.observer.clone();
    let global_session = session.in_region(&regions[0]);
    // The account's whole share of the progress total, before any job runs.
    {
        let c = ctx::Ctx::new(&global_session, account.clone());
        let wanted = |jobs: Vec<collect::Job<'_>>| jobs.iter().filter(|(s, _)| opts.wants(s)).count();
        observer
            .add_jobs(wanted(collect::global_jobs(&c)) + regions.len() * wanted(collect::regional_jobs(&c)));
    }
    let global = async {
        let c = ctx::Ctx::global(&global_session, account.clone()).with_regions(regions.clone());
        run_jobs(opts, &observer, &c.label.clone(), collect::global_jobs(&c)).await
    };
    let sessions: Vec<ctx::Session> = regions.iter().map(|r| session.in_region(r)).collect();
    let per_region = futures::stream::iter(sessions.iter())
        .map(|s| {
            let account = account.clone();
            let regions = regions.clone();
            let observer = observer.clone();
            async move {
                let c = ctx::Ctx::new(s, account).with_regions(regions);
                run_jobs(opts, &observer, &c.label.clone(), collect::regional_jobs(&c)).await
            }
        })
        .buffer_unordered(REGION_CONCURRENCY)
        .collect::<Vec<LoadOutput>>();
    let (g, regional) = tokio::join!(global, per_region);
    out.extend(g);
    for r in regional {
        out.extend(r);
    }
    let managed = out.resources.iter().filter(|r| r.mode == Mode::Managed).count();
    out.inputs.push(InputSummary {
        path: format!(
            "aws:{}:{}",
            account.as_deref().unwrap_or("unknown-account"),
            regions.join(",")
        ),
        kind: InputKind::Live,
        resources: managed,
    });
    out
}

/// Runs the jobs of the wanted services, a bounded number at a time, reporting each as done.
async fn run_jobs(
    opts: &AwsOptions,
    observer: &Observer,
    label: &str,
    jobs: Vec<collect::Job<'_>>,
) -> LoadOutput {
    let jobs: Vec<_> = jobs.into_iter().filter(|(s, _)| opts.wants(s)).collect();
    let outs = futures::stream::iter(jobs)
        .map(|(service, job)| async move {
            let o = job.await;
            observer.job_done(format!("{service} {label}"));
            o
        })
        .buffer_unordered(JOB_CONCURRENCY)
        .collect::<Vec<LoadOutput>>()
        .await;
    let mut out = LoadOutput::default();
    for o in outs {
        out.extend(o);
    }
    out
}
