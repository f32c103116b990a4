"""`resume-lint server` driven by pytest-lsp, impersonating VS Code's client: a whole session
(initialize, open, change, hover, code actions, config changes, shutdown and exit).

Run by tests/server.rs, which passes the binary in RESUME_LINT_BIN.
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

BIN = os.environ.get("RESUME_LINT_BIN", "target/debug/resume-lint")
FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures"

# A bullet with a bullet character and an emoji before the inflated word: "•" is one UTF-16
# unit and three bytes, "🚀" two units and four bytes, so byte or code-point columns would miss.
RESUME = """# Ana Lima

## Experience

### Backend Engineer, Parcelly (2021 - Present)

- • 🚀 Utilized Kafka to build the “orders” event stream.
"""


def make_client():
    """pytest-lsp's client, also keeping every publish in order (with its version) and the
    server's capability registrations."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.registrations = []

    def published(params: types.PublishDiagnosticsParams):
        client.published.append(params)

    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = published
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "server"], client_factory=make_client))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


async def next_publish(client, uri, seen):
    """The first diagnostics published for `uri` after the first `seen` publishes."""
    for _ in range(1000):
        for params in client.published[seen:]:
            if params.uri == uri:
                return params
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics published for {uri}")


async def open_doc(client, uri, language, text):
    seen = len(client.published)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    params = await next_publish(client, uri, seen)
    assert params.version == 1
    return params.diagnostics


async def change_doc(client, uri, version, text):
    seen = len(client.published)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    params = await next_publish(client, uri, seen)
    assert params.version == version
    return params.diagnostics


def offset(text, pos):
    """The string index of a protocol position, counting columns in UTF-16 units as the protocol does."""
    lines = text.split("\n")
    line = lines[pos.line].encode("utf-16-le")[: pos.character * 2].decode("utf-16-le")
    return sum(len(l) + 1 for l in lines[: pos.line]) + len(line)


def utf16_slice(text, rng):
    """The text a protocol range covers."""
    return text[offset(text, rng.start) : offset(text, rng.end)]


def apply(text, edits):
    """Apply text edits, last first so earlier ranges stay valid."""
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(text, e.range.start)] + e.new_text + text[offset(text, e.range.end) :]
    return text


def codes(diagnostics):
    return [d.code for d in diagnostics]


async def test_a_whole_session(client: LanguageClient, tmp_path):
    config = tmp_path / "resume-lint.toml"
    config.write_text("# no settings yet\n")
    path = tmp_path / "resume.md"
    path.write_text(RESUME)
    uri = path.as_uri()

    # Open: diagnostics arrive, on the right UTF-16 columns, with code and reference page.
    diagnostics = await open_doc(client, uri, "markdown", RESUME)
    inflated = next(d for d in diagnostics if d.code == "style/inflated-word")
    assert utf16_slice(RESUME, inflated.range) == "Utilized"
    assert inflated.range.start == types.Position(line=6, character=7)
    assert inflated.severity == types.DiagnosticSeverity.Information
    assert inflated.source == "resume-lint"
    assert inflated.message == "`Utilized` is a long way to say a plain word"
    assert inflated.code_description.href.endswith("/docs/rules.md#styleinflated-word")
    for d in diagnostics:
        assert d.code_description is not None, d.code

    # Hover on the word explains the rule, with one flagged and one clean example.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=6, character=9),
        )
    )
    assert hover.range == inflated.range
    text = hover.contents.value
    for part in ["**style/inflated-word**", inflated.message, "**Help:**", "**Why:**", "**Flagged:**", "**Clean:**", "rules.md#styleinflated-word"]:
        assert part in text, (part, text)
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=2))
    )
    assert nothing is None

    # Code actions: the rule's safe fix, preferred, and a disable comment.
    async def actions():
        return await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=inflated.range,
                context=types.CodeActionContext(diagnostics=[inflated]),
            )
        )

    only_refactors = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=inflated.range,
            context=types.CodeActionContext(diagnostics=[inflated], only=[types.CodeActionKind.Refactor]),
        )
    )
    assert list(only_refactors) == []
    found = {a.title: a for a in await actions()}
    fix = found["Replace `Utilized` with `Used`"]
    assert fix.is_preferred is True and fix.kind == types.CodeActionKind.QuickFix
    disable = found["Disable style/inflated-word for this line"]
    assert disable.is_preferred is False

    fixed = apply(RESUME, fix.edit.changes[uri])
    assert "- • 🚀 Used Kafka to build" in fixed
    after = await change_doc(client, uri, 2, fixed)
    assert "style/inflated-word" not in codes(after)

    # Back to the original, then disable the rule for the line instead.
    assert codes(await change_doc(client, uri, 3, RESUME)) == codes(diagnostics)
    disabled = apply(RESUME, disable.edit.changes[uri])
    assert "<!-- resume-lint disable-next-line style/inflated-word -->\n- • 🚀 Utilized" in disabled
    after = await change_doc(client, uri, 4, disabled)
    assert "style/inflated-word" not in codes(after)
    assert "resume-lint/unused-suppression" not in codes(after)
    # Only that rule: the line's other findings stay.
    assert len(after) == len(diagnostics) - 1

    # The server asked to be told about config files.
    globs = [w["globPattern"] for r in client.registrations if r.method == "workspace/didChangeWatchedFiles" for w in r.register_options["watchers"]]
    assert "**/resume-lint.toml" in globs

    # Config change, announced by the client's file watcher: the rule goes quiet.
    assert "style/inflated-word" in codes(await change_doc(client, uri, 5, RESUME))
    config.write_text('ignore = ["style/inflated-word"]\n')
    seen = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)])
    )
    after = (await next_publish(client, uri, seen)).diagnostics
    assert "style/inflated-word" not in codes(after)
    assert len(after) == len(diagnostics) - 1

    # A broken config is shown, naming the file, instead of silently linting without it.
    config.write_text("ignore = 3\n")
    seen = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)])
    )
    broken = (await next_publish(client, uri, seen)).diagnostics
    assert codes(broken) == ["resume-lint/unreadable"]
    assert "resume-lint.toml" in broken[0].message

    # Changed again with no notice from the client: noticed by its modification time on save.
    config.write_text("# the rule is back\n")
    seen = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    after = (await next_publish(client, uri, seen)).diagnostics
    assert codes(after) == codes(diagnostics)

    # Closing clears the file's diagnostics.
    seen = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert list((await next_publish(client, uri, seen)).diagnostics) == []

    # Shutdown then exit: the server ends with status 0.
    await client.shutdown_session()
    assert client._server.returncode == 0
    client.capabilities = None  # the fixture's own shutdown has nothing left to do


@pytest.mark.parametrize(
    "fixture, language",
    [
        ("markdown/resume-weak.md", "markdown"),
        ("text/resume-weak.txt", "plaintext"),
        ("latex/resume-weak.tex", "latex"),
        ("json-resume/resume-weak.json", "json"),
        ("rendercv/resume-weak.yaml", "yaml"),
    ],
)
async def test_an_unsaved_buffer_is_read_by_its_language(client: LanguageClient, fixture, language):
    # The same text as a file (format by extension) and as an unsaved buffer (format by languageId).
    path = FIXTURES / fixture
    text = path.read_text()
    as_file = await open_doc(client, path.as_uri(), language, text)
    as_buffer = await open_doc(client, f"untitled:Untitled-{language}", language, text)
    assert as_file, fixture
    assert [(d.code, d.range) for d in as_buffer] == [(d.code, d.range) for d in as_file]


async def test_a_half_typed_json_resume_shows_where_it_breaks(client: LanguageClient):
    text = '{\n  "basics": {\n    "summary": "Aspiring ML engineer"\n'
    diagnostics = await open_doc(client, "untitled:half", "json", text)
    assert codes(diagnostics) == ["resume-lint/unreadable"]
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    # At the object left open.
    assert diagnostics[0].range.start == types.Position(line=1, character=12)
    assert diagnostics[0].message == "invalid JSON: unterminated object"
    # Finishing it brings the real findings.
    done = await change_doc(client, "untitled:half", 2, text + "  }\n}\n")
    assert "aspirational/wish-not-record" in codes(done)


async def test_a_language_it_does_not_read_gets_nothing(client: LanguageClient, tmp_path):
    path = tmp_path / "main.rs"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="rust", version=1, text="fn main() {}\n")
        )
    )
    # A resume opened after it is answered; the Rust file never is.
    await open_doc(client, "untitled:after", "markdown", RESUME)
    assert all(p.uri != path.as_uri() for p in client.published)
