//! Checks on one boolean attribute of a resource (`storage_encrypted`, `multi_az`…), shared by
//! the rules whose whole check is "this flag has that value".

use attest_core::{Evaluation, ResourceGraph, Tri};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

/// What a flag rule looks at and how its messages read.
pub struct Flag {
    /// Dotted attribute path (`point_in_time_recovery.enabled`).
    pub attr: &'static str,
    /// The value applied when the attribute is absent.
    pub default: bool,
    /// Who applies the default, for messages (`AWS applies`).
    pub default_by: &'static str,
    /// The value the control wants.
    pub want: bool,
    /// What the wanted value means, for messages (`storage is encrypted at rest`).
    pub good: &'static str,
    /// What the other value means (`storage is not encrypted at rest`).
    pub bad: &'static str,
}

impl Flag {
    /// One evaluation per managed resource of `types`.
    pub fn check(&self, graph: &ResourceGraph, types: &[&str]) -> Vec<Evaluation> {
        managed(graph, types)
            .into_iter()
            .map(|i| self.judge(graph, i))
            .collect()
    }

    /// The verdict on resource `i`.
    pub fn judge(&self, graph: &ResourceGraph, i: usize) -> Evaluation {
        let value = graph.get(i).attr(self.attr);
        let found = if value.is_null() {
            format!("{} is not set ({} {})", self.attr, self.default_by, self.default)
        } else {
            format!("{} = {}", self.attr, value)
        };
        let eval = match value.truthy(self.default) {
            Tri::Unknown => Evaluation::unknown(
                i,
                format!(
                    "{}: cannot tell whether {}",
                    attr_not_known(graph.get(i), self.attr),
                    self.good
                ),
            ),
            t if t == Tri::from(self.want) => Evaluation::pass(i, format!("{found}: {}", self.good)),
            _ => Evaluation::fail(i, format!("{found}: {}", self.bad)),
        };
        eval.at(self.attr)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn set_absent_unknown_and_data_sources() {
        let flag = Flag {
            attr: "a.b",
            default: false,
            default_by: "AWS applies",
            want: true,
            good: "good",
            bad: "bad",
        };
        let g = graph(
            vec![
                res("t_x.on", json!({"a": [{"b": true}]})),
                res("t_x.off", json!({"a": [{"b": "false"}]})),
                res("t_x.absent", json!({})),
                res("t_x.var", json!({"a": [{"b": unknown()}]})),
                res("t_x.block", json!({"a": unknown()})),
                res("data.t_x.read", json!({"a": [{"b": true}]})),
            ],
            &[],
        );
        let evals = flag.check(&g, &["t_x"]);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("t_x.on".into(), Verdict::Pass),
                ("t_x.off".into(), Verdict::Fail),
                ("t_x.absent".into(), Verdict::Fail),
                ("t_x.var".into(), Verdict::Unknown),
                ("t_x.block".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[2].message.contains("not set (AWS applies false)"),
            "{}",
            evals[2].message
        );
    }
}
