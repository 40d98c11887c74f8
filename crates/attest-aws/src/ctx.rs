//! The SDK configuration of one region and the helpers collectors share to build resources.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use attest_core::{InputError, InputKind, Provenance, Resource, Value};

use crate::AwsOptions;

/// Attempts per call when the options do not say.
const DEFAULT_ATTEMPTS: u32 = 5;

/// The SDK configuration for one region.
pub struct Session {
    pub config: SdkConfig,
    opts: AwsOptions,
}

impl Session {
    /// Loads the standard credential chain and settings; `region` overrides the configured one.
    pub async fn load(opts: &AwsOptions, region: Option<&str>) -> Session {
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
        }
    }

    pub fn region(&self) -> String {
        self.config
            .region()
            .map(|r| r.as_ref().to_string())
            .unwrap_or_else(|| "us-east-1".to_string())
    }

    pub fn default_region(&self) -> String {
        self.region()
    }

    /// The endpoint configured for one service, if any.
    pub fn endpoint_for(&self, service: &str) -> Option<&str> {
        self.opts.service_endpoints.get(service).map(String::as_str)
    }
}

/// Builds a service client from a session, applying a per-service endpoint.
macro_rules! client {
    ($session:expr, $krate:ident, $service:literal) => {{
        let mut b = $krate::config::Builder::from(&$session.config);
        if let Some(url) = $session.endpoint_for($service) {
            b = b.endpoint_url(url);
        }
        $krate::Client::from_conf(b.build())
    }};
}
pub(crate) use client;

/// What every collector of one region needs.
pub struct Ctx<'s> {
    pub session: &'s Session,
    pub account: Option<String>,
    /// The region the calls go to.
    pub region: String,
    /// The region in ids, errors and provenance: `global` for global services (IAM, CloudFront).
    pub label: String,
}

impl<'s> Ctx<'s> {
    pub fn new(session: &'s Session, account: Option<String>) -> Ctx<'s> {
        let region = session.region();
        Ctx {
            session,
            account,
            label: region.clone(),
            region,
        }
    }

    /// A context for a global service, reached through the session's region.
    pub fn global(session: &'s Session, account: Option<String>) -> Ctx<'s> {
        Ctx {
            label: "global".to_string(),
            ..Ctx::new(session, account)
        }
    }

    pub fn is_global(&self) -> bool {
        self.label == "global"
    }

    /// `aws`, `aws-cn` or `aws-us-gov`, from the region name.
    pub fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
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
