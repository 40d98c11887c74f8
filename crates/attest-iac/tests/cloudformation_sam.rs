//! Golden tests of the SAM transform, nested stacks and inline suppressions in YAML templates: each
//! folder `tests/cloudformation/{sam,nested,suppress}_*/` is scanned as a whole; its
//! `expected.json` holds the resources (with their module stacks), the references, the
//! suppressions and the errors. Set `ATTEST_UPDATE_GOLDEN=1` to rewrite the expected files.

use std::path::Path;

use attest_core::LoadOutput;
use attest_iac::{cloudformation, load_paths, LoadOptions};
use serde_json::{json, Value as Json};

fn at(l: &attest_core::Location) -> String {
    format!("{}:{}:{}", l.file, l.line, l.column)
}

fn normalize(out: &LoadOutput) -> Json {
    let resources: Vec<Json> = out
        .resources
        .iter()
        .map(|r| {
            let stack: Vec<Json> = r
                .provenance
                .module_stack
                .iter()
                .map(|m| json!({"address": m.address, "at": m.location.as_ref().map(at)}))
                .collect();
            json!({
                "id": r.id,
                "type": r.resource_type,
                "at": r.location().map(at),
                "module_stack": stack,
                "attributes": r.attributes,
            })
        })
        .collect();
    let references: Vec<String> = out
        .references
        .iter()
        .map(|r| format!("{} {} -> {}", r.from, r.path, r.to))
        .collect();
    let suppressions: Vec<String> = out
        .suppressions
        .iter()
        .map(|s| {
            format!(
                "{} ({}) at {} -> {}",
                s.rule,
                s.reason,
                at(&s.comment),
                at(&s.target)
            )
        })
        .collect();
    let errors: Vec<String> = out
        .errors
        .iter()
        .map(|e| match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
            _ => format!("{}: {}", e.file, e.message),
        })
        .collect();
    json!({
        "resources": resources,
        "references": references,
        "suppressions": suppressions,
        "errors": errors,
    })
}

fn golden(case: &str) -> Json {
    let dir = Path::new("tests/cloudformation").join(case);
    let out = load_paths(std::slice::from_ref(&dir), &LoadOptions::default());
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
        .unwrap_or_else(|| panic!("no resource {id} in {doc:#}"))
}

fn ids(doc: &Json) -> Vec<&str> {
    doc["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect()
}

fn has_reference(doc: &Json, reference: &str) -> bool {
    doc["references"]
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r == reference))
}

fn strings(v: &Json) -> Vec<&str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect()
}

/// A policy document held as a JSON string.
fn document(v: &Json) -> Json {
    v.as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Json::Null)
}

/// Whether `from` (or one of the resources it was split into) refers to `to`, at any path.
fn refers(doc: &Json, from: &str, to: &str) -> bool {
    doc["references"].as_array().is_some_and(|rs| {
        rs.iter().filter_map(Json::as_str).any(|r| {
            let mut parts = r.split(' ');
            let f = parts.next().unwrap_or_default();
            let t = parts.next_back().unwrap_or_default();
            (f == from || f.starts_with(&format!("{from}."))) && t == to
        })
    })
}

/// The `Resources` of a case's template after the SAM transform, before evaluation and translation.
fn expanded(case: &str) -> Json {
    let path = Path::new("tests/cloudformation").join(case).join("template.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = cloudformation::parse(&path.display().to_string(), &text).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(cloudformation::sam::is_sam(&root));
    cloudformation::sam::transform(&root).to_json()["Resources"].clone()
}

#[test]
fn sam_function_expands_to_function_role_policies_and_event_resources() {
    let doc = golden("sam_function");
    let file = "tests/cloudformation/sam_function/template.yaml";
    let ids = ids(&doc);
    for id in [
        "OrdersFunction",
        "OrdersFunctionRole",
        "OrdersFunctionGetOrderPermission",
        "OrdersFunctionUploadPermission",
        "OrdersFunctionAlert",
        "OrdersFunctionAlertPermission",
        "OrdersFunctionNightly",
        "OrdersFunctionNightlyPermission",
        "OrdersFunctionUrl",
        "OrdersFunctionUrlPublicPermissions",
        "ServerlessRestApi",
        "ServerlessRestApiProdStage",
        "ReportsFunction",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // A function with its own role gets no generated role, and its Policies are not applied.
    assert!(!ids.contains(&"ReportsFunctionRole"), "{ids:?}");
    // Every generated resource points at the serverless function's logical id.
    for id in ["OrdersFunction", "OrdersFunctionRole", "OrdersFunctionNightly"] {
        assert_eq!(resource(&doc, id)["at"], format!("{file}:23:3"), "{id}");
    }
    assert!(refers(&doc, "OrdersFunction", "OrdersFunctionRole"));
    assert!(refers(&doc, "ReportsFunction", "OrdersFunctionRole"));
    assert!(refers(
        &doc,
        "OrdersFunctionGetOrderPermission",
        "ServerlessRestApi"
    ));
    assert!(refers(&doc, "OrdersFunctionGetOrderPermission", "OrdersFunction"));
    assert!(refers(&doc, "OrdersFunctionAlert", "Alerts"));
    assert!(refers(&doc, "OrdersFunctionAlertPermission", "Alerts"));
    assert!(refers(
        &doc,
        "OrdersFunctionNightlyPermission",
        "OrdersFunctionNightly"
    ));
    assert!(refers(&doc, "OrdersFunctionUrl", "OrdersFunction"));
    // Policy templates refer to the resources their parameters name.
    assert!(refers(
        &doc,
        "OrdersFunctionRole.Policies.OrdersFunctionRolePolicy3",
        "Uploads"
    ));
    assert!(refers(
        &doc,
        "OrdersFunctionRole.Policies.OrdersFunctionRolePolicy4",
        "Orders"
    ));

    let role = resource(&doc, "OrdersFunctionRole");
    assert_eq!(role["type"], "aws_iam_role");
    let trust = document(&role["attributes"]["assume_role_policy"]);
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"][0],
        "lambda.amazonaws.com"
    );
    assert_eq!(
        strings(&role["attributes"]["managed_policy_arns"]),
        vec![
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            "arn:aws:iam::123456789012:policy/Custom",
        ]
    );
    let inline = resource(&doc, "OrdersFunctionRole.Policies.OrdersFunctionRolePolicy2");
    assert_eq!(
        document(&inline["attributes"]["policy"])["Statement"][0]["Action"],
        "logs:PutLogEvents"
    );
    // A policy template attest does not expand: an inline policy whose document is unknown.
    let unknown = resource(&doc, "OrdersFunctionRole.Policies.OrdersFunctionRolePolicy5");
    let why = serde_json::to_string(&unknown["attributes"]).unwrap_or_default();
    assert!(why.contains("RekognitionLabelsPolicy is not expanded"), "{why}");
    assert_eq!(doc["errors"], json!([]));

    // The CloudFormation resources SAM would create, before translation.
    let cfn = expanded("sam_function");
    let function = &cfn["OrdersFunction"];
    assert_eq!(function["Type"], "AWS::Lambda::Function");
    assert_eq!(function["Properties"]["Runtime"], "python3.12");
    assert_eq!(function["Properties"]["Handler"], "app.handler");
    assert_eq!(function["Properties"]["TracingConfig"]["Mode"], "Active");
    assert_eq!(
        function["Properties"]["Code"],
        json!({"S3Bucket": "artifacts", "S3Key": "orders.zip"})
    );
    assert_eq!(
        function["Properties"]["Role"],
        json!({"Fn::GetAtt": ["OrdersFunctionRole", "Arn"]})
    );
    let policies = &cfn["OrdersFunctionRole"]["Properties"]["Policies"];
    assert_eq!(policies[1]["PolicyName"], "OrdersFunctionRolePolicy3");
    assert_eq!(
        policies[1]["PolicyDocument"]["Statement"][0]["Resource"][0],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}", {"bucketName": {"Ref": "Uploads"}}]})
    );
    let crud = &policies[2]["PolicyDocument"]["Statement"][0]["Action"];
    assert!(strings(crud).contains(&"dynamodb:DeleteItem"), "{crud}");

    let api = &cfn["OrdersFunctionGetOrderPermission"];
    assert_eq!(api["Type"], "AWS::Lambda::Permission");
    assert_eq!(api["Properties"]["Principal"], "apigateway.amazonaws.com");
    assert_eq!(
        api["Properties"]["SourceArn"]["Fn::Sub"][0],
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/GET/orders/*"
    );
    let s3 = &cfn["OrdersFunctionUploadPermission"]["Properties"];
    assert_eq!(s3["Principal"], "s3.amazonaws.com");
    assert_eq!(s3["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    let sns = &cfn["OrdersFunctionAlert"];
    assert_eq!(sns["Type"], "AWS::SNS::Subscription");
    assert_eq!(sns["Properties"]["Protocol"], "lambda");
    assert_eq!(
        cfn["OrdersFunctionAlertPermission"]["Properties"]["Principal"],
        "sns.amazonaws.com"
    );
    let rule = &cfn["OrdersFunctionNightly"];
    assert_eq!(rule["Type"], "AWS::Events::Rule");
    assert_eq!(rule["Properties"]["State"], "DISABLED");
    assert_eq!(rule["Properties"]["ScheduleExpression"], "rate(1 day)");
    assert_eq!(
        cfn["OrdersFunctionNightlyPermission"]["Properties"]["Principal"],
        "events.amazonaws.com"
    );
    assert_eq!(cfn["OrdersFunctionUrl"]["Type"], "AWS::Lambda::Url");
    assert_eq!(cfn["OrdersFunctionUrl"]["Properties"]["AuthType"], "NONE");
    assert_eq!(
        cfn["OrdersFunctionUrlPublicPermissions"]["Properties"]["Principal"],
        "*"
    );
    assert_eq!(cfn["ServerlessRestApi"]["Type"], "AWS::ApiGateway::RestApi");
}

#[test]
fn sam_globals_are_merged_into_each_function() {
    let doc = golden("sam_globals");
    assert_eq!(doc["errors"], json!([]));
    // A function in a VPC also gets the VPC access policy.
    let role = resource(&doc, "TunedRole");
    assert!(strings(&role["attributes"]["managed_policy_arns"])
        .contains(&"arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"));

    let cfn = expanded("sam_globals");
    let plain = &cfn["Plain"]["Properties"];
    assert_eq!(plain["Runtime"], "python3.12");
    assert_eq!(plain["Timeout"], 30);
    assert_eq!(plain["Environment"]["Variables"]["LOG_LEVEL"], "info");
    let tuned = &cfn["Tuned"]["Properties"];
    assert_eq!(tuned["Runtime"], "python3.11");
    assert_eq!(tuned["Timeout"], 30);
    assert_eq!(
        tuned["Environment"]["Variables"],
        json!({"STAGE": "prod", "LOG_LEVEL": "debug"})
    );
    assert_eq!(
        strings(&tuned["Layers"]),
        vec![
            "arn:aws:lambda:us-east-1:123456789012:layer:common:1",
            "arn:aws:lambda:us-east-1:123456789012:layer:extra:2",
        ]
    );
    assert!(tuned["Tags"]
        .as_array()
        .is_some_and(|t| t.contains(&json!({"Key": "team", "Value": "payments"}))));
    assert!(cfn.get("Globals").is_none());
}

#[test]
fn sam_simple_table_and_api_become_dynamodb_and_api_gateway() {
    let doc = golden("sam_simple_table");
    let sessions = resource(&doc, "Sessions");
    assert_eq!(sessions["type"], "aws_dynamodb_table");
    assert_eq!(sessions["attributes"]["hash_key"], "id");
    assert_eq!(
        sessions["attributes"]["attribute"],
        json!([{"name": "id", "type": "S"}])
    );
    assert_eq!(sessions["attributes"]["billing_mode"], "PAY_PER_REQUEST");
    assert!(sessions["attributes"].get("server_side_encryption").is_none());
    let accounts = resource(&doc, "Accounts");
    assert_eq!(
        accounts["attributes"]["attribute"],
        json!([{"name": "account_id", "type": "N"}])
    );
    assert_eq!(
        accounts["attributes"]["server_side_encryption"][0]["enabled"],
        true
    );
    assert_eq!(accounts["attributes"]["tags"]["owner"], "billing");
    assert!(refers(&doc, "Publicv1Stage", "Public"));
    assert_eq!(doc["errors"], json!([]));

    let cfn = expanded("sam_simple_table");
    let api = &cfn["Public"];
    assert_eq!(api["Type"], "AWS::ApiGateway::RestApi");
    assert_eq!(
        api["Properties"]["EndpointConfiguration"]["Types"],
        json!(["REGIONAL"])
    );
    assert_eq!(cfn["Publicv1Stage"]["Type"], "AWS::ApiGateway::Stage");
    assert_eq!(cfn["Publicv1Stage"]["Properties"]["TracingEnabled"], true);
    let domain = &cfn["PublicDomainName"];
    assert_eq!(domain["Type"], "AWS::ApiGateway::DomainName");
    assert_eq!(
        domain["Properties"],
        json!({
            "DomainName": "api.example.com",
            "SecurityPolicy": "TLS_1_2",
            "EndpointConfiguration": {"Types": ["REGIONAL"]},
            "RegionalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        })
    );
}

#[test]
fn nested_stack_from_a_local_path_is_loaded_with_parameters_and_outputs() {
    let doc = golden("nested_local");
    let parent = "tests/cloudformation/nested_local/template.yaml";
    let child = "tests/cloudformation/nested_local/stacks/network.yaml";
    let ids = ids(&doc);
    // The child template is loaded once, through its parent.
    assert!(!ids.contains(&"WebSg"), "{ids:?}");
    // Env=prod from the parent: the prod-only group is there.
    assert!(ids.contains(&"Network.DevOnly"), "{ids:?}");

    let sg = resource(&doc, "Network.WebSg");
    assert_eq!(sg["type"], "aws_security_group");
    assert_eq!(sg["at"], format!("{child}:13:3"));
    assert_eq!(
        sg["module_stack"],
        json!([{"address": "Network", "at": format!("{parent}:12:3")}])
    );
    // A CommaDelimitedList parameter given as text is split.
    assert_eq!(sg["attributes"]["ingress"][0]["cidr_blocks"][0], "10.0.0.0/8");
    // Parameters refer to the parent's resources, outputs to the child's.
    assert!(has_reference(&doc, "Network.WebSg vpc_id -> Vpc"));
    assert!(refers(&doc, "App", "Network.WebSg"));
    let app = serde_json::to_string(&resource(&doc, "App")["attributes"]).unwrap_or_default();
    assert!(app.contains("app-prod"), "{app}");
    // The parent's own output reads the child's.
    assert!(!refers(&doc, "App", "Network"));
    assert_eq!(resource(&doc, "Network")["type"], "AWS::CloudFormation::Stack");
    assert_eq!(doc["errors"], json!([]));
}

#[test]
fn nested_stack_from_a_url_is_not_fetched_and_its_outputs_are_unknown() {
    let doc = golden("nested_remote_url");
    let errors = strings(&doc["errors"]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0]
        .starts_with("tests/cloudformation/nested_remote_url/template.yaml:3:3: nested stack Network"));
    assert!(
        errors.iter().all(|e| e.contains("is not a local path")),
        "{errors:?}"
    );
    let web = resource(&doc, "Web");
    let group = serde_json::to_string(&web["attributes"]).unwrap_or_default();
    assert!(group.contains("Network.Outputs.WebSgId"), "{group}");
}

#[test]
fn nested_stacks_that_nest_each_other_are_an_error() {
    let doc = golden("nested_cycle");
    let errors = strings(&doc["errors"]);
    // Each template of the cycle is a root of the scan (neither is reached from outside the cycle),
    // and each reports the cycle at its Stack resource.
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.contains("templates nest each other")),
        "{errors:?}"
    );
    assert!(errors[0].starts_with("tests/cloudformation/nested_cycle/template.yaml:3:3:"));
    assert!(ids(&doc).contains(&"Inner.Logs"));
}

#[test]
fn yaml_suppressions_target_the_logical_id() {
    let doc = golden("suppress_yaml");
    let file = "tests/cloudformation/suppress_yaml/template.yaml";
    let suppressions = strings(&doc["suppressions"]);
    assert_eq!(
        suppressions,
        vec![
            format!(
                "aws-ec2-sg-no-public-http (public web server behind the CDN) at {file}:3:9 -> {file}:3:3"
            ),
            format!(
                "aws-cloudwatch-log-retention (shipped to the SIEM within the hour) at {file}:9:3 -> {file}:11:3"
            ),
            format!("CKV_AWS_158 (encrypted by the SIEM) at {file}:10:3 -> {file}:11:3"),
        ]
    );
    // The target is where the loader locates the resource.
    assert_eq!(resource(&doc, "Logs")["at"], format!("{file}:11:3"));
    let errors = strings(&doc["errors"]);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with(&format!("{file}:14:3: attest:ignore must be on the line")));
    assert!(errors[1].starts_with(&format!(
        "{file}:16:3: attest:ignore needs a rule id and a reason"
    )));
    assert!(errors[2].starts_with(&format!("{file}:31:3: attest:ignore must be on the line")));
}
