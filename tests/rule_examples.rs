//! Every rule tests itself: its bad examples must be flagged by it (exactly its `flags`), its
//! good examples must come out clean under all rules. `cargo test -- rule_examples` runs it.

use resume_lint::rule::{RuleSet, selftest};

#[test]
fn every_rule_example_behaves() {
    let set = RuleSet::load(&[]).expect("built-in rules load");
    let failures = selftest::check(&set, |_| true);
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), report.join("\n"));
}

#[test]
fn every_family_has_rules_with_enough_examples() {
    let set = RuleSet::load(&[]).expect("built-in rules load");
    for family in resume_lint::rule::FAMILIES {
        assert!(set.rules.iter().any(|r| r.family == *family), "no rule in family {family}");
    }
    for rule in &set.rules {
        assert!(rule.bad.len() >= 3 && rule.good.len() >= 3, "{} needs 3 bad and 3 good examples", rule.id);
        assert!(
            rule.message.chars().next().is_some_and(|c| !c.is_uppercase()) && !rule.message.ends_with('.'),
            "{}: messages start lowercase and have no trailing period",
            rule.id
        );
    }
}

#[test]
fn every_builtin_regex_compiles() {
    // Built-in regexes compile on first use; this makes sure none can fail at that point.
    let set = RuleSet::load(&[]).expect("built-in rules load");
    for rule in &set.rules {
        for rx in rule.matcher.regexes() {
            if let Err(e) = rx.force() {
                panic!("{}: {e}", rule.id);
            }
        }
    }
}
