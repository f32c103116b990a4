//! The pre-commit hook, through the real pre-commit framework, in a throw-away resume repo:
//! `resume-lint init`, add the hook, commit a weak resume (refused), fix it, commit (accepted).
//!
//! pre-commit builds the hook with `cargo install` from this repository's HEAD, so the first run
//! takes minutes; its cache lives in target/pre-commit-home. Without `pre-commit` on PATH the test
//! says so and passes, unless RESUME_LINT_REQUIRE_PRECOMMIT=1 (set by .ci/run), where it fails.

use std::path::Path;
use std::process::{Command, Output};

fn sh(dir: &Path, program: &str, args: &[&str]) -> Output {
    let home = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit-home");
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        // Build from the crates already in cargo's cache: no network in tests.
        .env("CARGO_NET_OFFLINE", "true")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn precommit_hook_refuses_a_weak_resume_and_accepts_the_fix() {
    let has_precommit = Command::new("pre-commit").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_precommit {
        assert!(
            std::env::var_os("RESUME_LINT_REQUIRE_PRECOMMIT").is_none(),
            "pre-commit is required here: pip install pre-commit"
        );
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = sh(manifest, "git", &["rev-parse", "HEAD"]);
    assert!(head.status.success(), "this repository needs a commit for pre-commit to clone");
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_string();

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(sh(repo, "git", &["init", "-q"]).status.success());
    let init = sh(repo, env!("CARGO_BIN_EXE_resume-lint"), &["init"]);
    assert!(init.status.success(), "{}", text(&init));
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: resume-lint\n", manifest.display()),
    )
    .unwrap();
    let install = sh(repo, "pre-commit", &["install"]);
    assert!(install.status.success(), "{}", text(&install));

    std::fs::write(repo.join("resume.md"), "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Responsible for the billing service.\n").unwrap();
    sh(repo, "git", &["add", "-A"]);
    let refused = sh(repo, "git", &["commit", "-q", "-m", "weak"]);
    assert!(!refused.status.success(), "the weak resume must be refused: {}", text(&refused));
    assert!(text(&refused).contains("resume.md:7:3: warning[style/duty-not-result]"), "{}", text(&refused));

    std::fs::write(repo.join("resume.md"), "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Ran the billing service at 99.95% uptime across 3 regions.\n").unwrap();
    sh(repo, "git", &["add", "-A"]);
    let accepted = sh(repo, "git", &["commit", "-q", "-m", "fixed"]);
    assert!(accepted.status.success(), "the fixed resume must pass: {}", text(&accepted));
}
