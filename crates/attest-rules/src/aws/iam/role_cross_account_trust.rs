//! `aws-iam-role-cross-account-trust-conditions`: roles that other AWS accounts may assume
//! require an external id or MFA.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::iam::policy_document::Statement;
use crate::aws::iam::trust::{account_of, aws_identifiers, judge_statements, trust_policy, ASSUME_ROLE};
use crate::aws::links::managed;

pub struct RoleCrossAccountTrustConditions;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-role-cross-account-trust-conditions",
    title: "IAM roles trusted by other AWS accounts require an external ID or MFA",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_iam_role"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00255",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

The trust policy (`assume_role_policy`) of every `aws_iam_role` is read statement by statement.
A statement **trusts an AWS account** when it has `"Effect": "Allow"`, allows `sts:AssumeRole`
(named, or through `sts:*`, `*` or a `NotAction` that does not exclude it) and its `Principal`
has `AWS` identifiers that name an account: a 12-digit account id, an ARN in an account
(`arn:aws:iam::111122223333:root`, `…:role/deployer`, `…:user/ci`), or `"*"`.

Such a statement must carry a `Condition` that requires one of:

- `sts:ExternalId` (with any operator), the secret a third party presents when it assumes the
  role on your behalf; or
- `aws:MultiFactorAuthPresent` equal to `true` under the `Bool` operator (not `BoolIfExists`,
  which also matches requests made without MFA, such as those signed with access keys).

The role fails when a statement trusts an account without either. Statements that trust only
services (`Service`) or identity providers (`Federated`) are not concerned.

A Terraform configuration does not say which account it is deployed in, so every account named
in a trust policy is treated as another account; when the input says which account the role is
in (state files and live scans), principals in that same account are not concerned. A
principal built from a value only known after apply (such as
`data.aws_caller_identity.current.account_id`) makes the result `unknown`.

## Why it matters

A role another account may assume is a door into your account whose key is held elsewhere.
The external id defends against the "confused deputy": without it, any customer of the same
third-party service could ask that service to assume *your* role. Requiring MFA ensures a
person, not just a leaked access key, stands behind the request. Both limit access to the
authorised users SOC 2 CC6.1 and CC6.3 require.

## How to fix

Terraform:

```hcl
data "aws_iam_policy_document" "vendor_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.vendor_external_id]
    }
  }
}

resource "aws_iam_role" "vendor" {
  name               = "vendor-audit"
  assume_role_policy = data.aws_iam_policy_document.vendor_trust.json
}
```

CloudFormation:

```yaml
VendorRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            AWS: arn:aws:iam::111122223333:root
          Condition:
            Bool:
              aws:MultiFactorAuthPresent: "true"
```

Console: IAM → *Roles* → choose the role → *Trust relationships* → *Edit trust policy* → add a
`Condition` on `sts:ExternalId` (for a third party) or `aws:MultiFactorAuthPresent` (for
people). CLI:

```sh
aws iam get-role --role-name vendor-audit --query Role.AssumeRolePolicyDocument
aws iam update-assume-role-policy --role-name vendor-audit --policy-document file://trust.json
```
"#;

impl Rule for RoleCrossAccountTrustConditions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| {
                let own = graph.get(i).provenance.account.as_deref();
                match trust_policy(graph, i) {
                    Ok(policy) => judge_statements(
                        i,
                        &policy,
                        |st| {
                            st.allows_action(ASSUME_ROLE)
                                .and(trusts_other_account(st, own))
                                .and(safeguarded(&st.conditions).not())
                        },
                        |st| {
                            format!(
                                "lets another AWS account assume the role (Principal {}) without \
                                 requiring sts:ExternalId or aws:MultiFactorAuthPresent",
                                st.principals
                            )
                        },
                        "lets another AWS account assume the role without an external ID or MFA",
                        "lets another AWS account assume the role without an external ID or MFA",
                    ),
                    Err(unknown) => unknown,
                }
            })
            .collect()
    }
}

/// Whether the statement's `AWS` principals name an account other than `own` (when known).
fn trusts_other_account(st: &Statement, own: Option<&str>) -> Tri {
    let Some(ids) = aws_identifiers(&st.principals) else {
        return Tri::Unknown;
    };
    Tri::from(ids.iter().any(|id| match account_of(id) {
        Some(account) => own != Some(account),
        None => false,
    }))
}

/// Whether a `Condition` requires an external id or MFA.
fn safeguarded(conditions: &Value) -> Tri {
    let ops = match conditions {
        Value::Null => return Tri::False,
        Value::Object(ops) => ops,
        _ => return Tri::Unknown,
    };
    let mut out = Tri::False;
    for (op, keys) in ops {
        let keys = match keys {
            Value::Object(keys) => keys,
            _ => {
                out = Tri::Unknown;
                continue;
            }
        };
        for (key, value) in keys {
            if key.eq_ignore_ascii_case("sts:ExternalId") {
                return Tri::True;
            }
            if key.eq_ignore_ascii_case("aws:MultiFactorAuthPresent") && op.eq_ignore_ascii_case("Bool") {
                match is_true(value) {
                    Tri::True => return Tri::True,
                    Tri::Unknown => out = Tri::Unknown,
                    Tri::False => {}
                }
            }
        }
    }
    out
}

fn is_true(value: &Value) -> Tri {
    match value {
        Value::List(items) => Tri::all(items.iter().map(is_true)),
        Value::Unknown(_) => Tri::Unknown,
        other => match other.as_bool() {
            Some(b) => b.into(),
            None => Tri::False,
        },
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    fn role(id: &str, statement: serde_json::Value) -> attest_core::Resource {
        res(
            id,
            json!({"assume_role_policy": json!({"Version": "2012-10-17", "Statement": statement}).to_string()}),
        )
    }

    #[test]
    fn account_principals_need_external_id_or_mfa() {
        let trust = |principal: serde_json::Value, condition: serde_json::Value| {
            let mut st = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal});
            if !condition.is_null() {
                st["Condition"] = condition;
            }
            st
        };
        let g = graph(
            vec![
                role(
                    "aws_iam_role.bare",
                    trust(json!({"AWS": "arn:aws:iam::111122223333:root"}), json!(null)),
                ),
                role(
                    "aws_iam_role.id",
                    trust(json!({"AWS": ["111122223333"]}), json!(null)),
                ),
                role(
                    "aws_iam_role.extid",
                    trust(
                        json!({"AWS": "arn:aws:iam::111122223333:root"}),
                        json!({"StringEquals": {"sts:ExternalId": "s3cr3t"}}),
                    ),
                ),
                role(
                    "aws_iam_role.mfa",
                    trust(
                        json!({"AWS": "arn:aws:iam::111122223333:user/ops"}),
                        json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                    ),
                ),
                role(
                    "aws_iam_role.mfa_if_exists",
                    trust(
                        json!({"AWS": "arn:aws:iam::111122223333:root"}),
                        json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
                    ),
                ),
                role(
                    "aws_iam_role.service",
                    trust(json!({"Service": "ec2.amazonaws.com"}), json!(null)),
                ),
                role(
                    "aws_iam_role.computed",
                    trust(json!({"AWS": unknown()}), json!(null)),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &RoleCrossAccountTrustConditions.check(&g)),
            vec![
                ("aws_iam_role.bare".into(), Verdict::Fail),
                ("aws_iam_role.id".into(), Verdict::Fail),
                ("aws_iam_role.extid".into(), Verdict::Pass),
                ("aws_iam_role.mfa".into(), Verdict::Pass),
                ("aws_iam_role.mfa_if_exists".into(), Verdict::Fail),
                ("aws_iam_role.service".into(), Verdict::Pass),
                ("aws_iam_role.computed".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn same_account_principals_are_not_concerned_when_the_account_is_known() {
        let mut r = role(
            "aws_iam_role.same",
            json!({"Effect": "Allow", "Action": "sts:AssumeRole",
                   "Principal": {"AWS": "arn:aws:iam::123456789012:role/ci"}}),
        );
        r.provenance.account = Some("123456789012".into());
        let g = graph(vec![r], &[]);
        assert_eq!(
            verdicts(&g, &RoleCrossAccountTrustConditions.check(&g)),
            vec![("aws_iam_role.same".into(), Verdict::Pass)]
        );
    }

    #[test]
    fn account_of_reads_ids_and_arns() {
        assert_eq!(account_of("123456789012"), Some("123456789012"));
        assert_eq!(account_of("arn:aws:iam::123456789012:root"), Some("123456789012"));
        assert_eq!(account_of("*"), Some("*"));
        assert_eq!(account_of("ec2.amazonaws.com"), None);
    }
}
