//! Every rule tests itself: its bad examples must be flagged by it (exactly its `flags`), its
//! good examples must come out clean under all rules. `cargo test -- rule_examples` runs it.

use resume_lint::kind::Matcher;
use resume_lint::kind::tokens::{Pattern, Step};
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
        assert!(rule.bad().len() >= 3 && rule.good().len() >= 3, "{} needs 3 bad and 3 good examples", rule.id);
        assert!(
            rule.message().chars().next().is_some_and(|c| !c.is_uppercase()) && !rule.message().ends_with('.'),
            "{}: messages start lowercase and have no trailing period",
            rule.id
        );
    }
}

#[test]
fn builtin_rules_are_token_patterns_not_regexes() {
    // Regexes list sentences; built-in rules name ideas in lexicon classes. A user rule may still
    // use `kind = "pattern"`, under the regex size cap.
    let set = RuleSet::load(&[]).expect("built-in rules load");
    for rule in &set.rules {
        if let Matcher::Pattern(p) = rule.matcher() {
            assert!(p.regex.as_str().len() <= 200, "{}: a built-in regex longer than 200 characters", rule.id);
            panic!("{}: built-in rules use token patterns (kind = \"tokens\"), not regexes", rule.id);
        }
    }
}

#[test]
fn candidate_facing_text_cites_no_document_numbers() {
    let set = RuleSet::load(&[]).expect("built-in rules load");
    for rule in &set.rules {
        for (what, text) in [("message", rule.message()), ("help", rule.help()), ("rationale", rule.rationale())] {
            let lower = text.to_lowercase();
            for cite in ["(000)", "(001)", "(002)", "(003)", "guide 00", "document 00", "guidance 00"] {
                assert!(!lower.contains(cite), "{}: its {what} cites `{cite}`; say it in plain words", rule.id);
            }
        }
    }
}

#[test]
fn rationales_speak_to_the_candidate_not_to_rule_authors() {
    // What a rule leaves to another rule, or where it does not look, goes in `author-note`: the
    // rationale is printed to the person whose resume it is (`--explain`).
    let set = RuleSet::load(&[]).expect("built-in rules load");
    for rule in &set.rules {
        let lower = rule.rationale().to_lowercase();
        for family in resume_lint::rule::FAMILIES {
            assert!(!lower.contains(&format!("{family}/")), "{}: its rationale names a rule id; move that to author-note", rule.id);
        }
        for note in ["this rule", "flagged", "left to", "left alone", "stay quiet", "stays quiet", "no other finding", "report it"] {
            assert!(!lower.contains(note), "{}: its rationale has a note for rule authors (`{note}`); move it to author-note", rule.id);
        }
    }
}

#[test]
fn every_lexicon_class_is_used() {
    // A class no pattern names and no class includes is dead weight, or a typo in a pattern.
    let set = RuleSet::load(&[]).expect("built-in rules load");
    let vocab = &set.vocab;
    let mut used = vec![false; vocab.class_count()];
    let mut mark = |patterns: &[Pattern]| {
        for p in patterns {
            for step in p.steps() {
                if let Step::Class { ids, .. } | Step::Not(ids) = step {
                    for &id in ids {
                        used[id as usize] = true;
                    }
                }
            }
        }
    };
    for rule in &set.rules {
        match rule.matcher() {
            Matcher::Tokens(t) => {
                mark(&t.patterns);
                mark(&t.unless);
                mark(&t.exceptions);
            }
            Matcher::Requires(r) => mark(&r.patterns),
            Matcher::Document(d) => {
                mark(&d.trigger);
                mark(&d.evidence);
            }
            Matcher::Coverage(c) => {
                mark(&c.claim);
                for (_, p) in &c.surfaces {
                    mark(p);
                }
            }
            Matcher::Limit(l) => mark(&l.unless),
            _ => {}
        }
    }
    // Propagate through includes until nothing changes (an included class of a used class is used).
    loop {
        let mut changed = false;
        for id in 0..vocab.class_count() {
            if used[id] {
                for inc in vocab.class_includes(id as u32) {
                    let i = vocab.class_id(inc).expect("an included class exists") as usize;
                    if !used[i] {
                        used[i] = true;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let parser = ["quantity", "number", "capitalized", "measure", "unit", "count-noun", "number-word", "quantity-word", "not-a-quantity-before"];
    let unused: Vec<&str> = (0..vocab.class_count())
        .map(|i| (i, vocab.class_name(i as u32)))
        .filter(|(i, n)| !used[*i] && !n.starts_with('=') && !parser.contains(n))
        .map(|(_, n)| n)
        .collect();
    assert!(unused.is_empty(), "lexicon classes no rule uses: {}", unused.join(", "));
}

#[test]
fn docs_rules_md_is_fresh() {
    let set = RuleSet::load(&[]).expect("built-in rules load");
    let want = resume_lint::rule::docs::markdown(&set);
    let have = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap_or_default();
    assert!(have == want, "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`");
}

#[test]
fn the_built_in_start_index_is_the_one_start_up_would_make() {
    use resume_lint::kind::tokens::StartIndex;
    let set = RuleSet::load(&[]).unwrap();
    // The built-in set borrows the index build.rs made ...
    assert!(matches!(set.starts.slots, std::borrow::Cow::Borrowed(_)), "the built-in rules made their start index at start-up");
    assert!(!set.starts.slots.is_empty());
    // ... which is the index made from the rules themselves.
    assert_eq!(set.starts, StartIndex::new(set.vocab.class_count(), &set.rules));
    // Any other set makes its own: one rule fewer shifts every later rule's slots.
    let fewer = set.clone().select(&[], &["style".to_string()]).unwrap();
    assert!(matches!(fewer.starts.slots, std::borrow::Cow::Owned(_)));
    assert_eq!(fewer.starts, StartIndex::new(fewer.vocab.class_count(), &fewer.rules));
    assert_ne!(fewer.starts.slots, set.starts.slots);
}
