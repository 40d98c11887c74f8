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
//! Collected types (first slice): `aws_security_group`, `aws_vpc`, `aws_flow_log`, `aws_lb`,
//! `aws_iam_policy` (customer-managed), `aws_dynamodb_table`, `aws_cloudwatch_log_group`,
//! `aws_cloudwatch_log_metric_filter`, `aws_cloudwatch_metric_alarm`,
//! `aws_cloudfront_distribution`.

mod api;
mod collect;
mod ctx;
pub mod inventory;
pub mod redact;

use std::collections::BTreeMap;

use attest_core::{InputKind, InputSummary, LoadOutput};
use futures::StreamExt;

pub use collect::placeholder_id;
pub use inventory::inventory_document;

/// How many regions are read at the same time.
const REGION_CONCURRENCY: usize = 4;

/// What to scan and how to reach it. New options (role to assume, external id, accounts) are
/// added as fields; build it with `AwsOptions { regions, ..Default::default() }`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AwsOptions {
    /// Named profile of the shared config files; `None` uses the standard credential chain
    /// (environment, SSO, web identity, instance or container role).
    pub profile: Option<String>,
    /// Regions to read; empty means the region of the profile or environment (or `us-east-1`).
    pub regions: Vec<String>,
    /// Endpoint for every service, for emulators such as moto.
    pub endpoint_url: Option<String>,
    /// Endpoint per service (`ec2`, `iam`, `dynamodb`, `logs`, `cloudwatch`, `elasticloadbalancing`,
    /// `cloudfront`, `sts`), taking precedence over `endpoint_url`: for VPC endpoints or proxies.
    pub service_endpoints: BTreeMap<String, String>,
    /// Attempts per call (the SDK's adaptive retry: throttling is retried with back-off).
    pub max_attempts: Option<u32>,
}

impl AwsOptions {
    pub fn new() -> Self {
        AwsOptions::default()
    }

    pub fn with_regions(mut self, regions: Vec<String>) -> Self {
        self.regions = regions;
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
}

/// Reads the account and returns its resources in the canonical vocabulary, the references
/// between them and one soft error per failed API call. Resources are sorted by type and id.
pub async fn collect(opts: &AwsOptions) -> LoadOutput {
    let base = ctx::Session::load(opts, None).await;
    let regions: Vec<String> = if opts.regions.is_empty() {
        vec![base.default_region()]
    } else {
        let mut r = opts.regions.clone();
        r.sort();
        r.dedup();
        r
    };
    let mut out = LoadOutput::default();
    let (account, err) = collect::account_id(&base).await;
    out.errors.extend(err);

    let global_region = regions[0].clone();
    let global = async {
        let s = ctx::Session::load(opts, Some(&global_region)).await;
        let c = ctx::Ctx::global(&s, account.clone());
        let (iam, cf) = tokio::join!(
            collect::iam_policies::collect(&c),
            collect::cloudfront::collect(&c)
        );
        let mut o = iam;
        o.extend(cf);
        o
    };
    let per_region = futures::stream::iter(regions.iter().cloned())
        .map(|region| {
            let account = account.clone();
            async move {
                let s = ctx::Session::load(opts, Some(&region)).await;
                let c = ctx::Ctx::new(&s, account);
                collect::region(&c).await
            }
        })
        .buffer_unordered(REGION_CONCURRENCY)
        .collect::<Vec<LoadOutput>>();
    let (g, regional) = tokio::join!(global, per_region);
    out.extend(g);
    for r in regional {
        out.extend(r);
    }
    collect::link(&mut out);
    out.resources
        .sort_by(|a, b| (&a.resource_type, &a.id).cmp(&(&b.resource_type, &b.id)));
    out.references
        .sort_by(|a, b| (&a.from, &a.path, &a.to).cmp(&(&b.from, &b.path, &b.to)));
    out.errors.sort_by(|a, b| a.file.cmp(&b.file));
    out.inputs.push(InputSummary {
        path: format!(
            "aws:{}:{}",
            account.as_deref().unwrap_or("unknown-account"),
            regions.join(",")
        ),
        kind: InputKind::Live,
        resources: out.resources.len(),
    });
    out
}
