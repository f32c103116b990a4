//! `resume-lint report`: the HTML page, read as text. The browser side (layout, clicks, console)
//! is tests/report_browser.rs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use regex::Regex;
use serde_json::Value;

const TEXT_FIXTURES: &[&str] = &[
    "fixtures/markdown/resume-weak.md",
    "fixtures/markdown/resume-strong.md",
    "fixtures/markdown/script-weak.md",
    "fixtures/markdown/script-strong.md",
    "fixtures/text/resume-weak.txt",
    "fixtures/latex/resume-weak.tex",
    "fixtures/json-resume/resume-weak.json",
    "fixtures/rendercv/resume-weak.yaml",
];

fn bin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resume-lint")).args(args).current_dir(dir).output().expect("run resume-lint")
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The page for `paths` (relative to the crate), written into a fresh folder.
fn report(paths: &[&str]) -> (String, Output) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let mut args = vec!["report", "-o", out.to_str().unwrap()];
    args.extend_from_slice(paths);
    let run = bin(manifest(), &args);
    let page = std::fs::read_to_string(&out).unwrap_or_default();
    (page, run)
}

fn json(paths: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(paths);
    serde_json::from_slice(&bin(manifest(), &args).stdout).expect("json output")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Each finding's id to the text of its highlighted pieces, joined in page order.
fn highlights(page: &str) -> BTreeMap<String, String> {
    let piece = Regex::new(r#"<a class="hl[^"]*"(?: id="[^"]*")? href="[^"]*" data-d="([^"]*)" title="[^"]*">([^<]*)</a>"#).unwrap();
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for c in piece.captures_iter(page) {
        for id in c[1].split(' ') {
            out.entry(id.to_string()).or_default().push_str(&unescape(&c[2]));
        }
    }
    out
}

/// `(file index, id, rule, start, end)` of each finding in the list.
fn entries(page: &str) -> Vec<(usize, String, String, usize, usize)> {
    let li = Regex::new(r#"<li class="finding s-\w+" id="(d(\d+)-\d+)" value="\d+" data-rule="([^"]+)" data-start="(\d+)" data-end="(\d+)">"#).unwrap();
    li.captures_iter(page)
        .map(|c| (c[2].parse().unwrap(), c[1].to_string(), unescape(&c[3]), c[4].parse().unwrap(), c[5].parse().unwrap()))
        .collect()
}

#[test]
fn every_diagnostic_is_listed_and_highlighted_on_the_text_it_quotes() {
    let (page, run) = report(TEXT_FIXTURES);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let expected = json(TEXT_FIXTURES);
    let diagnostics = expected["diagnostics"].as_array().unwrap();
    let listed = entries(&page);
    assert_eq!(listed.len(), diagnostics.len(), "one list entry per diagnostic");
    assert!(diagnostics.len() > 100, "the fixtures give plenty of findings to check");
    let pieces = highlights(&page);
    for (d, (file, id, rule, start, end)) in diagnostics.iter().zip(&listed) {
        let path = d["path"].as_str().unwrap();
        assert_eq!(TEXT_FIXTURES[*file], path, "findings are grouped by file in input order");
        assert_eq!((d["rule"].as_str().unwrap(), d["start"]["byte"].as_u64().unwrap() as usize, d["end"]["byte"].as_u64().unwrap() as usize), (rule.as_str(), *start, *end));
        let source = std::fs::read(manifest().join(path)).unwrap();
        let quoted = String::from_utf8_lossy(&source[*start..*end]);
        assert_eq!(pieces.get(id).map(String::as_str).unwrap_or(""), quoted, "{path}: {rule} at {start}..{end}");
        // The message is shown (backtick quotes become code).
        let message = d["message"].as_str().unwrap();
        assert!(unescape(&page.replace("<code>", "`").replace("</code>", "`")).contains(message), "{message}");
    }
    // Without JavaScript a highlight still links to an explanation of it.
    let link = Regex::new(r##"<a class="hl[^"]*"(?: id="[^"]*")? href="#([^"]*)" data-d="([^"]*)""##).unwrap();
    let ids: Vec<&str> = listed.iter().map(|e| e.1.as_str()).collect();
    for c in link.captures_iter(&page) {
        assert!(c[2].split(' ').any(|d| d == &c[1]) && ids.contains(&&c[1]), "{} links to {}", &c[2], &c[1]);
    }
    // Overlapping findings share pieces: the weak resume has some.
    assert!(page.contains("class=\"hl s-warning multi\""), "overlaps are drawn");
}

#[test]
fn hostile_text_and_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "<img src=x onerror=alert(1)> \"q\".md";
    std::fs::write(
        dir.path().join(name),
        "# <script>alert('name')</script>\n\n## Experience\n\n### Engineer, \"Acme\" & Co\n\n- Responsible for the <script>alert(1)</script> service & its `<b>` tags.\n",
    )
    .unwrap();
    let run = bin(dir.path(), &["report", name]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert_eq!(page.matches("<script").count(), 1, "only the page's own script");
    assert!(!page.contains("<img"), "the file name is escaped");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;.md"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&quot;Acme&quot; &amp; Co"));
    assert!(page.contains("its `&lt;b&gt;` tags."), "markup in the text stays text");
    assert!(page.contains("data-rule=\"style/duty-not-result\""), "the finding is still there");
    assert!(highlights(&page).values().any(|t| t == "Responsible for"));
}

#[test]
fn coverage_is_charted_with_the_line_that_earned_each_surface() {
    let (page, _) = report(&["fixtures/markdown/resume-strong.md"]);
    let expected = json(&["fixtures/markdown/resume-strong.md"]);
    let evidence = expected["files"][0]["coverage_evidence"].as_array().unwrap();
    let surfaces = expected["files"][0]["coverage"].as_object().unwrap().len();
    assert!(!evidence.is_empty());
    assert!(page.contains(&format!("aria-label=\"{} of {surfaces} production-ML surfaces evidenced\"", evidence.len())));
    for e in evidence {
        let line = e["start"]["line"].as_u64().unwrap();
        let name = e["surface"].as_str().unwrap().replace('-', " ");
        // The row links to the line, which is marked as earning the surface.
        let row = format!("<a href=\"#f0-L{line}\"><g class=\"row on\"><title>line {line}: ");
        assert!(page.contains(&row), "{name}: {row}");
        assert!(page.contains(&format!(">{name}</text>")), "{name}");
        let text = e["text"].as_str().unwrap();
        assert!(unescape(&page).contains(&format!("<title>line {line}: {text}</title>")), "{text}");
        let marked = Regex::new(&format!(r#"<span class="line earned" id="f0-L{line}" data-ln="{line}" title="earns: [^"]*{name}"#)).unwrap();
        assert!(marked.is_match(&page), "line {line} is marked for {name}");
    }

    let (weak, _) = report(&["fixtures/markdown/resume-weak.md"]);
    assert!(weak.contains(&format!("aria-label=\"0 of {surfaces} production-ML surfaces evidenced\"")));
    assert_eq!(weak.matches("no line shows you owning this yet").count(), surfaces);
    assert!(!weak.contains("line earned"));
}

#[test]
fn bullets_with_a_number_are_counted_per_role_and_findings_per_family() {
    let (page, _) = report(&["fixtures/markdown/resume-weak.md"]);
    let expected = json(&["fixtures/markdown/resume-weak.md"]);
    let metrics = &expected["files"][0]["metrics"];
    let row = Regex::new(r#"<g class="(role|total)"><text x="0" y="\d+">([^<]*)</text>.*?class="num">(\d+) of (\d+) \(\d+%\)</text></g>"#).unwrap();
    let rows: Vec<(String, usize, usize)> =
        row.captures_iter(&page).map(|c| (unescape(&c[2]), c[3].parse().unwrap(), c[4].parse().unwrap())).collect();
    let (roles, total) = rows.split_at(rows.len() - 1);
    assert_eq!(total[0], ("All roles and projects".to_string(), metrics["quantified"].as_u64().unwrap() as usize, metrics["bullets"].as_u64().unwrap() as usize));
    // Each role's bullets, as the resume has them (its headings, in order).
    let titles: Vec<&str> = roles.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(titles, ["Software Engineer, Parcelly", "Junior Developer, Brightdesk", "Projects"]);
    assert_eq!(roles.iter().map(|r| r.2).sum::<usize>(), total[0].2, "the roles add up to the total");
    assert_eq!(roles.iter().map(|r| r.1).sum::<usize>(), total[0].1);
    assert_eq!((roles[2].1, roles[2].2), (1, 3), "one project bullet has a number (12 seconds)");

    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for d in expected["diagnostics"].as_array().unwrap() {
        *families.entry(d["family"].as_str().unwrap().to_string()).or_default() += 1;
    }
    let bar = Regex::new(r#"<g><text x="0" y="\d+">([^<]+)</text>.*?class="num">(\d+)</text></g>"#).unwrap();
    let charted: BTreeMap<String, usize> = bar.captures_iter(&page).map(|c| (c[1].to_string(), c[2].parse().unwrap())).collect();
    assert_eq!(charted, families);
}

#[test]
fn unreadable_files_are_listed_with_their_reason_and_the_rest_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary.md"), b"\x00\x01\x02PK\x00").unwrap();
    std::fs::copy(manifest().join("fixtures/markdown/resume-weak.md"), dir.path().join("resume.md")).unwrap();
    let run = bin(dir.path(), &["report", "missing.md", "binary.md", "resume.md", "-o", "out.html"]);
    assert_eq!(run.status.code(), Some(2), "unreadable input exits 2");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.lines().any(|l| l.starts_with("error: missing.md: ")), "{stderr}");
    assert!(stderr.lines().any(|l| l.starts_with("error: binary.md: ")), "{stderr}");
    let page = std::fs::read_to_string(dir.path().join("out.html")).unwrap();
    let section = &page[page.find("<section class=\"unreadable\"").expect("the list of unread files")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("2 files not linted"));
    for line in stderr.lines() {
        let (path, reason) = line.trim_start_matches("error: ").split_once(": ").unwrap();
        assert!(section.contains(&format!("<tr><td><code>{path}</code></td><td>{}</td></tr>", reason)), "{line}");
    }
    assert!(page.contains("<code>resume.md</code>"), "the readable file is still reported");
    assert!(!entries(&page).is_empty());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (first, _) = report(TEXT_FIXTURES);
    let (second, _) = report(TEXT_FIXTURES);
    assert!(first.len() > 10_000);
    assert!(first == second, "two runs differ");
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let (page, _) = report(&["fixtures/markdown/resume-weak.md"]);
    assert!(page.contains("content=\"default-src 'none';"), "a policy forbids fetches");
    for outside in ["http://", "https://", "<link", "src=", "@import", "url("] {
        assert!(!page.contains(outside), "{outside}");
    }
    assert!(page.contains("@media print"), "a print style");
}

#[test]
fn writes_report_html_by_default_and_fails_cleanly_when_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(manifest().join("fixtures/markdown/resume-weak.md"), dir.path().join("resume.md")).unwrap();
    let run = bin(dir.path(), &["report", "resume.md"]);
    assert_eq!(run.status.code(), Some(0), "findings do not fail a report");
    assert_eq!(String::from_utf8_lossy(&run.stdout), "wrote report.html (33 findings in 1 file)\n");
    assert!(dir.path().join("report.html").is_file());
    #[cfg(unix)]
    {
        // The mode of any new file (the umask decides), not a temporary file's 0600.
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
        let plain = tempfile::tempdir().unwrap();
        std::fs::write(plain.path().join("plain"), "").unwrap();
        assert_eq!(mode(&dir.path().join("report.html")), mode(&plain.path().join("plain")));
    }

    let target = PathBuf::from("no-such-dir/r.html");
    let run = bin(dir.path(), &["report", "resume.md", "-o", target.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: no-such-dir/r.html: "), "{stderr}");
    assert!(!dir.path().join("no-such-dir").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left behind: {leftovers:?}");

    // An input named as the output is refused, and left as it was.
    let before = std::fs::read(dir.path().join("resume.md")).unwrap();
    let run = bin(dir.path(), &["report", "resume.md", "-o", "./resume.md"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&run.stderr), "error: ./resume.md: is one of the inputs; not overwriting it with the report\n");
    assert_eq!(std::fs::read(dir.path().join("resume.md")).unwrap(), before);
}

#[test]
fn crlf_non_ascii_and_unterminated_text_is_highlighted_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        ("crlf.md", "# Zoë Ångström 🚀\r\n\r\n## Experience\r\n\r\n### Ingénieure, Café\r\n\r\n- Responsible for the café’s — 🚀 — order service.\r\n- Helped with the recommendation model.\r\n"),
        ("open.md", "## Experience\n\n### Engineer, Acme\n\n- Utilized Kafka to build several services"),
        ("empty.md", ""),
    ];
    for (name, text) in texts {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let names: Vec<&str> = texts.iter().map(|t| t.0).collect();
    let mut args = vec!["report", "-o", "r.html"];
    args.extend_from_slice(&names);
    assert_eq!(bin(dir.path(), &args).status.code(), Some(0));
    let page = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let mut json_args = vec!["--format", "json"];
    json_args.extend_from_slice(&names);
    let expected: Value = serde_json::from_slice(&bin(dir.path(), &json_args).stdout).unwrap();
    let diagnostics = expected["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 4, "{diagnostics:?}");
    let pieces = highlights(&page);
    let listed = entries(&page);
    assert_eq!(listed.len(), diagnostics.len());
    for (d, (_, id, _, start, end)) in diagnostics.iter().zip(&listed) {
        let text = texts.iter().find(|t| t.0 == d["path"].as_str().unwrap()).unwrap().1;
        assert_eq!(pieces.get(id).map(String::as_str).unwrap_or(""), &text[*start..*end], "{d}");
    }
    // The text is all there, line by line, with nothing added.
    let line = Regex::new(r#"<span class="line[^"]*" id="f(\d)-L\d+" data-ln="\d+"[^>]*>"#).unwrap();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    for (f, (_, text)) in texts.iter().enumerate() {
        let start = page.find(&format!("<section class=\"file\" id=\"f{f}\">")).unwrap();
        let article = &page[start..];
        let article = &article[article.find("<article").unwrap()..article.find("</article>").unwrap()];
        assert_eq!(line.captures_iter(article).count(), text.split_inclusive('\n').count().max(1), "one line element per line");
        assert_eq!(unescape(&tags.replace_all(article, "")), *text);
    }
}
