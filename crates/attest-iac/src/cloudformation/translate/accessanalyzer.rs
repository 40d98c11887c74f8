//! IAM Access Analyzer: `AWS::AccessAnalyzer::Analyzer` becomes `aws_accessanalyzer_analyzer`.
//! CloudFormation requires `Type` (`ACCOUNT`, `ORGANIZATION`, …); Terraform defaults it to
//! `ACCOUNT`.

use super::{block, obj, tags, Ctx, Source, Translated};

pub fn analyzer(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let configuration = block(p.get("AnalyzerConfiguration"), |c| {
        obj(vec![(
            "unused_access",
            block(c.get("UnusedAccessConfiguration"), |u| {
                obj(vec![("unused_access_age", u.get("UnusedAccessAge").clone())])
            }),
        )])
    });
    vec![Translated::new(
        s.id,
        "aws_accessanalyzer_analyzer",
        obj(vec![
            ("analyzer_name", p.get("AnalyzerName").clone()),
            ("type", p.get("Type").clone()),
            ("configuration", configuration),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}
