//! Live collection of the data stores and messaging services against moto: SNS, SQS, Lambda,
//! RDS (with the security groups in front of databases), ElastiCache, Redshift, Secrets Manager
//! and EFS, judged by the rules of those services.
//!
//! `scripts/services.sh` starts moto and exports `ATTEST_MOTO_ENDPOINT`; without it these tests
//! print a notice and return. Every rule covered has a seeded resource that passes and one that
//! fails, except where a comment says why moto cannot serve one.

mod common;

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{IpPermission, IpRange};
use aws_sdk_lambda::types::{FunctionCode, FunctionUrlAuthType, Runtime};
use aws_sdk_sqs::types::QueueAttributeName;

use attest_core::{LoadOutput, Mode, Verdict};
use common::{assert_verdicts, endpoint, judge, options, reset, sdk, Seeded, ACCOUNT, MOTO, REGION};

/// An empty zip archive (the end-of-central-directory record alone): moto stores the code of a
/// function without running it.
const EMPTY_ZIP: &[u8] = &[
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

fn no_errors(out: &LoadOutput) {
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
}

fn ids(v: &[(String, String, Verdict)], rule: &str) -> Vec<String> {
    v.iter()
        .filter(|(r, _, _)| r == rule)
        .map(|(_, w, _)| w.clone())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// SNS, SQS, Lambda

const MESSAGING_RULES: &[&str] = &[
    "aws-sns-topic-encryption",
    "aws-sns-no-http-subscription",
    "aws-sqs-encryption",
    "aws-sqs-no-public-access",
    "aws-lambda-function-not-public",
    "aws-lambda-permission-source-conditions",
];

async fn seed_messaging(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let sns = aws_sdk_sns::Client::new(cfg);
    let sqs = aws_sdk_sqs::Client::new(cfg);
    let lambda = aws_sdk_lambda::Client::new(cfg);
    let iam = aws_sdk_iam::Client::new(cfg);

    // SNS: one topic with a KMS key and an HTTPS subscriber, one without key with an HTTP one.
    let enc = sns
        .create_topic()
        .name("orders")
        .attributes("KmsMasterKeyId", "alias/aws/sns")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn
        .expect("topic arn");
    let plain = sns
        .create_topic()
        .name("plain")
        .send()
        .await
        .expect("CreateTopic")
        .topic_arn
        .expect("topic arn");
    s.set("topic-kms", &enc);
    s.set("topic-plain", &plain);
    for (role, topic, protocol, endpoint) in [
        (
            "sub-https",
            &enc,
            "https",
            "https://hooks.example.com/sns/secret-path",
        ),
        ("sub-http", &plain, "http", "http://hooks.example.com/sns"),
    ] {
        let sub = sns
            .subscribe()
            .topic_arn(topic)
            .protocol(protocol)
            .endpoint(endpoint)
            .return_subscription_arn(true)
            .send()
            .await
            .expect("Subscribe");
        s.set(role, sub.subscription_arn.expect("subscription arn"));
    }

    // SQS: SSE-SQS (moto's default), SSE-KMS, no encryption; policies public, conditioned, none.
    let public = r#"{"Version":"2012-10-17","Statement":[{"Sid":"open","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}"#;
    let conditioned = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"sns","Effect":"Allow","Principal":{{"Service":"sns.amazonaws.com"}},"Action":"sqs:SendMessage","Resource":"*","Condition":{{"ArnEquals":{{"aws:SourceArn":"{enc}"}}}}}}]}}"#
    );
    for (role, name, attrs) in [
        (
            "queue-sse",
            "sse",
            vec![(QueueAttributeName::Policy, conditioned.as_str())],
        ),
        (
            "queue-kms",
            "kms",
            vec![(QueueAttributeName::KmsMasterKeyId, "alias/aws/sqs")],
        ),
        (
            "queue-plain",
            "plain",
            vec![
                (QueueAttributeName::SqsManagedSseEnabled, "false"),
                (QueueAttributeName::Policy, public),
            ],
        ),
    ] {
        let mut req = sqs.create_queue().queue_name(name);
        for (k, v) in attrs {
            req = req.attributes(k, v);
        }
        let url = req
            .send()
            .await
            .expect("CreateQueue")
            .queue_url
            .expect("queue url");
        s.set(role, url);
    }

    // Lambda: a role, four functions and their permissions / URL.
    let role = iam
        .create_role()
        .role_name("lambda-exec")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .expect("CreateRole")
        .role
        .expect("role")
        .arn;
    for name in ["scoped", "open", "unscoped", "url-open"] {
        lambda
            .create_function()
            .function_name(name)
            .runtime(Runtime::Python312)
            .role(&role)
            .handler("index.handler")
            .code(
                FunctionCode::builder()
                    .zip_file(aws_smithy_types::Blob::new(EMPTY_ZIP))
                    .build(),
            )
            .environment(
                aws_sdk_lambda::types::Environment::builder()
                    .variables("API_KEY", "do-not-collect-me")
                    .build(),
            )
            .send()
            .await
            .expect("CreateFunction");
        s.set(
            match name {
                "scoped" => "fn-scoped",
                "open" => "fn-open",
                "unscoped" => "fn-unscoped",
                _ => "fn-url-open",
            },
            name,
        );
    }
    lambda
        .add_permission()
        .function_name("scoped")
        .statement_id("from-bucket")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .source_arn("arn:aws:s3:::uploads")
        .source_account(ACCOUNT)
        .send()
        .await
        .expect("AddPermission");
    lambda
        .add_permission()
        .function_name("open")
        .statement_id("anyone")
        .action("lambda:InvokeFunction")
        .principal("*")
        .send()
        .await
        .expect("AddPermission");
    lambda
        .add_permission()
        .function_name("unscoped")
        .statement_id("any-topic")
        .action("lambda:InvokeFunction")
        .principal("sns.amazonaws.com")
        .send()
        .await
        .expect("AddPermission");
    lambda
        .create_function_url_config()
        .function_name("url-open")
        .auth_type(FunctionUrlAuthType::None)
        .send()
        .await
        .expect("CreateFunctionUrlConfig");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messaging_and_functions() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed_messaging(&cfg).await;

    let out = attest_aws::collect(&options(&endpoint, &["sns", "sqs", "lambda"])).await;
    no_errors(&out);

    // Secrets stay out: no environment value, no webhook path.
    let dump = serde_json::to_string(&out.resources).expect("json");
    assert!(!dump.contains("do-not-collect-me"), "an environment value leaked");
    assert!(!dump.contains("secret-path"), "a webhook path leaked");
    let https = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some(seeded.get("sub-https")))
        .expect("https subscription");
    assert_eq!(https.attr("endpoint").as_str(), Some("https://hooks.example.com"));
    assert_eq!(https.attr("topic_arn").as_str(), Some(seeded.get("topic-kms")));
    // Subscriptions refer to their topics, permissions and URLs to their functions.
    assert!(out
        .references
        .iter()
        .any(|r| r.from == https.id && r.path == "topic_arn" && r.to == seeded.get("topic-kms")));
    let fn_arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:scoped");
    assert!(out
        .references
        .iter()
        .any(|r| r.path == "function_name" && r.to == fn_arn));
    // moto answers the plain queue's policy and SSE flag as seeded.
    let plain_queue = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some(seeded.get("queue-plain")))
        .expect("plain queue");
    assert_eq!(plain_queue.attr("sqs_managed_sse_enabled").as_bool(), Some(false));
    // No placeholder: every call was answered (the only data resources are the scan's scope and
    // the stand-ins for the account-level types of the services this scan leaves out).
    assert!(out.resources.iter().all(|r| r.mode == Mode::Managed
        || r.resource_type == "aws_caller_identity"
        || r.resource_type == "aws_region"
        || r.attr("id")
            .unknown_reason()
            .is_some_and(|w| w.contains("--services"))));

    let v = judge(&out, &seeded, MESSAGING_RULES);
    assert_verdicts(
        &v,
        &[
            ("aws-sns-topic-encryption", "topic-kms", Verdict::Pass),
            ("aws-sns-topic-encryption", "topic-plain", Verdict::Fail),
            ("aws-sns-no-http-subscription", "sub-https", Verdict::Pass),
            ("aws-sns-no-http-subscription", "sub-http", Verdict::Fail),
            ("aws-sqs-encryption", "queue-sse", Verdict::Pass),
            ("aws-sqs-encryption", "queue-kms", Verdict::Pass),
            ("aws-sqs-encryption", "queue-plain", Verdict::Fail),
            ("aws-sqs-no-public-access", "queue-sse", Verdict::Pass),
            ("aws-sqs-no-public-access", "queue-kms", Verdict::Pass),
            ("aws-sqs-no-public-access", "queue-plain", Verdict::Fail),
            ("aws-lambda-function-not-public", "fn-scoped", Verdict::Pass),
            ("aws-lambda-function-not-public", "fn-unscoped", Verdict::Pass),
            ("aws-lambda-function-not-public", "fn-open", Verdict::Fail),
            ("aws-lambda-function-not-public", "fn-url-open", Verdict::Fail),
            (
                "aws-lambda-permission-source-conditions",
                "fn-scoped",
                Verdict::Pass,
            ),
            (
                "aws-lambda-permission-source-conditions",
                "fn-unscoped",
                Verdict::Fail,
            ),
        ],
    );
    // Nothing else was judged: every evaluation is of a seeded resource.
    assert_eq!(ids(&v, "aws-lambda-function-not-public").len(), 4, "{v:#?}");
    assert_eq!(ids(&v, "aws-sqs-encryption").len(), 3, "{v:#?}");
    assert_eq!(ids(&v, "aws-sns-topic-encryption").len(), 2, "{v:#?}");
}

// ---------------------------------------------------------------------------------------------
// RDS and the security groups in front of databases, ElastiCache, Redshift

const DATABASE_RULES: &[&str] = &[
    "aws-rds-auto-minor-version-upgrade",
    "aws-rds-backup-retention",
    "aws-rds-cluster-multi-az",
    "aws-rds-deletion-protection",
    "aws-rds-encryption",
    "aws-rds-multi-az",
    "aws-rds-not-publicly-accessible",
    "aws-rds-supported-engine",
    "aws-ec2-db-sg-no-public-ingress",
    "aws-elasticache-encryption",
    "aws-redshift-cluster-not-public",
];

fn postgres_from(cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(5432)
        .to_port(5432)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

async fn seed_databases(cfg: &SdkConfig) -> Seeded {
    let mut s = Seeded::default();
    let ec2 = aws_sdk_ec2::Client::new(cfg);
    let rds = aws_sdk_rds::Client::new(cfg);
    let ec = aws_sdk_elasticache::Client::new(cfg);
    let rs = aws_sdk_redshift::Client::new(cfg);

    for (role, cidr) in [("sg-db-open", "0.0.0.0/0"), ("sg-db-private", "10.0.0.0/8")] {
        let id = ec2
            .create_security_group()
            .group_name(role)
            .description(role)
            .send()
            .await
            .expect("CreateSecurityGroup")
            .group_id
            .expect("group id");
        ec2.authorize_security_group_ingress()
            .group_id(&id)
            .ip_permissions(postgres_from(cidr))
            .send()
            .await
            .expect("AuthorizeSecurityGroupIngress");
        s.set(role, id);
    }

    // Two stand-alone instances: one with every control on, one with every control off.
    for (role, name, good) in [("db-good", "good", true), ("db-weak", "weak", false)] {
        let created = rds
            .create_db_instance()
            .db_instance_identifier(name)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("admin")
            .master_user_password("not-a-real-password")
            .storage_encrypted(good)
            .multi_az(good)
            .backup_retention_period(if good { 7 } else { 1 })
            .deletion_protection(good)
            .auto_minor_version_upgrade(good)
            .publicly_accessible(!good)
            .vpc_security_group_ids(s.get(if good { "sg-db-private" } else { "sg-db-open" }))
            .send()
            .await
            .expect("CreateDBInstance");
        // Judged by ARN: moto gives every instance the same DbiResourceId (the physical id).
        let arn = created
            .db_instance
            .and_then(|i| i.db_instance_arn)
            .expect("DBInstanceArn");
        s.set(role, arn);
    }

    // Clusters: one with writer and reader in two zones, one with a single instance.
    for (role, name, good) in [
        ("cluster-good", "aurora-good", true),
        ("cluster-weak", "aurora-weak", false),
    ] {
        rds.create_db_cluster()
            .db_cluster_identifier(name)
            .engine("aurora-postgresql")
            .master_username("admin")
            .master_user_password("not-a-real-password")
            .storage_encrypted(good)
            .backup_retention_period(if good { 14 } else { 1 })
            .send()
            .await
            .expect("CreateDBCluster");
        s.set(role, name);
        let members: &[(&str, &str)] = if good {
            &[("a", "us-east-1a"), ("b", "us-east-1b")]
        } else {
            &[("a", "us-east-1a")]
        };
        for (suffix, az) in members {
            let id = format!("{name}-{suffix}");
            rds.create_db_instance()
                .db_instance_identifier(&id)
                .db_cluster_identifier(name)
                .engine("aurora-postgresql")
                .db_instance_class("db.r6g.large")
                .availability_zone(*az)
                .auto_minor_version_upgrade(good)
                .send()
                .await
                .expect("CreateDBInstance (cluster member)");
        }
        s.set(
            if good { "member-good-a" } else { "member-weak-a" },
            format!("{name}-a"),
        );
    }
    s.set("member-good-b", "aurora-good-b");

    // ElastiCache: encrypted at rest and in transit, and neither.
    for (role, id, good) in [
        ("cache-enc", "cache-enc", true),
        ("cache-plain", "cache-plain", false),
    ] {
        ec.create_replication_group()
            .replication_group_id(id)
            .replication_group_description(id)
            .engine("redis")
            .cache_node_type("cache.t3.micro")
            .num_cache_clusters(1)
            .at_rest_encryption_enabled(good)
            .transit_encryption_enabled(good)
            .send()
            .await
            .expect("CreateReplicationGroup");
        s.set(role, id);
    }

    // Redshift: private and public clusters.
    for (role, id, public) in [("rs-private", "private", false), ("rs-public", "public", true)] {
        rs.create_cluster()
            .cluster_identifier(id)
            .node_type("dc2.large")
            .cluster_type("single-node")
            .master_username("admin")
            .master_user_password("NotAReal1Password")
            .publicly_accessible(public)
            .encrypted(!public)
            .send()
            .await
            .expect("CreateCluster");
        s.set(role, id);
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn databases() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let seeded = seed_databases(&cfg).await;

    let out = attest_aws::collect(&options(&endpoint, &["ec2", "rds", "elasticache", "redshift"])).await;
    no_errors(&out);
    let dump = serde_json::to_string(&out.resources).expect("json");
    assert!(!dump.contains("not-a-real-password"), "a master password leaked");

    // Databases refer to their security groups, members to their clusters.
    let weak_arn = format!("arn:aws:rds:{REGION}:{ACCOUNT}:db:weak");
    let open_sg = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some(seeded.get("sg-db-open")))
        .expect("open group");
    assert!(out
        .references
        .iter()
        .any(|r| r.from == weak_arn && r.path == "vpc_security_group_ids.0" && r.to == open_sg.id));
    let member = format!("arn:aws:rds:{REGION}:{ACCOUNT}:db:aurora-good-a");
    assert!(out.references.iter().any(|r| r.from == member
        && r.path == "cluster_identifier"
        && r.to == format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:aurora-good")));
    // Redshift logging comes from DescribeLoggingStatus (off on moto).
    let public = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_redshift_cluster" && r.physical_id.as_deref() == Some("public"))
        .expect("public cluster");
    assert_eq!(public.attr("logging.0.enable").as_bool(), Some(false));

    let v = judge(&out, &seeded, DATABASE_RULES);
    assert_verdicts(
        &v,
        &[
            ("aws-rds-encryption", "db-good", Verdict::Pass),
            ("aws-rds-encryption", "db-weak", Verdict::Fail),
            ("aws-rds-encryption", "cluster-good", Verdict::Pass),
            ("aws-rds-encryption", "cluster-weak", Verdict::Fail),
            ("aws-rds-multi-az", "db-good", Verdict::Pass),
            ("aws-rds-multi-az", "db-weak", Verdict::Fail),
            ("aws-rds-backup-retention", "db-good", Verdict::Pass),
            ("aws-rds-backup-retention", "db-weak", Verdict::Fail),
            ("aws-rds-backup-retention", "cluster-good", Verdict::Pass),
            ("aws-rds-backup-retention", "cluster-weak", Verdict::Fail),
            ("aws-rds-deletion-protection", "db-good", Verdict::Pass),
            ("aws-rds-deletion-protection", "db-weak", Verdict::Fail),
            ("aws-rds-not-publicly-accessible", "db-good", Verdict::Pass),
            ("aws-rds-not-publicly-accessible", "db-weak", Verdict::Fail),
            ("aws-rds-auto-minor-version-upgrade", "db-good", Verdict::Pass),
            ("aws-rds-auto-minor-version-upgrade", "db-weak", Verdict::Fail),
            (
                "aws-rds-auto-minor-version-upgrade",
                "member-good-a",
                Verdict::Pass,
            ),
            (
                "aws-rds-auto-minor-version-upgrade",
                "member-weak-a",
                Verdict::Fail,
            ),
            ("aws-rds-cluster-multi-az", "cluster-good", Verdict::Pass),
            ("aws-rds-cluster-multi-az", "cluster-weak", Verdict::Fail),
            // moto accepts only engines RDS supports (its list matches the rule's), so no
            // instance with an unsupported engine can be seeded: the failing case is covered by
            // the rule's own tests.
            ("aws-rds-supported-engine", "db-good", Verdict::Pass),
            ("aws-ec2-db-sg-no-public-ingress", "sg-db-private", Verdict::Pass),
            ("aws-ec2-db-sg-no-public-ingress", "sg-db-open", Verdict::Fail),
            ("aws-elasticache-encryption", "cache-enc", Verdict::Pass),
            ("aws-elasticache-encryption", "cache-plain", Verdict::Fail),
            ("aws-redshift-cluster-not-public", "rs-private", Verdict::Pass),
            ("aws-redshift-cluster-not-public", "rs-public", Verdict::Fail),
        ],
    );
    // Only the groups in front of databases are judged by the database rule.
    assert_eq!(ids(&v, "aws-ec2-db-sg-no-public-ingress").len(), 2, "{v:#?}");
    // Cluster members are not judged as stand-alone instances.
    assert_eq!(ids(&v, "aws-rds-multi-az").len(), 2, "{v:#?}");
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager, EFS

const STORAGE_RULES: &[&str] = &["aws-secretsmanager-rotation", "aws-efs-encryption"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_and_file_systems() {
    let Some(endpoint) = endpoint() else { return };
    let _guard = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let mut seeded = Seeded::default();
    let sm = aws_sdk_secretsmanager::Client::new(&cfg);
    let efs = aws_sdk_efs::Client::new(&cfg);
    for (role, name) in [("secret-rotated", "db-credentials"), ("secret-static", "api-key")] {
        let arn = sm
            .create_secret()
            .name(name)
            .secret_string("s3cr3t-value-never-collected")
            .send()
            .await
            .expect("CreateSecret")
            .arn
            .expect("secret arn");
        seeded.set(role, arn);
    }
    sm.rotate_secret()
        .secret_id("db-credentials")
        .rotation_rules(
            aws_sdk_secretsmanager::types::RotationRulesType::builder()
                .automatically_after_days(30)
                .build(),
        )
        .send()
        .await
        .expect("RotateSecret");
    for (role, token, encrypted) in [("fs-encrypted", "enc", true), ("fs-plain", "plain", false)] {
        let id = efs
            .create_file_system()
            .creation_token(token)
            .encrypted(encrypted)
            .send()
            .await
            .expect("CreateFileSystem")
            .file_system_id;
        seeded.set(role, id);
    }

    let out = attest_aws::collect(&options(&endpoint, &["secretsmanager", "efs"])).await;
    no_errors(&out);
    let dump = serde_json::to_string(&out.resources).expect("json");
    assert!(!dump.contains("s3cr3t-value"), "a secret value leaked");

    let v = judge(&out, &seeded, STORAGE_RULES);
    assert_verdicts(
        &v,
        &[
            ("aws-secretsmanager-rotation", "secret-rotated", Verdict::Pass),
            ("aws-secretsmanager-rotation", "secret-static", Verdict::Fail),
            ("aws-efs-encryption", "fs-encrypted", Verdict::Pass),
            ("aws-efs-encryption", "fs-plain", Verdict::Fail),
        ],
    );
    assert_eq!(v.len(), 4, "{v:#?}");
}
