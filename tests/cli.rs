//! The binary as a user runs it: exit codes, output formats, bad input, rule subcommands.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resume-lint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("NO_COLOR");
    cmd
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const WEAK: &str = "fixtures/markdown/resume-weak.md";
const CLEAN: &str = "# Ana\n\n## Experience\n\n### Engineer, Acme (2020-2024)\n\n- Cut checkout latency from 900 ms to 300 ms for 2M shoppers.\n\n## Skills\n\nRust, Go, PostgreSQL\n";

fn temp_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "panic output: {err}");
}

#[test]
fn exit_codes_follow_findings_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let clean = temp_file(dir.path(), "clean.md", CLEAN.as_bytes());
    assert_eq!(run(&[clean.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(run(&[WEAK]).status.code(), Some(1));
    // Only warnings in the weak fixture's style findings: failing on errors only passes.
    let o = run(&["--select", "style", "--fail-on", "error", WEAK]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("style/"));
}

#[test]
fn concise_lines_have_the_editor_shape() {
    let o = run(&["--format", "concise", WEAK]);
    let text = stdout(&o);
    assert!(!text.is_empty());
    let shape = regex::Regex::new(r"^fixtures/markdown/resume-weak\.md:\d+:\d+: (error|warning|info)\[[a-z-]+/[a-z0-9-]+\] .+$").unwrap();
    for line in text.lines() {
        assert!(shape.is_match(line), "bad concise line: {line}");
    }
}

#[test]
fn json_output_validates_against_the_schema_and_spans_land_on_quotes() {
    let o = run(&["--format", "json", WEAK, "fixtures/markdown/script-weak.md"]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("schema/json-output.schema.json").unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "schema errors: {errors:?}");

    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() > 5);
    assert_eq!(value["summary"]["files"], 2);
    for d in diagnostics {
        let source = fs::read_to_string(d["path"].as_str().unwrap()).unwrap();
        let (start, end) = (d["start"]["byte"].as_u64().unwrap() as usize, d["end"]["byte"].as_u64().unwrap() as usize);
        let span = &source[start..end];
        // Line and column agree with the byte offset.
        let line = source[..start].matches('\n').count() + 1;
        let col = source[..start].rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!((d["start"]["line"].as_u64().unwrap() as usize, d["start"]["column"].as_u64().unwrap() as usize), (line, col));
        // A quoted match in the message is the underlined text.
        let message = d["message"].as_str().unwrap();
        if let Some(quoted) = message.split('`').nth(1) {
            if !quoted.ends_with('…') && !message.starts_with("no number") {
                assert_eq!(span, quoted, "span of {}", d["rule"]);
            }
        }
    }
}

#[test]
fn human_output_is_compiler_style_and_colour_follows_the_terminal() {
    let o = run(&[WEAK]);
    let text = stdout(&o);
    assert!(text.contains("┌─ fixtures/markdown/resume-weak.md:"), "{text}");
    assert!(text.contains("= help: ") && !text.contains("= why: "), "why only with --explain: {text}");
    assert!(text.contains("^^^"));
    let explained = stdout(&run(&["--explain", WEAK]));
    let whys = explained.lines().filter(|l| l.trim_start().starts_with("= why: ")).count();
    let rules: std::collections::BTreeSet<&str> =
        explained.lines().filter_map(|l| l.split_once('[').filter(|(s, _)| ["error", "warning", "note"].contains(s))).map(|(_, r)| r.split(']').next().unwrap()).collect();
    assert_eq!(whys, rules.len(), "one why per rule in the file: {explained}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    let always = run(&["--color", "always", WEAK]);
    assert!(stdout(&always).contains('\u{1b}'));
    let never = bin().args(["--color", "never", WEAK]).env("NO_COLOR", "1").output().unwrap();
    assert!(!stdout(&never).contains('\u{1b}'));
    assert!(text.trim_end().lines().last().unwrap().starts_with("Found "));
}

#[test]
fn output_is_deterministic_and_directories_are_walked_in_order() {
    let a = run(&["--format", "concise", "fixtures"]);
    let b = run(&["--format", "concise", "fixtures"]);
    assert_eq!(a.stdout, b.stdout);
    let files: Vec<String> = stdout(&a).lines().map(|l| l.split(':').next().unwrap().to_string()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "files come out in path order");
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = bin()
        .args(["--format", "concise", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"## Summary\n\nAspiring ML engineer looking to break into AI.\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("<stdin>:3:1: warning[aspirational/"), "{}", stdout(&o));
}

#[test]
fn bad_inputs_are_one_line_errors_and_the_rest_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let binary = temp_file(dir.path(), "photo.md", b"\x89PNG\r\n\x1a\n\0\0\0IHDR");
    let latin1 = temp_file(dir.path(), "cv.txt", b"Experience\n- Caf\xe9 owner\n");
    let empty_dir = dir.path().join("nothing");
    fs::create_dir(&empty_dir).unwrap();
    temp_file(&empty_dir, "notes.pdfx", b"x");
    let missing = dir.path().join("missing.md");
    let o = run(&[
        missing.to_str().unwrap(),
        binary.to_str().unwrap(),
        latin1.to_str().unwrap(),
        empty_dir.to_str().unwrap(),
        "--format",
        "concise",
        WEAK,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "one line per bad input: {err}");
    assert!(lines.iter().any(|l| l.contains("missing.md") && l.contains("no such file")));
    assert!(lines.iter().any(|l| l.contains("photo.md") && l.contains("binary")));
    assert!(lines.iter().any(|l| l.contains("cv.txt:2:6") && l.contains("invalid UTF-8")));
    assert!(lines.iter().any(|l| l.contains("nothing") && l.contains("no supported files")));
    assert!(lines.iter().all(|l| l.starts_with("error: ")));
    // The good file was still linted.
    assert!(stdout(&o).contains("resume-weak.md"));
}

#[test]
fn broken_rule_files_point_at_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("style");
    fs::create_dir(&rules).unwrap();
    temp_file(&rules, "bad-one.toml", b"id = \"style/bad-one\"\nseverity = \"loud\"\n");
    let o = run(&["--rules", dir.path().to_str().unwrap(), WEAK]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    let err = stderr(&o);
    assert!(err.contains("bad-one.toml:2:12:"), "{err}");
    assert_eq!(err.lines().count(), 1);

    // A bad regex is reported at its key's line.
    fs::write(
        rules.join("bad-one.toml"),
        "id = \"style/bad-one\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\nrationale = \"r\"\n[matcher]\nkind = \"pattern\"\npattern = \"(unclosed\"\n",
    )
    .unwrap();
    let err = stderr(&run(&["--rules", dir.path().to_str().unwrap(), WEAK]));
    assert!(err.contains("bad-one.toml:8:1:") && err.contains("invalid regex"), "{err}");
}

#[test]
fn unknown_rule_ids_are_usage_errors() {
    for args in [&["--select", "metrics/nope", WEAK][..], &["--ignore", "nofamily", WEAK][..], &["rule", "style/nope"][..]] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("unknown rule"), "{}", stderr(&o));
        assert_no_panic(&o);
    }
    let o = run(&["--kind", "poem", WEAK]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn select_and_ignore_take_ids_and_families() {
    let only = stdout(&run(&["--format", "concise", "--select", "metrics/unquantified-bullet", WEAK]));
    assert!(!only.is_empty() && only.lines().all(|l| l.contains("[metrics/unquantified-bullet]")));
    let without = stdout(&run(&["--format", "concise", "--ignore", "metrics,style", WEAK]));
    assert!(!without.is_empty() && without.lines().all(|l| !l.contains("[metrics/") && !l.contains("[style/")));
}

#[test]
fn kind_flag_and_front_matter_decide_which_rules_apply() {
    let script_only = stdout(&run(&["--format", "concise", "--select", "narrative", "fixtures/markdown/script-weak.md"]));
    assert!(script_only.contains("[narrative/"), "front matter makes it a script");
    let as_resume = stdout(&run(&["--format", "concise", "--select", "narrative", "--kind", "resume", "fixtures/markdown/script-weak.md"]));
    assert!(as_resume.is_empty(), "narrative rules apply to scripts only: {as_resume}");
}

#[test]
fn rules_and_rule_subcommands_explain() {
    let table = stdout(&run(&["rules"]));
    for family in resume_lint::rule::FAMILIES {
        assert!(table.contains(&format!("{family}/")), "{family} in table");
    }
    let explain = stdout(&run(&["rule", "style/duty-not-result"]));
    assert!(explain.contains("Flagged:") && explain.contains("Clean:") && explain.contains("Why:"));
}

#[test]
fn check_rules_runs_a_user_folders_examples() {
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("style");
    fs::create_dir(&style).unwrap();
    let rule = |bad: &str| {
        format!(
            "id = \"style/synergy\"\nseverity = \"warning\"\nmessage = \"`{{match}}` is filler\"\nhelp = \"say what happened\"\nrationale = \"buzzwords\"\n[applies]\nkinds = [\"resume\"]\n[matcher]\nkind = \"tokens\"\npatterns = [\"synergy\"]\n[[bad]]\ncontext = \"summary\"\ntext = \"{bad}\"\n[[good]]\ncontext = \"summary\"\ntext = \"Ran 3 services.\"\n"
        )
    };
    fs::write(style.join("synergy.toml"), rule("Drove synergy across 3 teams.")).unwrap();
    let o = run(&["check-rules", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("1 rule(s), 2 example(s) checked, 0 failure(s)"));

    fs::write(style.join("synergy.toml"), rule("Drove alignment across 3 teams.")).unwrap();
    let o = run(&["check-rules", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("style/synergy bad #1: not flagged"));
}

#[test]
fn user_files_are_never_modified() {
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read(WEAK).unwrap();
    let copy = temp_file(dir.path(), "cv.md", &original);
    for format in ["human", "concise", "json"] {
        run(&["--format", format, copy.to_str().unwrap()]);
    }
    assert_eq!(fs::read(&copy).unwrap(), original);
}

#[test]
fn summaries_report_production_ml_and_metric_coverage() {
    let o = run(&["--format", "json", "fixtures/markdown/resume-strong.md"]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &value["files"][0];
    assert_eq!(file["kind"], "resume");
    let coverage = file["coverage"].as_object().unwrap();
    assert_eq!(coverage.len(), 7);
    assert_eq!(coverage["evaluation"], true);
    assert_eq!(coverage["monitoring"], true);
    let metrics = &file["metrics"];
    assert!(metrics["bullets"].as_u64().unwrap() >= 8);
    assert!(metrics["quantified"].as_u64().unwrap() >= metrics["bullets"].as_u64().unwrap() - 1);
    assert_eq!(value["summary"]["coverage"], file["coverage"]);

    // The weak resume claims ML but touches few surfaces: the checklist shows it and an info fires.
    let human = stdout(&run(&["fixtures/markdown/resume-weak.md"]));
    assert!(human.contains("production ML: ") && human.contains("[ ] evaluation"), "{human}");
    assert!(human.contains("experience and project bullets carry a number"));
}

#[test]
fn stdin_filename_names_the_buffer_and_picks_the_format() {
    let run_stdin = |args: &[&str], input: &[u8]| {
        let mut child = bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    // As text, "EXPERIENCE" is a heading and the dash line a bullet in it.
    let text = b"EXPERIENCE\nAcme\n- Responsible for the API\n";
    let o = run_stdin(&["--format", "concise", "--select", "metrics/unquantified-bullet", "--stdin-filename", "cv/resume.txt", "-"], text);
    assert_eq!(stdout(&o), "cv/resume.txt:3:3: warning[metrics/unquantified-bullet] no number backs this bullet: `Responsible for the API`\n");
    // Forced to Markdown, the same bytes have no Experience heading, so the bullet rule stays quiet.
    let o = run_stdin(&["--format", "concise", "--select", "metrics/unquantified-bullet", "--input-format", "markdown", "--stdin-filename", "cv/resume.txt", "-"], text);
    assert_eq!(stdout(&o), "");
}

/// The official SARIF 2.1.0 schema, as shipped in serde-sarif's sources (found through cargo metadata).
fn sarif_schema() -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Only this platform's packages: the others are never downloaded, and this must work offline.
    let rustc = Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc -vV names the host");
    let meta = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let meta: serde_json::Value = serde_json::from_slice(&meta.stdout).expect("cargo metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dependency");
    let path = Path::new(manifest).parent().unwrap().join("src/schema.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let o = run(&["--format", "sarif", WEAK, "fixtures/markdown/script-weak.md"]);
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    // The official schema's `language` patterns have a stray `]` that a strict validator refuses
    // as a regex; mend those patterns, keep the rest of the schema as published.
    let text = sarif_schema().to_string().replace(r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#, "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:?}");
    let results = value["runs"][0]["results"].as_array().unwrap();
    let concise = stdout(&run(&["--format", "concise", WEAK, "fixtures/markdown/script-weak.md"]));
    assert_eq!(results.len(), concise.lines().count(), "one result per diagnostic");
    let first = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(first["artifactLocation"]["uri"], WEAK);
    assert!(first["region"]["startLine"].as_u64().unwrap() >= 1);
}

#[test]
fn github_annotations_escape_and_locate() {
    let text = stdout(&run(&["--format", "github", WEAK]));
    let shape = regex::Regex::new(r"^::(error|warning|notice) file=fixtures/markdown/resume-weak\.md,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+/[a-z0-9-]+::[^\n]+$").unwrap();
    assert!(text.lines().count() > 5);
    for line in text.lines() {
        assert!(shape.is_match(line), "{line}");
    }
}

#[test]
fn statistics_quiet_and_version() {
    let stats = stdout(&run(&["--statistics", WEAK]));
    let concise = stdout(&run(&["--format", "concise", WEAK]));
    let total: usize = stats.lines().map(|l| l.split_whitespace().next().unwrap().parse::<usize>().unwrap()).sum();
    assert_eq!(total, concise.lines().count(), "counts add up to the diagnostics");
    let first: usize = stats.lines().next().unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(stats.lines().all(|l| l.split_whitespace().next().unwrap().parse::<usize>().unwrap() <= first), "most frequent first");

    assert!(stdout(&run(&["-q", "fixtures/markdown/resume-strong.md"])).is_empty());
    let loud = stdout(&run(&["fixtures/markdown/resume-strong.md"]));
    assert!(loud.contains("No problems found"));

    let version = run(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(stdout(&version).trim(), format!("resume-lint {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn inline_suppressions_hide_findings_and_stale_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# Ana\n\n## Experience\n\n<!-- resume-lint disable-next-line style/duty-not-result -->\n- Responsible for 12 internal APIs.\n- Responsible for 3 billing jobs.\n\n<!-- resume-lint disable metrics -->\n- Built internal dashboards for sales.\n<!-- resume-lint enable -->\n\n<!-- resume-lint disable narrative -->\n";
    let path = temp_file(dir.path(), "cv.md", text.as_bytes());
    let o = run(&["--format", "concise", "--select", "style/duty-not-result,metrics/unquantified-bullet", path.to_str().unwrap()]);
    let lines: Vec<String> = stdout(&o).lines().map(|l| l.split_once(": ").unwrap().1.to_string()).collect();
    assert_eq!(
        lines,
        vec![
            "warning[style/duty-not-result] `Responsible for` describes a duty, not what you did".to_string(),
            "info[resume-lint/unused-suppression] this suppression of narrative matches no diagnostic".to_string(),
        ],
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("cv.md:7:3:"), "only the line after the directive is suppressed");
}

#[test]
fn fixes_diff_write_atomically_and_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# Ana\n\n## Experience\n\n- Utilized **Redis** to cache 2M lookups a day.\n- Leveraged Kafka in order to move exports; 12 teams read them.\n\nTrailing line kept as is.  \n";
    let path = temp_file(dir.path(), "cv.md", text.as_bytes());
    let p = path.to_str().unwrap();

    let diff = run(&["--diff", p]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(stdout(&diff).contains("-- Utilized **Redis**") && stdout(&diff).contains("+- Used **Redis**"), "{}", stdout(&diff));
    assert!(!stdout(&diff).contains("+- Used Kafka"), "leverage is an unsafe fix");
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "--diff writes nothing");

    let fixed = run(&["--fix", p]);
    assert!(stdout(&fixed).contains("Fixed 2 problems."), "{}", stdout(&fixed));
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        "# Ana\n\n## Experience\n\n- Used **Redis** to cache 2M lookups a day.\n- Leveraged Kafka to move exports; 12 teams read them.\n\nTrailing line kept as is.  \n"
    );
    let again = run(&["--fix", p]);
    assert!(stdout(&again).contains("Fixed 0 problems."));
    assert_eq!(fs::read_to_string(&path).unwrap(), after, "a second --fix changes nothing");

    run(&["--fix", "--unsafe-fixes", p]);
    assert!(fs::read_to_string(&path).unwrap().contains("- Used Kafka to move exports; 12 teams read them."));
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn fixes_are_refused_on_stdin() {
    let mut child = bin().args(["--fix", "--kind", "resume", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"## Summary\n\nUtilized Kafka.\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fixes are not applied to standard input"));
}

#[test]
fn rule_explain_shows_classes_patterns_and_the_verdict() {
    let o = run(&["rule", "style/duty-not-result", "--explain", "Was tasked with migrating 40 cron jobs."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("@quantity"), "the word list names classes: {text}");
    assert!(text.contains("matches `Was tasked with`"), "{text}");
    assert!(text.trim_end().ends_with("style/duty-not-result fires on `Was tasked with`."), "{text}");
    let o = run(&["rule", "style/duty-not-result", "--explain", "Ran the billing service for 3 regions.", "--context", "summary"]);
    assert!(stdout(&o).contains("does not fire here"), "{}", stdout(&o));
    let o = run(&["rule", "style/duty-not-result", "--explain", "x", "--context", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    // The rule's own description prints its patterns.
    let o = run(&["rule", "style/duty-not-result"]);
    assert!(stdout(&o).contains("fires on any of these, within one clause:"), "{}", stdout(&o));
}

/// The compiled-in rules are read lazily from what build.rs split out of rules/; read from the
/// TOML files instead (as a rule author does), they must check clean and say and match the same.
#[test]
fn compiled_in_rules_equal_their_toml_files() {
    let from_toml = |args: &[&str]| bin().args(args).env("RESUME_LINT_BUILTIN_RULES", "rules").output().expect("binary runs");
    let check = from_toml(&["check-rules"]);
    assert!(check.status.success(), "the rule files do not pass the loader: {}", stderr(&check));
    let compiled = run(&["rules", "--markdown"]);
    let toml = from_toml(&["rules", "--markdown"]);
    assert!(compiled.status.success() && toml.status.success());
    assert_eq!(stdout(&compiled), stdout(&toml), "compiled-in rules differ from rules/*.toml");
    let lint = ["--format", "json", WEAK, "fixtures/markdown/script-weak.md"];
    assert_eq!(stdout(&run(&lint)), stdout(&from_toml(&lint)), "findings differ between compiled-in and TOML rules");
}
