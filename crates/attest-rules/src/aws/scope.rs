//! Live scopes: the accounts and regions a live scan read, judged as a whole by the rules about an
//! account or a region ("an IAM Access Analyzer in every region", "a multi-region trail").
//!
//! Besides the resources it reads, a live collection emits (all with provenance `live`):
//!
//! - one data resource `aws_caller_identity` per account read (`account_id`, provenance
//!   `account`): an **account scope**;
//! - one data resource `aws_region` per region read (`name`, provenance `account` and
//!   `region`): a **region scope**;
//! - **placeholders**: when the list call of a type fails, a data resource of that type (id
//!   `<type>:<region label>:unreadable`, every attribute unknown, provenance `account` and
//!   `region`, the region `None` for global services such as IAM). It means "whether resources
//!   of this type exist here could not be read". A live scan emits data resources of a resource
//!   type for nothing else, so any live data resource of a type is read as its placeholder.
//!
//! A rule states a [`Requirement`] and judges it once per scope ([`LiveScopes::evaluate`]), each
//! evaluation pointing at the scope's data resource:
//!
//! - **pass** when a live resource of the scope (same account, and for a region scope the same
//!   region) satisfies it;
//! - **unknown** when none does but one might (its deciding values are unknown), or a placeholder
//!   of a needed type covers the scope (same account, and the same region or none);
//! - **fail** otherwise, with a message that names the scope ("no IAM Access Analyzer in
//!   eu-west-1").
//!
//! A graph without scope resources (Terraform, CloudFormation, an inventory written before live
//! scans emitted them) has no live scopes: the rules judge "the scanned configuration" as they
//! always did. In a graph with live scopes, that judgement covers only what was not read live
//! ([`LiveScopes::configured`]), so a scan of code and of an account together judges each on
//! its own terms.

use std::collections::BTreeSet;

use attest_core::{
    is_unreadable_placeholder, Evaluation, InputKind, Mode, Resource, ResourceGraph, Tri, Verdict,
};

/// The data resource a live scan emits once per account it reads.
pub const CALLER_IDENTITY: &str = "aws_caller_identity";
/// The data resource a live scan emits once per region it reads.
pub const REGION: &str = "aws_region";

/// How many non-qualifying resources a failure message lists before it only counts them.
const LIST_AT_MOST: usize = 5;

/// Whether a scope is an account or one region of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Account,
    Region,
}

/// One account or region that a live scan read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The `aws_caller_identity` or `aws_region` data resource: the subject of the evaluation.
    pub index: usize,
    pub level: Level,
    /// `None` when the scan could not tell the account id (STS failed): it then matches the
    /// resources read without an account.
    pub account: Option<String>,
    /// The region of a region scope; `None` for an account scope.
    pub region: Option<String>,
    /// For messages: `eu-west-1`, `eu-west-1 of account 111122223333`, `account 111122223333`.
    place: String,
}

impl Scope {
    /// The scope for messages: `eu-west-1` (with `of account …` when the scan read several
    /// accounts), or `account 111122223333`.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// True when `r` was read live in this scope: the same account, and for a region scope the
    /// same region.
    pub fn contains(&self, r: &Resource) -> bool {
        r.provenance.input == InputKind::Live
            && r.provenance.account == self.account
            && (self.level == Level::Account || r.provenance.region == self.region)
    }

    /// True when the placeholder `r` covers this scope: the same account, and for a region scope
    /// the same region or none (a global list that failed).
    fn covered_by(&self, r: &Resource) -> bool {
        r.provenance.input == InputKind::Live
            && r.provenance.account == self.account
            && (self.level == Level::Account
                || r.provenance.region.is_none()
                || r.provenance.region == self.region)
    }
}

/// True for a resource read from a live account (or an inventory of one).
fn is_live(r: &Resource) -> bool {
    r.provenance.input == InputKind::Live
}

/// A scope data resource of `ty`: read live, in data mode.
fn is_scope(r: &Resource, ty: &str) -> bool {
    r.resource_type == ty && r.mode == Mode::Data && is_live(r)
}

/// What an account or region must have, for [`LiveScopes::evaluate`].
#[derive(Debug, Clone, Copy)]
pub struct Requirement<'a> {
    /// What must be there, for messages, without an article: `IAM Access Analyzer` gives
    /// "no IAM Access Analyzer in eu-west-1" and "cannot tell whether eu-west-1 has any IAM
    /// Access Analyzer".
    pub what: &'a str,
    /// The types of the resources that may satisfy it, each judged on its own.
    pub candidates: &'a [&'a str],
    /// The types whose placeholder makes a missing resource unknown: the candidates and what
    /// their judgement reads (a recorder's status).
    pub needs: &'a [&'a str],
}

/// How one scope fares against a requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeOutcome {
    pub verdict: Verdict,
    /// Candidates that satisfy the requirement, with what the judge said of each.
    pub good: Vec<(usize, String)>,
    /// Candidates that may satisfy it (deciding values unknown).
    pub undecided: Vec<(usize, String)>,
    /// Candidates that do not satisfy it.
    pub failing: Vec<(usize, String)>,
    /// Placeholders of needed types covering the scope.
    pub unreadable: Vec<usize>,
}

/// The accounts and regions of a live scan, read once per rule.
pub struct LiveScopes<'g> {
    graph: &'g ResourceGraph,
    accounts: Vec<Scope>,
    regions: Vec<Scope>,
}

impl<'g> LiveScopes<'g> {
    /// The live scopes of the graph, in load order; none in a scan of code.
    pub fn of(graph: &'g ResourceGraph) -> Self {
        let account_of = |r: &Resource, attr: &str| {
            r.provenance
                .account
                .clone()
                .or_else(|| r.attr(attr).as_str().map(str::to_string))
        };
        let callers: Vec<usize> = graph
            .of_type(CALLER_IDENTITY)
            .iter()
            .copied()
            .filter(|&i| is_scope(graph.get(i), CALLER_IDENTITY))
            .collect();
        let regions: Vec<usize> = graph
            .of_type(REGION)
            .iter()
            .copied()
            .filter(|&i| is_scope(graph.get(i), REGION))
            .collect();
        let mut ids: BTreeSet<Option<String>> = BTreeSet::new();
        for &i in &callers {
            ids.insert(account_of(graph.get(i), "account_id"));
        }
        for &i in &regions {
            ids.insert(graph.get(i).provenance.account.clone());
        }
        let several = ids.len() > 1;
        let account_place = |account: &Option<String>| match account {
            Some(a) => format!("account {a}"),
            None => "the account (its id could not be read)".to_string(),
        };
        let accounts = callers
            .into_iter()
            .map(|i| {
                let account = account_of(graph.get(i), "account_id");
                Scope {
                    index: i,
                    level: Level::Account,
                    place: account_place(&account),
                    account,
                    region: None,
                }
            })
            .collect();
        let regions = regions
            .into_iter()
            .map(|i| {
                let r = graph.get(i);
                let account = r.provenance.account.clone();
                let region = r
                    .provenance
                    .region
                    .clone()
                    .or_else(|| r.attr("name").as_str().map(str::to_string));
                let name = region.clone().unwrap_or_else(|| r.id.clone());
                let place = if several {
                    format!("{name} of {}", account_place(&account))
                } else {
                    name
                };
                Scope {
                    index: i,
                    level: Level::Region,
                    account,
                    region,
                    place,
                }
            })
            .collect();
        LiveScopes {
            graph,
            accounts,
            regions,
        }
    }

    /// True when the graph has no live scope: every resource is "the scanned configuration".
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.regions.is_empty()
    }

    /// One scope per `aws_caller_identity`.
    pub fn accounts(&self) -> &[Scope] {
        &self.accounts
    }

    /// One scope per `aws_region`.
    pub fn regions(&self) -> &[Scope] {
        &self.regions
    }

    /// True when the managed resource `r` belongs to "the scanned configuration" that the
    /// code-level judgement of an account rule reads: every managed resource in a graph without
    /// live scopes, only those not read live in a graph with them.
    pub fn is_configured(&self, r: &Resource) -> bool {
        r.mode == Mode::Managed && (self.is_empty() || !is_live(r))
    }

    /// The managed resources of `types` that [`LiveScopes::is_configured`] admits, in load order.
    pub fn configured(&self, types: &[&str]) -> Vec<usize> {
        self.graph
            .of_types(types)
            .into_iter()
            .filter(|&i| self.is_configured(self.graph.get(i)))
            .collect()
    }

    /// The managed live resources of `types` in `scope`, in load order.
    pub fn members(&self, scope: &Scope, types: &[&str]) -> Vec<usize> {
        self.graph
            .of_types(types)
            .into_iter()
            .filter(|&i| {
                let r = self.graph.get(i);
                r.mode == Mode::Managed && scope.contains(r)
            })
            .collect()
    }

    /// The placeholders of `types` that cover `scope`, in load order.
    pub fn unreadable(&self, scope: &Scope, types: &[&str]) -> Vec<usize> {
        self.graph
            .of_types(types)
            .into_iter()
            .filter(|&i| {
                let r = self.graph.get(i);
                is_unreadable_placeholder(r) && scope.covered_by(r)
            })
            .collect()
    }

    /// How `scope` fares against `req`: `judge` tells of each candidate of the scope whether it
    /// satisfies the requirement, with a short description (what qualifies it, what it lacks,
    /// or what is not known).
    pub fn judge(
        &self,
        scope: &Scope,
        req: &Requirement<'_>,
        mut judge: impl FnMut(usize) -> (Tri, String),
    ) -> ScopeOutcome {
        let mut good = Vec::new();
        let mut undecided = Vec::new();
        let mut failing = Vec::new();
        for c in self.members(scope, req.candidates) {
            let (holds, says) = judge(c);
            match holds {
                Tri::True => good.push((c, says)),
                Tri::Unknown => undecided.push((c, says)),
                Tri::False => failing.push((c, says)),
            }
        }
        let unreadable = self.unreadable(scope, req.needs);
        let verdict = if !good.is_empty() {
            Verdict::Pass
        } else if !undecided.is_empty() || !unreadable.is_empty() {
            Verdict::Unknown
        } else {
            Verdict::Fail
        };
        ScopeOutcome {
            verdict,
            good,
            undecided,
            failing,
            unreadable,
        }
    }

    /// What a placeholder says: `aws_cloudtrail could not be listed (AccessDenied on
    /// cloudtrail:DescribeTrails)`.
    pub fn unreadable_says(&self, placeholder: usize) -> String {
        let r = self.graph.get(placeholder);
        let reason = r
            .attributes
            .first_unknown_reason()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let place = match &r.provenance.region {
            Some(region) => format!(" in {region}"),
            None => String::new(),
        };
        match reason {
            Some(why) => format!("{} could not be listed{place} ({why})", r.resource_type),
            None => format!("{} could not be listed{place}", r.resource_type),
        }
    }

    /// The message of an outcome:
    /// - pass: `IAM Access Analyzer in eu-west-1: <what the judge said of each good one>`;
    /// - unknown: `cannot tell whether eu-west-1 has any IAM Access Analyzer: <why>`;
    /// - fail: `no IAM Access Analyzer in eu-west-1`, then what each candidate lacks.
    pub fn message(&self, scope: &Scope, req: &Requirement<'_>, outcome: &ScopeOutcome) -> String {
        let says = |list: &[(usize, String)]| {
            let mut seen = BTreeSet::new();
            list.iter()
                .filter(|(_, s)| seen.insert(s.clone()))
                .map(|(_, s)| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let place = scope.place();
        let what = req.what;
        match outcome.verdict {
            Verdict::Pass => format!("{what} in {place}: {}", says(&outcome.good)),
            Verdict::Unknown => {
                let mut why: Vec<String> = Vec::new();
                if !outcome.undecided.is_empty() {
                    why.push(says(&outcome.undecided));
                }
                for &p in &outcome.unreadable {
                    why.push(self.unreadable_says(p));
                }
                format!("cannot tell whether {place} has any {what}: {}", why.join("; "))
            }
            Verdict::Fail => match outcome.failing.len() {
                0 => format!("no {what} in {place}"),
                n if n <= LIST_AT_MOST => {
                    format!("no {what} in {place}: {}", says(&outcome.failing))
                }
                n => format!("no {what} in {place}: none of the {n} found qualifies"),
            },
        }
    }

    /// One evaluation per scope of `scopes` (its data resource the subject), with the message of
    /// [`LiveScopes::message`].
    pub fn evaluate(
        &self,
        scopes: &[Scope],
        req: &Requirement<'_>,
        mut judge: impl FnMut(&Scope, usize) -> (Tri, String),
    ) -> Vec<Evaluation> {
        scopes
            .iter()
            .map(|scope| {
                let outcome = self.judge(scope, req, |c| judge(scope, c));
                Evaluation::new(scope.index, outcome.verdict, self.message(scope, req, &outcome))
            })
            .collect()
    }
}

/// The account-wide settings of `types` (an `aws_s3_account_public_access_block`) that apply to
/// resource `r`, and the placeholders that say some could not be read. For a live resource:
/// the live settings and placeholders of its own account. For a resource of code: the settings
/// the scanned configuration declares (not those read live), and no placeholder.
pub fn account_settings(graph: &ResourceGraph, r: usize, types: &[&str]) -> (Vec<usize>, Vec<usize>) {
    let res = graph.get(r);
    let (mut found, mut unreadable) = (Vec::new(), Vec::new());
    for i in graph.of_types(types) {
        let other = graph.get(i);
        match (is_live(res), other.mode) {
            (false, Mode::Managed) if !is_live(other) => found.push(i),
            (true, mode) if is_live(other) && other.provenance.account == res.provenance.account => {
                match mode {
                    Mode::Managed => found.push(i),
                    Mode::Data if is_unreadable_placeholder(other) => unreadable.push(i),
                    Mode::Data => {}
                }
            }
            _ => {}
        }
    }
    (found, unreadable)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Live resources built by hand, as a live scan (or an inventory of one) gives them.

    use attest_core::{InputKind, Mode, Provenance, Resource, Value};

    /// The account of the single-account tests.
    pub const ACCOUNT: &str = "111122223333";

    fn provenance(account: Option<&str>, region: Option<&str>) -> Provenance {
        let mut p = Provenance::new(InputKind::Live);
        p.account = account.map(str::to_string);
        p.region = region.map(str::to_string);
        p
    }

    /// A managed resource read live in `region` (`None`: a global service) of `account`.
    pub fn live(
        id: &str,
        ty: &str,
        account: Option<&str>,
        region: Option<&str>,
        attributes: serde_json::Value,
    ) -> Resource {
        Resource::new(id, ty, Value::from(attributes), provenance(account, region))
    }

    /// A managed resource read live in `region` of [`ACCOUNT`].
    pub fn live_in(id: &str, ty: &str, region: &str, attributes: serde_json::Value) -> Resource {
        live(id, ty, Some(ACCOUNT), Some(region), attributes)
    }

    /// A managed resource of a global service (IAM) read live in [`ACCOUNT`].
    pub fn live_global(id: &str, ty: &str, attributes: serde_json::Value) -> Resource {
        live(id, ty, Some(ACCOUNT), None, attributes)
    }

    /// The scope resources of one account: its `aws_caller_identity` and one `aws_region` per
    /// region (ids as a single-account scan writes them).
    pub fn scopes(account: &str, regions: &[&str]) -> Vec<Resource> {
        scope_resources(account, regions, false)
    }

    /// [`scopes`] with region ids as a multi-account scan writes them
    /// (`aws_region:<account>/<region>`).
    pub fn account_scopes(account: &str, regions: &[&str]) -> Vec<Resource> {
        scope_resources(account, regions, true)
    }

    fn scope_resources(account: &str, regions: &[&str], multi: bool) -> Vec<Resource> {
        let mut out = Vec::new();
        let mut caller = Resource::new(
            format!("aws_caller_identity:{account}"),
            "aws_caller_identity",
            Value::from(serde_json::json!({ "account_id": account })),
            provenance(Some(account), None),
        );
        caller.mode = Mode::Data;
        out.push(caller);
        for region in regions {
            let mut r = Resource::new(
                if multi {
                    format!("aws_region:{account}/{region}")
                } else {
                    format!("aws_region:{region}")
                },
                "aws_region",
                Value::from(serde_json::json!({ "name": region })),
                provenance(Some(account), Some(region)),
            );
            r.mode = Mode::Data;
            out.push(r);
        }
        out
    }

    /// A placeholder: the list of `ty` failed in `region` (`None`: a global service) of
    /// [`ACCOUNT`], every attribute of `attrs` unknown for `reason`.
    pub fn unreadable(ty: &str, region: Option<&str>, attrs: &[&str], reason: &str) -> Resource {
        let label = region.unwrap_or("global");
        let map: serde_json::Map<String, serde_json::Value> = attrs
            .iter()
            .map(|a| (a.to_string(), serde_json::json!({ "$unknown": reason })))
            .collect();
        let mut r = Resource::new(
            format!("{ty}:{label}:unreadable"),
            ty,
            Value::from(serde_json::Value::Object(map)),
            provenance(Some(ACCOUNT), region),
        );
        r.mode = Mode::Data;
        r
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::test_support::*;
    use super::*;
    use crate::aws::links::test_support::{graph, res};

    const THING: &str = "aws_thing";

    fn req() -> Requirement<'static> {
        Requirement {
            what: "good thing",
            candidates: &[THING],
            needs: &[THING],
        }
    }

    fn judge(g: &ResourceGraph, i: usize) -> (Tri, String) {
        let r = g.get(i);
        (
            r.attr("good").truthy(false),
            format!("{} good={}", r.id, r.attr("good")),
        )
    }

    #[test]
    fn code_has_no_scopes_and_is_all_configured() {
        let g = graph(vec![res("aws_thing.a", json!({}))], &[]);
        let s = LiveScopes::of(&g);
        assert!(s.is_empty());
        assert_eq!(s.configured(&[THING]), vec![0]);
        // A Terraform data source `aws_region` is not a live scope.
        let g = graph(
            vec![res("data.aws_region.current", json!({"name": "eu-west-1"}))],
            &[],
        );
        assert!(LiveScopes::of(&g).is_empty());
    }

    #[test]
    fn each_region_passes_fails_or_is_unknown_on_its_own() {
        let mut resources = scopes(ACCOUNT, &["eu-west-1", "us-east-1", "eu-central-1", "ap-south-1"]);
        resources.push(live_in("thing-ok", THING, "eu-west-1", json!({"good": true})));
        resources.push(live_in("thing-bad", THING, "us-east-1", json!({"good": false})));
        resources.push(unreadable(
            THING,
            Some("eu-central-1"),
            &["good"],
            "AccessDenied on thing:ListThings",
        ));
        // A resource of code does not count for a live region.
        resources.push(res("aws_thing.code", json!({"good": true})));
        let g = graph(resources, &[]);
        let s = LiveScopes::of(&g);
        assert_eq!(s.accounts().len(), 1);
        assert_eq!(s.regions().len(), 4);
        assert_eq!(
            s.configured(&[THING]),
            vec![g.index_of("aws_thing.code").unwrap()]
        );
        let evals = s.evaluate(s.regions(), &req(), |_, i| judge(&g, i));
        let got: Vec<(String, Verdict, String)> = evals
            .iter()
            .map(|e| {
                (
                    g.get(e.resource.unwrap()).id.clone(),
                    e.verdict,
                    e.message.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "aws_region:eu-west-1".to_string(),
                    Verdict::Pass,
                    "good thing in eu-west-1: thing-ok good=true".to_string()
                ),
                (
                    "aws_region:us-east-1".to_string(),
                    Verdict::Fail,
                    "no good thing in us-east-1: thing-bad good=false".to_string()
                ),
                (
                    "aws_region:eu-central-1".to_string(),
                    Verdict::Unknown,
                    "cannot tell whether eu-central-1 has any good thing: aws_thing could not be listed in \
                     eu-central-1 (AccessDenied on thing:ListThings)"
                        .to_string()
                ),
                (
                    "aws_region:ap-south-1".to_string(),
                    Verdict::Fail,
                    "no good thing in ap-south-1".to_string()
                ),
            ]
        );
    }

    #[test]
    fn accounts_gather_their_regions_and_global_placeholders() {
        let mut resources = account_scopes(ACCOUNT, &["eu-west-1"]);
        resources.extend(account_scopes("444455556666", &["eu-west-1"]));
        resources.push(live(
            "t",
            THING,
            Some("444455556666"),
            Some("us-west-2"),
            json!({"good": true}),
        ));
        resources.push(unreadable(
            THING,
            None,
            &["good"],
            "AccessDenied on thing:ListThings",
        ));
        let g = graph(resources, &[]);
        let s = LiveScopes::of(&g);
        let evals = s.evaluate(s.accounts(), &req(), |_, i| judge(&g, i));
        assert_eq!(evals.len(), 2);
        assert_eq!(evals[0].verdict, Verdict::Unknown, "{}", evals[0].message);
        assert_eq!(evals[1].verdict, Verdict::Pass, "{}", evals[1].message);
        assert!(
            evals[1].message.contains("account 444455556666"),
            "{}",
            evals[1].message
        );
        // Several accounts: regions are named with theirs; a global placeholder covers every
        // region of its account.
        let evals = s.evaluate(s.regions(), &req(), |_, i| judge(&g, i));
        assert_eq!(evals[0].verdict, Verdict::Unknown);
        assert!(
            evals[0].message.contains("eu-west-1 of account 111122223333"),
            "{}",
            evals[0].message
        );
        assert_eq!(evals[1].verdict, Verdict::Fail);
        assert_eq!(
            evals[1].message,
            "no good thing in eu-west-1 of account 444455556666"
        );
    }

    #[test]
    fn account_settings_of_live_resources_and_of_code() {
        let mut resources = vec![
            live_global("bucket", "aws_s3_bucket", json!({})),
            live(
                "other-block",
                "aws_s3_account_public_access_block",
                Some("999999999999"),
                None,
                json!({}),
            ),
            live_global("block", "aws_s3_account_public_access_block", json!({})),
            res("aws_s3_bucket.code", json!({})),
        ];
        resources.push(unreadable(
            "aws_s3_account_public_access_block",
            None,
            &["block_public_acls"],
            "denied",
        ));
        resources.push(res("aws_s3_account_public_access_block.code", json!({})));
        let g = graph(resources, &[]);
        let types = &["aws_s3_account_public_access_block"];
        assert_eq!(account_settings(&g, 0, types), (vec![2], vec![4]));
        assert_eq!(account_settings(&g, 3, types), (vec![5], vec![]));
    }
}
