//! Files and paths that must not hurt: special files, unreadable entries, hostile names,
//! `--fix` on links, read-only and changing files, ignore files in walks, and the file-facing
//! flags (`-o`, `--max-warnings`, completions, man page).
//!
//! Permission cases need a user the file system says no to. Tests run as root here and in CI,
//! and root reads anything, so when the tests are root the binary is run as `nobody` through
//! `setpriv` (util-linux); without setpriv such a test fails rather than passing unexercised.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_resume-lint");
const WEAK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/markdown/resume-weak.md");
/// A resume with one safe fix (`Utilized` → `Used`).
const FIXABLE: &str = "# Ana\n\n## Experience\n\n- Utilized Redis to cache 2M lookups a day.\n";

fn bin(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// Run with a deadline, so a regression that blocks (a FIFO opened for reading) fails the test
/// instead of hanging the suite.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    finish(bin(dir).args(args))
}

fn finish(cmd: &mut Command) -> Output {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("binary runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("resume-lint {:?} did not finish in 60 s", cmd.get_args().collect::<Vec<_>>());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A temporary folder every user may enter (tempfile makes them 0700).
fn open_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// The binary run as a user without privileges (itself when the tests are not root). As root
/// the binary is linked into `dir`, which `nobody` can reach wherever the checkout lives.
fn unprivileged(dir: &Path, args: &[&str]) -> Output {
    if !is_root() {
        return run_in(dir, args);
    }
    let copy = dir.join("resume-lint-bin");
    if fs::hard_link(BIN, &copy).is_err() {
        fs::copy(BIN, &copy).unwrap();
    }
    fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&copy).args(args);
    cmd.current_dir(dir).env("HOME", dir);
    let o = finish(&mut cmd);
    fs::remove_file(&copy).unwrap();
    assert!(!err(&o).contains("setpriv:"), "setpriv could not drop privileges: {}", err(&o));
    o
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, text).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    path
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; the return value is checked.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

/// The files a concise run reported on, each once, in output order.
fn files_reported(o: &Output) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for line in out(o).lines() {
        let file = line.split(':').next().unwrap().to_string();
        if files.last() != Some(&file) {
            files.push(file);
        }
    }
    files
}

fn weak() -> String {
    fs::read_to_string(WEAK).unwrap()
}

#[test]
fn a_fifo_named_beside_a_good_file_is_one_error_and_the_good_file_is_linted() {
    let dir = open_tempdir();
    write(dir.path(), "good.md", &weak());
    mkfifo(&dir.path().join("resume.md"));
    let o = run_in(dir.path(), &["--format", "concise", "good.md", "resume.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(files_reported(&o), ["good.md"]);
    assert_eq!(err(&o), "error: resume.md: is a named pipe, not a regular file (use `-` to lint standard input)\n");
}

#[test]
fn special_files_found_in_a_walk_are_errors_and_the_rest_is_linted() {
    let dir = open_tempdir();
    write(dir.path(), "cv/a.md", &weak());
    write(dir.path(), "cv/z.md", &weak());
    mkfifo(&dir.path().join("cv/pipe.md"));
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("cv/sock.md")).unwrap();
    // Special files with no supported extension would not have been linted: no error for them.
    mkfifo(&dir.path().join("cv/notes.fifo"));
    let o = run_in(dir.path(), &["--format", "concise", "cv"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(files_reported(&o), ["cv/a.md", "cv/z.md"]);
    let stderr = err(&o);
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        errors,
        [
            "error: cv/pipe.md: is a named pipe, not a regular file (use `-` to lint standard input)",
            "error: cv/sock.md: is a socket, not a regular file",
        ]
    );
}

#[test]
fn a_device_is_refused_without_being_read() {
    let dir = open_tempdir();
    // /dev/zero never ends: reading it would run into the size cap, not stop at once.
    let o = run_in(dir.path(), &["/dev/zero", "/dev/null"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "error: /dev/zero: is a device, not a regular file\nerror: /dev/null: is a device, not a regular file\n"
    );
}

#[test]
fn an_unreadable_folder_or_file_in_a_walk_is_one_error_each_and_the_rest_is_linted() {
    let dir = open_tempdir();
    write(dir.path(), "d/a.md", &weak());
    write(dir.path(), "d/locked/hidden-from-me.md", &weak());
    write(dir.path(), "d/secret.md", &weak());
    write(dir.path(), "d/sub/b.md", &weak());
    fs::set_permissions(dir.path().join("d/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(dir.path().join("d/secret.md"), fs::Permissions::from_mode(0o000)).unwrap();
    let o = unprivileged(dir.path(), &["--format", "concise", "d"]);
    fs::set_permissions(dir.path().join("d/locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(files_reported(&o), ["d/a.md", "d/sub/b.md"], "{}", err(&o));
    assert_eq!(err(&o), "error: d/locked: permission denied\nerror: d/secret.md: permission denied\n");
}

/// A name with a newline, an escape sequence and a bidi override, as a hostile archive or
/// checkout could hold.
const HOSTILE: &str = "bad\nname\u{1b}[31m\u{202e}.md";
const SHOWN: &str = "bad\\nname\\u{1b}[31m\\u{202e}.md";

fn assert_no_raw_controls(format: &str, text: &str) {
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{format}: raw escape or override in {text:?}");
    assert!(!text.contains("bad\nname"), "{format}: the name's newline split a line: {text:?}");
}

#[test]
fn hostile_file_names_are_escaped_in_every_output_format_and_error_line() {
    let dir = open_tempdir();
    write(dir.path(), HOSTILE, &weak());
    for format in ["human", "concise", "github"] {
        let o = run_in(dir.path(), &["--format", format, "--color", "never", HOSTILE]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", err(&o));
        let text = out(&o);
        assert_no_raw_controls(format, &text);
        assert!(text.contains(SHOWN), "{format}: the escaped name is shown: {text}");
    }
    // Machine formats keep the exact name, in their own escapes: JSON strings, SARIF URIs.
    let o = run_in(dir.path(), &["--format", "json", HOSTILE]);
    assert_no_raw_controls("json", &out(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["path"], HOSTILE, "JSON round-trips the real name");
    let o = run_in(dir.path(), &["--format", "sarif", HOSTILE]);
    assert_no_raw_controls("sarif", &out(&o));
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert_eq!(uri, "bad%0Aname%1B%5B31m%E2%80%AE.md");
    // The headers of --diff too.
    let fixable = format!("fix-{HOSTILE}");
    write(dir.path(), &fixable, FIXABLE);
    let o = run_in(dir.path(), &["--diff", &fixable]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_no_raw_controls("diff", &out(&o));
    assert!(out(&o).contains(&format!("--- a/fix-{SHOWN}\n+++ b/fix-{SHOWN}\n")), "{}", out(&o));
    // --statistics prints no names; the files it could not read are error lines, escaped too.
    let binary = format!("{HOSTILE}.txt");
    write(dir.path(), &binary, "x\0y");
    let o = run_in(dir.path(), &["--statistics", HOSTILE, &binary]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_raw_controls("statistics", &out(&o));
    assert!(out(&o).contains("ml-ownership/ml-title-unbacked"), "{}", out(&o));
    assert_eq!(err(&o), format!("error: {SHOWN}.txt: binary data (NUL bytes), not a text file\n"));
    // The same holds for a name that is not UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let raw = std::ffi::OsStr::from_bytes(b"cv\xff\x1b.md");
    fs::write(dir.path().join(raw), "x\0y").unwrap();
    let o = finish(bin(dir.path()).arg(raw));
    assert_eq!(err(&o), "error: cv\\xff\\u{1b}.md: binary data (NUL bytes), not a text file\n");
}

#[test]
fn fix_through_a_symlink_rewrites_the_target_and_keeps_the_link() {
    let dir = open_tempdir();
    let target = write(dir.path(), "versions/resume-v3.md", FIXABLE);
    std::os::unix::fs::symlink("versions/resume-v3.md", dir.path().join("resume.md")).unwrap();
    let o = run_in(dir.path(), &["--fix", "resume.md"]);
    assert!(out(&o).contains("Fixed 1 problem."), "{}{}", out(&o), err(&o));
    let link = dir.path().join("resume.md");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("versions/resume-v3.md"));
    assert_eq!(fs::read_to_string(&target).unwrap(), FIXABLE.replace("Utilized", "Used"));
    assert_eq!(fs::read_dir(dir.path().join("versions")).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn fix_keeps_crlf_line_endings_and_the_bom() {
    let dir = open_tempdir();
    let text = format!("\u{feff}{}", FIXABLE.replace('\n', "\r\n"));
    let path = write(dir.path(), "cv.md", &text);
    let o = run_in(dir.path(), &["--fix", "cv.md"]);
    assert!(out(&o).contains("Fixed 1 problem."), "{}{}", out(&o), err(&o));
    assert_eq!(fs::read(&path).unwrap(), text.replace("Utilized", "Used").into_bytes());
}

#[test]
fn fix_refuses_a_read_only_file_and_leaves_nothing_behind() {
    let dir = open_tempdir();
    let path = write(dir.path(), "cv.md", FIXABLE);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    // As root too: the mode bits say "do not touch", and root's rename would ignore them.
    let o = run_in(dir.path(), &["--fix", "cv.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o), "error: cv.md: the file is read-only; not written\n");
    assert!(out(&o).contains("style/inflated-word"), "the findings are still reported: {}", out(&o));
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn fix_refuses_a_file_in_a_read_only_folder_as_an_unprivileged_user() {
    let dir = open_tempdir();
    let folder = dir.path().join("cv");
    let path = write(dir.path(), "cv/cv.md", FIXABLE);
    // The file is writable by everyone, its folder only by its group (so its mode does not say
    // read-only): the temporary file is what fails, with the operating system's permission error.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o575)).unwrap();
    let o = unprivileged(dir.path(), &["--fix", "cv/cv.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(err(&o), "error: cv/cv.md: its folder is not writable (permission denied); not written\n");
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 1, "no temporary file left");
    // A folder whose mode says read-only is refused even for root.
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let o = run_in(dir.path(), &["--fix", "cv/cv.md"]);
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(err(&o), "error: cv/cv.md: its folder is read-only; not written\n");
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);
}

#[test]
fn fix_refuses_a_file_the_user_may_not_write() {
    let dir = open_tempdir();
    let path = write(dir.path(), "cv.md", FIXABLE);
    // Writable by its group, so not marked read-only, but not by its owner or anyone else; the
    // folder is open to all, so only the file's own permission stands in the way.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o464)).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let o = unprivileged(dir.path(), &["--fix", "cv.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(err(&o), "error: cv.md: the file is not writable (permission denied); not written\n");
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);
}

#[test]
fn a_file_changed_between_read_and_write_is_left_alone() {
    let dir = open_tempdir();
    let path = write(dir.path(), "cv.md", FIXABLE);
    // What an editor saved after resume-lint read the file.
    let edited = FIXABLE.replace("Redis", "Memcached");
    fs::write(&path, &edited).unwrap();
    let e = resume_lint::fix::write_fixed(&path, FIXABLE.as_bytes(), &FIXABLE.replace("Utilized", "Used")).unwrap_err();
    assert_eq!(e.kind, resume_lint::error::ErrorKind::Changed);
    assert!(e.to_string().ends_with("cv.md: changed on disk since it was read; left as it is (run again to fix the new text)"), "{e}");
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    // Unchanged, the same call writes.
    resume_lint::fix::write_fixed(&path, edited.as_bytes(), "new\n").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
}

#[test]
fn walks_respect_ignore_files_and_hidden_files_but_named_paths_are_always_linted() {
    let dir = open_tempdir();
    let d = dir.path();
    for name in [
        "repo/b.md",
        "repo/a.md",
        "repo/drafts/old.md",
        "repo/notes.md",
        "repo/private.md",
        "repo/.hidden.md",
        "repo/.archive/x.md",
        "repo/target/out.md",
        "repo/node_modules/pkg/readme.md",
        "repo/sub/c.md",
        "repo/sub/local.md",
    ] {
        write(d, name, &weak());
    }
    write(d, "repo/.gitignore", "drafts/\nnotes.md\n");
    write(d, "repo/.ignore", "private.md\n");
    write(d, "repo/sub/.gitignore", "local.md\n");
    let o = run_in(d, &["--format", "concise", "repo"]);
    assert_eq!(files_reported(&o), ["repo/a.md", "repo/b.md", "repo/sub/c.md"], "{}", err(&o));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    // Named explicitly: an ignored file, a hidden folder, target/.
    let o = run_in(d, &["--format", "concise", "repo/notes.md", "repo/.archive", "repo/target", "repo/drafts"]);
    assert_eq!(
        files_reported(&o),
        ["repo/notes.md", "repo/.archive/x.md", "repo/target/out.md", "repo/drafts/old.md"],
        "{}",
        err(&o)
    );
}

#[test]
fn output_file_gets_the_report_and_errors_stay_on_stderr() {
    let dir = open_tempdir();
    write(dir.path(), "cv.md", &weak());
    let o = run_in(dir.path(), &["--format", "concise", "-o", "report.txt", "cv.md", "missing.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(out(&o), "", "nothing on stdout");
    assert_eq!(err(&o), "error: missing.md: no such file or directory\n");
    let report = fs::read_to_string(dir.path().join("report.txt")).unwrap();
    let direct = run_in(dir.path(), &["--format", "concise", "cv.md"]);
    assert_eq!(report, out(&direct));
    assert!(!report.contains('\u{1b}'), "--color auto never colours a file");
    // Written through a link as --fix is, the link kept; replaced atomically, no temp left.
    std::os::unix::fs::symlink("report.txt", dir.path().join("latest.txt")).unwrap();
    let o = run_in(dir.path(), &["--format", "json", "--output-file", "latest.txt", "cv.md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(fs::symlink_metadata(dir.path().join("latest.txt")).unwrap().file_type().is_symlink());
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(dir.path().join("report.txt")).unwrap()).unwrap();
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
    // A report that cannot be written is an error, and is printed instead of lost.
    let o = run_in(dir.path(), &["--format", "concise", "-o", "no/such/dir/r.txt", "cv.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o), "error: no/such/dir/r.txt: no such file or directory\n");
    assert_eq!(out(&o), out(&direct));
}

#[test]
fn max_warnings_is_a_budget_for_warnings_only() {
    let dir = open_tempdir();
    write(dir.path(), "cv.md", &weak());
    let json = run_in(dir.path(), &["--format", "json", "cv.md"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let warnings = json["summary"]["warnings"].as_u64().unwrap() as usize;
    assert_eq!(json["summary"]["errors"], 0, "the fixture has warnings only");
    assert!(warnings > 1);
    let exact = warnings.to_string();
    let below = (warnings - 1).to_string();
    let o = run_in(dir.path(), &["--max-warnings", &exact, "cv.md"]);
    assert_eq!(o.status.code(), Some(0), "{warnings} warnings are within a budget of {warnings}");
    assert!(!out(&o).contains("Too many warnings"));
    let o = run_in(dir.path(), &["--max-warnings", &below, "cv.md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains(&format!("Too many warnings: {warnings} (at most {below} allowed by --max-warnings).")), "{}", out(&o));
    // Errors still fail whatever the warning budget.
    write(dir.path(), "template.md", "# Ana\n\n## Experience\n\n- Achievement 1\n- Lorem ipsum dolor sit amet\n");
    let o = run_in(dir.path(), &["--max-warnings", "1000", "--format", "concise", "template.md"]);
    assert!(out(&o).contains("error["), "{}", out(&o));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn completions_and_man_page_come_from_the_clap_definition() {
    let dir = open_tempdir();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run_in(dir.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", err(&o));
        for flag in ["max-warnings", "output-file", "fail-on"] {
            assert!(out(&o).contains(flag), "{shell} completion knows --{flag}");
        }
    }
    // The bash script is valid bash.
    let script = dir.path().join("resume-lint.bash");
    fs::write(&script, run_in(dir.path(), &["completions", "bash"]).stdout).unwrap();
    let check = Command::new("bash").arg("-n").arg(&script).output().expect("bash is installed");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let o = run_in(dir.path(), &["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = out(&o);
    assert!(page.contains(".TH resume-lint 1"), "{page}");
    for flag in ["\\-\\-max\\-warnings", "\\-\\-output\\-file", "completions", "check\\-rules"] {
        assert!(page.contains(flag), "the man page lists {flag}");
    }
    let o = run_in(dir.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}
