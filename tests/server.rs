//! `resume-lint server` over real pipes: a small client in this file speaks the protocol to the
//! binary (framing from `lsp-server`, the crate the server itself uses), and real editors' clients
//! drive it from tests/lsp/ (pytest-lsp and headless Neovim, both run from here).
//!
//! Without pytest-lsp (in the venv at target/lsp-venv, or RESUME_LINT_LSP_PYTHON) or `nvim` on
//! PATH those two tests say so and pass, unless RESUME_LINT_REQUIRE_PYTEST_LSP=1 or
//! RESUME_LINT_REQUIRE_NEOVIM=1 (set by .ci/run), where they fail.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_resume-lint");

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A `file://` URI for an absolute path (the fixtures' names need no escaping but spaces).
fn uri(path: &Path) -> String {
    format!("file://{}", path.display().to_string().replace(' ', "%20"))
}

/// One server process and the messages it sent that nobody has read yet.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    next_id: i32,
    pending: Vec<Notification>,
}

impl Session {
    fn start() -> Session {
        let mut child = Command::new(BIN)
            .arg("server")
            .current_dir(manifest())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut s = Session { child, stdin, stdout, next_id: 0, pending: Vec::new() };
        let init = s.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
        assert_eq!(init["capabilities"]["positionEncoding"], "utf-16", "{init}");
        assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1, "full sync: {init}");
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, message: Message) {
        message.write(self.stdin.as_mut().expect("stdin open")).expect("write to the server");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(method.into(), params)));
    }

    /// Send a request and read until its response; notifications read meanwhile are kept.
    fn request_raw(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Message::Request(Request::new(id.clone(), method.into(), params)));
        loop {
            match self.read() {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params);
        r.response_result.unwrap_or_else(|e| panic!("{method}: {e:?}"))
    }

    fn read(&mut self) -> Message {
        Message::read(&mut self.stdout).expect("read from the server").expect("the server closed its output")
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let n = match self.pending.iter().position(|n| n.method == "textDocument/publishDiagnostics") {
                Some(i) => self.pending.remove(i),
                None => match self.read() {
                    Message::Notification(n) => n,
                    other => panic!("unexpected {other:?}"),
                },
            };
            if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri && n.params["version"] == version {
                return n.params["diagnostics"].as_array().cloned().unwrap_or_default();
            }
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}));
        self.diagnostics(uri, 1)
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) -> Vec<Value> {
        self.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}));
        self.diagnostics(uri, version)
    }

    /// `shutdown` (when asked), then `exit`; the exit code.
    fn finish(mut self, shutdown: bool) -> i32 {
        if shutdown {
            assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        }
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().expect("exited, not killed");
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Every fixture in a format the server reads (all but .pdf and .docx), sorted.
fn text_fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walk(&manifest().join("fixtures"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| ["md", "txt", "tex", "json", "yaml"].contains(&e.to_str().unwrap_or(""))))
        .collect();
    found.sort();
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read fixtures") {
        let path = entry.expect("entry").path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

fn language(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") => "markdown",
        Some("tex") => "latex",
        Some("json") => "json",
        Some("yaml") => "yaml",
        _ => "plaintext",
    }
}

/// The protocol position of byte `offset`, counted here independently of the server: the line
/// is the number of newlines before it, the column the UTF-16 units since the last one.
fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[start..offset].encode_utf16().count()})
}

/// What both front ends must agree on: rule, severity, message and range, in order.
fn cli_findings(path: &Path, text: &str) -> Vec<Value> {
    let out = Command::new(BIN).args(["--format", "json"]).arg(path).current_dir(manifest()).output().expect("run the CLI");
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).expect("CLI JSON");
    let severity = |s: &str| match s {
        "error" => 1,
        "warning" => 2,
        _ => 3,
    };
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let (start, end) = (d["start"]["byte"].as_u64().unwrap() as usize, d["end"]["byte"].as_u64().unwrap() as usize);
            json!({
                "code": d["rule"],
                "severity": severity(d["severity"].as_str().unwrap()),
                "message": d["message"],
                "range": {"start": utf16_position(text, start), "end": utf16_position(text, end)},
            })
        })
        .collect()
}

fn server_findings(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .map(|d| json!({"code": d["code"], "severity": d["severity"], "message": d["message"], "range": d["range"]}))
        .collect()
}

#[test]
fn diagnostics_equal_the_cli_json_for_every_text_fixture() {
    let fixtures = text_fixtures();
    assert!(fixtures.len() >= 8, "fixtures of every text format: {fixtures:?}");
    let mut session = Session::start();
    for path in &fixtures {
        let text = std::fs::read_to_string(path).unwrap();
        let published = session.open(&uri(path), language(path), &text);
        let expected = cli_findings(path, &text);
        assert_eq!(server_findings(&published), expected, "{}", path.display());
        for d in &published {
            assert_eq!(d["source"], "resume-lint");
        }
    }
    assert_eq!(session.finish(true), 0);
}

#[test]
fn every_disable_comment_silences_its_line_in_every_format() {
    // For each diagnostic of each fixture: apply the server's "disable for this line" action to
    // the fixture as it is, and the rule must no longer fire on that line, with no unused
    // suppression left behind. This checks each format's comment syntax against the suppressor.
    let mut session = Session::start();
    let mut checked = 0;
    for path in text_fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let u = uri(&path);
        let published = session.open(&u, language(&path), &text);
        let mut version = 1;
        for d in &published {
            let actions = session.request("textDocument/codeAction", json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}));
            let title = format!("Disable {} for this line", d["code"].as_str().unwrap());
            let disable = actions.as_array().unwrap().iter().find(|a| a["title"] == title.as_str() && a["diagnostics"][0] == *d);
            let disable = disable.unwrap_or_else(|| panic!("{}: no `{title}` in {actions}", path.display()));
            let edit = &disable["edit"]["changes"][u.as_str()][0];
            let line = d["range"]["start"]["line"].as_u64().unwrap() as usize;
            assert_eq!(edit["range"]["start"], json!({"line": line, "character": 0}));
            assert_eq!(edit["range"]["start"], edit["range"]["end"], "an insertion");
            let at: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
            let new_text = format!("{}{}{}", &text[..at], edit["newText"].as_str().unwrap(), &text[at..]);
            version += 1;
            let after = session.change(&u, version, &new_text);
            let still = after.iter().any(|a| a["code"] == d["code"] && a["range"]["start"]["line"] == line + 1);
            assert!(!still, "{}: {} still fires on line {} after\n{}", path.display(), d["code"], line + 1, edit["newText"]);
            assert!(!after.iter().any(|a| a["code"] == "resume-lint/unused-suppression"), "{}: unused after {}", path.display(), edit["newText"]);
            // Back to the fixture as it is for the next diagnostic's action.
            version += 1;
            assert_eq!(session.change(&u, version, &text), published);
            checked += 1;
        }
        session.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    }
    assert!(checked > 100, "checked {checked}");
    assert_eq!(session.finish(true), 0);
}

#[test]
fn exit_codes_follow_the_protocol() {
    assert_eq!(Session::start().finish(true), 0, "shutdown then exit");
    assert_eq!(Session::start().finish(false), 1, "exit without shutdown");
    let mut session = Session::start();
    session.request("shutdown", Value::Null);
    let after = session.request_raw("textDocument/hover", json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}));
    assert!(after.response_result.is_err(), "requests after shutdown are refused");
    session.notify("exit", Value::Null);
    drop(session.stdin.take());
    assert_eq!(session.child.wait().unwrap().code(), Some(0));
}

/// The `initialize` request, framed as a client sends it.
fn initialize() -> Vec<u8> {
    let mut bytes = Vec::new();
    let init = Request::new(RequestId::from(1), "initialize".into(), json!({"processId": null, "capabilities": {}}));
    Message::Request(init).write(&mut bytes).unwrap();
    bytes
}

/// `initialize` and `initialized`, framed as a client sends them.
fn handshake() -> Vec<u8> {
    let mut bytes = initialize();
    Message::Notification(Notification::new("initialized".into(), json!({}))).write(&mut bytes).unwrap();
    bytes
}

/// Run the server on `input` as its whole standard input, its output going to `stdout`: the
/// exit code and standard error.
fn raw_session(input: &[u8], stdout: Stdio) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .arg("server")
        .current_dir(manifest())
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    // The server may stop reading at the first bad byte; what it left unread does not matter.
    let _ = std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input);
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_content_length_past_what_the_server_reads_is_one_error_line_not_a_crash() {
    // lsp-server allocated the claimed length up front: 2^64 - 1 panicked its reader thread
    // (then the main thread, joining it), 10^15 aborted the process on the failed allocation.
    for claimed in [u64::MAX, 1_000_000_000_000_000, 256 << 20 | 1] {
        let lying = format!("Content-Length: {claimed}\r\n\r\n{{}}");
        for input in [lying.clone().into_bytes(), [handshake(), lying.into_bytes()].concat()] {
            let (code, err) = raw_session(&input, Stdio::null());
            assert_eq!(
                err,
                format!("error: language server protocol: a message of {claimed} bytes is over the 268435456 bytes the server reads\n")
            );
            assert_eq!(code, Some(2), "{err}");
        }
    }
    // A length the input never delivers is a client that vanished mid-message: nobody to tell.
    let (code, err) = raw_session(&[handshake(), b"Content-Length: 200000000\r\n\r\n{}".to_vec()].concat(), Stdio::null());
    assert_eq!((code, err.as_str()), (Some(1), ""));
}

#[test]
fn a_broken_stream_is_one_error_line_naming_what_is_wrong() {
    let cases: [(&[u8], &str); 4] = [
        (b"hello\n", "malformed header \"hello\""),
        (b"Content-Length: ten\r\n\r\n", "Content-Length \"ten\" is not a number"),
        (b"Content-Type: x\r\n\r\n{}", "a message without Content-Length"),
        (b"Content-Length: 17\r\n\r\n{\"jsonrpc\":\"2.0\",", "malformed message: EOF while parsing"),
    ];
    for (broken, reason) in cases {
        // Before `initialize` the session used to end on "disconnected channel"; after it,
        // silently with the exit code of a client that left without `shutdown`.
        for input in [broken.to_vec(), [handshake(), broken.to_vec()].concat()] {
            let (code, err) = raw_session(&input, Stdio::null());
            assert!(err.starts_with(&format!("error: language server protocol: {reason}")), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert_eq!(code, Some(2), "{err}");
        }
    }
    // A header line is read up to 1 KiB, and quoted clipped.
    let (code, err) = raw_session(&[b'a'; 5_000], Stdio::null());
    assert_eq!(err, format!("error: language server protocol: malformed header \"{}...\"\n", "a".repeat(40)));
    assert_eq!(code, Some(2));
}

#[test]
fn an_input_that_ends_before_the_handshake_says_so() {
    // It used to say "disconnected channel", the library's word for it.
    for input in [Vec::new(), initialize()] {
        let (code, err) = raw_session(&input, Stdio::null());
        assert_eq!(err, "error: language server protocol: the input ended before the client finished initializing\n");
        assert_eq!(code, Some(2));
    }
}

#[test]
fn a_failed_write_to_standard_output_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::File::create("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    // A request before `initialize` is answered at once; once that answer failed to write,
    // lsp-server's writer was gone and its next `send(..).unwrap()` panicked.
    let mut input = Vec::new();
    for id in [7, 8] {
        Message::Request(Request::new(RequestId::from(id), "shutdown".into(), Value::Null)).write(&mut input).unwrap();
    }
    input.extend(handshake());
    Message::Notification(Notification::new("exit".into(), Value::Null)).write(&mut input).unwrap();
    let (code, err) = raw_session(&input, Stdio::from(full));
    assert_eq!(err, "error: language server: cannot write to standard output: no space left on device\n");
    assert_eq!(code, Some(2));
}

#[test]
fn a_change_on_a_one_page_resume_is_answered_quickly() {
    // publishDiagnostics latency: from writing a didChange to reading its diagnostics. The
    // figure is printed (`cargo test --release --test server -- --nocapture a_change`); the bound
    // only catches a pathology such as reloading the rules on every keystroke.
    let path = manifest().join("fixtures/markdown/resume-weak.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = uri(&path);
    let mut session = Session::start();
    session.open(&u, "markdown", &text);
    let mut times = Vec::new();
    for version in 2..102 {
        // Type one more character at the end, as an editor does.
        let edited = format!("{text}{}", "x".repeat(version as usize % 7));
        let start = Instant::now();
        let published = session.change(&u, version, &edited);
        times.push(start.elapsed());
        assert!(!published.is_empty());
    }
    times.sort();
    let (median, p95) = (times[times.len() / 2], times[times.len() * 95 / 100]);
    eprintln!("didChange -> publishDiagnostics on {} bytes: median {median:?}, p95 {p95:?}", text.len());
    assert!(median < Duration::from_millis(500), "median {median:?}");
    assert_eq!(session.finish(true), 0);
}

/// The venv's Python with pytest-lsp, if there is one.
fn lsp_python() -> Option<PathBuf> {
    let python = std::env::var_os("RESUME_LINT_LSP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest().join("target/lsp-venv/bin/python"));
    let ok = Command::new(&python).args(["-c", "import pytest_lsp"]).output().is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

#[test]
fn pytest_lsp_drives_a_whole_session() {
    let Some(python) = lsp_python() else {
        assert!(
            std::env::var_os("RESUME_LINT_REQUIRE_PYTEST_LSP").is_none(),
            "pytest-lsp is required here: python3 -m venv target/lsp-venv && target/lsp-venv/bin/pip install pytest-lsp"
        );
        eprintln!("skipped: no pytest-lsp (python3 -m venv target/lsp-venv && target/lsp-venv/bin/pip install pytest-lsp)");
        return;
    };
    let out = Command::new(python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/lsp"])
        .current_dir(manifest())
        .env("RESUME_LINT_BIN", BIN)
        // Leave no __pycache__ in the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run pytest");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{log}");
    assert!(log.contains(" passed") && !log.contains("skipped"), "{log}");
}

#[test]
fn neovim_shows_the_diagnostics() {
    let has_nvim = Command::new("nvim").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_nvim {
        assert!(std::env::var_os("RESUME_LINT_REQUIRE_NEOVIM").is_none(), "neovim is required here: apt-get install neovim");
        eprintln!("skipped: no nvim (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let resume = dir.path().join("resume.md");
    std::fs::write(&resume, "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- • Utilized Kafka 🚀 to move billing events.\n").unwrap();
    let result = dir.path().join("result.txt");
    let out = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-u", "NONE", "-S"])
        .arg(manifest().join("tests/lsp/smoke.lua"))
        .arg(&resume)
        .current_dir(dir.path())
        .env("RESUME_LINT_BIN", BIN)
        .env("RESUME_LINT_RESULT", &result)
        .stdin(Stdio::null())
        .output()
        .expect("run nvim");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let got = std::fs::read_to_string(&result).unwrap_or_else(|_| panic!("nvim wrote no result: {log}"));
    // Neovim's own diagnostic list: 0-based line and byte column, the rule id as code.
    let line = got.lines().find(|l| l.contains("style/inflated-word")).unwrap_or_else(|| panic!("{got}\n{log}"));
    assert_eq!(line, "6:6 style/inflated-word 3 `Utilized` is a long way to say a plain word", "{got}");
    assert!(out.status.success(), "{log}");
}
