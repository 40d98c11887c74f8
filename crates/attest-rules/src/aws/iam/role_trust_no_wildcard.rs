//! `aws-iam-role-trust-no-wildcard`: no role lets any AWS principal assume it without conditions.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::policy_document::{principal_is_everyone, Statement};
use crate::aws::iam::trust::{judge_statements, trust_policy, ASSUME_ROLE};
use crate::aws::links::managed;

pub struct RoleTrustNoWildcard;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-role-trust-no-wildcard",
    title: "IAM role trust policies do not let any principal assume the role unconditionally",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_iam_role"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00219",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_60",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

The trust policy (`assume_role_policy`) of every `aws_iam_role` is read statement by statement.
The role fails when a statement

- has `"Effect": "Allow"`,
- allows `sts:AssumeRole` (named, or through a wildcard such as `sts:*` or `*`, or through a
  `NotAction` that does not exclude it),
- names everyone as principal: `"Principal": "*"` or `"Principal": {"AWS": "*"}` (alone or in
  a list; in a `data "aws_iam_policy_document"`, `principals { type = "AWS", identifiers =
  ["*"] }` or `type = "*"`),
- and has no `Condition`.

A wildcard principal narrowed by a condition (`aws:PrincipalOrgID`, `sts:ExternalId`,
`aws:SourceAccount`…) passes this rule: the condition is what decides who may assume the role,
and `aws-iam-role-cross-account-trust-conditions` looks at which conditions are present. Parts of
a statement only known after apply make the result `unknown` when no other statement fails.

## Why it matters

A role whose trust policy allows `sts:AssumeRole` to `"*"` can be assumed by any AWS identity in
any account in the world that is allowed to call `sts:AssumeRole` — every permission of the
role is effectively public. This is the role-level form of the least-privilege, role-based
access SOC 2 CC6.3 and CC6.1 expect: the set of principals that can take on a role must be
named.

## How to fix

Name the principals that may assume the role, or add a condition that restricts them.

Terraform:

```hcl
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/deployer"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
```

CloudFormation:

```yaml
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            AWS: arn:aws:iam::111122223333:role/deployer
```

Console: IAM → *Roles* → choose the role → *Trust relationships* → *Edit trust policy* →
replace `"*"` with the account or role ARNs allowed to assume it. CLI:

```sh
aws iam get-role --role-name deploy --query Role.AssumeRolePolicyDocument
aws iam update-assume-role-policy --role-name deploy --policy-document file://trust.json
```
"#;

impl Rule for RoleTrustNoWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| match trust_policy(graph, i) {
                Ok(policy) => judge_statements(
                    i,
                    &policy,
                    open_to_everyone,
                    |st| {
                        format!(
                            "allows sts:AssumeRole to every principal (Principal {}) without a condition",
                            st.principals
                        )
                    },
                    "lets every principal assume the role without a condition",
                    "lets every principal assume the role without a condition",
                ),
                Err(unknown) => unknown,
            })
            .collect()
    }
}

fn open_to_everyone(st: &Statement) -> attest_core::Tri {
    st.allows_action(ASSUME_ROLE)
        .and(principal_is_everyone(&st.principals))
        .and(st.has_conditions().not())
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn role(id: &str, statement: serde_json::Value) -> attest_core::Resource {
        res(
            id,
            json!({"assume_role_policy": json!({"Version": "2012-10-17", "Statement": statement}).to_string()}),
        )
    }

    #[test]
    fn wildcard_principals_without_conditions_fail() {
        let g = graph(
            vec![
                role(
                    "aws_iam_role.star",
                    json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"}),
                ),
                role(
                    "aws_iam_role.aws_star",
                    json!([
                        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}},
                        {"Effect": "Allow", "Action": "sts:*", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}}
                    ]),
                ),
                role(
                    "aws_iam_role.conditioned",
                    json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"},
                           "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}),
                ),
                role(
                    "aws_iam_role.service",
                    json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}),
                ),
                role(
                    "aws_iam_role.web_identity",
                    json!({"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": "*"}),
                ),
                role(
                    "aws_iam_role.computed",
                    json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": unknown()}}),
                ),
            ],
            &[],
        );
        let evals = RoleTrustNoWildcard.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_iam_role.star".into(), Verdict::Fail),
                ("aws_iam_role.aws_star".into(), Verdict::Fail),
                ("aws_iam_role.conditioned".into(), Verdict::Pass),
                ("aws_iam_role.service".into(), Verdict::Pass),
                ("aws_iam_role.web_identity".into(), Verdict::Pass),
                ("aws_iam_role.computed".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("statement 1"), "{}", evals[1].message);
    }

    #[test]
    fn policy_document_principal_blocks_are_read() {
        let g = graph(
            vec![
                res("aws_iam_role.r", json!({"assume_role_policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.trust",
                    json!({"statement": [{"actions": ["sts:AssumeRole"],
                                          "principals": [{"type": "AWS", "identifiers": ["*"]}]}]}),
                ),
            ],
            &[edge(
                "aws_iam_role.r",
                "assume_role_policy",
                "data.aws_iam_policy_document.trust",
            )],
        );
        assert_eq!(
            verdicts(&g, &RoleTrustNoWildcard.check(&g)),
            vec![("aws_iam_role.r".into(), Verdict::Fail)]
        );
    }
}
