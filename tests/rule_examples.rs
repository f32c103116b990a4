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

#[test]
fn docs_rules_md_is_fresh() {
    let set = RuleSet::load(&[]).expect("built-in rules load");
    let want = resume_lint::rule::docs::markdown(&set);
    let have = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap_or_default();
    assert!(have == want, "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`");
}

#[test]
fn every_builtin_regex_has_a_precomputed_gate() {
    // build.rs must find every regex a built-in rule holds, or start-up pays to extract its gate.
    let set = RuleSet::load(&[]).expect("built-in rules load");
    for rule in &set.rules {
        for rx in rule.matcher.regexes() {
            assert!(rx.precomputed, "{}: regex without a precomputed gate", rule.id);
        }
    }
}
