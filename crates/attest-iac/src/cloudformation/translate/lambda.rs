//! Lambda: functions, permissions and function URLs.
//!
//! `AWS::Lambda::Permission` and `AWS::Lambda::Url` stay separate resources
//! (`aws_lambda_permission`, `aws_lambda_function_url`) whose `function_name` holds the
//! `FunctionName` / `TargetFunctionArn` as written: a `!Ref` or `!GetAtt` of the function is the
//! reference edge the rules follow. Inline code (`Code.ZipFile`) is not carried over.

use super::{block, obj, one_or_list, tags, Ctx, Source, Translated};

pub fn function(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let code = p.get("Code");
    let environment = block(p.get("Environment"), |e| {
        obj(vec![("variables", e.get("Variables").clone())])
    });
    let vpc_config = block(p.get("VpcConfig"), |v| {
        obj(vec![
            ("subnet_ids", one_or_list(v.get("SubnetIds"))),
            ("security_group_ids", one_or_list(v.get("SecurityGroupIds"))),
        ])
    });
    let tracing = block(p.get("TracingConfig"), |t| {
        obj(vec![("mode", t.get("Mode").clone())])
    });
    let dead_letter = block(p.get("DeadLetterConfig"), |d| {
        obj(vec![("target_arn", d.get("TargetArn").clone())])
    });
    vec![Translated::new(
        s.id,
        "aws_lambda_function",
        obj(vec![
            ("function_name", p.get("FunctionName").clone()),
            ("role", p.get("Role").clone()),
            ("runtime", p.get("Runtime").clone()),
            ("handler", p.get("Handler").clone()),
            ("package_type", p.get("PackageType").clone()),
            ("s3_bucket", code.get("S3Bucket").clone()),
            ("s3_key", code.get("S3Key").clone()),
            ("s3_object_version", code.get("S3ObjectVersion").clone()),
            ("image_uri", code.get("ImageUri").clone()),
            ("memory_size", p.get("MemorySize").clone()),
            ("timeout", p.get("Timeout").clone()),
            ("environment", environment),
            ("kms_key_arn", p.get("KmsKeyArn").clone()),
            ("vpc_config", vpc_config),
            ("tracing_config", tracing),
            ("dead_letter_config", dead_letter),
            (
                "reserved_concurrent_executions",
                p.get("ReservedConcurrentExecutions").clone(),
            ),
            ("layers", one_or_list(p.get("Layers"))),
            ("architectures", one_or_list(p.get("Architectures"))),
            ("code_signing_config_arn", p.get("CodeSigningConfigArn").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn permission(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_lambda_permission",
        obj(vec![
            ("function_name", p.get("FunctionName").clone()),
            ("action", p.get("Action").clone()),
            ("principal", p.get("Principal").clone()),
            ("source_arn", p.get("SourceArn").clone()),
            ("source_account", p.get("SourceAccount").clone()),
            ("event_source_token", p.get("EventSourceToken").clone()),
            ("function_url_auth_type", p.get("FunctionUrlAuthType").clone()),
            ("principal_org_id", p.get("PrincipalOrgID").clone()),
        ]),
    )]
}

pub fn url(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let cors = block(p.get("Cors"), |c| {
        obj(vec![
            ("allow_credentials", c.get("AllowCredentials").clone()),
            ("allow_headers", one_or_list(c.get("AllowHeaders"))),
            ("allow_methods", one_or_list(c.get("AllowMethods"))),
            ("allow_origins", one_or_list(c.get("AllowOrigins"))),
            ("expose_headers", one_or_list(c.get("ExposeHeaders"))),
            ("max_age", c.get("MaxAge").clone()),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_lambda_function_url",
        obj(vec![
            ("function_name", p.get("TargetFunctionArn").clone()),
            ("qualifier", p.get("Qualifier").clone()),
            ("authorization_type", p.get("AuthType").clone()),
            ("invoke_mode", p.get("InvokeMode").clone()),
            ("cors", cors),
        ]),
    )]
}
