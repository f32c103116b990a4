//! The README's pre-commit walkthrough, through the real pre-commit framework, in throw-away
//! resume repos: `resume-lint init`, add the hook, `pre-commit install`, commit a weak resume
//! (refused), fix it, commit (accepted); a README.md and NOTES.md beside it are never linted.
//!
//! pre-commit clones this repository at HEAD (a clean clone: commit before running this), and the
//! `resume-lint` hook builds the binary there once, without the PDF and DOCX readers; its cache
//! lives in target/pre-commit-home. `resume-lint-system` runs the resume-lint on PATH, here the
//! binary under test. Without `pre-commit` on PATH the test says so and passes, unless
//! RESUME_LINT_REQUIRE_PRECOMMIT=1 (set by .ci/run), where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn home() -> PathBuf {
    manifest().join("target/pre-commit-home")
}

fn sh(dir: &Path, program: &str, args: &[&str], path: Option<&str>) -> Output {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home())
        // Build from the crates already in cargo's cache: no network in tests.
        .env("CARGO_NET_OFFLINE", "true")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn has_precommit() -> bool {
    let found = Command::new("pre-commit").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("RESUME_LINT_REQUIRE_PRECOMMIT").is_none(),
            "pre-commit is required here: pip install pre-commit"
        );
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
    }
    found
}

fn head() -> String {
    let head = sh(manifest(), "git", &["rev-parse", "HEAD"], None);
    assert!(head.status.success(), "this repository needs a commit for pre-commit to clone");
    String::from_utf8_lossy(&head.stdout).trim().to_string()
}

const WEAK: &str = "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Responsible for the billing service.\n";
const FIXED: &str = "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Ran the billing service at 99.95% uptime across 3 regions.\n";
/// Prose every script rule would object to: linted as a script, it would block the commit.
const README: &str = "# My resume\n\nI am passionate about AI and eager to learn machine learning. AI is the future.\n";

/// A resume repo with the README's set-up: `resume-lint init`, a config naming `hook`, and
/// `pre-commit install`; then a weak resume, a README.md and NOTES.md, committed (refused),
/// the resume fixed and committed (accepted). Returns the first commit's time in seconds.
fn walkthrough(hook: &str, path: Option<&str>) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(sh(repo, "git", &["init", "-q"], path).status.success());
    let init = sh(repo, env!("CARGO_BIN_EXE_resume-lint"), &["init"], path);
    assert!(init.status.success(), "{}", text(&init));
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: {hook}\n",
        manifest().display(),
        head()
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    let install = sh(repo, "pre-commit", &["install"], path);
    assert!(install.status.success(), "{}", text(&install));

    std::fs::write(repo.join("resume.md"), WEAK).unwrap();
    std::fs::write(repo.join("README.md"), README).unwrap();
    std::fs::write(repo.join("NOTES.md"), README).unwrap();
    sh(repo, "git", &["add", "-A"], path);
    let started = Instant::now();
    let refused = sh(repo, "git", &["commit", "-q", "-m", "weak"], path);
    let first = started.elapsed().as_secs_f64();
    let out = text(&refused);
    assert!(!refused.status.success(), "{hook}: the weak resume must be refused: {out}");
    assert!(out.contains("resume.md:7:3: warning[style/duty-not-result]"), "{hook}: {out}");
    for other in ["README.md", "NOTES.md", ".pre-commit-config.yaml", "resume-lint.toml"] {
        assert!(!out.contains(&format!("{other}:")), "{hook}: {other} must not be linted: {out}");
    }

    std::fs::write(repo.join("resume.md"), FIXED).unwrap();
    sh(repo, "git", &["add", "-A"], path);
    let accepted = sh(repo, "git", &["commit", "-q", "-m", "fixed"], path);
    assert!(accepted.status.success(), "{hook}: the fixed resume must pass beside README.md: {}", text(&accepted));
    let log = sh(repo, "git", &["log", "--format=%s"], path);
    assert_eq!(String::from_utf8_lossy(&log.stdout), "fixed\n", "only the fixed commit was made");
    first
}

#[test]
fn precommit_hook_refuses_a_weak_resume_accepts_the_fix_and_leaves_the_readme_alone() {
    if !has_precommit() {
        return;
    }
    let first = walkthrough("resume-lint", None);
    eprintln!("resume-lint hook: first commit (clone and build included) took {first:.1} s");

    // The hook's build leaves the heavy parts out: a PDF, a .docx or SARIF is one line saying so.
    let hook_bin = std::fs::read_dir(home())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path().join("target/hook/hook/resume-lint")))
        .filter(|p| p.exists())
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .expect("the hook built its binary in pre-commit's clone");
    let dir = tempfile::tempdir().unwrap();
    for (name, what, feature) in [("resume.pdf", "PDF", "pdf"), ("resume.docx", "Word (.docx)", "docx")] {
        std::fs::write(dir.path().join(name), b"not read").unwrap();
        let out = Command::new(&hook_bin).arg(name).current_dir(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("error: {name}: {what} support is off in this build (cargo feature `{feature}`)")), "{err}");
    }
    std::fs::write(dir.path().join("resume.md"), WEAK).unwrap();
    let sarif = Command::new(&hook_bin).args(["--format", "sarif", "resume.md"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(sarif.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sarif.stderr).contains("SARIF output is off in this build"), "{sarif:?}");
    // Forget the clones of commits no config names any more (each is a build).
    let _ = sh(manifest(), "pre-commit", &["gc"], None);
}

#[test]
fn system_hook_runs_the_installed_binary() {
    if !has_precommit() {
        return;
    }
    // "Installed": the binary under test, first on PATH as `resume-lint`.
    let bin_dir = tempfile::tempdir().unwrap();
    let installed = bin_dir.path().join("resume-lint");
    #[cfg(unix)]
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_resume-lint"), &installed).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(env!("CARGO_BIN_EXE_resume-lint"), &installed).unwrap();
    let path = format!("{}:{}", bin_dir.path().display(), std::env::var("PATH").unwrap_or_default());
    let first = walkthrough("resume-lint-system", Some(&path));
    eprintln!("resume-lint-system hook: first commit took {first:.1} s");
}

#[test]
fn the_readme_snippet_names_this_version_and_the_hooks_it_documents() {
    let readme = std::fs::read_to_string(manifest().join("README.md")).unwrap();
    let rev = format!("rev: v{}", env!("CARGO_PKG_VERSION"));
    assert!(readme.contains(&rev), "the README's pre-commit snippet must name `{rev}` (and that tag must exist)");
    let hooks = std::fs::read_to_string(manifest().join(".pre-commit-hooks.yaml")).unwrap();
    for id in ["resume-lint", "resume-lint-system"] {
        assert!(hooks.contains(&format!("- id: {id}\n")), "{id} in .pre-commit-hooks.yaml");
        assert!(readme.contains(&format!("id: {id}")), "the README shows the {id} hook");
    }
    assert!(readme.contains("cargo install --locked --path ."), "the README says how to install");
}
