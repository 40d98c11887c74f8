//! The targets of references between collected resources, for the `link` function of each
//! family: managed resources indexed by the values that name them (their physical id and chosen
//! attributes such as `id`, `arn`, `name`) within one account and region.

use std::collections::HashMap;

use attest_core::{LoadOutput, Mode, Reference, Resource, Value};

/// The region key that matches every region of an account (S3 buckets, read by a global listing).
pub const ANY_REGION: &str = "*";

/// KMS keys and aliases by the values that name them in `kms_key_id`-like attributes.
pub const KMS: &[(&str, &[&str])] = &[
    ("aws_kms_key", &["arn", "key_id", "id"]),
    ("aws_kms_alias", &["name", "arn"]),
];
/// The types [`KMS`] indexes.
pub const KMS_TYPES: &[&str] = &["aws_kms_key", "aws_kms_alias"];
/// Security groups by id and ARN.
pub const SECURITY_GROUPS: &[(&str, &[&str])] = &[("aws_security_group", &["id", "arn"])];

/// Managed resources by (type, account, region, naming value).
pub struct Targets<'a> {
    map: HashMap<(&'a str, &'a str, &'a str, &'a str), &'a str>,
}

/// Account and region of a resource (`global` for global services).
fn scope(r: &Resource) -> (&str, &str) {
    (
        r.provenance.account.as_deref().unwrap_or(""),
        r.provenance.region.as_deref().unwrap_or("global"),
    )
}

impl<'a> Targets<'a> {
    /// Indexes the managed resources of each `(type, attributes)` by their physical id and the
    /// string values of the attributes. The first resource to claim a value keeps it.
    pub fn build(out: &'a LoadOutput, wanted: &[(&str, &[&str])]) -> Targets<'a> {
        let mut map = HashMap::new();
        for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
            let Some((_, attrs)) = wanted.iter().find(|(t, _)| *t == r.resource_type) else {
                continue;
            };
            let (account, region) = scope(r);
            let names = r
                .physical_id
                .as_deref()
                .into_iter()
                .chain(attrs.iter().filter_map(|a| r.attr(a).as_str()));
            for name in names.filter(|n| !n.is_empty()) {
                let t = r.resource_type.as_str();
                map.entry((t, account, region, name)).or_insert(r.id.as_str());
                map.entry((t, account, ANY_REGION, name)).or_insert(r.id.as_str());
            }
        }
        Targets { map }
    }

    /// [`Targets::build`] with the same attributes for every type.
    pub fn new(out: &'a LoadOutput, types: &[&str], attrs: &[&str]) -> Targets<'a> {
        let wanted: Vec<(&str, &[&str])> = types.iter().map(|t| (*t, attrs)).collect();
        Targets::build(out, &wanted)
    }

    /// The resource of one of `types` that `value` names, in the account of `from` and in
    /// `region` (the region of `from` when `None`; [`ANY_REGION`] for any region).
    pub fn find(
        &self,
        types: &[&str],
        from: &Resource,
        region: Option<&str>,
        value: Option<&str>,
    ) -> Option<&'a str> {
        let value = value?;
        let (account, own) = scope(from);
        let region = region.unwrap_or(own);
        types
            .iter()
            .find_map(|ty| self.map.get(&(*ty, account, region, value)).copied())
    }

    /// References from the attribute `path` of `from` (one value, or a list whose elements get
    /// `path.<index>`) to the resources of `types` its values name.
    pub fn edges(
        &self,
        from: &Resource,
        path: &str,
        types: &[&str],
        region: Option<&str>,
        refs: &mut Vec<Reference>,
    ) {
        let mut push = |p: String, v: &Value| {
            if let Some(to) = self
                .find(types, from, region, v.as_str())
                .filter(|to| *to != from.id)
            {
                refs.push(reference(from, &p, to));
            }
        };
        match from.attr(path) {
            Value::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    push(format!("{path}.{i}"), v);
                }
            }
            v => push(path.to_string(), v),
        }
    }
}

/// The managed resources of `types`.
pub fn managed<'o>(out: &'o LoadOutput, types: &'o [&'o str]) -> impl Iterator<Item = &'o Resource> + 'o {
    out.resources
        .iter()
        .filter(move |r| r.mode == Mode::Managed && types.contains(&r.resource_type.as_str()))
}

pub fn reference(from: &Resource, path: &str, to: &str) -> Reference {
    Reference {
        from: from.id.clone(),
        path: path.to_string(),
        to: to.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::{InputKind, Provenance};

    use super::*;

    fn live(id: &str, ty: &str, account: &str, region: &str, attrs: serde_json::Value) -> Resource {
        let mut p = Provenance::new(InputKind::Live);
        p.account = Some(account.into());
        p.region = Some(region.into());
        let mut r = Resource::new(id, ty, Value::from_json(&attrs), p);
        r.physical_id = Some(id.rsplit('/').next().unwrap_or(id).to_string());
        r
    }

    #[test]
    fn values_name_resources_of_the_same_account_and_region() {
        let out = LoadOutput {
            resources: vec![
                live(
                    "arn/sg-1",
                    "aws_security_group",
                    "1",
                    "us-east-1",
                    serde_json::json!({}),
                ),
                live(
                    "arn/sg-2",
                    "aws_security_group",
                    "2",
                    "us-east-1",
                    serde_json::json!({}),
                ),
                live(
                    "db",
                    "aws_db_instance",
                    "1",
                    "us-east-1",
                    serde_json::json!({"vpc_security_group_ids": ["sg-1", "sg-2"]}),
                ),
                live(
                    "eu-db",
                    "aws_db_instance",
                    "1",
                    "eu-west-1",
                    serde_json::json!({"sg": "sg-1"}),
                ),
            ],
            ..LoadOutput::default()
        };
        let t = Targets::new(&out, &["aws_security_group"], &["id"]);
        let mut refs = Vec::new();
        t.edges(
            &out.resources[2],
            "vpc_security_group_ids",
            &["aws_security_group"],
            None,
            &mut refs,
        );
        // sg-2 lives in another account: no edge.
        assert_eq!(
            refs,
            vec![reference(
                &out.resources[2],
                "vpc_security_group_ids.0",
                "arn/sg-1"
            )]
        );
        let eu = &out.resources[3];
        assert_eq!(t.find(&["aws_security_group"], eu, None, Some("sg-1")), None);
        assert_eq!(
            t.find(&["aws_security_group"], eu, Some(ANY_REGION), Some("sg-1")),
            Some("arn/sg-1")
        );
    }
}
