//! `attest frameworks list|show`.

use std::process::ExitCode;

use attest_core::Framework;

use crate::cli::{FrameworksCommand, ListFormat};

pub fn run(cmd: FrameworksCommand) -> anyhow::Result<ExitCode> {
    let catalog = attest_rules::frameworks::builtin();
    match cmd {
        FrameworksCommand::List { format } => match format {
            ListFormat::Json => {
                let items: Vec<_> = catalog
                    .iter()
                    .map(|f| {
                        serde_json::json!({
                            "id": f.id, "name": f.name, "version": f.version,
                            "criteria": f.criteria.len(),
                            "criteria_with_rules": f.criteria.iter().filter(|c| !c.rules.is_empty()).count(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&items)?);
            }
            ListFormat::Text => {
                for f in catalog {
                    let covered = f.criteria.iter().filter(|c| !c.rules.is_empty()).count();
                    println!(
                        "{:<12} {} ({}) — {} criteria, {} with rules",
                        f.id,
                        f.name,
                        f.version,
                        f.criteria.len(),
                        covered
                    );
                }
            }
        },
        FrameworksCommand::Show { id, format } => {
            let fw = attest_engine::select_frameworks(catalog, std::slice::from_ref(&id))?[0];
            match format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(fw)?),
                ListFormat::Text => print!("{}", framework_text(fw)),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn framework_text(fw: &Framework) -> String {
    let mut s = format!("{} — {} ({})\n", fw.id, fw.name, fw.version);
    if !fw.description.is_empty() {
        s += &format!("{}\n", fw.description.trim());
    }
    let mut group = "";
    for c in &fw.criteria {
        if c.group != group {
            group = &c.group;
            s += &format!("\n{group}\n");
        }
        s += &format!("  {:<7} [{}] {}\n", c.id, c.automation.as_str(), c.title);
        if c.rules.is_empty() {
            s += "          no rule: evidenced manually\n";
        }
        for m in &c.rules {
            s += &format!("          - {}: {}\n", m.rule, m.rationale);
        }
    }
    s
}
