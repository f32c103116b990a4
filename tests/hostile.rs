//! Hostile input as a user would bring it: limits that stop a file with one line naming the
//! file and the limit, user rules that cannot hang a run, and two folders with different rule
//! sets linted together (one thread and many, with and without --fix).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_resume-lint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn no_panic(o: &Output) {
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

const GOOD: &str = "# Ana\n\n## Experience\n\n### Engineer, Acme (2020-2024)\n\n- Utilized Kafka to cut checkout latency from 900 ms to 300 ms.\n";

fn bullets(n: usize) -> String {
    let mut s = String::from("# Ana\n\n## Experience\n\n");
    for i in 0..n {
        s.push_str(&format!("- Cut the p99 latency of service {i} from 900 ms to 300 ms.\n"));
    }
    s
}

#[test]
fn each_exceeded_limit_is_one_line_and_the_other_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("good.md"), GOOD).unwrap();
    fs::write(d.join("many.md"), bullets(300)).unwrap();
    fs::write(d.join("long.md"), format!("# Ana\n\n{}\n", "word ".repeat(30_000))).unwrap();
    let files = ["good.md", "many.md", "long.md"].map(|f| d.join(f).display().to_string());
    let run = |extra: &[&str]| {
        let o = bin().args(["--no-config", "--format", "concise"]).args(extra).args(&files).output().unwrap();
        no_panic(&o);
        o
    };

    // block-chars: a 150,000-character paragraph is over the default of 100,000.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("long.md: over the block-chars limit") && err.contains("--limit block-chars=N"), "{err}");
    assert!(stdout(&o).contains("good.md:7:3: info[style/inflated-word]"), "{}", stdout(&o));

    // blocks, from the command line; file-bytes too.
    let o = run(&["--limit", "blocks=100", "--limit", "block-chars=1M"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("many.md: over the blocks limit (blocks in one document: more than 100 blocks, limit 100)"), "{err}");
    let o = run(&["--limit", "file-bytes=10K"]);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("many.md: file is larger than 10240 bytes") && err.contains("long.md: file is larger"), "{err}");
    assert!(err.contains("file-bytes"), "{err}");
    assert!(stdout(&o).contains("good.md:7:3"));

    // The same limits from a config's [limits] table; unknown keys there are errors.
    fs::write(d.join("resume-lint.toml"), "[limits]\nblocks = 100\nblock-chars = 1_000_000\n").unwrap();
    let o = bin().args(["--format", "concise"]).args(&files).output().unwrap();
    assert!(stderr(&o).contains("many.md: over the blocks limit") && !stderr(&o).contains("long.md"), "{}", stderr(&o));
    fs::write(d.join("resume-lint.toml"), "[limits]\nblock = 100\n").unwrap();
    let o = bin().args(["--format", "concise"]).args(&files).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("resume-lint.toml:2:1") && stderr(&o).contains("unknown field `block`"), "{}", stderr(&o));

    // A bad --limit is a usage error.
    let o = run(&["--limit", "pages=3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown limit `pages`"), "{}", stderr(&o));
}

#[test]
fn the_blocks_limit_stops_a_file_while_it_is_read_and_the_neighbour_is_still_linted() {
    // A million one-word bullets (8 MB): the reader stops at the 20,001st block.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("good.md"), GOOD).unwrap();
    fs::write(d.join("many.md"), format!("## Experience\n{}", "- led x\n".repeat(1_000_000))).unwrap();
    fs::write(d.join("many.txt"), format!("EXPERIENCE\n{}", "- led x\n".repeat(300_000))).unwrap();
    let files = ["good.md", "many.md", "many.txt"].map(|f| d.join(f).display().to_string());
    let o = bin().args(["--no-config", "--format", "concise"]).args(&files).output().unwrap();
    no_panic(&o);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 2, "{err}");
    for name in ["many.md", "many.txt"] {
        assert!(
            err.contains(&format!("{name}: over the blocks limit (blocks in one document: more than 20000 blocks, limit 20000)")),
            "{err}"
        );
    }
    assert!(stdout(&o).contains("good.md:7:3: info[style/inflated-word]"), "{}", stdout(&o));
    // Raised, the same file is read in full.
    let o = bin().args(["--no-config", "--format", "concise", "--limit", "blocks=2M"]).arg(&files[2]).output().unwrap();
    assert!(!stderr(&o).contains("over the blocks limit"), "{}", stderr(&o));
}

#[test]
fn thousands_of_exclude_globs_still_exclude() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let globs: Vec<String> = (0..20_000).map(|i| format!("\"drafts{i}/**/*.md\"")).collect();
    fs::write(d.join("resume-lint.toml"), format!("exclude = [{}, \"old-*.md\"]\n", globs.join(","))).unwrap();
    for name in ["keep.md", "drafts19999/deep/x.md", "drafts1999/x.md", "drafts20000/x.md", "old-cv.md"] {
        fs::create_dir_all(d.join(name).parent().unwrap()).unwrap();
        fs::write(d.join(name), GOOD).unwrap();
    }
    let o = bin().args(["--format", "concise"]).arg(d).output().unwrap();
    no_panic(&o);
    let out = stdout(&o);
    assert!(out.contains("keep.md:7:3") && out.contains("drafts20000/x.md:7:3"), "{out}");
    assert!(!out.contains("drafts19999") && !out.contains("drafts1999/") && !out.contains("old-cv"), "{out}");
}

#[test]
fn the_time_budget_stops_a_file_and_names_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.md");
    fs::write(&big, bullets(5_000)).unwrap();
    let o = bin().args(["--no-config", "--limit", "time-ms=0", big.to_str().unwrap()]).output().unwrap();
    no_panic(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("big.md: over the time-ms limit (milliseconds per file: more than 0 ms"), "{}", stderr(&o));
}

fn rule(id: &str, matcher: &str) -> String {
    format!(
        "id = \"{id}\"\nseverity = \"warning\"\nmessage = \"`{{match}}` matched\"\nhelp = \"h\"\nrationale = \"r\"\n\
         [matcher]\n{matcher}\n[[bad]]\ncontext = \"bullet\"\ntext = \"x\"\nflags = [\"x\"]\n\
         [[good]]\ncontext = \"bullet\"\ntext = \"y\"\n"
    )
}

/// Run with one user rule folder over a 4,000-bullet file; it must end well inside `within`.
fn with_rules(files: &[(&str, String)], within: Duration) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    for (name, text) in files {
        let path = rules.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let target = dir.path().join("r.md");
    fs::write(&target, bullets(4_000)).unwrap();
    let start = Instant::now();
    let o = bin()
        .args(["--no-config", "--format", "concise", "--rules", rules.to_str().unwrap(), target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(start.elapsed() < within, "took {:?}", start.elapsed());
    no_panic(&o);
    o
}

#[test]
fn hostile_user_rules_give_an_error_or_a_warning_never_a_hang() {
    let minute = Duration::from_secs(60);
    // A catastrophic regex: over the regex crate's compiled-size cap, refused at load.
    let o = with_rules(&[("style/team-slow.toml", rule("style/team-slow", "kind = \"pattern\"\npattern = '(?:\\w+\\s*){0,1000}x'"))], minute);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("slow.toml") && stderr(&o).contains("invalid regex"), "{}", stderr(&o));

    // A rule matching every character: its first 1,000 findings, then one warning naming it.
    let o = with_rules(&[("style/team-every.toml", rule("style/team-every", "kind = \"pattern\"\npattern = '.'"))], minute);
    let out = stdout(&o);
    assert_eq!(out.matches("warning[style/team-every]").count(), 1_000);
    let warning: Vec<&str> =
        out.lines().filter(|l| l.contains("resume-lint/rule-match-limit") && l.contains("team-every")).collect();
    assert_eq!(warning.len(), 1, "{out}");
    assert!(warning[0].contains("rule `style/team-every` matched more than 1000 times"), "{}", warning[0]);

    // The same through a token pattern over a class holding every word.
    let lexicon = "[classes.anything]\nabout = \"a\"\nwords = [\"the\", \"of\", \"cut\", \"ms\", \"from\", \"to\", \"latency\", \"service\", \"p99\"]\n";
    let o = with_rules(
        &[("lexicon.toml", lexicon.into()), ("style/team-words.toml", rule("style/team-words", "kind = \"tokens\"\npatterns = [\"@anything\"]"))],
        minute,
    );
    assert!(stdout(&o).contains("rule `style/team-words` matched more than 1000 times"), "{}", stderr(&o));

    // A short lexicon whose terms expand to billions of word sequences: refused at load.
    let bomb = format!("[classes.bomb]\nabout = \"b\"\nwords = [\"{}\"]\n", "build+ ".repeat(30).trim());
    let o = with_rules(
        &[("lexicon.toml", bomb), ("style/team-words.toml", rule("style/team-words", "kind = \"tokens\"\npatterns = [\"@bomb\"]"))],
        minute,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("class `bomb`") && stderr(&o).contains("word sequences (limit 1024)"), "{}", stderr(&o));
}

/// Folder `a` adds a rule folder with a plain rule (with a fix); folder `b` has a config of
/// its own without it. Each file must get its own rule set's findings, whatever the threads.
fn two_folders(root: &Path) -> Vec<String> {
    let a = root.join("a");
    let b = root.join("b");
    fs::create_dir_all(a.join("lint-rules/style")).unwrap();
    fs::create_dir_all(&b).unwrap();
    fs::write(a.join("resume-lint.toml"), "rules = [\"lint-rules\"]\n").unwrap();
    fs::write(
        a.join("lint-rules/style/team-synergy.toml"),
        rule("style/team-synergy", "kind = \"pattern\"\npattern = 'synergy'") + "[fix]\nsafe = { \"synergy\" = \"teamwork\" }\n",
    )
    .unwrap();
    fs::write(b.join("resume-lint.toml"), "ignore = [\"metrics\"]\n").unwrap();
    let text = "# Ana\n\n## Experience\n\n### Engineer, Acme (2020-2024)\n\n- Utilized synergy to cut latency from 900 ms to 300 ms.\n";
    let mut files = Vec::new();
    for i in 0..6 {
        for dir in [&a, &b] {
            let f = dir.join(format!("r{i}.md"));
            fs::write(&f, text).unwrap();
            files.push(f.display().to_string());
        }
    }
    files
}

#[test]
fn two_folders_with_different_rule_sets_on_one_thread_and_many_and_with_fix() {
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let dir = tempfile::tempdir().unwrap();
        let files = two_folders(dir.path());
        let o = bin().env("RAYON_NUM_THREADS", threads).args(["--format", "concise"]).args(&files).output().unwrap();
        no_panic(&o);
        let out = stdout(&o).replace(&dir.path().display().to_string(), "ROOT");
        for line in out.lines().filter(|l| l.contains("style/team-synergy")) {
            assert!(line.starts_with("ROOT/a/") && line.contains(":7:"), "{line}");
        }
        assert_eq!(out.matches("warning[style/team-synergy]").count(), 6, "{out}");
        assert_eq!(out.matches("ROOT/b/").count(), out.matches("ROOT/b/r0.md").count() * 6);
        outputs.push(out);

        // --fix: folder a's files lose "synergy" and "Utilized"; folder b's only "Utilized".
        let o = bin().env("RAYON_NUM_THREADS", threads).args(["--fix", "--format", "concise"]).args(&files).output().unwrap();
        no_panic(&o);
        for f in &files {
            let text = fs::read_to_string(f).unwrap();
            assert!(text.contains("- Used "), "{f}: {text}");
            assert_eq!(text.contains("teamwork"), f.contains("/a/"), "{f}: {text}");
        }
        assert!(!stdout(&o).contains("style/team-synergy"), "{}", stdout(&o));
    }
    assert_eq!(outputs[0], outputs[1], "one thread and four differ");
}

#[test]
fn two_rule_sets_in_one_linter_do_not_share_state() {
    use resume_lint::linter::{Linter, Options};
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = two_folders(dir.path()).into_iter().map(std::path::PathBuf::from).collect();
    let mut linter = Linter::new(Options::default());
    let run = linter.lint_paths(&files);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    for report in &run.reports {
        let has = report.diagnostics.iter().any(|d| d.rule == "style/team-synergy");
        assert_eq!(has, report.path.contains("/a/"), "{}", report.path);
    }
    // The same linter, again, file by file in the other order: the same findings.
    for report in &run.reports {
        let text = fs::read_to_string(&report.path).unwrap();
        let again = linter.lint_text(Path::new(&report.path), &text).unwrap().unwrap();
        assert_eq!(again.diagnostics, report.diagnostics, "{}", report.path);
    }
}

/// The binary, as a user id no process uses, limited to one thread in all (`RLIMIT_NPROC`):
/// none can be started. Root starts threads past any limit, hence the other user; `None` when
/// the tests cannot switch users (not root).
#[cfg(unix)]
fn with_no_thread_to_spare(dir: &Path, args: &[&str], limited: bool) -> Option<Output> {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let copy = dir.join("resume-lint-bin");
    if !copy.exists() {
        fs::copy(env!("CARGO_BIN_EXE_resume-lint"), &copy).unwrap();
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut cmd = Command::new("setpriv");
    // Not `nobody` (65534): other tests and daemons run as it, and they count toward its limit.
    cmd.args(["--reuid=64999", "--regid=64999", "--clear-groups", "--"]).arg(&copy).args(args).current_dir(dir);
    if limited {
        // SAFETY: setrlimit is async-signal-safe; it runs in the child between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                let one = libc::rlimit { rlim_cur: 1, rlim_max: 1 };
                if libc::setrlimit(libc::RLIMIT_NPROC, &one) == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
            });
        }
    }
    let o = cmd.output().expect("run setpriv (util-linux)");
    assert!(!stderr(&o).contains("setpriv:"), "setpriv could not drop privileges: {}", stderr(&o));
    Some(o)
}

#[cfg(unix)]
#[test]
fn without_threads_to_spare_files_are_linted_one_by_one_not_a_panic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    for (name, text) in [("a.md", GOOD.to_string()), ("b.md", bullets(3))] {
        fs::write(d.join(name), text).unwrap();
        fs::set_permissions(d.join(name), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let args = ["--no-config", "--format", "concise", "a.md", "b.md"];
    let Some(free) = with_no_thread_to_spare(d, &args, false) else {
        eprintln!("skipped: not root, so no other user to run as with a thread limit");
        return;
    };
    // The limit holds: the language server cannot start its threads, and says so.
    let server = with_no_thread_to_spare(d, &["server"], true).unwrap();
    assert!(stderr(&server).starts_with("error: language server: cannot start its threads: "), "{}", stderr(&server));
    assert_eq!(server.status.code(), Some(2));
    // Two files went to rayon's global pool, which panicked when it could not start.
    let limited = with_no_thread_to_spare(d, &args, true).unwrap();
    no_panic(&limited);
    assert!(stdout(&free).contains("a.md:7:3: info[style/inflated-word]"), "{}", stdout(&free));
    assert_eq!(stdout(&limited), stdout(&free));
    assert_eq!((limited.status.code(), stderr(&limited)), (free.status.code(), stderr(&free)));
}
