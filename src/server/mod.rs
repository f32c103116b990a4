//! `resume-lint server`: a Language Server over standard input and output, built on
//! rust-analyzer's `lsp-server` (the connection and its handshake; the stdio framing is our
//! own, in `transport.rs`, because the library's can crash on a client's bytes) and
//! `lsp-types` (the messages).
//!
//! A thin front end over [`Linter`]: each open buffer is linted with
//! [`Linter::lint_text_as`] on open, change (full text sync) and save, and the result is
//! published as diagnostics (rule id as `code`, the rule's reference page as `codeDescription`).
//! Hover on a diagnostic explains its rule with one flagged and one clean example; code actions
//! offer the rule's fix and a "disable for this line" comment. The nearest `resume-lint.toml`
//! governs each buffer, and is read again when it changes: on `workspace/didChangeWatchedFiles`
//! (the server asks the client to watch config files), on saving it in the editor, and, for
//! clients that watch nothing, by its modification time before each lint.
//!
//! Positions are UTF-16 code units, the protocol's default encoding. Exit codes follow the
//! protocol: 0 after `shutdown` then `exit`, 1 for `exit` (or a closed input) without `shutdown`;
//! a stream that breaks the framing, or an output that cannot be written, is an error (exit 2)
//! that says why.

mod convert;
mod position;
mod transport;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Exit, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _, Shutdown};
use lsp_types::{
    CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, DidChangeTextDocumentParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, PositionEncodingKind, PublishDiagnosticsParams, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use position::LineIndex;

use crate::config::CONFIG_NAMES;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, ErrorKind};
use crate::linter::{Linter, Options};
use crate::source::InputFormat;

/// Serve one client on standard input and output until it says `exit`; the exit code is the
/// protocol's (0 after a `shutdown`, 1 without one), or an error when the stream broke.
pub fn serve_stdio(options: Options) -> Result<u8, Error> {
    let (connection, transport) = transport::stdio()?;
    let served = serve(&connection, options);
    // The writer thread ends when the last sender is gone; only then can it be joined.
    drop(connection);
    // A broken stream is the cause of whatever the session ended with, so it is the error told.
    transport.finish()?;
    served
}

/// Serve one client on a connection until it says `exit` (or its input closes).
pub fn serve(connection: &Connection, options: Options) -> Result<u8, Error> {
    let protocol = |e: lsp_server::ProtocolError| {
        // The library's "disconnected channel" is, seen from the user, an input that ended.
        let reason = if e.channel_is_disconnected() { "the input ended before the client finished initializing".to_string() } else { e.to_string() };
        Error::usage(format!("language server protocol: {reason}"))
    };
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| Error::usage(format!("language server protocol: initialize: {e}")))?;
    let result = InitializeResult { capabilities: capabilities(), server_info: Some(ServerInfo { name: "resume-lint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }) };
    connection.initialize_finish(id, serde_json::to_value(result).unwrap_or_default()).map_err(protocol)?;
    let watch = params
        .capabilities
        .workspace
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server { linter: Linter::new(options), docs: HashMap::new(), stamps: HashMap::new(), out: connection, shut_down: false, watch };
    // `initialize_finish` has consumed the `initialized` notification: the client is ready.
    server.register_watcher();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => server.request(request),
            Message::Response(_) => {} // the answer to registering the config watcher
            Message::Notification(note) if note.method == Exit::METHOD => {
                return Ok(if server.shut_down { 0 } else { 1 });
            }
            Message::Notification(note) => server.notification(note),
        }
    }
    // Input closed without `exit`.
    Ok(1)
}

/// What the server offers: full-text sync with the text on save, hover, quick fixes.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// An open buffer and what the last lint found in it.
struct OpenDoc {
    uri: Uri,
    version: i32,
    text: String,
    index: LineIndex,
    /// The path it is linted as: its file, or a made-up name for an unsaved buffer.
    shown: PathBuf,
    /// How it is read; `None` for a language resume-lint does not read (nothing is published).
    format: Option<InputFormat>,
    /// The last lint's diagnostics, each with the form it was published in.
    found: Vec<(Diagnostic, lsp_types::Diagnostic)>,
}

/// A config file's identity on disk, to notice that it changed.
type Stamp = Option<(SystemTime, u64)>;

struct Server<'c> {
    linter: Linter,
    docs: HashMap<Uri, OpenDoc>,
    /// Each config file seen, as it was when last read.
    stamps: HashMap<PathBuf, Stamp>,
    out: &'c Connection,
    shut_down: bool,
    /// Whether the client watches files for us.
    watch: bool,
}

impl Server<'_> {
    fn send(&self, message: impl Into<Message>) {
        // A closed connection ends the loop on the next receive; nothing to do here.
        let _ = self.out.sender.send(message.into());
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shut_down {
            self.send(Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shut down".into()));
            return;
        }
        let result = match request.method.as_str() {
            Shutdown::METHOD => {
                self.shut_down = true;
                Ok(serde_json::Value::Null)
            }
            HoverRequest::METHOD => parse::<HoverParams>(request.params).map(|p| self.hover(p)),
            CodeActionRequest::METHOD => parse::<CodeActionParams>(request.params).map(|p| self.code_actions(p)),
            _ => {
                self.send(Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unknown request {}", request.method)));
                return;
            }
        };
        match result {
            Ok(value) => self.send(Response::new_ok(id, value)),
            Err(reason) => self.send(Response::new_err(id, ErrorCode::InvalidParams as i32, reason)),
        }
    }

    fn notification(&mut self, note: Notification) {
        // Malformed notifications cannot be answered; they are dropped.
        match note.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = parse::<DidOpenTextDocumentParams>(note.params) else { return };
                let doc = p.text_document;
                let path = file_path(&doc.uri);
                let format = format_for(path.as_deref(), &doc.language_id);
                let shown = path.unwrap_or_else(|| unsaved_name(&doc.uri, format));
                let index = LineIndex::new(&doc.text);
                let open = OpenDoc { uri: doc.uri.clone(), version: doc.version, text: doc.text, index, shown, format, found: Vec::new() };
                self.docs.insert(doc.uri.clone(), open);
                self.lint_and_publish(&doc.uri);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = parse::<DidChangeTextDocumentParams>(note.params) else { return };
                let Some(doc) = self.docs.get_mut(&p.text_document.uri) else { return };
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else { return };
                doc.text = change.text;
                doc.index = LineIndex::new(&doc.text);
                doc.version = p.text_document.version;
                self.lint_and_publish(&p.text_document.uri);
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = parse::<DidSaveTextDocumentParams>(note.params) else { return };
                if file_path(&p.text_document.uri).is_some_and(|path| is_config(&path)) {
                    self.config_changed();
                } else if self.docs.contains_key(&p.text_document.uri) {
                    self.lint_and_publish(&p.text_document.uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = parse::<DidCloseTextDocumentParams>(note.params) else { return };
                if self.docs.remove(&p.text_document.uri).is_some() {
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => self.config_changed(),
            _ => {}
        }
    }

    /// Ask the client to tell us when a config file changes, if it can.
    fn register_watcher(&self) {
        if !self.watch {
            return;
        }
        let watchers = CONFIG_NAMES
            .iter()
            .map(|name| FileSystemWatcher { glob_pattern: GlobPattern::String(format!("**/{name}")), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "resume-lint-config".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Request::new(RequestId::from("resume-lint-watch".to_string()), RegisterCapability::METHOD.into(), params));
    }

    /// A config may have changed: read every config again and lint every open buffer again.
    fn config_changed(&mut self) {
        self.linter.reload();
        self.stamps.clear();
        let mut uris: Vec<Uri> = self.docs.keys().cloned().collect();
        uris.sort();
        for uri in uris {
            self.lint_and_publish(&uri);
        }
    }

    /// Forget loaded configs when the one governing `shown` changed on disk since it was read,
    /// for clients that do not watch files.
    fn check_config(linter: &mut Linter, stamps: &mut HashMap<PathBuf, Stamp>, shown: &Path) {
        let Some(config) = linter.config_path_for(shown) else { return };
        let stamp = std::fs::metadata(&config).ok().map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        if let Some(old) = stamps.insert(config, stamp) {
            if old != stamp {
                linter.reload();
            }
        }
    }

    fn lint_and_publish(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else { return };
        let (shown, format) = (doc.shown.clone(), doc.format);
        let Some(format) = format else { return };
        Self::check_config(&mut self.linter, &mut self.stamps, &shown);
        let result = self.linter.lint_text_as(&shown, &doc.text, Some(format));
        let rules = self.linter.rules_for(&shown).ok().map(|(_, set)| set);
        let Some(doc) = self.docs.get_mut(uri) else { return };
        let (text, index) = (&doc.text, &doc.index);
        let (found, extra) = match result {
            Ok(Some(report)) => {
                let found = report
                    .diagnostics
                    .into_iter()
                    .map(|d| {
                        let lsp = convert::diagnostic(text, index, &d, rules.and_then(|set| set.get(&d.rule)));
                        (d, lsp)
                    })
                    .collect();
                (found, None)
            }
            Ok(None) => (Vec::new(), None), // excluded by the config
            Err(e) => {
                let own = e.path.as_deref() == Some(shown.as_path()) && e.kind != ErrorKind::Usage;
                (Vec::new(), Some(convert::unreadable(text, index, &e, own)))
            }
        };
        doc.found = found;
        let diagnostics = doc.found.iter().map(|(_, lsp)| lsp.clone()).chain(extra).collect();
        let version = doc.version;
        self.publish(uri.clone(), diagnostics, Some(version));
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params));
    }

    fn hover(&mut self, p: HoverParams) -> serde_json::Value {
        let at = p.text_document_position_params.position;
        let Some(doc) = self.docs.get(&p.text_document_position_params.text_document.uri) else { return serde_json::Value::Null };
        // The narrowest diagnostic under the cursor explains itself.
        let Some((d, lsp)) = doc
            .found
            .iter()
            .filter(|(_, lsp)| lsp.range.start <= at && at <= lsp.range.end)
            .min_by_key(|(d, _)| d.span.len())
        else {
            return serde_json::Value::Null;
        };
        let (d, range) = (d.clone(), lsp.range);
        let shown = doc.shown.clone();
        let rules = self.linter.rules_for(&shown).ok().map(|(_, set)| set);
        serde_json::to_value(convert::hover(&d, rules.and_then(|set| set.get(&d.rule)), range)).unwrap_or_default()
    }

    fn code_actions(&self, p: CodeActionParams) -> serde_json::Value {
        let Some(doc) = self.docs.get(&p.text_document.uri) else { return serde_json::Value::Null };
        let Some(format) = doc.format else { return serde_json::Value::Null };
        // Every action offered is a quick fix; a client asking only for other kinds gets none.
        let quickfix = CodeActionKind::QUICKFIX;
        if p.context.only.as_ref().is_some_and(|only| !only.iter().any(|k| quickfix.as_str().starts_with(k.as_str()))) {
            return serde_json::Value::Array(Vec::new());
        }
        let want = p.range;
        let actions: Vec<CodeActionOrCommand> = doc
            .found
            .iter()
            .filter(|(_, lsp)| lsp.range.start <= want.end && want.start <= lsp.range.end)
            .flat_map(|(d, lsp)| convert::actions(&doc.uri, &doc.text, &doc.index, format, d, lsp))
            .map(CodeActionOrCommand::CodeAction)
            .collect();
        serde_json::to_value(actions).unwrap_or_default()
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

/// The local path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///x` has an empty authority; `file://localhost/x` names this machine.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// Whether `path` is a config file.
fn is_config(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| CONFIG_NAMES.contains(&n))
}

/// How to read a buffer: by its file's extension when that names a text format, else by the
/// editor's language id; `None` for anything else (a binary format's text is not in an editor).
fn format_for(path: Option<&Path>, language_id: &str) -> Option<InputFormat> {
    match path.and_then(InputFormat::from_path) {
        Some(format) if format.is_text() => return Some(format),
        Some(_) => return None,
        None => {}
    }
    match language_id {
        "markdown" | "md" => Some(InputFormat::Markdown),
        "plaintext" | "text" | "txt" => Some(InputFormat::Text),
        "latex" | "tex" => Some(InputFormat::Latex),
        "json" | "jsonc" => Some(InputFormat::JsonResume),
        "yaml" => Some(InputFormat::Rendercv),
        _ => None,
    }
}

/// A name for a buffer that is not a file, with an extension for its format.
fn unsaved_name(uri: &Uri, format: Option<InputFormat>) -> PathBuf {
    let ext = match format {
        Some(InputFormat::Markdown) => "md",
        Some(InputFormat::Latex) => "tex",
        Some(InputFormat::JsonResume) => "json",
        Some(InputFormat::Rendercv) => "yaml",
        _ => "txt",
    };
    let stem: String = uri.as_str().rsplit(['/', ':']).next().unwrap_or("untitled").chars().filter(|c| c.is_alphanumeric() || *c == '-').collect();
    PathBuf::from(format!("{}.{ext}", if stem.is_empty() { "untitled" } else { &stem }))
}
