//! Live collection of the account-governance services (CloudTrail, KMS, AWS Config, GuardDuty,
//! IAM Access Analyzer, Security Hub) against moto, judged by the rules that read them.
//!
//! `scripts/services.sh` starts moto and exports `ATTEST_MOTO_ENDPOINT`; without it these tests
//! print a notice and return. What moto cannot serve, and what the tests expect instead:
//! - IAM Access Analyzer does not exist in moto: `ListAnalyzers` fails, the collection reports
//!   that one error and leaves a placeholder analyzer, and the account rule says `unknown`.
//! - Security Hub `GetEnabledStandards` does not exist in moto: with the hub enabled the
//!   collection reports that one error (and a placeholder subscription).
//! - moto answers `HasCustomEventSelectors: false` even after `PutEventSelectors`, so the
//!   collector always asks `GetEventSelectors` (real AWS answers the default selector for trails
//!   without custom ones, which reads the same as moto's empty answer).
//! - moto's `CreateKey` leaves `KeyUsage` null unless it is given: the seeds set it, as AWS's
//!   default (`ENCRYPT_DECRYPT`) would.

mod common;

use aws_config::SdkConfig;
use aws_sdk_cloudtrail::types::{DataResource, EventSelector, ReadWriteType};
use aws_sdk_config::types::{ConfigurationRecorder, DeliveryChannel, RecordingGroup};
use aws_sdk_kms::types::{KeySpec, KeyUsageType};

use attest_core::{LoadOutput, ResourceGraph, Verdict};
use common::{assert_verdicts, endpoint, judge, reset, sdk, Seeded, ACCOUNT, MOTO, REGION};

const TRAIL_RULES: &[&str] = &[
    "aws-cloudtrail-log-file-validation",
    "aws-cloudtrail-multi-region",
    "aws-cloudtrail-kms-encryption",
    "aws-cloudtrail-cloudwatch-logs",
    "aws-cloudtrail-management-events",
    "aws-cloudtrail-s3-object-read-logging",
    "aws-cloudtrail-s3-object-write-logging",
];
const KMS_RULES: &[&str] = &["aws-kms-key-rotation", "aws-kms-key-not-public"];
/// Account- and region-level rules judge each scope of a live scan: their evaluations point at
/// the data resources `aws_caller_identity` (the account) and `aws_region` (each region read).
const ACCOUNT_SCOPE: &str = "aws_caller_identity:123456789012";
const REGION_SCOPE: &str = "aws_region:us-east-1";

fn errors(out: &LoadOutput) -> Vec<String> {
    out.errors.iter().map(|e| e.file.clone()).collect()
}

fn s3_events(rw: ReadWriteType) -> EventSelector {
    EventSelector::builder()
        .read_write_type(rw)
        .include_management_events(true)
        .data_resources(
            DataResource::builder()
                .r#type("AWS::S3::Object")
                .values("arn:aws:s3")
                .build(),
        )
        .build()
}

async fn bucket(cfg: &SdkConfig, name: &str) {
    common::s3(cfg)
        .create_bucket()
        .bucket(name)
        .send()
        .await
        .expect("CreateBucket");
}

/// A customer-managed key; returns (key id, ARN).
async fn key(
    cfg: &SdkConfig,
    spec: KeySpec,
    usage: KeyUsageType,
    policy: Option<String>,
    rotate: bool,
) -> (String, String) {
    let kms = aws_sdk_kms::Client::new(cfg);
    let k = kms
        .create_key()
        .key_spec(spec)
        .key_usage(usage)
        .set_policy(policy)
        .send()
        .await
        .expect("CreateKey");
    let m = k.key_metadata().expect("key metadata");
    let id = m.key_id().to_string();
    if rotate {
        kms.enable_key_rotation()
            .key_id(&id)
            .send()
            .await
            .expect("EnableKeyRotation");
    }
    (id, m.arn().expect("key arn").to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trails_and_keys_pass_and_fail() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let mut s = Seeded::default();
    let ct = aws_sdk_cloudtrail::Client::new(&cfg);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&cfg);
    bucket(&cfg, "trail-logs").await;

    // Keys: one rotating with the default policy, one static and open to everyone, one
    // asymmetric (rotation does not apply).
    let (rotating, rotating_arn) = key(
        &cfg,
        KeySpec::SymmetricDefault,
        KeyUsageType::EncryptDecrypt,
        None,
        true,
    )
    .await;
    s.set("key-rotating", &rotating);
    let public = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "everyone", "Effect": "Allow", "Principal": "*",
                       "Action": "kms:Decrypt", "Resource": "*"}]
    })
    .to_string();
    let (open, _) = key(
        &cfg,
        KeySpec::SymmetricDefault,
        KeyUsageType::EncryptDecrypt,
        Some(public),
        false,
    )
    .await;
    s.set("key-open", &open);
    let (signing, _) = key(&cfg, KeySpec::Rsa2048, KeyUsageType::SignVerify, None, false).await;
    s.set("key-signing", &signing);

    // Trails: "main" does everything right; "legacy" nothing.
    logs.create_log_group()
        .log_group_name("cloudtrail")
        .send()
        .await
        .expect("CreateLogGroup");
    let group_arn = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:cloudtrail:*");
    let main = ct
        .create_trail()
        .name("main")
        .s3_bucket_name("trail-logs")
        .is_multi_region_trail(true)
        .include_global_service_events(true)
        .enable_log_file_validation(true)
        .kms_key_id(&rotating_arn)
        .cloud_watch_logs_log_group_arn(&group_arn)
        .cloud_watch_logs_role_arn(format!("arn:aws:iam::{ACCOUNT}:role/trail-to-logs"))
        .send()
        .await
        .expect("CreateTrail main");
    s.set("trail-main", main.trail_arn().expect("trail arn"));
    ct.start_logging()
        .name("main")
        .send()
        .await
        .expect("StartLogging");
    ct.put_event_selectors()
        .trail_name("main")
        .event_selectors(s3_events(ReadWriteType::All))
        .send()
        .await
        .expect("PutEventSelectors main");
    let legacy = ct
        .create_trail()
        .name("legacy")
        .s3_bucket_name("trail-logs")
        .send()
        .await
        .expect("CreateTrail legacy");
    s.set("trail-legacy", legacy.trail_arn().expect("trail arn"));
    ct.put_event_selectors()
        .trail_name("legacy")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::WriteOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .expect("PutEventSelectors legacy");

    let out = attest_aws::collect(&common::options(&endpoint, &["cloudtrail", "kms", "logs"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);

    // The collected shape of the good trail and its references.
    let main_id = s.get("trail-main").to_string();
    let t = out
        .resources
        .iter()
        .find(|r| r.id == main_id)
        .expect("trail main collected");
    assert_eq!(t.attr("enable_logging").as_bool(), Some(true));
    assert_eq!(t.attr("home_region").as_str(), Some(REGION));
    assert_eq!(
        t.attr("cloud_watch_logs_group_arn").as_str(),
        Some(group_arn.as_str())
    );
    let mut paths: Vec<(&str, &str)> = out
        .references
        .iter()
        .filter(|r| r.from == main_id)
        .map(|r| (r.path.as_str(), r.to.as_str()))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            (
                "cloud_watch_logs_group_arn",
                format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:cloudtrail").as_str()
            ),
            ("kms_key_id", rotating_arn.as_str()),
        ],
        "{:#?}",
        out.references
    );
    // A multi-region trail appears once, although DescribeTrails lists shadow trails too.
    assert_eq!(
        out.resources
            .iter()
            .filter(|r| r.resource_type == "aws_cloudtrail")
            .count(),
        2
    );

    let mut rules = TRAIL_RULES.to_vec();
    rules.extend(KMS_RULES);
    let v = judge(&out, &s, &rules);
    use Verdict::{Fail, Pass};
    assert_verdicts(
        &v,
        &[
            ("aws-cloudtrail-log-file-validation", "trail-main", Pass),
            ("aws-cloudtrail-log-file-validation", "trail-legacy", Fail),
            ("aws-cloudtrail-kms-encryption", "trail-main", Pass),
            ("aws-cloudtrail-kms-encryption", "trail-legacy", Fail),
            ("aws-cloudtrail-cloudwatch-logs", "trail-main", Pass),
            ("aws-cloudtrail-cloudwatch-logs", "trail-legacy", Fail),
            ("aws-cloudtrail-management-events", "trail-main", Pass),
            // WriteOnly: read management events are left out.
            ("aws-cloudtrail-management-events", "trail-legacy", Fail),
            ("aws-cloudtrail-multi-region", ACCOUNT_SCOPE, Pass),
            ("aws-cloudtrail-s3-object-read-logging", ACCOUNT_SCOPE, Pass),
            ("aws-cloudtrail-s3-object-write-logging", ACCOUNT_SCOPE, Pass),
            ("aws-kms-key-rotation", "key-rotating", Pass),
            ("aws-kms-key-rotation", "key-open", Fail),
            ("aws-kms-key-not-public", "key-rotating", Pass),
            ("aws-kms-key-not-public", "key-signing", Pass),
            ("aws-kms-key-not-public", "key-open", Fail),
        ],
    );
    // Rotation does not apply to an asymmetric key: the rule does not judge it.
    assert_eq!(
        common::verdict_of(&v, "aws-kms-key-rotation", "key-signing"),
        None,
        "{v:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trails_that_do_not_cover_the_account_fail() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let mut s = Seeded::default();
    let ct = aws_sdk_cloudtrail::Client::new(&cfg);
    bucket(&cfg, "trail-logs").await;

    // Multi-region, recording everything, but not logging (a new trail does not log until
    // StartLogging).
    let stopped = ct
        .create_trail()
        .name("stopped")
        .s3_bucket_name("trail-logs")
        .is_multi_region_trail(true)
        .send()
        .await
        .expect("CreateTrail stopped");
    s.set("trail-stopped", stopped.trail_arn().expect("trail arn"));
    ct.put_event_selectors()
        .trail_name("stopped")
        .event_selectors(s3_events(ReadWriteType::All))
        .send()
        .await
        .expect("PutEventSelectors stopped");
    // Logging, but in one region and without data events.
    let regional = ct
        .create_trail()
        .name("regional")
        .s3_bucket_name("trail-logs")
        .send()
        .await
        .expect("CreateTrail regional");
    s.set("trail-regional", regional.trail_arn().expect("trail arn"));
    ct.start_logging()
        .name("regional")
        .send()
        .await
        .expect("StartLogging");

    let out = attest_aws::collect(&common::options(&endpoint, &["cloudtrail"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let stopped_id = s.get("trail-stopped").to_string();
    let t = out
        .resources
        .iter()
        .find(|r| r.id == stopped_id)
        .expect("trail stopped collected");
    assert_eq!(t.attr("enable_logging").as_bool(), Some(false));

    let v = judge(&out, &s, TRAIL_RULES);
    use Verdict::{Fail, Pass};
    assert_verdicts(
        &v,
        &[
            ("aws-cloudtrail-multi-region", ACCOUNT_SCOPE, Fail),
            ("aws-cloudtrail-s3-object-read-logging", ACCOUNT_SCOPE, Fail),
            ("aws-cloudtrail-s3-object-write-logging", ACCOUNT_SCOPE, Fail),
            // No custom selectors: all management events.
            ("aws-cloudtrail-management-events", "trail-regional", Pass),
            ("aws-cloudtrail-management-events", "trail-stopped", Pass),
        ],
    );
    // The multi-region trail fails because it is not logging.
    let graph = ResourceGraph::new(out.resources.clone(), &out.references);
    let rule = attest_rules::find("aws-cloudtrail-multi-region").expect("rule");
    let evals = rule.check(&graph);
    assert!(
        evals
            .iter()
            .any(|e| e.verdict == Fail && e.message.contains("has logging turned off")),
        "{evals:#?}"
    );
}

async fn recorder(cfg: &SdkConfig) {
    let config = aws_sdk_config::Client::new(cfg);
    bucket(cfg, "config-snapshots").await;
    config
        .put_configuration_recorder()
        .configuration_recorder(
            ConfigurationRecorder::builder()
                .name("default")
                .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/config"))
                .recording_group(
                    RecordingGroup::builder()
                        .all_supported(true)
                        .include_global_resource_types(true)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("PutConfigurationRecorder");
    config
        .put_delivery_channel()
        .delivery_channel(
            DeliveryChannel::builder()
                .name("default")
                .s3_bucket_name("config-snapshots")
                .build(),
        )
        .send()
        .await
        .expect("PutDeliveryChannel");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_recorder_counts_only_when_started() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let s = Seeded::default();
    recorder(&cfg).await;
    let opts = common::options(&endpoint, &["config"]);

    // Recorder and delivery channel, never started.
    let out = attest_aws::collect(&opts).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let status = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_config_configuration_recorder_status")
        .expect("recorder status");
    assert_eq!(status.attr("is_enabled").as_bool(), Some(false));
    assert!(out
        .resources
        .iter()
        .any(|r| r.resource_type == "aws_config_delivery_channel"
            && r.attr("s3_bucket_name").as_str() == Some("config-snapshots")));
    assert!(
        out.references
            .iter()
            .any(|r| r.from == status.id && r.path == "name"),
        "{:#?}",
        out.references
    );
    assert_verdicts(
        &judge(&out, &s, &["aws-config-recorder-enabled"]),
        &[("aws-config-recorder-enabled", REGION_SCOPE, Verdict::Fail)],
    );

    // Started.
    aws_sdk_config::Client::new(&cfg)
        .start_configuration_recorder()
        .configuration_recorder_name("default")
        .send()
        .await
        .expect("StartConfigurationRecorder");
    let out = attest_aws::collect(&opts).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_verdicts(
        &judge(&out, &s, &["aws-config-recorder-enabled"]),
        &[("aws-config-recorder-enabled", REGION_SCOPE, Verdict::Pass)],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_hub_enabled_or_not() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let s = Seeded::default();
    // Account logging (a Config recorder) makes the rule judge the account.
    recorder(&cfg).await;
    let opts = common::options(&endpoint, &["securityhub", "config"]);

    // Not enabled: DescribeHub answers InvalidAccessException, which is no hub and no error.
    let out = attest_aws::collect(&opts).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert!(!out
        .resources
        .iter()
        .any(|r| r.resource_type == "aws_securityhub_account"));
    assert_verdicts(
        &judge(&out, &s, &["aws-securityhub-enabled"]),
        &[("aws-securityhub-enabled", REGION_SCOPE, Verdict::Fail)],
    );

    aws_sdk_securityhub::Client::new(&cfg)
        .enable_security_hub()
        .send()
        .await
        .expect("EnableSecurityHub");
    let out = attest_aws::collect(&opts).await;
    // moto has no GetEnabledStandards.
    assert_eq!(
        errors(&out),
        vec![format!("aws:{REGION}:securityhub.GetEnabledStandards")],
        "{:#?}",
        out.errors
    );
    let hub = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_securityhub_account")
        .expect("hub");
    assert_eq!(
        hub.id,
        format!("arn:aws:securityhub:{REGION}:{ACCOUNT}:hub/default")
    );
    assert_eq!(hub.attr("id").as_str(), Some(ACCOUNT));
    assert!(out.resources.iter().any(|r| r.id
        == format!("aws_securityhub_standards_subscription:{REGION}:unreadable")
        && r.attr("standards_arn").is_unknown()));
    assert_verdicts(
        &judge(&out, &s, &["aws-securityhub-enabled"]),
        &[("aws-securityhub-enabled", REGION_SCOPE, Verdict::Pass)],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guardduty_detector() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let d = aws_sdk_guardduty::Client::new(&cfg)
        .create_detector()
        .enable(true)
        .finding_publishing_frequency(aws_sdk_guardduty::types::FindingPublishingFrequency::FifteenMinutes)
        .send()
        .await
        .expect("CreateDetector");
    let id = d.detector_id().expect("detector id").to_string();

    let out = attest_aws::collect(&common::options(&endpoint, &["guardduty"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let detectors: Vec<_> = out
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_guardduty_detector")
        .collect();
    assert_eq!(detectors.len(), 1);
    let det = detectors[0];
    assert_eq!(
        det.id,
        format!("arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{id}")
    );
    assert_eq!(det.physical_id.as_deref(), Some(id.as_str()));
    assert_eq!(det.attr("enable").as_bool(), Some(true));
    assert_eq!(
        det.attr("finding_publishing_frequency").as_str(),
        Some("FIFTEEN_MINUTES")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_analyzer_is_unknown_on_moto() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let s = Seeded::default();

    // moto has no IAM Access Analyzer: ListAnalyzers fails, and the region's analyzer cannot be
    // told present or absent.
    let out = attest_aws::collect(&common::options(&endpoint, &["accessanalyzer"])).await;
    assert_eq!(
        errors(&out),
        vec![format!("aws:{REGION}:accessanalyzer.ListAnalyzers")],
        "{:#?}",
        out.errors
    );
    let p = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_accessanalyzer_analyzer")
        .expect("placeholder analyzer");
    assert_eq!(p.id, format!("aws_accessanalyzer_analyzer:{REGION}:unreadable"));
    assert_eq!(p.mode, attest_core::Mode::Data);
    assert!(p.attr("analyzer_name").is_unknown());
    assert_verdicts(
        &judge(&out, &s, &["aws-iam-access-analyzer-enabled"]),
        &[("aws-iam-access-analyzer-enabled", REGION_SCOPE, Verdict::Unknown)],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_listings_make_account_rules_unknown() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let s = Seeded::default();
    // A port nothing listens on: every call of these services fails to connect.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("address"))
    };
    let mut opts = common::options(&endpoint, &["cloudtrail", "config", "securityhub", "guardduty"])
        .with_max_attempts(1);
    for service in ["cloudtrail", "config", "securityhub", "guardduty"] {
        opts = opts.with_service_endpoint(service, &dead);
    }
    let out = attest_aws::collect(&opts).await;
    let mut files = errors(&out);
    files.sort();
    assert_eq!(
        files,
        [
            "cloudtrail.DescribeTrails",
            "config.DescribeConfigurationRecorderStatus",
            "config.DescribeConfigurationRecorders",
            "config.DescribeDeliveryChannels",
            "guardduty.ListDetectors",
            "securityhub.DescribeHub",
        ]
        .map(|op| format!("aws:{REGION}:{op}")),
        "{:#?}",
        out.errors
    );
    for ty in [
        "aws_cloudtrail",
        "aws_config_configuration_recorder",
        "aws_config_configuration_recorder_status",
        "aws_guardduty_detector",
        "aws_securityhub_account",
    ] {
        let p = out
            .resources
            .iter()
            .find(|r| r.resource_type == ty)
            .unwrap_or_else(|| panic!("placeholder {ty}"));
        assert_eq!(p.id, format!("{ty}:{REGION}:unreadable"));
        assert_eq!(p.mode, attest_core::Mode::Data);
    }
    // Nothing could be read: no rule passes or fails.
    use Verdict::Unknown;
    assert_verdicts(
        &judge(
            &out,
            &s,
            &[
                "aws-cloudtrail-multi-region",
                "aws-cloudtrail-s3-object-read-logging",
                "aws-cloudtrail-s3-object-write-logging",
                "aws-config-recorder-enabled",
                "aws-securityhub-enabled",
            ],
        ),
        &[
            ("aws-cloudtrail-multi-region", ACCOUNT_SCOPE, Unknown),
            ("aws-cloudtrail-s3-object-read-logging", ACCOUNT_SCOPE, Unknown),
            ("aws-cloudtrail-s3-object-write-logging", ACCOUNT_SCOPE, Unknown),
            ("aws-config-recorder-enabled", REGION_SCOPE, Unknown),
            ("aws-securityhub-enabled", REGION_SCOPE, Unknown),
        ],
    );
}
