//! The SDK configuration of one region and the helpers collectors share to build resources.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use std::sync::Arc;

use attest_core::{InputError, InputKind, Provenance, Resource, Value};

use crate::observe::Observer;
use crate::AwsOptions;

/// Attempts per call when the options do not say.
const DEFAULT_ATTEMPTS: u32 = 5;

/// The SDK configuration for one region.
pub struct Session {
    pub config: SdkConfig,
    opts: AwsOptions,
    pub observer: Observer,
    /// Set in multi-account scans: region labels (ids, errors) are prefixed with the account.
    pub qualify_with_account: bool,
}

impl Session {
    /// Loads the standard credential chain and settings; `region` overrides the configured one.
    /// Every client of the session reports its calls to `observer`.
    pub async fn load_observed(opts: &AwsOptions, region: Option<&str>, observer: Observer) -> Session {
        let attempts = opts.max_attempts.unwrap_or(DEFAULT_ATTEMPTS).max(1);
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::adaptive().with_max_attempts(attempts));
        if let Some(profile) = &opts.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &opts.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(region) = region {
            loader = loader.region(Region::new(region.to_string()));
        }
        Session {
            config: loader.load().await,
            opts: opts.clone(),
            observer,
            qualify_with_account: false,
        }
    }

    /// A session whose credentials come from assuming `role_arn` with this session's
    /// credentials (refreshed by the SDK before they expire).
    pub async fn assume_role(&self, role_arn: &str, external_id: Option<&str>) -> Session {
        let mut b = aws_config::sts::AssumeRoleProvider::builder(role_arn)
            .session_name("attest")
            .configure(&self.config);
        if let Some(id) = external_id {
            b = b.external_id(id);
        }
        let provider = b.build().await;
        Session {
            config: self
                .config
                .to_builder()
                .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
                    provider,
                ))
                .build(),
            opts: self.opts.clone(),
            observer: self.observer.clone(),
            qualify_with_account: self.qualify_with_account,
        }
    }

    /// The same credentials and settings in another region.
    pub fn in_region(&self, region: &str) -> Session {
        Session {
            config: self
                .config
                .to_builder()
                .region(Region::new(region.to_string()))
                .build(),
            opts: self.opts.clone(),
            observer: self.observer.clone(),
            qualify_with_account: self.qualify_with_account,
        }
    }

    /// A session without credentials or I/O, for unit tests of the normalization.
    #[cfg(test)]
    pub fn for_tests(region: &str) -> Session {
        Session {
            config: SdkConfig::builder()
                .region(Region::new(region.to_string()))
                .behavior_version(BehaviorVersion::latest())
                .build(),
            opts: AwsOptions::default(),
            observer: Observer::default(),
            qualify_with_account: false,
        }
    }

    pub fn region(&self) -> String {
        self.config
            .region()
            .map(|r| r.as_ref().to_string())
            .unwrap_or_else(|| "us-east-1".to_string())
    }

    /// The endpoint configured for one service, if any.
    pub fn endpoint_for(&self, service: &str) -> Option<&str> {
        self.opts.service_endpoints.get(service).map(String::as_str)
    }

    /// Whether a custom endpoint is set for `service` (emulators need S3 path-style addressing).
    pub fn path_style(&self, service: &str) -> bool {
        self.endpoint_for(service).is_some() || self.opts.endpoint_url.is_some()
    }
}

/// Builds a service client from a session, applying a per-service endpoint and the observer
/// that counts calls. `client!(session, aws_sdk_ec2, "ec2")`; S3 clients also need
/// `force_path_style` for emulators: use [`Session::path_style`].
macro_rules! client {
    ($session:expr, $krate:ident, $service:literal) => {{
        let mut b =
            $krate::config::Builder::from(&$session.config).interceptor($session.observer.interceptor());
        if let Some(url) = $session.endpoint_for($service) {
            b = b.endpoint_url(url);
        }
        $krate::Client::from_conf(b.build())
    }};
}
pub(crate) use client;

/// The ARN partition of a region.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The label of a region in ids and errors.
fn label(session: &Session, account: Option<&str>, region: &str) -> String {
    match account {
        Some(a) if session.qualify_with_account => format!("{a}/{region}"),
        _ => region.to_string(),
    }
}

/// What every collector of one region needs.
pub struct Ctx<'s> {
    pub session: &'s Session,
    pub account: Option<String>,
    /// The region the calls go to.
    pub region: String,
    /// The region in ids, errors and provenance: `global` for global services (IAM, CloudFront).
    /// In multi-account scans it is prefixed with the account: `111122223333/eu-west-1`.
    pub label: String,
    /// Every region of the scan (global collectors such as S3 keep what lies in these).
    pub regions: Arc<Vec<String>>,
}

impl<'s> Ctx<'s> {
    pub fn new(session: &'s Session, account: Option<String>) -> Ctx<'s> {
        let region = session.region();
        Ctx {
            session,
            label: label(session, account.as_deref(), &region),
            regions: Arc::new(vec![region.clone()]),
            account,
            region,
        }
    }

    /// A context for a global service, reached through the session's region.
    pub fn global(session: &'s Session, account: Option<String>) -> Ctx<'s> {
        Ctx {
            label: label(session, account.as_deref(), "global"),
            ..Ctx::new(session, account)
        }
    }

    /// The same context with every region of the scan known.
    pub fn with_regions(mut self, regions: Arc<Vec<String>>) -> Ctx<'s> {
        self.regions = regions;
        self
    }

    /// A context for resources that live in `region`, read through `session` (a session of that
    /// region: see [`Session::in_region`]). Used by global listings such as S3's.
    pub fn for_region<'t>(&self, session: &'t Session, region: &str) -> Ctx<'t> {
        Ctx {
            session,
            account: self.account.clone(),
            region: region.to_string(),
            label: label(session, self.account.as_deref(), region),
            regions: self.regions.clone(),
        }
    }

    pub fn is_global(&self) -> bool {
        self.label == "global" || self.label.ends_with("/global")
    }

    /// `aws`, `aws-cn` or `aws-us-gov`, from the region name.
    pub fn partition(&self) -> &'static str {
        partition_of(&self.region)
    }

    /// An ARN of this region and account; `None` when the account is not known.
    pub fn arn(&self, service: &str, resource: &str) -> Option<String> {
        let account = self.account.as_deref()?;
        Some(format!(
            "arn:{}:{service}:{}:{account}:{resource}",
            self.partition(),
            self.region
        ))
    }

    /// The id of a resource without an ARN: `<type>:<region>:<id>`.
    pub fn local_id(&self, resource_type: &str, id: &str) -> String {
        format!("{resource_type}:{}:{id}", self.label)
    }

    pub fn provenance(&self) -> Provenance {
        let mut p = Provenance::new(InputKind::Live);
        p.account = self.account.clone();
        p.region = (!self.is_global()).then(|| self.region.clone());
        p
    }

    /// A live resource with its provenance and physical id.
    pub fn resource(
        &self,
        id: String,
        resource_type: &str,
        physical_id: Option<&str>,
        attributes: serde_json::Map<String, serde_json::Value>,
    ) -> Resource {
        let mut r = Resource::new(
            id,
            resource_type,
            Value::from_json(&serde_json::Value::Object(attributes)),
            self.provenance(),
        );
        r.physical_id = physical_id.map(str::to_string);
        r
    }

    /// The soft error of a failed call: `file` is `aws:<region>:<Service>.<Operation>`.
    pub fn error(&self, service: &str, operation: &str, message: impl Into<String>) -> InputError {
        InputError::new(
            format!("aws:{}:{service}.{operation}", self.label),
            message.into(),
        )
    }
}
