//! The SAM transform (`Transform: AWS::Serverless-2016-10-31`): serverless resources expanded, before
//! evaluation, into the CloudFormation resources SAM deploys that rules look at.
//!
//! | SAM | CloudFormation (logical ids) |
//! |---|---|
//! | `AWS::Serverless::Function` | `AWS::Lambda::Function` `<Id>`; without `Role`, the execution role `<Id>Role` (`AWS::IAM::Role`: Lambda trust policy, `AWSLambdaBasicExecutionRole` and the managed policies `Policies` names, inline policies `<Id>RolePolicy<index>` from its documents and policy templates); per event `<Id><Event>Permission` (`AWS::Lambda::Permission`), plus `<Id><Event>` for the `AWS::SNS::Subscription`, `AWS::Events::Rule` or `AWS::Lambda::EventSourceMapping` the event needs; `FunctionUrlConfig` → `<Id>Url` (`AWS::Lambda::Url`, and `<Id>UrlPublicPermissions` when `AuthType` is `NONE`) |
//! | `AWS::Serverless::Api` | `AWS::ApiGateway::RestApi` `<Id>`, its stage `<Id><StageName>Stage`, `Domain` → `<Id>DomainName` (`AWS::ApiGateway::DomainName`) |
//! | `Api` events without `RestApiId` | the implicit `ServerlessRestApi` and its stage `ServerlessRestApiProdStage` |
//! | `AWS::Serverless::SimpleTable` | `AWS::DynamoDB::Table` `<Id>` (primary key `id` of type String by default) |
//!
//! The `Function`, `Api` and `SimpleTable` sections of `Globals` are merged into each resource of the
//! type as SAM does: maps merge key by key, lists are the global items followed by the resource's,
//! any other value of the resource replaces the global one.
//!
//! Every generated resource is located at the logical id of the serverless resource it comes from
//! (so an inline suppression on a function also covers its role) and keeps its `Condition`.
//! Intrinsic functions in the serverless properties are carried over unevaluated: the evaluator
//! resolves them with the rest of the template. The domain name's logical id, and what SAM changes
//! in other resources (the notification configuration of an S3 event's bucket), are not reproduced.
//!
//! A policy template attest does not expand becomes an inline policy whose document is unknown,
//! with a reason that names the template: rules that read it report `unknown`.

use std::collections::BTreeMap;

use attest_core::Value;

use super::tree::{Entry, Kind, Node};

/// The transform that makes a template a SAM template.
pub const TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// The key of a map that stands for a value unknown before deployment, with its reason as the
/// value: `{"attest:unknown": "<reason>"}`. [`resolve_unknowns`] turns it into an unknown value
/// after evaluation.
const UNKNOWN_KEY: &str = "attest:unknown";

/// Whether a template declares the SAM transform (`Transform` as a string or in a list).
pub fn is_sam(root: &Node) -> bool {
    match root.get("Transform").map(|t| &t.kind) {
        Some(Kind::String(s)) => s == TRANSFORM,
        Some(Kind::List(items)) => items.iter().any(|i| i.as_str() == Some(TRANSFORM)),
        _ => false,
    }
}

/// The template with its serverless resources expanded and its `Globals` section removed.
pub fn transform(root: &Node) -> Node {
    let globals = root.get("Globals");
    let global = |section: &str| globals.and_then(|g| g.get(section));
    let declared: Vec<&str> = root
        .get("Resources")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    let mut resources = Vec::new();
    // Where the implicit API is located (the first function using it), and the conditions of the
    // functions using it.
    let mut implicit_api: Option<(At, Vec<Option<Node>>)> = None;
    for entry in root.get("Resources").map(Node::entries).unwrap_or_default() {
        let at = At {
            line: entry.line,
            column: entry.column,
        };
        let ty = entry.value.get("Type").and_then(Node::as_str);
        let props = |section: &str| {
            let own = entry.value.get("Properties");
            match (global(section), own) {
                (Some(g), Some(p)) => merge(g, p),
                (Some(g), None) => g.clone(),
                (None, Some(p)) => p.clone(),
                (None, None) => at.map(vec![]),
            }
        };
        let mut out = Out {
            at,
            condition: entry.value.get("Condition"),
            entries: Vec::new(),
        };
        match ty {
            Some("AWS::Serverless::Function") => {
                let uses_implicit_api = function(&mut out, &entry.key, &entry.value, &props("Function"));
                if uses_implicit_api {
                    let condition = entry.value.get("Condition").cloned();
                    implicit_api
                        .get_or_insert_with(|| (at, Vec::new()))
                        .1
                        .push(condition);
                }
            }
            Some("AWS::Serverless::Api") => api(&mut out, &entry.key, &props("Api")),
            Some("AWS::Serverless::SimpleTable") => simple_table(&mut out, &entry.key, &props("SimpleTable")),
            _ => out.entries.push(entry.clone()),
        }
        resources.extend(out.entries);
    }
    if let Some((at, conditions)) = implicit_api {
        // It exists when its functions do: their condition when they share one.
        let condition = match conditions.split_first() {
            Some((Some(first), rest))
                if rest
                    .iter()
                    .all(|c| c.as_ref().map(Node::to_json) == Some(first.to_json())) =>
            {
                Some(first.clone())
            }
            _ => None,
        };
        if !declared.contains(&"ServerlessRestApi") {
            let mut api_props = global("Api").cloned().unwrap_or_else(|| at.map(vec![]));
            if let Kind::Map(entries) = &mut api_props.kind {
                entries.retain(|e| e.key != "StageName");
                entries.push(at.entry("StageName", at.s("Prod")));
                if !entries.iter().any(|e| e.key == "Name") {
                    entries.push(at.entry("Name", at.reference("AWS::StackName")));
                }
            }
            let mut out = Out {
                at,
                condition: None,
                entries: Vec::new(),
            };
            api(&mut out, "ServerlessRestApi", &api_props);
            for e in &mut out.entries {
                if let (Some(c), Kind::Map(fields)) = (&condition, &mut e.value.kind) {
                    fields.push(at.entry("Condition", c.clone()));
                }
            }
            resources.extend(out.entries);
        }
    }
    let mut root = root.clone();
    if let Kind::Map(entries) = &mut root.kind {
        entries.retain(|e| e.key != "Globals");
        for e in entries.iter_mut() {
            if e.key == "Resources" {
                e.value.kind = Kind::Map(resources.clone());
            }
        }
    }
    root
}

/// Turns the unknown markers of generated resources into unknown values.
pub fn resolve_unknowns(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(reason)) = map.get(UNKNOWN_KEY) {
                    return Value::unknown(reason.clone());
                }
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, resolve_unknowns(v))).collect())
        }
        Value::List(items) => Value::List(items.into_iter().map(resolve_unknowns).collect()),
        other => other,
    }
}

/// The location every node generated for one serverless resource carries.
#[derive(Clone, Copy)]
struct At {
    line: u32,
    column: u32,
}

impl At {
    fn node(self, kind: Kind) -> Node {
        Node {
            kind,
            line: self.line,
            column: self.column,
        }
    }

    fn entry(self, key: &str, value: Node) -> Entry {
        Entry {
            key: key.to_string(),
            line: self.line,
            column: self.column,
            value,
        }
    }

    fn s(self, text: &str) -> Node {
        self.node(Kind::String(text.to_string()))
    }

    fn map(self, pairs: Vec<(&str, Node)>) -> Node {
        self.node(Kind::Map(
            pairs.into_iter().map(|(k, v)| self.entry(k, v)).collect(),
        ))
    }

    fn list(self, items: Vec<Node>) -> Node {
        self.node(Kind::List(items))
    }

    fn strings(self, items: &[&str]) -> Node {
        self.list(items.iter().map(|i| self.s(i)).collect())
    }

    fn reference(self, name: &str) -> Node {
        self.map(vec![("Ref", self.s(name))])
    }

    fn get_att(self, id: &str, attribute: &str) -> Node {
        self.map(vec![("Fn::GetAtt", self.strings(&[id, attribute]))])
    }

    fn sub(self, template: &str) -> Node {
        self.map(vec![("Fn::Sub", self.s(template))])
    }

    fn sub_with(self, template: &str, vars: Vec<(&str, Node)>) -> Node {
        self.map(vec![(
            "Fn::Sub",
            self.list(vec![self.s(template), self.map(vars)]),
        )])
    }

    fn unknown(self, reason: &str) -> Node {
        self.map(vec![(UNKNOWN_KEY, self.s(reason))])
    }
}

/// The resources generated for one serverless resource.
struct Out<'a> {
    at: At,
    condition: Option<&'a Node>,
    entries: Vec<Entry>,
}

impl Out<'_> {
    fn add(&mut self, id: &str, cfn_type: &str, props: Vec<(&str, Option<Node>)>) {
        let at = self.at;
        let props = at.map(props.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect());
        let mut fields = vec![("Type", at.s(cfn_type)), ("Properties", props)];
        if let Some(c) = self.condition {
            fields.push(("Condition", c.clone()));
        }
        self.entries.push(at.entry(id, at.map(fields)));
    }
}

fn is_intrinsic(node: &Node) -> bool {
    node.single()
        .is_some_and(|f| f.key == "Ref" || f.key == "Condition" || f.key.starts_with("Fn::"))
}

/// A resource's property merged over its `Globals` value.
fn merge(global: &Node, local: &Node) -> Node {
    match (&global.kind, &local.kind) {
        (Kind::Map(g), Kind::Map(l)) if !is_intrinsic(global) && !is_intrinsic(local) => {
            let mut entries = g.clone();
            for e in l {
                match entries.iter_mut().find(|x| x.key == e.key) {
                    Some(x) => {
                        x.value = merge(&x.value, &e.value);
                        x.line = e.line;
                        x.column = e.column;
                    }
                    None => entries.push(e.clone()),
                }
            }
            Node {
                kind: Kind::Map(entries),
                line: local.line,
                column: local.column,
            }
        }
        (Kind::List(g), Kind::List(l)) => Node {
            kind: Kind::List(g.iter().chain(l).cloned().collect()),
            line: local.line,
            column: local.column,
        },
        _ => local.clone(),
    }
}

/// Tags written as a SAM map, as CloudFormation's `[{Key, Value}]`, with SAM's own tag first when
/// `created_by` is set.
fn tag_list(at: At, tags: Option<&Node>, created_by: bool) -> Option<Node> {
    let mut items = Vec::new();
    if created_by {
        items.push(at.map(vec![("Key", at.s("lambda:createdBy")), ("Value", at.s("SAM"))]));
    }
    match tags {
        Some(t) if is_intrinsic(t) => return Some(t.clone()),
        Some(t) => {
            for e in t.entries() {
                items.push(at.map(vec![("Key", at.s(&e.key)), ("Value", e.value.clone())]));
            }
        }
        None => {}
    }
    (!items.is_empty()).then(|| at.list(items))
}

const LAMBDA_PROPERTIES: &[&str] = &[
    "Handler",
    "Runtime",
    "FunctionName",
    "Description",
    "MemorySize",
    "Timeout",
    "Environment",
    "VpcConfig",
    "KmsKeyArn",
    "Layers",
    "ReservedConcurrentExecutions",
    "Architectures",
    "PackageType",
    "EphemeralStorage",
    "CodeSigningConfigArn",
    "FileSystemConfigs",
    "ImageConfig",
    "SnapStart",
    "LoggingConfig",
    "RuntimeManagementConfig",
    "RecursiveLoop",
];

/// AWS managed policies that live under `service-role/`.
const SERVICE_ROLE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaRole",
];

fn managed_policy_arn(at: At, name: &str) -> Node {
    if name.starts_with("arn:") {
        return at.s(name);
    }
    let path = if SERVICE_ROLE_POLICIES.contains(&name) {
        "service-role/"
    } else {
        ""
    };
    at.sub(&format!("arn:${{AWS::Partition}}:iam::aws:policy/{path}{name}"))
}

/// Expands a function; returns whether it has `Api` events on the implicit API.
fn function(out: &mut Out, id: &str, resource: &Node, props: &Node) -> bool {
    let at = out.at;
    let role_id = format!("{id}Role");
    let given_role = props.get("Role").cloned();
    let mut lambda: Vec<(&str, Option<Node>)> = LAMBDA_PROPERTIES
        .iter()
        .map(|&k| (k, props.get(k).cloned()))
        .collect();
    lambda.push(("Code", code(at, props)));
    lambda.push((
        "Role",
        Some(given_role.clone().unwrap_or_else(|| at.get_att(&role_id, "Arn"))),
    ));
    lambda.push((
        "TracingConfig",
        props.get("Tracing").map(|t| at.map(vec![("Mode", t.clone())])),
    ));
    lambda.push((
        "DeadLetterConfig",
        props
            .get("DeadLetterQueue")
            .and_then(|d| d.get("TargetArn"))
            .map(|arn| at.map(vec![("TargetArn", arn.clone())])),
    ));
    let tags = tag_list(at, props.get("Tags"), true);
    lambda.push(("Tags", tags.clone()));
    out.add(id, "AWS::Lambda::Function", lambda);
    // The function's own attributes CloudFormation reads besides Properties.
    if let (Some(depends), Some(last)) = (resource.get("DependsOn"), out.entries.last_mut()) {
        if let Kind::Map(fields) = &mut last.value.kind {
            fields.push(at.entry("DependsOn", depends.clone()));
        }
    }

    let mut managed = vec![managed_policy_arn(at, "AWSLambdaBasicExecutionRole")];
    if props.get("VpcConfig").is_some() {
        managed.push(managed_policy_arn(at, "AWSLambdaVPCAccessExecutionRole"));
    }
    if props.get("Tracing").and_then(Node::as_str) == Some("Active") {
        managed.push(managed_policy_arn(at, "AWSXrayWriteOnlyAccess"));
    }
    let mut uses_implicit_api = false;
    let mut generated = Vec::new();
    for event in props.get("Events").map(Node::entries).unwrap_or_default() {
        let ty = event.value.get("Type").and_then(Node::as_str).unwrap_or_default();
        let empty = at.map(vec![]);
        let ep = event.value.get("Properties").unwrap_or(&empty);
        let source = format!("{id}{}", event.key);
        let permission = format!("{source}Permission");
        let prop = |k: &str| ep.get(k).cloned();
        match ty {
            "Api" => {
                let api_id = match ep.get("RestApiId") {
                    Some(r) => r.clone(),
                    None => {
                        uses_implicit_api = true;
                        at.reference("ServerlessRestApi")
                    }
                };
                let method = match ep.get("Method").and_then(Node::as_str) {
                    Some(m) if m.eq_ignore_ascii_case("any") => "*".to_string(),
                    Some(m) => m.to_ascii_uppercase(),
                    None => "*".to_string(),
                };
                let path = ep.get("Path").and_then(Node::as_str).unwrap_or("/");
                let path: Vec<&str> = path
                    .split('/')
                    .map(|seg| if seg.starts_with('{') { "*" } else { seg })
                    .collect();
                let arn = at.sub_with(
                    &format!(
                        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:\
                         ${{__ApiId__}}/${{__Stage__}}/{method}{}",
                        path.join("/")
                    ),
                    vec![("__ApiId__", api_id), ("__Stage__", at.s("*"))],
                );
                generated.push((permission, "apigateway.amazonaws.com", Some(("SourceArn", arn))));
            }
            "S3" => generated.push((
                permission,
                "s3.amazonaws.com",
                Some(("SourceAccount", at.reference("AWS::AccountId"))),
            )),
            "SNS" => {
                let topic = prop("Topic");
                out.add(
                    &source,
                    "AWS::SNS::Subscription",
                    vec![
                        ("Protocol", Some(at.s("lambda"))),
                        ("Endpoint", Some(at.get_att(id, "Arn"))),
                        ("TopicArn", topic.clone()),
                        ("FilterPolicy", prop("FilterPolicy")),
                        ("FilterPolicyScope", prop("FilterPolicyScope")),
                        ("Region", prop("Region")),
                        ("RedrivePolicy", prop("RedrivePolicy")),
                    ],
                );
                generated.push((permission, "sns.amazonaws.com", topic.map(|t| ("SourceArn", t))));
            }
            "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                let state = match (prop("State"), ep.get("Enabled").map(|e| &e.kind)) {
                    (Some(s), _) => Some(s),
                    (None, Some(Kind::Bool(false))) => Some(at.s("DISABLED")),
                    (None, Some(Kind::Bool(true))) => Some(at.s("ENABLED")),
                    (None, _) => None,
                };
                let target = at.map(
                    [
                        Some(("Arn", at.get_att(id, "Arn"))),
                        Some(("Id", at.s(&format!("{source}LambdaTarget")))),
                        prop("Input").map(|i| ("Input", i)),
                        prop("InputPath").map(|i| ("InputPath", i)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                );
                out.add(
                    &source,
                    "AWS::Events::Rule",
                    vec![
                        ("ScheduleExpression", prop("Schedule")),
                        ("EventPattern", prop("Pattern")),
                        ("EventBusName", prop("EventBusName")),
                        ("Description", prop("Description")),
                        ("Name", prop("Name")),
                        ("State", state),
                        ("Targets", Some(at.list(vec![target]))),
                    ],
                );
                generated.push((
                    permission,
                    "events.amazonaws.com",
                    Some(("SourceArn", at.get_att(&source, "Arn"))),
                ));
            }
            "SQS" | "Kinesis" | "DynamoDB" => {
                let (arn_key, policy) = match ty {
                    "SQS" => ("Queue", "AWSLambdaSQSQueueExecutionRole"),
                    "Kinesis" => ("Stream", "AWSLambdaKinesisExecutionRole"),
                    _ => ("Stream", "AWSLambdaDynamoDBExecutionRole"),
                };
                managed.push(managed_policy_arn(at, policy));
                out.add(
                    &source,
                    "AWS::Lambda::EventSourceMapping",
                    vec![
                        ("EventSourceArn", prop(arn_key)),
                        ("FunctionName", Some(at.reference(id))),
                        ("BatchSize", prop("BatchSize")),
                        ("Enabled", prop("Enabled")),
                        ("StartingPosition", prop("StartingPosition")),
                        (
                            "MaximumBatchingWindowInSeconds",
                            prop("MaximumBatchingWindowInSeconds"),
                        ),
                        ("FilterCriteria", prop("FilterCriteria")),
                    ],
                );
            }
            _ => {}
        }
    }
    for (permission, principal, condition) in generated {
        let mut p = vec![
            ("Action", Some(at.s("lambda:InvokeFunction"))),
            ("FunctionName", Some(at.reference(id))),
            ("Principal", Some(at.s(principal))),
        ];
        if let Some((k, v)) = condition {
            p.push((k, Some(v)));
        }
        out.add(&permission, "AWS::Lambda::Permission", p);
    }

    if let Some(url) = props.get("FunctionUrlConfig") {
        out.add(
            &format!("{id}Url"),
            "AWS::Lambda::Url",
            vec![
                ("TargetFunctionArn", Some(at.reference(id))),
                ("AuthType", url.get("AuthType").cloned()),
                ("Cors", url.get("Cors").cloned()),
                ("InvokeMode", url.get("InvokeMode").cloned()),
            ],
        );
        if url.get("AuthType").and_then(Node::as_str) == Some("NONE") {
            out.add(
                &format!("{id}UrlPublicPermissions"),
                "AWS::Lambda::Permission",
                vec![
                    ("Action", Some(at.s("lambda:InvokeFunctionUrl"))),
                    ("FunctionName", Some(at.reference(id))),
                    ("Principal", Some(at.s("*"))),
                    ("FunctionUrlAuthType", Some(at.s("NONE"))),
                ],
            );
        }
    }

    if given_role.is_none() {
        let mut inline = Vec::new();
        let policies: Vec<&Node> = match props.get("Policies") {
            Some(p) => match &p.kind {
                Kind::List(items) => items.iter().collect(),
                _ => vec![p],
            },
            None => Vec::new(),
        };
        for (i, policy) in policies.into_iter().enumerate() {
            let name = format!("{role_id}Policy{i}");
            let document = match &policy.kind {
                Kind::String(s) => {
                    managed.push(managed_policy_arn(at, s));
                    continue;
                }
                _ if is_intrinsic(policy) => {
                    managed.push(policy.clone());
                    continue;
                }
                Kind::Map(_) if policy.get("Statement").is_some() => policy.clone(),
                Kind::Map(_) => match policy.single() {
                    Some(t) => policy_template(at, &t.key, &t.value),
                    None => at.unknown(&format!(
                        "policy {i} of function {id} is neither a managed policy, a policy document nor \
                         a SAM policy template"
                    )),
                },
                _ => continue,
            };
            inline.push(at.map(vec![("PolicyName", at.s(&name)), ("PolicyDocument", document)]));
        }
        let trust = at.map(vec![
            ("Version", at.s("2012-10-17")),
            (
                "Statement",
                at.list(vec![at.map(vec![
                    ("Effect", at.s("Allow")),
                    ("Action", at.strings(&["sts:AssumeRole"])),
                    (
                        "Principal",
                        at.map(vec![("Service", at.strings(&["lambda.amazonaws.com"]))]),
                    ),
                ])]),
            ),
        ]);
        let role_props = vec![
            ("AssumeRolePolicyDocument", Some(trust)),
            ("ManagedPolicyArns", Some(at.list(managed))),
            ("Policies", (!inline.is_empty()).then(|| at.list(inline))),
            ("PermissionsBoundary", props.get("PermissionsBoundary").cloned()),
            ("Tags", tags),
        ];
        out.add(&role_id, "AWS::IAM::Role", role_props);
        // Listed right after the function, before what its events generated.
        if let Some(role) = out.entries.pop() {
            out.entries.insert(1.min(out.entries.len()), role);
        }
    }
    uses_implicit_api
}

/// `Code` of the Lambda function from `InlineCode`, `ImageUri` or an S3 `CodeUri` (a local
/// `CodeUri` is only known once packaged).
fn code(at: At, props: &Node) -> Option<Node> {
    if let Some(inline) = props.get("InlineCode") {
        return Some(at.map(vec![("ZipFile", inline.clone())]));
    }
    if let Some(image) = props.get("ImageUri") {
        return Some(at.map(vec![("ImageUri", image.clone())]));
    }
    let uri = props.get("CodeUri")?;
    match &uri.kind {
        Kind::String(s) => {
            let (bucket, key) = s.strip_prefix("s3://")?.split_once('/')?;
            Some(at.map(vec![("S3Bucket", at.s(bucket)), ("S3Key", at.s(key))]))
        }
        Kind::Map(_) if !is_intrinsic(uri) => {
            let fields: Vec<(&str, Node)> = [
                ("S3Bucket", "Bucket"),
                ("S3Key", "Key"),
                ("S3ObjectVersion", "Version"),
            ]
            .into_iter()
            .filter_map(|(to, from)| uri.get(from).map(|v| (to, v.clone())))
            .collect();
            Some(at.map(fields))
        }
        _ => None,
    }
}

const S3_READ: &[&str] = &[
    "s3:GetObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetObjectVersion",
    "s3:GetLifecycleConfiguration",
];
const S3_WRITE: &[&str] = &["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"];
const DYNAMODB_READ: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:Scan",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
];
const DYNAMODB_WRITE: &[&str] = &[
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
];
const DYNAMODB_CRUD_EXTRA: &[&str] = &["dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"];
const SQS_POLL: &[&str] = &[
    "sqs:ChangeMessageVisibility",
    "sqs:ChangeMessageVisibilityBatch",
    "sqs:DeleteMessage",
    "sqs:DeleteMessageBatch",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
];
const ENI: &[&str] = &[
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DetachNetworkInterface",
];

/// The policy document of a SAM policy template, from its parameters; unknown for templates attest
/// does not expand.
fn policy_template(at: At, name: &str, params: &Node) -> Node {
    let param = |key: &str| -> Node {
        params
            .get(key)
            .cloned()
            .unwrap_or_else(|| at.unknown(&format!("SAM policy template {name} needs the parameter {key}")))
    };
    let arn = |template: &str, var: &str, key: &str| at.sub_with(template, vec![(var, param(key))]);
    let statement = |actions: &[&str], resources: Vec<Node>| {
        at.map(vec![
            ("Effect", at.s("Allow")),
            ("Action", at.strings(actions)),
            ("Resource", at.list(resources)),
        ])
    };
    let bucket = || {
        vec![
            arn(
                "arn:${AWS::Partition}:s3:::${bucketName}",
                "bucketName",
                "BucketName",
            ),
            arn(
                "arn:${AWS::Partition}:s3:::${bucketName}/*",
                "bucketName",
                "BucketName",
            ),
        ]
    };
    let table = || {
        vec![
            arn(
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}",
                "tableName",
                "TableName",
            ),
            arn(
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*",
                "tableName",
                "TableName",
            ),
        ]
    };
    let queue = || {
        vec![arn(
            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
            "queueName",
            "QueueName",
        )]
    };
    let concat = |parts: &[&[&'static str]]| -> Vec<&'static str> { parts.concat() };
    let statements = match name {
        "S3ReadPolicy" => vec![statement(S3_READ, bucket())],
        "S3WritePolicy" => vec![statement(S3_WRITE, bucket())],
        "S3CrudPolicy" => vec![statement(
            &concat(&[S3_READ, S3_WRITE, &["s3:DeleteObject"]]),
            bucket(),
        )],
        "DynamoDBReadPolicy" => vec![statement(DYNAMODB_READ, table())],
        "DynamoDBWritePolicy" => vec![statement(DYNAMODB_WRITE, table())],
        "DynamoDBCrudPolicy" => vec![statement(
            &concat(&[DYNAMODB_READ, DYNAMODB_WRITE, DYNAMODB_CRUD_EXTRA]),
            table(),
        )],
        "SQSSendMessagePolicy" => vec![statement(&["sqs:SendMessage*"], queue())],
        "SQSPollerPolicy" => vec![statement(SQS_POLL, queue())],
        "SNSPublishMessagePolicy" => vec![statement(
            &["sns:Publish"],
            vec![arn(
                "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}",
                "topicName",
                "TopicName",
            )],
        )],
        "LambdaInvokePolicy" => vec![statement(
            &["lambda:InvokeFunction"],
            vec![arn(
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*",
                "functionName",
                "FunctionName",
            )],
        )],
        "KMSDecryptPolicy" => vec![statement(
            &["kms:Decrypt"],
            vec![arn(
                "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}",
                "keyId",
                "KeyId",
            )],
        )],
        "SSMParameterReadPolicy" => vec![
            statement(&["ssm:DescribeParameters"], vec![at.s("*")]),
            statement(
                &["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                vec![arn(
                    "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${parameterName}",
                    "parameterName",
                    "ParameterName",
                )],
            ),
        ],
        "AWSSecretsManagerGetSecretValuePolicy" => vec![statement(
            &["secretsmanager:GetSecretValue"],
            vec![param("SecretArn")],
        )],
        "CloudWatchPutMetricPolicy" => vec![statement(&["cloudwatch:PutMetricData"], vec![at.s("*")])],
        "VPCAccessPolicy" => vec![statement(ENI, vec![at.s("*")])],
        _ => {
            return at.unknown(&format!(
                "SAM policy template {name} is not expanded by attest: its statements are unknown"
            ))
        }
    };
    at.map(vec![
        ("Version", at.s("2012-10-17")),
        ("Statement", at.list(statements)),
    ])
}

fn api(out: &mut Out, id: &str, props: &Node) {
    let at = out.at;
    let prop = |k: &str| props.get(k).cloned();
    let endpoint = props.get("EndpointConfiguration").map(|e| match &e.kind {
        Kind::Map(_) if !is_intrinsic(e) => at.map(
            [
                e.get("Type").map(|t| ("Types", at.list(vec![t.clone()]))),
                e.get("VPCEndpointIds").map(|v| ("VpcEndpointIds", v.clone())),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        _ => at.map(vec![("Types", at.list(vec![e.clone()]))]),
    });
    let body_location = props.get("DefinitionUri").and_then(|u| match &u.kind {
        Kind::String(s) => {
            let (bucket, key) = s.strip_prefix("s3://")?.split_once('/')?;
            Some(at.map(vec![("Bucket", at.s(bucket)), ("Key", at.s(key))]))
        }
        Kind::Map(_) => Some(u.clone()),
        _ => None,
    });
    out.add(
        id,
        "AWS::ApiGateway::RestApi",
        vec![
            ("Name", prop("Name")),
            ("Description", prop("Description")),
            ("Body", prop("DefinitionBody")),
            ("BodyS3Location", body_location),
            ("EndpointConfiguration", endpoint),
            ("BinaryMediaTypes", prop("BinaryMediaTypes")),
            ("MinimumCompressionSize", prop("MinimumCompressionSize")),
            ("ApiKeySourceType", prop("ApiKeySourceType")),
            ("DisableExecuteApiEndpoint", prop("DisableExecuteApiEndpoint")),
            ("Mode", prop("Mode")),
            ("FailOnWarnings", prop("FailOnWarnings")),
            ("Tags", tag_list(at, props.get("Tags"), false)),
        ],
    );
    let stage_id = match props.get("StageName").and_then(Node::as_str) {
        Some(name) => format!(
            "{id}{}Stage",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "")
        ),
        None => format!("{id}Stage"),
    };
    out.add(
        &stage_id,
        "AWS::ApiGateway::Stage",
        vec![
            ("RestApiId", Some(at.reference(id))),
            ("StageName", prop("StageName")),
            ("TracingEnabled", prop("TracingEnabled")),
            ("MethodSettings", prop("MethodSettings")),
            ("AccessLogSetting", prop("AccessLogSetting")),
            ("CacheClusterEnabled", prop("CacheClusterEnabled")),
            ("CacheClusterSize", prop("CacheClusterSize")),
            ("Variables", prop("Variables")),
            ("Tags", tag_list(at, props.get("Tags"), false)),
        ],
    );
    if let Some(domain) = props.get("Domain") {
        let kind = domain
            .get("EndpointConfiguration")
            .cloned()
            .unwrap_or_else(|| at.s("REGIONAL"));
        let edge = kind.as_str() == Some("EDGE");
        let cert = domain.get("CertificateArn").cloned();
        out.add(
            &format!("{id}DomainName"),
            "AWS::ApiGateway::DomainName",
            vec![
                ("DomainName", domain.get("DomainName").cloned()),
                ("SecurityPolicy", domain.get("SecurityPolicy").cloned()),
                (
                    "EndpointConfiguration",
                    Some(at.map(vec![("Types", at.list(vec![kind]))])),
                ),
                (
                    if edge {
                        "CertificateArn"
                    } else {
                        "RegionalCertificateArn"
                    },
                    cert,
                ),
                (
                    "MutualTlsAuthentication",
                    domain.get("MutualTlsAuthentication").cloned(),
                ),
                (
                    "OwnershipVerificationCertificateArn",
                    domain.get("OwnershipVerificationCertificateArn").cloned(),
                ),
            ],
        );
    }
}

fn simple_table(out: &mut Out, id: &str, props: &Node) {
    let at = out.at;
    let key = props.get("PrimaryKey");
    let name = key
        .and_then(|k| k.get("Name"))
        .cloned()
        .unwrap_or_else(|| at.s("id"));
    let types: BTreeMap<&str, &str> = [("String", "S"), ("Number", "N"), ("Binary", "B")].into();
    let ty = match key.and_then(|k| k.get("Type")) {
        None => at.s("S"),
        Some(t) => match t.as_str().and_then(|s| types.get(s)) {
            Some(short) => at.s(short),
            None => t.clone(),
        },
    };
    let throughput = props.get("ProvisionedThroughput").cloned();
    let billing = throughput.is_none().then(|| at.s("PAY_PER_REQUEST"));
    out.add(
        id,
        "AWS::DynamoDB::Table",
        vec![
            ("TableName", props.get("TableName").cloned()),
            (
                "KeySchema",
                Some(at.list(vec![
                    at.map(vec![("AttributeName", name.clone()), ("KeyType", at.s("HASH"))]),
                ])),
            ),
            (
                "AttributeDefinitions",
                Some(at.list(vec![at.map(vec![("AttributeName", name), ("AttributeType", ty)])])),
            ),
            ("BillingMode", billing),
            ("ProvisionedThroughput", throughput),
            ("SSESpecification", props.get("SSESpecification").cloned()),
            (
                "PointInTimeRecoverySpecification",
                props.get("PointInTimeRecoverySpecification").cloned(),
            ),
            ("Tags", tag_list(at, props.get("Tags"), false)),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Node {
        super::super::tree::parse_yaml("t.yaml", text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn globals_merge_maps_append_lists_and_replace_scalars() {
        let g = yaml("Timeout: 3\nLayers: [a]\nEnvironment:\n  Variables:\n    A: '1'\n    B: '2'\n");
        let l = yaml("Timeout: 10\nLayers: [b]\nEnvironment:\n  Variables:\n    B: '3'\n");
        assert_eq!(
            merge(&g, &l).to_json(),
            serde_json::json!({"Timeout": 10, "Layers": ["a", "b"],
                "Environment": {"Variables": {"A": "1", "B": "3"}}})
        );
    }

    #[test]
    fn transform_is_detected_as_string_or_list() {
        assert!(is_sam(&yaml("Transform: AWS::Serverless-2016-10-31\n")));
        assert!(is_sam(&yaml(
            "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
        )));
        assert!(!is_sam(&yaml("Transform: AWS::Include\n")));
    }

    #[test]
    fn unknown_markers_become_unknown_values() {
        let v = Value::Object([(UNKNOWN_KEY.to_string(), Value::from("why"))].into());
        assert!(resolve_unknowns(Value::List(vec![v])).contains_unknown());
    }
}
