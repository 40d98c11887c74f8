//! `attest rules list|show`: read from the same metadata the reports use.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::json;

use attest_core::{Framework, Rule};

use crate::cli::{ListFormat, RulesCommand};

pub fn run(cmd: RulesCommand) -> anyhow::Result<ExitCode> {
    let catalog = attest_rules::frameworks::builtin();
    match cmd {
        RulesCommand::List { framework, format } => {
            let fw = match &framework {
                Some(id) => Some(attest_engine::select_frameworks(catalog, std::slice::from_ref(id))?[0]),
                None => None,
            };
            let rules: Vec<&dyn Rule> = attest_rules::all()
                .iter()
                .copied()
                .filter(|r| fw.is_none_or(|f| f.criteria_for_rule(r.meta().id).next().is_some()))
                .collect();
            match format {
                ListFormat::Json => {
                    let items: Vec<_> = rules.iter().map(|r| rule_json(*r, catalog)).collect();
                    println!("{}", serde_json::to_string_pretty(&items)?);
                }
                ListFormat::Text => {
                    let width = rules.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
                    for r in &rules {
                        let m = r.meta();
                        let controls: Vec<String> = attest_engine::controls_of(catalog, m.id)
                            .into_iter()
                            .map(|c| format!("{}/{}", c.framework, c.criterion))
                            .collect();
                        println!(
                            "{:<width$}  {:<8}  {}  [{}]",
                            m.id,
                            m.severity.as_str(),
                            m.title,
                            controls.join(", ")
                        );
                    }
                    println!("\n{} rules", rules.len());
                }
            }
        }
        RulesCommand::Show { id, format } => {
            let Some(rule) = attest_rules::find(&id) else {
                bail!("unknown rule `{id}` (see `attest rules list`)");
            };
            match format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&rule_json(rule, catalog))?),
                ListFormat::Text => print!("{}", rule_text(rule, catalog)),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn mappings(rule_id: &str, catalog: &[Framework]) -> Vec<(String, String, String)> {
    catalog
        .iter()
        .flat_map(|fw| {
            fw.criteria.iter().filter_map(move |c| {
                c.rules.iter().find(|m| m.rule == rule_id).map(|m| {
                    (
                        format!("{}/{}", fw.id, c.id),
                        c.title.clone(),
                        m.rationale.clone(),
                    )
                })
            })
        })
        .collect()
}

fn rule_json(rule: &dyn Rule, catalog: &[Framework]) -> serde_json::Value {
    let m = rule.meta();
    json!({
        "id": m.id,
        "title": m.title,
        "severity": m.severity,
        "kind": m.kind,
        "resource_types": m.resource_types,
        "aliases": m.alias_map(),
        "controls": mappings(m.id, catalog).into_iter().map(|(c, title, why)| json!({
            "control": c, "title": title, "rationale": why
        })).collect::<Vec<_>>(),
        "doc": m.doc,
    })
}

fn rule_text(rule: &dyn Rule, catalog: &[Framework]) -> String {
    let m = rule.meta();
    let mut s = format!("{}\n{}\n\n", m.id, m.title);
    s += &format!("severity:       {}\n", m.severity);
    s += &format!(
        "kind:           {}\n",
        serde_json::to_value(m.kind)
            .unwrap_or_default()
            .as_str()
            .unwrap_or("")
    );
    s += &format!("resource types: {}\n", m.resource_types.join(", "));
    if !m.aliases.is_empty() {
        let a: Vec<String> = m.aliases.iter().map(|a| format!("{} {}", a.tool, a.id)).collect();
        s += &format!("aliases:        {}\n", a.join(", "));
    }
    let maps = mappings(m.id, catalog);
    if !maps.is_empty() {
        s += "controls:\n";
        for (c, title, why) in maps {
            s += &format!("  {c}  {title}\n      {why}\n");
        }
    }
    s += "\n";
    s += m.doc.trim();
    s += "\n";
    s
}
