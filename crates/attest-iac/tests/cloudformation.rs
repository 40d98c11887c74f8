//! Golden tests of the CloudFormation loader: each folder under `tests/cloudformation/` is scanned
//! as a whole (discovery, the loader, normalization); its `expected.json` holds the resources, the
//! references and the errors. An `opts.json` gives `cfn_params` and `cfn_param_files`. Set
//! `ATTEST_UPDATE_GOLDEN=1` to rewrite the expected files.

use std::path::{Path, PathBuf};

use attest_core::{InputKind, LoadOutput};
use attest_iac::discover::{detect, read_document, DocumentKind};
use attest_iac::{load_paths, LoadOptions};
use serde_json::{json, Value as Json};

fn case_dir(case: &str) -> PathBuf {
    Path::new("tests/cloudformation").join(case)
}

fn options(dir: &Path) -> LoadOptions {
    let mut opts = LoadOptions::default();
    let Ok(text) = std::fs::read_to_string(dir.join("opts.json")) else {
        return opts;
    };
    let doc: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
    if let Some(files) = doc["cfn_param_files"].as_array() {
        opts.cfn_param_files = files.iter().filter_map(Json::as_str).map(PathBuf::from).collect();
    }
    if let Some(params) = doc["cfn_params"].as_array() {
        for pair in params {
            if let (Some(k), Some(v)) = (pair[0].as_str(), pair[1].as_str()) {
                opts.cfn_params.push((k.to_string(), v.to_string()));
            }
        }
    }
    opts
}

fn normalize(out: &LoadOutput) -> Json {
    let resources: Vec<Json> = out
        .resources
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "type": r.resource_type,
                "at": r.location().map(|l| format!("{}:{}:{}", l.file, l.line, l.column)),
                "attributes": r.attributes,
            })
        })
        .collect();
    let references: Vec<String> = out
        .references
        .iter()
        .map(|r| format!("{} {} -> {}", r.from, r.path, r.to))
        .collect();
    let errors: Vec<String> = out
        .errors
        .iter()
        .map(|e| match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
            _ => format!("{}: {}", e.file, e.message),
        })
        .collect();
    json!({"resources": resources, "references": references, "errors": errors})
}

fn golden(case: &str) -> Json {
    let dir = case_dir(case);
    let out = load_paths(std::slice::from_ref(&dir), &options(&dir));
    let got = normalize(&out);
    let path = dir.join("expected.json");
    if std::env::var_os("ATTEST_UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&got).unwrap_or_default() + "\n";
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let want: Json = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("{} is missing or invalid", path.display()));
    assert_eq!(
        got,
        want,
        "{case}: output differs from {}:\n{}",
        path.display(),
        serde_json::to_string_pretty(&got).unwrap_or_default()
    );
    got
}

fn resource<'a>(doc: &'a Json, id: &str) -> &'a Json {
    doc["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .unwrap_or_else(|| panic!("no resource {id}"))
}

fn has_reference(doc: &Json, reference: &str) -> bool {
    doc["references"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r == reference))
}

#[test]
fn yaml_short_tags_conditions_mappings_and_dynamic_references() {
    let doc = golden("yaml_intrinsics");
    let ids: Vec<&str> = doc["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    // IsDev is false: dropped. ProdAndOwner depends on a parameter without value: kept.
    assert!(!ids.contains(&"DevOnly"), "{ids:?}");
    assert!(ids.contains(&"OwnedOnly"), "{ids:?}");

    let logs = resource(&doc, "Logs");
    assert_eq!(
        logs["at"],
        "tests/cloudformation/yaml_intrinsics/template.yaml:35:3"
    );
    assert_eq!(logs["type"], "aws_cloudwatch_log_group");
    assert_eq!(logs["attributes"]["retention_in_days"], 365);
    assert!(logs["attributes"]["kms_key_id"]["$unknown"].is_string());
    assert!(has_reference(&doc, "Logs kms_key_id -> Key"));

    let owned = resource(&doc, "OwnedOnly");
    assert_eq!(owned["attributes"]["name"], "owned-b");

    // Undecidable `!If` between a rule and `AWS::NoValue`: the entry is unknown.
    let web = resource(&doc, "Web");
    assert_eq!(
        web["attributes"]["ingress"][0]["cidr_blocks"],
        json!(["10.0.0.0/24"])
    );
    assert!(web["attributes"]["ingress"][1]["$unknown"].is_string());
    assert!(web["attributes"]["vpc_id"]["$unknown"].is_string());

    let table = resource(&doc, "Table");
    assert!(has_reference(
        &doc,
        "Table server_side_encryption.0.kms_key_arn -> Key"
    ));
    assert_eq!(table["attributes"]["server_side_encryption"][0]["enabled"], true);

    // No translator: kept under the CloudFormation type with its properties.
    let secret = resource(&doc, "Secret");
    assert_eq!(secret["type"], "Custom::Secret");
    assert_eq!(secret["attributes"]["Name"], "aws-amazonaws.com");
    assert_eq!(secret["attributes"]["Description"], "aGVsbG8=");
    assert_eq!(secret["attributes"]["Literal"], "${Literal}-prod");
    assert!(secret["attributes"]["SecretString"]["$unknown"].is_string());
    assert!(secret["attributes"]["Tags"][0]["Value"]["$unknown"].is_string());
    assert!(has_reference(&doc, "Secret KmsKeyId -> Key"));
}

#[test]
fn json_templates_have_locations_and_references() {
    let doc = golden("json_form");
    let group = resource(&doc, "Group");
    assert_eq!(group["at"], "tests/cloudformation/json_form/template.json:7:5");
    assert_eq!(group["attributes"]["ingress"][0]["from_port"], "80");
    // The standalone rule is joined into the group by the normalize step.
    assert!(has_reference(&doc, "Extra security_group_id -> Group"));
    assert!(has_reference(&doc, "Extra referenced_security_group_id -> Group"));
    assert!(has_reference(&doc, "Front security_groups.0 -> Group"));
    assert_eq!(resource(&doc, "Front")["attributes"]["internal"], true);
    assert_eq!(
        resource(&doc, "Front")["attributes"]["subnets"],
        json!(["subnet-a", "subnet-b"])
    );
}

#[test]
fn parameters_from_files_and_the_command_line() {
    let doc = golden("parameters");
    let logs = resource(&doc, "Logs");
    // --cfn-param wins over the parameter file; the account id stays unknown.
    assert_eq!(logs["attributes"]["name"], "app-eu-west-1");
    assert!(logs["attributes"]["tags"]["account"]["$unknown"].is_string());
    assert_eq!(logs["attributes"]["retention_in_days"], "30");
    // Env=prod from the file makes IsProd true; the SSM parameter type is unknown.
    assert!(resource(&doc, "ProdOnly")["attributes"]["name"]["$unknown"].is_string());
    resource(&doc, "EuOnly");
}

#[test]
fn malformed_yaml_template_reports_line_and_column() {
    let doc = golden("malformed_yaml");
    let errors = doc["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0].as_str().unwrap_or_default();
    assert!(
        message.starts_with("tests/cloudformation/malformed_yaml/template.yaml:7:1: invalid YAML"),
        "{message}"
    );
}

#[test]
fn other_yaml_is_skipped_silently() {
    let doc = golden("not_a_template");
    assert_eq!(doc["resources"], json!([]));
    assert_eq!(doc["errors"], json!([]));
}

#[test]
fn detection_by_content() {
    assert_eq!(
        detect(&json!({"AWSTemplateFormatVersion": "2010-09-09"})),
        Some(DocumentKind::Cfn)
    );
    assert_eq!(
        detect(&json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})),
        Some(DocumentKind::Cfn)
    );
    assert_eq!(
        detect(&json!({"Resources": {"B": {"Type": "Other::Thing"}}})),
        None
    );
    let yaml = read_document(&case_dir("yaml_intrinsics").join("template.yaml"));
    assert!(matches!(yaml, Ok(Some((DocumentKind::Cfn, _)))), "{yaml:?}");
    let out = load_paths(&[case_dir("json_form")], &LoadOptions::default());
    assert!(out.inputs.iter().all(|i| i.kind == InputKind::Cfn));
    assert!(out.resources.iter().all(|r| r.physical_id.is_none()));
}

#[test]
fn s3_buckets_in_the_inline_shape_and_bucket_policies_joined() {
    let doc = golden("s3_buckets");
    let data = resource(&doc, "Data");
    let a = &data["attributes"];
    assert_eq!(data["type"], "aws_s3_bucket");
    assert_eq!(a["acl"], "public-read");
    assert!(a["bucket"]["$unknown"].is_string());
    assert_eq!(
        a["server_side_encryption_configuration"][0]["rule"][0]["apply_server_side_encryption_by_default"][0]
            ["sse_algorithm"],
        "aws:kms"
    );
    assert!(has_reference(
        &doc,
        "Data server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id -> Key"
    ));
    assert_eq!(a["public_access_block"][0]["block_public_acls"], true);
    assert!(a["public_access_block"][0]["block_public_policy"].is_null());
    assert_eq!(a["versioning"], json!([{"enabled": true}]));
    assert!(has_reference(&doc, "Data logging.0.target_bucket -> Logs"));
    assert_eq!(a["lifecycle_rule"][0]["enabled"], true);
    assert_eq!(
        a["lifecycle_rule"][0]["noncurrent_version_expiration"][0]["days"],
        90
    );
    assert_eq!(a["lifecycle_rule"][1]["enabled"], false);
    assert_eq!(
        a["lifecycle_rule"][1]["noncurrent_version_expiration"][0]["days"],
        10
    );
    assert_eq!(
        a["replication_configuration"][0]["rules"][0]["destination"][0]["bucket"],
        "arn:aws:s3:::example-replica"
    );
    // Logging without a destination goes to the bucket itself.
    assert!(has_reference(&doc, "Logs logging.0.target_bucket -> Logs"));
    assert_eq!(resource(&doc, "Logs")["attributes"]["acl"], "log-delivery-write");
    // The policy is a JSON string, joined into the bucket by the normalize step.
    let policy = resource(&doc, "DataPolicy");
    assert_eq!(policy["type"], "aws_s3_bucket_policy");
    assert!(policy["attributes"]["policy"]
        .as_str()
        .is_some_and(|p| p.contains("DenyPlainHttp")));
    assert!(has_reference(&doc, "DataPolicy bucket -> Data"));
    assert!(has_reference(&doc, "DataPolicy policy -> Data"));
    assert!(has_reference(&doc, "Data policy -> DataPolicy"));
    assert!(a["policy"]
        .as_str()
        .is_some_and(|p| p.contains("aws:SecureTransport")));
}

#[test]
fn cloudtrail_trails_with_event_selectors() {
    let doc = golden("cloudtrail_trails");
    let main = resource(&doc, "Main");
    let a = &main["attributes"];
    assert_eq!(main["type"], "aws_cloudtrail");
    assert_eq!(a["enable_logging"], true);
    assert_eq!(a["is_multi_region_trail"], true);
    assert_eq!(a["enable_log_file_validation"], true);
    assert_eq!(a["kms_key_id"], "alias/cloudtrail");
    assert_eq!(
        a["event_selector"][0]["data_resource"][0],
        json!({"type": "AWS::S3::Object", "values": ["arn:aws:s3"]})
    );
    assert!(has_reference(&doc, "Main s3_bucket_name -> TrailBucket"));
    assert!(has_reference(
        &doc,
        "Main cloud_watch_logs_group_arn -> TrailLogs"
    ));
    let advanced = &resource(&doc, "Advanced")["attributes"];
    assert_eq!(advanced["enable_logging"], false);
    assert_eq!(
        advanced["advanced_event_selector"][1]["field_selector"][2],
        json!({"field": "readOnly", "equals": ["false"]})
    );
    assert!(advanced["is_multi_region_trail"].is_null());
}

#[test]
fn config_recorders_are_enabled_by_the_stack() {
    let doc = golden("config_recorder");
    let recorder = resource(&doc, "Recorder");
    assert_eq!(recorder["type"], "aws_config_configuration_recorder");
    assert_eq!(
        recorder["attributes"]["recording_group"],
        json!([{"all_supported": true, "include_global_resource_types": true}])
    );
    let status = resource(&doc, "Recorder.Status");
    assert_eq!(status["type"], "aws_config_configuration_recorder_status");
    assert_eq!(status["attributes"]["is_enabled"], true);
    assert!(has_reference(&doc, "Recorder.Status name -> Recorder"));
    let channel = resource(&doc, "Channel");
    assert_eq!(channel["type"], "aws_config_delivery_channel");
    assert_eq!(
        channel["attributes"]["snapshot_delivery_properties"][0]["delivery_frequency"],
        "TwentyFour_Hours"
    );
}

#[test]
fn security_hub_accounts() {
    let doc = golden("securityhub_hub");
    let hub = resource(&doc, "Hub");
    assert_eq!(hub["type"], "aws_securityhub_account");
    assert_eq!(hub["attributes"]["control_finding_generator"], "SECURITY_CONTROL");
}

#[test]
fn access_analyzers() {
    let doc = golden("access_analyzer");
    let analyzer = resource(&doc, "Analyzer");
    assert_eq!(analyzer["type"], "aws_accessanalyzer_analyzer");
    assert_eq!(analyzer["attributes"]["type"], "ACCOUNT");
    assert_eq!(analyzer["attributes"]["tags"], json!({"owner": "security"}));
}

#[test]
fn sns_topics_inline_subscriptions_and_topic_policies() {
    let doc = golden("sns_topics");
    let topic = resource(&doc, "Alerts");
    assert_eq!(topic["type"], "aws_sns_topic");
    assert_eq!(topic["attributes"]["kms_master_key_id"], "alias/aws/sns");
    let inline = resource(&doc, "Alerts.Subscription.1");
    assert_eq!(inline["type"], "aws_sns_topic_subscription");
    assert_eq!(inline["attributes"]["protocol"], "https");
    assert!(has_reference(&doc, "Alerts.Subscription.0 topic_arn -> Alerts"));
    let webhook = resource(&doc, "Webhook");
    assert_eq!(webhook["attributes"]["protocol"], "http");
    assert_eq!(
        webhook["attributes"]["filter_policy"],
        r#"{"severity":["high","critical"]}"#
    );
    assert!(has_reference(&doc, "Webhook topic_arn -> Alerts"));
    // One policy resource per topic.
    assert!(has_reference(&doc, "Policy.Topics.0 arn -> Alerts"));
    assert_eq!(
        resource(&doc, "Policy.Topics.1")["attributes"]["arn"],
        "arn:aws:sns:us-east-1:123456789012:other"
    );
    assert!(has_reference(&doc, "Policy.Topics.1 policy -> Alerts"));
}

#[test]
fn sqs_queues_and_one_queue_policy_per_queue() {
    let doc = golden("sqs_queues");
    let orders = resource(&doc, "Orders");
    assert_eq!(orders["type"], "aws_sqs_queue");
    assert!(has_reference(&doc, "Orders kms_master_key_id -> Key"));
    assert!(orders["attributes"]["redrive_policy"]
        .as_str()
        .is_some_and(|p| p.contains("maxReceiveCount")));
    assert!(has_reference(&doc, "Orders redrive_policy -> Dead"));
    assert_eq!(
        resource(&doc, "Dead")["attributes"]["sqs_managed_sse_enabled"],
        false
    );
    assert!(has_reference(&doc, "Policy.Queues.0 queue_url -> Orders"));
    assert!(has_reference(&doc, "Policy.Queues.1 queue_url -> Dead"));
    let key = resource(&doc, "Key");
    assert_eq!(key["attributes"]["customer_master_key_spec"], "SYMMETRIC_DEFAULT");
    assert_eq!(key["attributes"]["enable_key_rotation"], true);
}

#[test]
fn ec2_network_acls_subnets_routes_and_peering() {
    let doc = golden("ec2_network");
    let ssh = resource(&doc, "SshIn");
    assert_eq!(ssh["type"], "aws_network_acl_rule");
    assert_eq!(ssh["attributes"]["protocol"], "6");
    assert_eq!(ssh["attributes"]["from_port"], 22);
    assert_eq!(ssh["attributes"]["to_port"], 22);
    assert_eq!(resource(&doc, "AllOut")["attributes"]["protocol"], "-1");
    assert!(has_reference(&doc, "SshIn network_acl_id -> Acl"));
    assert_eq!(
        resource(&doc, "Public")["attributes"]["map_public_ip_on_launch"],
        true
    );
    assert!(resource(&doc, "Public")["attributes"]["availability_zone"]["$unknown"].is_string());
    assert_eq!(resource(&doc, "ToPeer")["type"], "aws_route");
    assert!(has_reference(&doc, "ToPeer vpc_peering_connection_id -> Peer"));
    assert!(has_reference(&doc, "ToPeer route_table_id -> Routes"));
    assert_eq!(resource(&doc, "Peer")["type"], "aws_vpc_peering_connection");
}

#[test]
fn ec2_instances_launch_templates_and_volumes() {
    let doc = golden("ec2_compute");
    let app = &resource(&doc, "App")["attributes"];
    // The interface with DeviceIndex 0 is the primary one; every interface's groups count.
    assert_eq!(app["associate_public_ip_address"], false);
    assert_eq!(app["subnet_id"], "subnet-0a1b2c3d");
    assert!(app.get("network_interface").is_none());
    assert!(has_reference(&doc, "App vpc_security_group_ids.1 -> Web"));
    assert_eq!(app["vpc_security_group_ids"][0], "sg-0a1b2c3d");
    assert_eq!(app["metadata_options"][0]["http_tokens"], "required");
    // Only mappings with an EBS volume are EBS block devices.
    assert_eq!(app["ebs_block_device"].as_array().map(Vec::len), Some(1));
    assert_eq!(app["ebs_block_device"][0]["encrypted"], true);
    assert!(has_reference(&doc, "App iam_instance_profile -> Profile"));
    let plain = &resource(&doc, "Plain")["attributes"];
    assert_eq!(plain["subnet_id"], "subnet-4e5f6a7b");
    assert_eq!(plain["security_groups"], json!(["default"]));
    assert!(plain.get("associate_public_ip_address").is_none());
    let template = &resource(&doc, "Template")["attributes"];
    assert_eq!(template["metadata_options"][0]["http_tokens"], "optional");
    assert_eq!(
        template["block_device_mappings"][0]["ebs"][0]["kms_key_id"],
        "alias/ebs"
    );
    assert!(has_reference(
        &doc,
        "Template iam_instance_profile.0.arn -> Profile"
    ));
    let data = resource(&doc, "Data");
    assert_eq!(data["type"], "aws_ebs_volume");
    assert_eq!(data["attributes"]["encrypted"], false);
    assert_eq!(data["attributes"]["type"], "gp3");
}

#[test]
fn rds_instances_clusters_and_cluster_members() {
    let doc = golden("rds");
    let orders = resource(&doc, "Orders");
    assert_eq!(orders["type"], "aws_db_instance");
    assert_eq!(orders["attributes"]["storage_encrypted"], true);
    assert_eq!(orders["attributes"]["multi_az"], true);
    assert_eq!(orders["attributes"]["auto_minor_version_upgrade"], "false");
    assert!(has_reference(&doc, "Orders vpc_security_group_ids.0 -> Db"));
    let aurora = resource(&doc, "Aurora");
    assert_eq!(aurora["type"], "aws_rds_cluster");
    assert!(has_reference(&doc, "Aurora vpc_security_group_ids.0 -> Db"));
    let writer = resource(&doc, "Writer");
    assert_eq!(writer["type"], "aws_rds_cluster_instance");
    assert!(writer["attributes"].get("multi_az").is_none());
    assert!(has_reference(&doc, "Writer cluster_identifier -> Aurora"));
}

#[test]
fn lambda_functions_permissions_and_urls() {
    let doc = golden("lambda");
    let worker = &resource(&doc, "Worker")["attributes"];
    assert_eq!(worker["environment"][0]["variables"]["STAGE"], "prod");
    assert_eq!(
        worker["vpc_config"][0]["security_group_ids"],
        json!(["sg-0a1b2c3d"])
    );
    assert_eq!(worker["tracing_config"][0]["mode"], "Active");
    let permission = resource(&doc, "FromBucket");
    assert_eq!(permission["type"], "aws_lambda_permission");
    assert_eq!(permission["attributes"]["principal"], "s3.amazonaws.com");
    assert!(has_reference(&doc, "FromBucket function_name -> Worker"));
    let url = resource(&doc, "Url");
    assert_eq!(url["type"], "aws_lambda_function_url");
    assert_eq!(url["attributes"]["authorization_type"], "AWS_IAM");
    assert!(has_reference(&doc, "Url function_name -> Worker"));
}

#[test]
fn elasticache_replication_groups() {
    let doc = golden("elasticache");
    let group = resource(&doc, "Sessions");
    assert_eq!(group["type"], "aws_elasticache_replication_group");
    assert_eq!(group["attributes"]["at_rest_encryption_enabled"], true);
    assert_eq!(group["attributes"]["transit_encryption_enabled"], true);
    assert!(group["attributes"].get("auth_token").is_none());
}

#[test]
fn redshift_clusters() {
    let doc = golden("redshift");
    let cluster = resource(&doc, "Warehouse");
    assert_eq!(cluster["type"], "aws_redshift_cluster");
    assert_eq!(cluster["attributes"]["publicly_accessible"], false);
    assert_eq!(cluster["attributes"]["logging"][0]["enable"], true);
    assert_eq!(
        cluster["attributes"]["logging"][0]["bucket_name"],
        "example-audit-logs"
    );
}

#[test]
fn efs_file_systems_with_backup_and_file_system_policies() {
    let doc = golden("efs");
    let fs = resource(&doc, "Shared");
    assert_eq!(fs["type"], "aws_efs_file_system");
    assert_eq!(fs["attributes"]["encrypted"], true);
    assert_eq!(fs["attributes"]["tags"]["Name"], "shared");
    let backup = resource(&doc, "Shared.BackupPolicy");
    assert_eq!(backup["type"], "aws_efs_backup_policy");
    assert_eq!(backup["attributes"]["backup_policy"][0]["status"], "ENABLED");
    assert!(has_reference(
        &doc,
        "Shared.BackupPolicy file_system_id -> Shared"
    ));
    let policy = resource(&doc, "Shared.FileSystemPolicy");
    assert!(policy["attributes"]["policy"].is_string());
    assert!(has_reference(&doc, "Shared.FileSystemPolicy policy -> Role"));
    assert!(has_reference(
        &doc,
        "Shared.FileSystemPolicy file_system_id -> Shared"
    ));
}

#[test]
fn autoscaling_groups_and_launch_configurations() {
    let doc = golden("autoscaling");
    let group = &resource(&doc, "Workers")["attributes"];
    assert_eq!(group["vpc_zone_identifier"][1], "subnet-4e5f6a7b");
    assert!(has_reference(&doc, "Workers vpc_zone_identifier.0 -> A"));
    assert!(has_reference(&doc, "Workers launch_configuration -> Config"));
    assert_eq!(group["tag"][0]["propagate_at_launch"], true);
    let config = resource(&doc, "Config");
    assert_eq!(config["type"], "aws_launch_configuration");
    assert_eq!(
        config["attributes"]["metadata_options"][0]["http_tokens"],
        "required"
    );
}

#[test]
fn load_balancers_listeners_and_rules() {
    let doc = golden("elb");
    let app = &resource(&doc, "App")["attributes"];
    assert_eq!(app["access_logs"][0]["enabled"], true);
    assert_eq!(app["access_logs"][0]["prefix"], "app");
    assert!(has_reference(&doc, "App access_logs.0.bucket -> Logs"));
    assert!(app["enable_deletion_protection"]["$unknown"].is_string());
    assert_eq!(app["drop_invalid_header_fields"], false);
    let http = &resource(&doc, "Http")["attributes"];
    assert_eq!(resource(&doc, "Http")["type"], "aws_lb_listener");
    assert_eq!(http["default_action"][0]["redirect"][0]["protocol"], "HTTPS");
    assert!(has_reference(&doc, "Http load_balancer_arn -> App"));
    let https = &resource(&doc, "Https")["attributes"];
    assert_eq!(
        https["certificate_arn"],
        "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    );
    assert_eq!(
        https["default_action"][0]["fixed_response"][0]["status_code"],
        "404"
    );
    let rule = &resource(&doc, "Api")["attributes"];
    assert_eq!(resource(&doc, "Api")["type"], "aws_lb_listener_rule");
    assert!(has_reference(&doc, "Api listener_arn -> Https"));
    assert_eq!(
        rule["condition"][0]["host_header"][0]["values"][0],
        "api.example.com"
    );
    assert_eq!(rule["condition"][1]["path_pattern"][0]["values"][0], "/v1/*");
    assert_eq!(
        rule["condition"][2]["http_header"][0]["http_header_name"],
        "X-Env"
    );
    assert_eq!(rule["condition"][3]["query_string"][0]["key"], "version");
    assert_eq!(rule["action"][0]["forward"][0]["target_group"][0]["weight"], 1);
    let classic = &resource(&doc, "Classic")["attributes"];
    assert_eq!(classic["listener"][0]["lb_protocol"], "HTTPS");
    assert_eq!(classic["access_logs"][0]["interval"], 5);
    // Created through the API, a classic load balancer has cross-zone balancing off by default.
    assert_eq!(classic["cross_zone_load_balancing"], false);
    assert_eq!(classic["connection_draining"], true);
    assert_eq!(
        resource(&doc, "ClassicCrossZone")["attributes"]["cross_zone_load_balancing"],
        true
    );
}

#[test]
fn api_gateway_domain_names() {
    let doc = golden("apigateway_domains");
    let rest = &resource(&doc, "Rest");
    assert_eq!(rest["type"], "aws_api_gateway_domain_name");
    assert_eq!(rest["attributes"]["security_policy"], "TLS_1_2");
    assert_eq!(
        rest["attributes"]["endpoint_configuration"][0]["types"][0],
        "REGIONAL"
    );
    assert_eq!(rest["attributes"]["tags"]["team"], "platform");
    let http = &resource(&doc, "Http");
    assert_eq!(http["type"], "aws_apigatewayv2_domain_name");
    assert_eq!(
        http["attributes"]["domain_name_configuration"][0]["security_policy"],
        "TLS_1_0"
    );
    assert_eq!(http["attributes"]["tags"]["team"], "platform");
}

#[test]
fn wafv2_web_acl_rules_and_statements() {
    let doc = golden("wafv2");
    let acl = &resource(&doc, "Edge")["attributes"];
    assert_eq!(resource(&doc, "Edge")["type"], "aws_wafv2_web_acl");
    assert_eq!(acl["default_action"][0]["allow"], json!([{}]));
    let managed = &acl["rule"][0];
    assert_eq!(managed["override_action"][0]["none"], json!([{}]));
    let group = &managed["statement"][0]["managed_rule_group_statement"][0];
    assert_eq!(group["name"], "AWSManagedRulesKnownBadInputsRuleSet");
    assert_eq!(group["excluded_rule"][0]["name"], "Host_localhost_HEADER");
    assert_eq!(
        group["rule_action_override"][0]["action_to_use"][0]["count"],
        json!([{}])
    );
    let rate = &acl["rule"][1]["statement"][0]["rate_based_statement"][0];
    assert_eq!(rate["limit"], 1000);
    assert_eq!(
        rate["scope_down_statement"][0]["not_statement"][0]["statement"][0]["geo_match_statement"][0]
            ["country_codes"][0],
        "US"
    );
    assert!(has_reference(
        &doc,
        "Edge rule.2.statement.0.or_statement.0.statement.0.ip_set_reference_statement.0.arn -> Blocked"
    ));
    assert_eq!(acl["visibility_config"][0]["metric_name"], "edge");
}

#[test]
fn container_repositories_clusters_and_task_definitions() {
    let doc = golden("containers");
    let repo = &resource(&doc, "Repo")["attributes"];
    assert_eq!(repo["image_tag_mutability"], "IMMUTABLE");
    assert_eq!(repo["image_scanning_configuration"][0]["scan_on_push"], true);
    assert!(has_reference(
        &doc,
        "Repo encryption_configuration.0.kms_key -> Key"
    ));
    let cluster = &resource(&doc, "Cluster")["attributes"];
    assert_eq!(
        cluster["vpc_config"][0]["public_access_cidrs"][0],
        "203.0.113.0/24"
    );
    assert_eq!(cluster["encryption_config"][0]["resources"][0], "secrets");
    assert!(has_reference(
        &doc,
        "Cluster encryption_config.0.provider.0.key_arn -> Key"
    ));
    assert_eq!(cluster["enabled_cluster_log_types"], json!(["api", "audit"]));
    let task = &resource(&doc, "Task")["attributes"];
    assert_eq!(task["requires_compatibilities"][0], "FARGATE");
    let text = task["container_definitions"].as_str().unwrap_or_default();
    let containers: Json = serde_json::from_str(text).unwrap_or(Json::Null);
    let app = &containers[0];
    // The ECS API's shape: camelCase keys, the user's map keys as written.
    assert_eq!(app["name"], "app");
    assert_eq!(app["readonlyRootFilesystem"], true);
    assert_eq!(app["portMappings"][0]["containerPort"], 8080);
    assert_eq!(app["environment"][0]["name"], "MODE");
    assert_eq!(app["dockerLabels"]["Team"], "platform");
    assert_eq!(app["logConfiguration"]["options"]["awslogs-group"], "/ecs/app");
    assert!(app["privileged"]["$unknown"].is_string());
    assert!(has_reference(&doc, "Task container_definitions -> Repo"));
}

#[test]
fn search_domains_secrets_and_rotation() {
    let doc = golden("search_and_secrets");
    let search = &resource(&doc, "Search");
    assert_eq!(search["type"], "aws_opensearch_domain");
    let a = &search["attributes"];
    assert_eq!(a["engine_version"], "OpenSearch_2.11");
    assert_eq!(a["encrypt_at_rest"][0]["enabled"], true);
    assert_eq!(a["node_to_node_encryption"][0]["enabled"], true);
    assert_eq!(a["domain_endpoint_options"][0]["enforce_https"], true);
    assert_eq!(a["log_publishing_options"][0]["log_type"], "AUDIT_LOGS");
    assert!(has_reference(
        &doc,
        "Search log_publishing_options.0.cloudwatch_log_group_arn -> SearchLogs"
    ));
    assert!(a["access_policies"].is_string());
    assert!(has_reference(&doc, "Search access_policies -> Reader"));
    let legacy = &resource(&doc, "Legacy");
    assert_eq!(legacy["type"], "aws_elasticsearch_domain");
    assert_eq!(legacy["attributes"]["elasticsearch_version"], "7.10");
    assert_eq!(legacy["attributes"]["encrypt_at_rest"][0]["enabled"], false);
    let db = &resource(&doc, "Db")["attributes"];
    assert_eq!(db["replica"][0]["region"], "eu-west-1");
    let version = &resource(&doc, "Db.SecretString");
    assert_eq!(version["type"], "aws_secretsmanager_secret_version");
    assert!(has_reference(&doc, "Db.SecretString secret_id -> Db"));
    let rotation = &resource(&doc, "DbRotation")["attributes"];
    assert_eq!(
        resource(&doc, "DbRotation")["type"],
        "aws_secretsmanager_secret_rotation"
    );
    assert!(has_reference(&doc, "DbRotation secret_id -> Db"));
    assert_eq!(
        rotation["rotation_rules"][0]["schedule_expression"],
        "rate(30 days)"
    );
    assert!(rotation["rotation_lambda_arn"]["$unknown"].is_string());
}

#[test]
fn iam_access_keys_memberships_and_instance_profiles() {
    let doc = golden("iam_extras");
    let groups = &resource(&doc, "Alice.Groups");
    assert_eq!(groups["type"], "aws_iam_user_group_membership");
    assert_eq!(groups["attributes"]["groups"][1], "ops");
    assert!(has_reference(&doc, "Alice.Groups user -> Alice"));
    assert!(has_reference(&doc, "Alice.Groups groups.0 -> Developers"));
    assert_eq!(
        resource(&doc, "Alice")["attributes"]["managed_policy_arns"][0],
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    );
    let key = &resource(&doc, "AliceKey");
    assert_eq!(key["type"], "aws_iam_access_key");
    assert_eq!(key["attributes"]["status"], "Inactive");
    assert!(has_reference(&doc, "AliceKey user -> Alice"));
    let members = &resource(&doc, "Members");
    assert_eq!(members["type"], "aws_iam_group_membership");
    assert_eq!(members["attributes"]["users"][1], "bob");
    assert!(has_reference(&doc, "Members group -> Developers"));
    let app = &resource(&doc, "App")["attributes"];
    assert!(app["assume_role_policy"].is_string());
    assert!(has_reference(&doc, "App managed_policy_arns.1 -> Extra"));
    let profile = &resource(&doc, "AppProfile");
    assert_eq!(profile["type"], "aws_iam_instance_profile");
    assert!(has_reference(&doc, "AppProfile role -> App"));
}

#[test]
fn cloudfront_distribution_details() {
    let doc = golden("cloudfront");
    let site = &resource(&doc, "Site")["attributes"];
    assert!(has_reference(&doc, "Site web_acl_id -> Acl"));
    assert!(has_reference(&doc, "Site logging_config.0.bucket -> Logs"));
    assert_eq!(site["logging_config"][0]["prefix"], "site/");
    assert_eq!(
        site["restrictions"][0]["geo_restriction"][0]["restriction_type"],
        "blacklist"
    );
    assert_eq!(
        site["default_cache_behavior"][0]["viewer_protocol_policy"],
        "redirect-to-https"
    );
    assert_eq!(
        site["ordered_cache_behavior"][0]["viewer_protocol_policy"],
        "allow-all"
    );
    assert_eq!(
        site["origin"][0]["custom_origin_config"][0]["origin_protocol_policy"],
        "match-viewer"
    );
}
