//! What a new user meets in the first hour (issue 12): the kind of each file and why, JSON and
//! YAML that are not resumes, editor columns on non-ASCII lines, human output that ends with
//! what to fix first (and never "no problems" after a fatal error), long lines cut.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run the binary in `dir` (NO_COLOR removed, so `--color` decides), standard output as text.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resume-lint")).current_dir(dir).env_remove("NO_COLOR").args(args).output().unwrap()
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

#[test]
fn every_interview_file_in_the_corpus_is_a_script_and_says_why() {
    let dir = corpus().join("interview");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 6, "the six interview-prep files of ../shared/corpus/interview");
    for file in &files {
        let path = file.to_str().unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&run(&["--no-config", "--kind", "auto", "--format", "json", path]).stdout).unwrap();
        assert_eq!(json["files"][0]["kind"], "script", "{path}");
        let reason = json["files"][0]["kind_reason"].as_str().unwrap();
        assert!(reason.starts_with("shape: ") || reason == "front matter", "{path}: {reason}");
        let human = stdout(&run(&["--no-config", "--color", "never", path]));
        assert!(human.starts_with(&format!("{path}: script ({reason})")), "{human}");
    }
}

#[test]
fn the_kind_names_what_decided_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("intro.md"), "---\nkind: script\n---\n\n# Tell me about yourself\n\nI run the billing platform.\n").unwrap();
    fs::write(d.join("plain.md"), "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Ran the billing service at 99.95% uptime.\n").unwrap();
    fs::write(d.join("resume-lint.toml"), "[kinds]\nscript = [\"answers/**\"]\n").unwrap();
    fs::create_dir(d.join("answers")).unwrap();
    fs::write(d.join("answers/why-ml.md"), "- I own the fraud model's retraining job.\n").unwrap();

    let first_line = |args: &[&str]| stdout(&run_in(d, args)).lines().next().unwrap_or_default().to_string();
    assert_eq!(first_line(&["--color", "never", "intro.md"]), "intro.md: script (front matter)");
    assert_eq!(first_line(&["--color", "never", "plain.md"]), "plain.md: resume (shape: resume section headings)");
    assert!(first_line(&["--color", "never", "answers/why-ml.md"]).starts_with("answers/why-ml.md: script (config [kinds])"));
    assert!(first_line(&["--color", "never", "--kind", "script", "plain.md"]).starts_with("plain.md: script (--kind)"));
}

#[test]
fn json_and_yaml_that_are_not_resumes_are_errors_and_the_rest_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("package.json"), r#"{"name": "site", "version": "1.0.0", "scripts": {"build": "vite"}}"#).unwrap();
    fs::write(d.join(".pre-commit-config.yaml"), "repos:\n  - repo: https://github.com/x/y\n    rev: v1\n    hooks:\n      - id: y\n").unwrap();
    fs::write(d.join("resume.md"), "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Responsible for the billing service.\n").unwrap();
    for name in ["package.json", ".pre-commit-config.yaml"] {
        let o = run_in(d, &["--no-config", "--format", "concise", name, "resume.md"]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("error: {name}: not a resume: ")), "{err}");
        assert!(stdout(&o).contains("resume.md:7:3: warning[style/duty-not-result]"), "the resume is still linted");
    }
    // The corpus's real JSON Resume and RenderCV files are still resumes.
    for file in ["json-resume/jsonresume-sample-richard-hendriks.json", "rendercv/rendercv-john-doe-ml-researcher-classic.yaml"] {
        let o = run(&["--no-config", "--format", "json", corpus().join(file).to_str().unwrap()]);
        assert_ne!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(json["files"][0]["kind_reason"], "its format", "{file}");
    }
}

/// A "•" bullet line with curly quotes and an emoji before the finding: bytes, characters and
/// UTF-16 units all differ there.
const BULLETS: &str = "Ana Lima\n\nEXPERIENCE\n\nEngineer, Acme, 2020 - 2024\n• Owned the “billing” service 🚀 and was responsible for the on-call rotation.\n• Cut p99 latency from 900 ms to 250 ms across 3 regions.\n";

#[test]
fn concise_columns_count_bytes_for_vim_or_the_unit_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("resume.txt"), BULLETS).unwrap();
    let line = BULLETS.lines().nth(5).unwrap();
    let before = &line[..line.find("was responsible").unwrap()];
    let column = |args: &[&str]| -> usize {
        let mut all = vec!["--no-config", "--format", "concise"];
        all.extend_from_slice(args);
        all.push("resume.txt");
        let out = stdout(&run_in(dir.path(), &all));
        let hit = out.lines().find(|l| l.contains("style/duty-not-result")).unwrap_or_else(|| panic!("{out}"));
        hit.split(':').nth(2).unwrap().parse().unwrap()
    };
    // Vim's and Neovim's `%c` is a byte index: the default lands on the `w` of "was".
    assert_eq!(column(&[]), before.len() + 1);
    assert_eq!(&line.as_bytes()[column(&[]) - 1..column(&[]) + 2], b"was");
    assert_eq!(column(&["--column-unit", "bytes"]), before.len() + 1);
    assert_eq!(column(&["--column-unit", "chars"]), before.chars().count() + 1);
    assert_eq!(column(&["--column-unit", "utf16"]), before.encode_utf16().count() + 1);
    assert!(before.len() > before.encode_utf16().count() && before.encode_utf16().count() > before.chars().count());
}

#[test]
fn the_human_output_ends_with_what_to_fix_first_and_what_fix_can_apply() {
    let dir = tempfile::tempdir().unwrap();
    let resume = "# Ana\n\n## Summary\n\nResults-driven engineer.\n\n## Experience\n\n### Engineer, Acme\n\n- Responsible for the billing service.\n- Utilized Kafka to move 2M events a day.\n- Responsible for the search service.\n- Achievement 1\n";
    fs::write(dir.path().join("resume.md"), resume).unwrap();
    let text = stdout(&run_in(dir.path(), &["--no-config", "--color", "never", "resume.md"]));
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == "Fix first:").unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<&str> = lines[at + 1..].iter().take_while(|l| l.starts_with("  ")).copied().collect();
    // Errors before warnings before info; counts per rule.
    let severities: Vec<&str> = rows.iter().map(|r| r.split_whitespace().next().unwrap()).collect();
    let rank = |s: &str| ["error", "warning", "info"].iter().position(|x| *x == s).unwrap();
    assert!(severities.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{text}");
    assert_eq!(severities[0], "error", "the placeholder comes first: {text}");
    assert!(rows.iter().any(|r| r.contains("style") && r.contains("duty-not-result 2")), "{text}");
    assert!(text.contains("1 of them `--fix` can apply"), "utilized -> used: {text}");
    assert!(lines.last().unwrap().starts_with("Found "), "{text}");
    // Help once per rule in the file: duty-not-result fires twice, its help shows once.
    assert_eq!(text.matches("= help: Open with the verb").count(), 1, "{text}");
}

#[test]
fn no_problems_found_is_never_said_after_a_fatal_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("clean.md"), "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Ran the billing service at 99.95% uptime across 3 regions.\n").unwrap();
    let only_missing = run_in(dir.path(), &["--no-config", "missing.md"]);
    assert_eq!(only_missing.status.code(), Some(2));
    assert!(!stdout(&only_missing).contains("No problems found"), "{}", stdout(&only_missing));
    assert!(stdout(&only_missing).contains("1 input could not be linted"), "{}", stdout(&only_missing));
    let with_clean = run_in(dir.path(), &["--no-config", "clean.md", "missing.md"]);
    assert_eq!(with_clean.status.code(), Some(2));
    let out = stdout(&with_clean);
    assert!(!out.contains("No problems found") && out.contains("could not be linted"), "{out}");
    let clean = stdout(&run_in(dir.path(), &["--no-config", "clean.md"]));
    assert!(clean.ends_with("No problems found in 1 file.\n"), "{clean}");
}

#[test]
fn long_source_lines_are_cut_around_the_span() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!(
        "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Built {} and was responsible for the billing service.\n",
        "the ledger, the invoicing queue and the payment retries for 3 regions, ".repeat(5)
    );
    fs::write(dir.path().join("resume.md"), &long).unwrap();
    let text = stdout(&run_in(dir.path(), &["--no-config", "--color", "never", "--select", "style/duty-not-result", "resume.md"]));
    let shown = text.lines().find(|l| l.starts_with("7 │ ")).unwrap_or_else(|| panic!("{text}"));
    let under = text.lines().find(|l| l.starts_with("  │ ") && l.contains('^')).unwrap();
    // Cut: the line's start ("- Built the ledger") is not shown, and it fits a terminal.
    assert!(shown.chars().count() <= 110 && !shown.contains("Built the ledger"), "{shown}");
    let caret = under.chars().position(|c| c == '^').unwrap();
    let covered: String = shown.chars().skip(caret).take(under.matches('^').count()).collect();
    assert_eq!(covered, "was responsible for", "{text}");
}

#[test]
fn the_corpus_report_spends_few_bytes_per_finding() {
    // Before issue 12 the human report of ../shared/corpus spent 865 bytes per finding (158,307
    // bytes for 183 findings), 45% of it repeated "why" paragraphs; the budget now is 60% of that.
    let o = run(&["--color", "never", corpus().to_str().unwrap()]);
    let concise = stdout(&run(&["--format", "concise", corpus().to_str().unwrap()]));
    let findings = concise.lines().count();
    assert!(findings > 100, "the corpus has findings: {findings}");
    let per_finding = o.stdout.len() / findings;
    assert!(per_finding <= 865 * 6 / 10, "{per_finding} bytes per finding");
    assert!(!stdout(&o).contains("= why: "), "no why without --explain");
}
