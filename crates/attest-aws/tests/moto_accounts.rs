//! Accounts and regions: `--all-regions`, a role assumed in another account, an accounts list,
//! AWS Organizations discovery, and the API-call summary. moto keeps one store per account and
//! answers `AssumeRole` into any account with credentials that act in that account.

mod common;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};

use attest_aws::{collect, collect_observed, AccountTarget, Observer};
use common::{endpoint, reset, sdk, sdk_in, MOTO, REGION};

const OTHER: &str = "111111111111";
const THIRD: &str = "222222222222";

/// SDK configuration acting in `account` (through a role assumed there), in `region`.
async fn sdk_as(endpoint: &str, account: &str, region: &str) -> SdkConfig {
    let base = sdk_in(endpoint, region).await;
    let provider =
        aws_config::sts::AssumeRoleProvider::builder(format!("arn:aws:iam::{account}:role/attest-audit"))
            .session_name("seed")
            .configure(&base)
            .build()
            .await;
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(provider)
        .load()
        .await
}

async fn table(cfg: &SdkConfig, name: &str) {
    aws_sdk_dynamodb::Client::new(cfg)
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .expect("key"),
        )
        .send()
        .await
        .expect("CreateTable");
}

fn tables(out: &attest_core::LoadOutput) -> Vec<(String, Option<String>, Option<String>)> {
    let mut t: Vec<_> = out
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_dynamodb_table")
        .map(|r| {
            (
                r.physical_id.clone().unwrap_or_default(),
                r.provenance.account.clone(),
                r.provenance.region.clone(),
            )
        })
        .collect();
    t.sort();
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_regions_reads_every_enabled_region() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    table(&sdk(&endpoint).await, "home").await;
    table(&sdk_in(&endpoint, "ap-southeast-2").await, "far").await;

    let enabled: Vec<String> = {
        let ec2 = aws_sdk_ec2::Client::new(&sdk(&endpoint).await);
        let mut r: Vec<String> = ec2
            .describe_regions()
            .send()
            .await
            .expect("DescribeRegions")
            .regions()
            .iter()
            .filter(|r| r.opt_in_status() != Some("not-opted-in"))
            .filter_map(|r| r.region_name().map(str::to_string))
            .collect();
        r.sort();
        r
    };
    assert!(enabled.len() > 10, "{enabled:?}");

    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let progress = seen.clone();
    let observer = Observer::new().on_progress(move |p| {
        if let Ok(mut v) = progress.lock() {
            v.push((p.done, p.total, p.job.clone()));
        }
    });
    let opts = common::options(&endpoint, &["dynamodb"])
        .with_regions(Vec::new())
        .with_all_regions(true);
    let out = collect_observed(&opts, &observer).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(
        tables(&out),
        vec![
            (
                "far".to_string(),
                Some(common::ACCOUNT.into()),
                Some("ap-southeast-2".into())
            ),
            (
                "home".to_string(),
                Some(common::ACCOUNT.into()),
                Some(REGION.into())
            ),
        ]
    );
    // One scope resource per region read.
    let mut scoped: Vec<String> = out
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_region")
        .filter_map(|r| r.attr("name").as_str().map(str::to_string))
        .collect();
    scoped.sort();
    assert_eq!(scoped, enabled);

    // The call summary: one DescribeRegions, one ListTables per region, two DescribeTable.
    let calls = observer.summary();
    let count = |op: &str| calls.operations.get(op).map(|c| c.calls).unwrap_or(0);
    assert_eq!(count("EC2:DescribeRegions"), 1, "{calls:#?}");
    assert_eq!(count("DynamoDB:ListTables"), enabled.len(), "{calls:#?}");
    assert_eq!(count("DynamoDB:DescribeTable"), 2, "{calls:#?}");
    assert_eq!(calls.total().failed, 0);

    // Progress: one event per (service, region) job, counting up to the total.
    let seen = seen.lock().expect("progress events").clone();
    assert_eq!(seen.len(), enabled.len(), "{seen:?}");
    assert!(seen.iter().enumerate().all(|(i, (done, _, _))| *done == i + 1));
    assert!(seen
        .iter()
        .all(|(_, total, job)| *total == enabled.len() && job.starts_with("dynamodb ")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_read_other_accounts() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    table(&sdk(&endpoint).await, "mine").await;
    table(&sdk_as(&endpoint, OTHER, REGION).await, "theirs").await;
    table(&sdk_as(&endpoint, THIRD, REGION).await, "third").await;

    // One role: that account only (one account: labels stay region-only).
    let opts = common::options(&endpoint, &["dynamodb"]).with_role(
        Some(format!("arn:aws:iam::{OTHER}:role/attest-audit")),
        Some("ext-1".into()),
    );
    let out = collect(&opts).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(
        tables(&out),
        vec![("theirs".to_string(), Some(OTHER.into()), Some(REGION.into()))]
    );
    assert!(out
        .resources
        .iter()
        .any(|r| r.id == format!("aws_region:{REGION}") && r.provenance.account.as_deref() == Some(OTHER)));

    // An accounts list: both, each through its role.
    let targets = [OTHER, THIRD]
        .iter()
        .map(|a| AccountTarget {
            account_id: a.to_string(),
            role_arn: Some(format!("arn:aws:iam::{a}:role/attest-audit")),
            external_id: None,
        })
        .collect();
    let out = collect(&common::options(&endpoint, &["dynamodb"]).with_accounts(targets)).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(
        tables(&out),
        vec![
            ("theirs".to_string(), Some(OTHER.into()), Some(REGION.into())),
            ("third".to_string(), Some(THIRD.into()), Some(REGION.into())),
        ]
    );
    // Several accounts: region labels carry the account.
    for a in [OTHER, THIRD] {
        assert!(out
            .resources
            .iter()
            .any(|r| r.id == format!("aws_region:{a}/{REGION}")));
    }
    let mut inputs: Vec<&str> = out.inputs.iter().map(|i| i.path.as_str()).collect();
    inputs.sort();
    assert_eq!(
        inputs,
        vec![
            format!("aws:{OTHER}:{REGION}").as_str(),
            format!("aws:{THIRD}:{REGION}").as_str()
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_discovery_reads_member_accounts() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let org = aws_sdk_organizations::Client::new(&cfg);
    org.create_organization()
        .send()
        .await
        .expect("CreateOrganization");
    let created = org
        .create_account()
        .account_name("workloads")
        .email("workloads@example.com")
        .send()
        .await
        .expect("CreateAccount");
    let member = created
        .create_account_status()
        .and_then(|s| s.account_id())
        .expect("member account id")
        .to_string();
    table(&cfg, "management").await;
    table(&sdk_as(&endpoint, &member, REGION).await, "member").await;

    let out = collect(
        &common::options(&endpoint, &["dynamodb"]).with_organization_role(Some("attest-audit".into())),
    )
    .await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(
        tables(&out),
        vec![
            (
                "management".to_string(),
                Some(common::ACCOUNT.into()),
                Some(REGION.into())
            ),
            ("member".to_string(), Some(member.clone()), Some(REGION.into())),
        ]
    );

    // Organizations unreachable: nothing is read, and the error names the call.
    let out = collect(
        &common::options(&endpoint, &["dynamodb"])
            .with_organization_role(Some("attest-audit".into()))
            .with_service_endpoint("organizations", "http://127.0.0.1:9")
            .with_max_attempts(1),
    )
    .await;
    assert!(out.resources.is_empty());
    let files: Vec<&str> = out.errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, vec!["aws:global:organizations.ListAccounts"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_left_out_leave_account_rules_unknown() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    table(&sdk(&endpoint).await, "orders").await;

    // Only DynamoDB is read: nothing tells whether an analyzer, a recorder, a trail or a
    // password policy exists, so the account-level rules cannot fail (nor pass).
    let out = collect(&common::options(&endpoint, &["dynamodb"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let rules = [
        "aws-iam-access-analyzer-enabled",
        "aws-config-recorder-enabled",
        "aws-securityhub-enabled",
        "aws-ebs-encryption-by-default",
        "aws-cloudtrail-multi-region",
        "aws-iam-password-min-length-14",
        "aws-iam-support-role",
    ];
    let verdicts = common::judge(&out, &common::Seeded::default(), &rules);
    assert_eq!(verdicts.len(), rules.len(), "{verdicts:#?}");
    for (rule, who, verdict) in &verdicts {
        assert_eq!(*verdict, attest_core::Verdict::Unknown, "{rule} on {who}");
    }
}
