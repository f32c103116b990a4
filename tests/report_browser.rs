//! `resume-lint report` in a real browser: Debian's chromium driven by Python playwright
//! (tests/report_browser.py). The page loads with no console error and no request, every
//! highlight lands on the bytes its diagnostic quotes (from `--format json`), a click shows the
//! explanation, and a screenshot is taken (target/report-browser/report.png).
//!
//! The Python is `RESUME_LINT_PYTHON`, else target/browser-venv/bin/python (where .ci/run puts
//! playwright), else `python3`; the browser is `RESUME_LINT_CHROMIUM`, else /usr/bin/chromium.
//! Without them the test says so and passes, unless RESUME_LINT_REQUIRE_BROWSER=1 (set by
//! .ci/run), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Text fixtures only: the script reads each quoted span from the file's bytes.
const FIXTURES: &[&str] = &[
    "fixtures/markdown/resume-weak.md",
    "fixtures/markdown/resume-strong.md",
    "fixtures/markdown/script-weak.md",
    "fixtures/text/resume-weak.txt",
    "fixtures/latex/resume-weak.tex",
    "fixtures/json-resume/resume-weak.json",
    "fixtures/rendercv/resume-weak.yaml",
];

fn python(manifest: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("RESUME_LINT_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = manifest.join("target/browser-venv/bin/python");
    if venv.is_file() { venv } else { PathBuf::from("python3") }
}

#[test]
fn report_page_works_in_chromium() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = python(manifest);
    let chromium = std::env::var_os("RESUME_LINT_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let has_playwright = Command::new(&python).args(["-c", "import playwright.sync_api"]).output().is_ok_and(|o| o.status.success());
    if !has_playwright || !chromium.is_file() {
        let missing = if has_playwright { format!("{} is missing", chromium.display()) } else { format!("{} cannot import playwright", python.display()) };
        assert!(
            std::env::var_os("RESUME_LINT_REQUIRE_BROWSER").is_none(),
            "the browser test is required here, but {missing}: apt-get install chromium; pip install playwright"
        );
        eprintln!("skipped: {missing} (apt-get install chromium; pip install playwright)");
        return;
    }

    let out = manifest.join("target/report-browser");
    std::fs::create_dir_all(&out).unwrap();
    let (page, diagnostics, screenshot) = (out.join("report.html"), out.join("diagnostics.json"), out.join("report.png"));
    let _ = std::fs::remove_file(&screenshot);
    let bin = env!("CARGO_BIN_EXE_resume-lint");
    let report = Command::new(bin).current_dir(manifest).arg("report").args(FIXTURES).arg("-o").arg(&page).output().unwrap();
    assert_eq!(report.status.code(), Some(0), "{}", String::from_utf8_lossy(&report.stderr));
    let json = Command::new(bin).current_dir(manifest).args(["--format", "json"]).args(FIXTURES).output().unwrap();
    std::fs::write(&diagnostics, &json.stdout).unwrap();

    let check = Command::new(&python)
        .current_dir(manifest)
        .arg("tests/report_browser.py")
        .args([&page, &diagnostics, &screenshot])
        .env("RESUME_LINT_CHROMIUM", &chromium)
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&check.stdout), String::from_utf8_lossy(&check.stderr));
    assert!(check.status.success(), "{said}");
    assert!(said.contains("highlights checked"), "{said}");
    let png = std::fs::read(&screenshot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "the screenshot is a real PNG");
}
