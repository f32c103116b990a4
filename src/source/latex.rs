//! LaTeX: a small hand-written tokenizer for the resume templates people keep in git (Jake's
//! resume, Awesome-CV, moderncv, AltaCV), mapped onto the document model.
//!
//! Two passes. [`parse`] turns the source into a tree of brace groups (comments dropped,
//! escapes, dashes and quote ligatures decoded, every node keeping its byte range), failing with a
//! position on an unbalanced brace. The reader then walks the tree with a table of known commands:
//! sections become level-2 headings, `\item` and the templates' item macros become bullets, role
//! macros (`\resumeSubheading`, `\cventry`, `\cvevent`) become a level-3 heading plus a line of
//! dates and places, and any other command keeps the text of its braced arguments. Macros the file
//! defines itself with `\newcommand` are classified from their bodies (a one-argument macro whose
//! body holds `\item` is a bullet), so renamed forks of the templates still read.
//!
//! Spans point into the `.tex` file itself: verbatim text with `push_source`, decoded text (`\%`,
//! `--`, `\'e`, `\ldots`) with `push_mapped` over the bytes of the escape.
//!
//! Left out on purpose: macro expansion, `\input`/`\include` (the reader sees one file), and
//! catcode changes. Text before `\begin{document}` is skipped except for `\name`, `\title`,
//! `\position` and `\tagline`, which print in the resume's header.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::document::{BlockKind, DocKind, Document, DocumentBuilder};
use crate::error::{Error, ErrorKind};
use crate::limits::Budget;
use crate::source::decode_text;

/// Deepest brace nesting accepted; the reader recurses once per level, so this bounds the stack.
const MAX_DEPTH: usize = 64;
/// Most tokens accepted (a node is 40 bytes, so at most ~40 MB of tree): a resume has a few
/// thousand, 8 MiB of real resume text about 600,000; only a flood of markup reaches this.
const MAX_NODES: usize = 1_000_000;
/// How far an optional argument `[...]` may run before `[` is read as plain text.
const MAX_OPTIONAL: usize = 200;

/// Read a `.tex` file into a document whose spans point into the file's own text.
pub fn read(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>) -> Result<Document, Error> {
    read_within(path, bytes, kind, Budget::UNLIMITED)
}

/// [`read`] under `budget`: reading stops at the first limit the document goes past.
pub fn read_within(path: &Path, bytes: Vec<u8>, kind: Option<DocKind>, budget: Budget) -> Result<Document, Error> {
    let source = decode_text(path, bytes)?;
    let tree = parse(&source)
        .map_err(|(offset, reason)| Error::new(ErrorKind::Parse, path, reason).at_offset(&source, offset))?;
    // A file written with a CV template is a resume even when it holds only a summary.
    let kind = kind.or_else(|| uses_cv_markup(&source, &tree).then_some(DocKind::Resume));
    let text = source.clone();
    let mut reader = Reader::new(&text, DocumentBuilder::new(source).within(budget));
    match split_preamble(&text, &tree) {
        Some((preamble, body)) => {
            reader.preamble(preamble);
            reader.walk(body);
        }
        None => reader.walk(&tree),
    }
    reader.end();
    reader.b.finish_within(kind).map_err(|e| e.error(path))
}

// ---------------------------------------------------------------------------------------------
// Pass 1: source text to a tree of groups.

/// One piece of the source; every variant knows (or sits between) the bytes it came from.
#[derive(Debug)]
enum Node {
    /// Text copied verbatim (single spaces between words included).
    Text(Range<usize>),
    /// What an escape, accent, dash or quote ligature prints, over the bytes that wrote it.
    Mapped(&'static str, Range<usize>),
    /// Spaces with at most one line break.
    Space,
    /// A blank line: a paragraph break.
    Par,
    /// A control sequence `\name` (a trailing `*` included); the range starts at the backslash.
    Cmd(Range<usize>),
    /// One of `& ^ _ # [ ] $`, or `$$` stored as `D`.
    Special(u8, Range<usize>),
    /// A brace group; `open` and `close` are the offsets of its braces.
    Group { open: usize, close: usize, children: Vec<Node> },
    /// A verbatim or comment environment: never text.
    Raw,
}

/// Bytes that end a run of plain text.
fn is_special(b: u8) -> bool {
    matches!(b, b'\\' | b'{' | b'}' | b'$' | b'%' | b'&' | b'~' | b'^' | b'_' | b'#' | b'[' | b']' | b'`')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Build the group tree, or give the byte offset and reason of the first structural error.
fn parse(src: &str) -> Result<Vec<Node>, (usize, String)> {
    let bytes = src.as_bytes();
    let mut pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
    // Each open group: the offset of its `{` and the siblings collected before it.
    let mut stack: Vec<(usize, Vec<Node>)> = Vec::new();
    let mut cur: Vec<Node> = Vec::new();
    let mut count = 0usize;
    // After a comment the next line's blank run is a paragraph break, as in TeX.
    let mut line_start = true;
    while pos < bytes.len() {
        count += 1;
        if count > MAX_NODES {
            return Err((pos, format!("too much markup for a resume (over {MAX_NODES} tokens)")));
        }
        let at_line_start = std::mem::replace(&mut line_start, false);
        let c = bytes[pos];
        match c {
            b'%' => {
                pos = skip_comment(bytes, pos);
                line_start = true;
            }
            b'{' => {
                if stack.len() >= MAX_DEPTH {
                    return Err((pos, format!("braces nested deeper than {MAX_DEPTH} levels")));
                }
                stack.push((pos, std::mem::take(&mut cur)));
                pos += 1;
            }
            b'}' => {
                let Some((open, parent)) = stack.pop() else {
                    return Err((pos, "unmatched closing brace `}`".to_string()));
                };
                let children = std::mem::replace(&mut cur, parent);
                cur.push(Node::Group { open, close: pos, children });
                pos += 1;
            }
            b'\\' => {
                let (node, next, stop) = control(src, pos, stack.is_empty());
                if stop {
                    break;
                }
                cur.extend(node);
                pos = next;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                let mut newlines = 0;
                while pos < bytes.len() && is_space(bytes[pos]) {
                    newlines += usize::from(bytes[pos] == b'\n');
                    pos += 1;
                }
                let par = newlines >= 2 || (at_line_start && newlines >= 1);
                cur.push(if par { Node::Par } else { Node::Space });
            }
            b'$' if bytes.get(pos + 1) == Some(&b'$') => {
                cur.push(Node::Special(b'D', pos..pos + 2));
                pos += 2;
            }
            b'&' | b'^' | b'_' | b'#' | b'[' | b']' | b'$' => {
                cur.push(Node::Special(c, pos..pos + 1));
                pos += 1;
            }
            b'~' => {
                cur.push(Node::Mapped(" ", pos..pos + 1));
                pos += 1;
            }
            b'-' if bytes.get(pos + 1) == Some(&b'-') => {
                let len = if bytes.get(pos + 2) == Some(&b'-') { 3 } else { 2 };
                cur.push(Node::Mapped(if len == 3 { "—" } else { "–" }, pos..pos + len));
                pos += len;
            }
            b'`' => {
                let len = if bytes.get(pos + 1) == Some(&b'`') { 2 } else { 1 };
                cur.push(Node::Mapped(if len == 2 { "\"" } else { "'" }, pos..pos + len));
                pos += len;
            }
            b'\'' if bytes.get(pos + 1) == Some(&b'\'') => {
                cur.push(Node::Mapped("\"", pos..pos + 2));
                pos += 2;
            }
            _ => {
                // Plain text up to the next special byte; all specials are ASCII, so every
                // boundary falls on a character boundary.
                let start = pos;
                pos += 1;
                while pos < bytes.len() {
                    let b = bytes[pos];
                    let keep_space = b == b' '
                        && bytes.get(pos + 1).is_some_and(|&n| !is_space(n) && !is_special(n));
                    if (is_special(b) || is_space(b)) && !keep_space
                        || b == b'-' && bytes.get(pos + 1) == Some(&b'-')
                        || b == b'\'' && bytes.get(pos + 1) == Some(&b'\'')
                    {
                        break;
                    }
                    pos += 1;
                }
                cur.push(Node::Text(start..pos));
            }
        }
    }
    if let Some((open, _)) = stack.first() {
        return Err((*open, "unclosed brace `{`: the file ends before its `}`".to_string()));
    }
    Ok(cur)
}

/// Past a `%` comment: the rest of the line, its line break and the next line's indentation.
fn skip_comment(bytes: &[u8], pos: usize) -> usize {
    let mut p = bytes[pos..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |k| pos + k + 1);
    while p < bytes.len() && matches!(bytes[p], b' ' | b'\t') {
        p += 1;
    }
    p
}

/// After a control word TeX skips spaces and one line break (but not a blank line).
fn skip_after_word(bytes: &[u8], mut p: usize) -> usize {
    while p < bytes.len() && matches!(bytes[p], b' ' | b'\t') {
        p += 1;
    }
    let mut q = p;
    if bytes.get(q) == Some(&b'\r') {
        q += 1;
    }
    if bytes.get(q) != Some(&b'\n') {
        return p;
    }
    q += 1;
    while q < bytes.len() && matches!(bytes[q], b' ' | b'\t') {
        q += 1;
    }
    if matches!(bytes.get(q), Some(b'\n' | b'\r')) { p } else { q }
}

/// Environments whose body is not TeX and may hold unbalanced braces.
const RAW_ENVS: &[&str] = &["verbatim", "verbatim*", "Verbatim", "comment", "lstlisting", "minted"];

/// Read one control sequence at `at` (a backslash): the node it makes, where reading goes on,
/// and whether it is the top-level `\end{document}` that ends the file.
fn control(src: &str, at: usize, top: bool) -> (Option<Node>, usize, bool) {
    let bytes = src.as_bytes();
    let p = at + 1;
    let Some(&c) = bytes.get(p) else { return (None, p, false) };
    if c.is_ascii_alphabetic() {
        let mut end = p;
        while end < bytes.len() && bytes[end].is_ascii_alphabetic() {
            end += 1;
        }
        let word = &src[p..end];
        if bytes.get(end) == Some(&b'*') {
            end += 1;
        }
        match word {
            "verb" => {
                if let Some(delim) = src[end..].chars().next().filter(|d| !d.is_alphabetic() && !d.is_whitespace()) {
                    let body = end + delim.len_utf8();
                    let line_end = src[body..].find('\n').map_or(src.len(), |k| body + k);
                    if let Some(k) = src[body..line_end].find(delim) {
                        return (Some(Node::Text(body..body + k)), body + k + delim.len_utf8(), false);
                    }
                }
            }
            "begin" => {
                if let Some(name) = RAW_ENVS.iter().find(|n| src[end..].starts_with(&format!("{{{n}}}"))) {
                    let close = format!("\\end{{{name}}}");
                    let after = src[end..].find(&close).map_or(src.len(), |k| end + k + close.len());
                    return (Some(Node::Raw), after, false);
                }
            }
            "end" if top && src[end..].starts_with("{document}") => return (None, src.len(), true),
            // Skipped text need not balance its braces, so it never reaches the tree.
            "iffalse" => return (Some(Node::Raw), skip_iffalse(bytes, end), false),
            "c" | "v" | "u" | "H" | "k" | "r" if src[end..].starts_with('{') => {
                if let Some((base, after)) = accent_base(src, end) {
                    return (Some(Node::Mapped(compose(c as char, base), at..after)), after, false);
                }
            }
            _ => {}
        }
        return (Some(Node::Cmd(at..end)), skip_after_word(bytes, end), false);
    }
    let ch = src[p..].chars().next().unwrap_or(' ');
    let end = p + ch.len_utf8();
    let mapped = |s: &'static str| (Some(Node::Mapped(s, at..end)), end, false);
    match ch {
        '%' => mapped("%"),
        '&' => mapped("&"),
        '$' => mapped("$"),
        '#' => mapped("#"),
        '_' => mapped("_"),
        '{' => mapped("{"),
        '}' => mapped("}"),
        ' ' | '\t' | '\r' | '\n' | ',' | ';' | ':' | '>' => mapped(" "),
        '!' | '-' | '/' | '@' => (None, end, false),
        '\'' | '`' | '^' | '"' | '~' | '=' | '.' => match accent_base(src, end) {
            Some((base, after)) => (Some(Node::Mapped(compose(ch, base), at..after)), after, false),
            None => (None, end, false),
        },
        '\\' if bytes.get(end) == Some(&b'*') => (Some(Node::Cmd(at..end + 1)), end + 1, false),
        _ => (Some(Node::Cmd(at..end)), end, false),
    }
}

/// Past the `\fi` that closes an `\iffalse` (nested `\if...` counted), or the end of the file.
fn skip_iffalse(bytes: &[u8], mut p: usize) -> usize {
    let mut nest = 0usize;
    while p < bytes.len() {
        match bytes[p] {
            b'%' => p = skip_comment(bytes, p),
            b'\\' => {
                let start = p + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end].is_ascii_alphabetic() {
                    end += 1;
                }
                let word = &bytes[start..end];
                if word == b"fi" {
                    if nest == 0 {
                        return end;
                    }
                    nest -= 1;
                } else if word.starts_with(b"if") {
                    nest += 1;
                }
                p = end.max(start + 1);
            }
            _ => p += 1,
        }
    }
    bytes.len()
}

/// The letter an accent sits on: `e`, `{e}`, `\i`, `{\i}`; `{}` alone prints the accent itself.
fn accent_base(src: &str, pos: usize) -> Option<(char, usize)> {
    let rest = &src[pos..];
    if rest.starts_with("{\\i}") {
        return Some(('i', pos + 4));
    }
    if rest.starts_with("\\i") && !rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some(('i', pos + 2));
    }
    if rest.starts_with("{}") {
        return Some(('\0', pos + 2));
    }
    let mut chars = rest.chars();
    match chars.next()? {
        '{' => {
            let c = chars.next().filter(|c| c.is_alphabetic())?;
            (chars.next()? == '}').then_some((c, pos + 2 + c.len_utf8()))
        }
        c if c.is_ascii_alphabetic() => Some((c, pos + 1)),
        _ => None,
    }
}

/// Accent, the letters it composes with, and the composed letters in the same order.
const ACCENTS: &[(char, &str, &str)] = &[
    ('\'', "aeiouyAEIOUYcnszCNSZ", "áéíóúýÁÉÍÓÚÝćńśźĆŃŚŹ"),
    ('`', "aeiouAEIOU", "àèìòùÀÈÌÒÙ"),
    ('^', "aeiouAEIOU", "âêîôûÂÊÎÔÛ"),
    ('"', "aeiouyAEIOU", "äëïöüÿÄËÏÖÜ"),
    ('~', "anoANO", "ãñõÃÑÕ"),
    ('=', "aeiouAEIOU", "āēīōūĀĒĪŌŪ"),
    ('.', "zeZEI", "żėŻĖİ"),
    ('c', "cCsStT", "çÇşŞţŢ"),
    ('v', "csznrecCSZNREC", "čšžňřěčČŠŽŇŘĚČ"),
    ('u', "agAG", "ăğĂĞ"),
    ('H', "ouOU", "őűŐŰ"),
    ('k', "aeAE", "ąęĄĘ"),
    ('r', "auAU", "åůÅŮ"),
];

const ASCII_LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The letter an accent command prints; an unknown pairing prints the bare letter.
fn compose(accent: char, base: char) -> &'static str {
    if base == '\0' {
        return match accent {
            '~' => "~",
            '^' => "^",
            '\'' => "'",
            '`' => "`",
            '"' => "\"",
            _ => "",
        };
    }
    if let Some((_, from, to)) = ACCENTS.iter().find(|(a, _, _)| *a == accent)
        && let Some(k) = from.chars().position(|c| c == base)
        && let Some((start, c)) = to.char_indices().nth(k)
    {
        return &to[start..start + c.len_utf8()];
    }
    ASCII_LETTERS.find(base).map_or("", |k| &ASCII_LETTERS[k..k + 1])
}

/// The command name without backslash and star.
fn cmd_name<'s>(src: &'s str, r: &Range<usize>) -> &'s str {
    let name = &src[r.start + 1..r.end];
    if name.len() > 1 { name.trim_end_matches('*') } else { name }
}

/// The text of a node list with all markup dropped (names of environments, labels, checks).
fn plain_text(src: &str, nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(r) => out.push_str(&src[r.clone()]),
            Node::Mapped(s, _) => out.push_str(s),
            Node::Space | Node::Par => out.push(' '),
            Node::Group { children, .. } => plain_text(src, children, out),
            _ => {}
        }
    }
}

fn plain(src: &str, nodes: &[Node]) -> String {
    let mut out = String::new();
    plain_text(src, nodes, &mut out);
    out
}

/// Whether any printable text sits in the nodes (commands alone, like `{\faTrophy}`, do not count).
fn has_text(src: &str, nodes: &[Node]) -> bool {
    nodes.iter().any(|node| match node {
        Node::Text(r) => !src[r.clone()].trim().is_empty(),
        Node::Mapped(s, _) => !s.trim().is_empty(),
        Node::Group { children, .. } => has_text(src, children),
        _ => false,
    })
}

/// Commands that only CV templates define.
const CV_MARKERS: &[&str] = &[
    "cvsection", "cvsubsection", "cventry", "cvitem", "cvlistitem", "cvskill", "cvhonor", "cvevent",
    "cvtag", "makecvtitle", "makecvheader", "moderncvstyle", "resumeItem", "resumeSubheading",
];

/// Whether the file uses a CV template's commands or document class.
fn uses_cv_markup(src: &str, tree: &[Node]) -> bool {
    let mut names = Vec::new();
    collect_cmds(src, tree, &mut names);
    if names.iter().any(|n| CV_MARKERS.contains(n)) {
        return true;
    }
    tree.iter().enumerate().any(|(k, node)| {
        matches!(node, Node::Cmd(r) if cmd_name(src, r) == "documentclass")
            && tree[k + 1..].iter().find_map(|n| match n {
                Node::Group { children, .. } => Some(plain(src, children).to_ascii_lowercase()),
                _ => None,
            })
            .is_some_and(|class| class.contains("cv") || class.contains("resume"))
    })
}

/// Split at a top-level `\begin{document}`: the preamble and the body.
fn split_preamble<'n>(src: &str, tree: &'n [Node]) -> Option<(&'n [Node], &'n [Node])> {
    tree.iter().enumerate().find_map(|(k, node)| {
        let Node::Cmd(r) = node else { return None };
        if cmd_name(src, r) != "begin" {
            return None;
        }
        let g = k + 1 + tree[k + 1..].iter().take_while(|n| matches!(n, Node::Space)).count();
        match tree.get(g) {
            Some(Node::Group { children, .. }) if plain(src, children).trim() == "document" => {
                Some((&tree[..k], &tree[g + 1..]))
            }
            _ => None,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The command table.

/// What a known command does to the document.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Spec {
    /// `\section{T}`: a heading of this level.
    Heading(u8),
    /// `\item[label]`: a bullet.
    Item,
    /// A bullet made of up to `max` arguments joined by `sep` (`\resumeItem`, `\cvlistitem`).
    Bullet { max: usize, sep: &'static str },
    /// `\cvitem{label}{text}` and kin: a bullet `label: text`.
    LabelBullet { max: usize },
    /// `\cvdoubleitem` (two label bullets) and `\cvlistdoubleitem` (two bullets).
    PairBullets { labelled: bool },
    /// A role or project header: up to `max` arguments laid out by [`role_layout`].
    Role { max: usize },
    /// `\name{First}{Last}`: the level-1 heading.
    Name,
    /// `\position`, `\tagline`, `\title`: a header paragraph.
    Headline,
    /// Contact details: a header paragraph of the arguments in `keep` (bit k = argument k).
    Contact { max: usize, keep: u8 },
    /// A command whose arguments in `keep` are text (`\textbf`, `\href{url}{text}`).
    Keep { max: usize, keep: u8 },
    /// A command whose `n` arguments are never text (`\vspace`, `\usepackage`).
    Drop(usize),
    /// A command that prints a fixed string (`\ldots`, `\times`, `\LaTeX`).
    Symbol(&'static str),
    /// A command that is a block of its own, arguments as text (`\cvcolumn`, `\cvref`).
    Block,
    /// AltaCV's `\cvtag`: consecutive tags read as a comma-separated list.
    Tag,
    /// `\Huge` and kin: before any section, the start of the name heading.
    BigFont,
    /// `\\`, `\newline`: a line break.
    LineBreak,
    /// `\par`, `\divider`, `\newpage`: a block break.
    ParBreak,
    Begin,
    End,
    /// `\newcommand` and kin: learned from, never printed.
    Define,
    /// `\(` and `\)`.
    MathToggle(bool),
    /// `\[ ... \]`: display math, skipped.
    DisplayMath,
    /// Anything else: its braced arguments are text.
    Unknown,
}

const SYMBOLS: &[(&str, &str)] = &[
    ("ldots", "…"), ("dots", "…"), ("textellipsis", "…"), ("textbar", "|"), ("textbullet", "•"),
    ("textperiodcentered", "·"), ("cdotp", "·"), ("cdot", "·"), ("bullet", "•"), ("textendash", "–"),
    ("textemdash", "—"), ("textasciitilde", "~"), ("textasciicircum", "^"), ("textbackslash", "\\"),
    ("textunderscore", "_"), ("textdollar", "$"), ("textless", "<"), ("textgreater", ">"),
    ("textquoteleft", "'"), ("textquoteright", "'"), ("textquotedblleft", "\""), ("textquotedblright", "\""),
    ("LaTeX", "LaTeX"), ("TeX", "TeX"), ("LaTeXe", "LaTeX2e"), ("copyright", "©"), ("textcopyright", "©"),
    ("textregistered", "®"), ("texttrademark", "™"), ("textdegree", "°"), ("degree", "°"), ("euro", "€"),
    ("texteuro", "€"), ("pounds", "£"), ("textsterling", "£"), ("S", "§"), ("P", "¶"), ("dag", "†"),
    ("slash", "/"), ("quad", " "), ("qquad", " "), ("enskip", " "), ("enspace", " "), ("space", " "),
    ("nobreakspace", " "), ("thinspace", " "), ("hfill", " "), ("hfil", " "), ("ss", "ß"), ("o", "ø"),
    ("O", "Ø"), ("ae", "æ"), ("AE", "Æ"), ("oe", "œ"), ("OE", "Œ"), ("aa", "å"), ("AA", "Å"), ("l", "ł"),
    ("L", "Ł"), ("i", "ı"), ("sim", "~"), ("times", "×"), ("approx", "≈"), ("pm", "±"), ("geq", "≥"),
    ("ge", "≥"), ("leq", "≤"), ("le", "≤"), ("neq", "≠"), ("to", "→"), ("rightarrow", "→"),
    ("longrightarrow", "→"), ("leftarrow", "←"), ("Rightarrow", "⇒"), ("uparrow", "↑"),
    ("downarrow", "↓"), ("infty", "∞"), ("mid", "|"), ("vert", "|"), ("ast", "*"), ("star", "⋆"),
    ("mu", "μ"), ("alpha", "α"), ("beta", "β"), ("gamma", "γ"), ("delta", "δ"), ("Delta", "Δ"),
    ("epsilon", "ε"), ("theta", "θ"), ("lambda", "λ"), ("sigma", "σ"),
];

/// Commands whose arguments are dropped, with how many braced arguments they take.
const DROP: &[(&str, usize)] = &[
    ("documentclass", 1), ("usepackage", 1), ("RequirePackage", 1), ("input", 1), ("include", 1),
    ("includeonly", 1), ("geometry", 1), ("newgeometry", 1), ("pagestyle", 1), ("thispagestyle", 1),
    ("pagenumbering", 1), ("setlength", 2), ("addtolength", 2), ("setcounter", 2), ("addtocounter", 2),
    ("newlength", 1), ("settowidth", 2), ("vspace", 1), ("hspace", 1), ("color", 1), ("pagecolor", 1),
    ("definecolor", 3), ("colorlet", 2), ("fontsize", 2), ("setmainfont", 1), ("setsansfont", 1),
    ("setmonofont", 1), ("newfontfamily", 2), ("fontspec", 1), ("titleformat", 5), ("titlespacing", 4),
    ("label", 1), ("ref", 1), ("pageref", 1), ("eqref", 1), ("cite", 1), ("citep", 1), ("citet", 1),
    ("nocite", 1), ("bibliography", 1), ("bibliographystyle", 1), ("addbibresource", 1),
    ("printbibliography", 0), ("includegraphics", 1), ("photo", 1), ("photoR", 2), ("photoL", 2),
    ("columnratio", 1), ("wheelchart", 3), ("mynames", 1), ("urlstyle", 1), ("hypersetup", 1),
    ("fancyhf", 1), ("fancyhead", 1), ("fancyfoot", 1), ("lhead", 1), ("chead", 1), ("rhead", 1),
    ("lfoot", 1), ("cfoot", 1), ("rfoot", 1), ("moderncvstyle", 1), ("moderncvcolor", 1),
    ("moderncvtheme", 2), ("setlist", 1), ("linespread", 1), ("usetikzlibrary", 1),
    ("AtBeginEnvironment", 2), ("enlargethispage", 1), ("markboth", 2), ("rule", 2), ("NewInfoField", 2),
    ("recipient", 2), ("date", 1), ("opening", 1), ("closing", 1), ("enclosure", 1), ("makecvfooter", 3),
    ("faIcon", 1), ("newenvironment", 3), ("renewenvironment", 3), ("NewDocumentCommand", 3),
    ("RenewDocumentCommand", 3), ("ProvideDocumentCommand", 3), ("DeclareDocumentCommand", 3),
    ("hyphenation", 1), ("selectlanguage", 1), ("else", 0), ("fi", 0),
];

/// Commands that keep some arguments as text: (name, arguments taken, bit mask of kept ones).
const KEEP: &[(&str, usize, u8)] = &[
    ("textbf", 1, 1), ("textit", 1, 1), ("emph", 1, 1), ("underline", 1, 1), ("uline", 1, 1),
    ("textsc", 1, 1), ("texttt", 1, 1), ("textsf", 1, 1), ("textrm", 1, 1), ("textup", 1, 1),
    ("textmd", 1, 1), ("textsl", 1, 1), ("textnormal", 1, 1), ("mbox", 1, 1), ("hbox", 1, 1),
    ("fbox", 1, 1), ("makebox", 1, 1), ("framebox", 1, 1), ("text", 1, 1), ("mathrm", 1, 1),
    ("mathbf", 1, 1), ("mathit", 1, 1), ("mathsf", 1, 1), ("mathtt", 1, 1), ("operatorname", 1, 1),
    ("footnote", 1, 1), ("url", 1, 1), ("nolinkurl", 1, 1), ("sout", 1, 1), ("hl", 1, 1), ("ul", 1, 1),
    ("textsuperscript", 1, 1), ("textsubscript", 1, 1), ("enquote", 1, 1), ("href", 2, 0b10),
    ("hyperlink", 2, 0b10), ("textcolor", 2, 0b10), ("colorbox", 2, 0b10), ("fcolorbox", 3, 0b100),
    ("raisebox", 2, 0b10), ("scalebox", 2, 0b10), ("resizebox", 3, 0b100), ("parbox", 2, 0b10),
    ("multicolumn", 3, 0b100), ("multirow", 3, 0b100), ("texorpdfstring", 2, 0b01),
    ("foreignlanguage", 2, 0b10),
];

/// Contact commands of moderncv, Awesome-CV and AltaCV: one header paragraph each.
const CONTACT: &[(&str, usize, u8)] = &[
    ("email", 1, 1), ("phone", 1, 1), ("mobile", 1, 1), ("homepage", 1, 1), ("linkedin", 1, 1),
    ("github", 1, 1), ("gitlab", 1, 1), ("twitter", 1, 1), ("xtwitter", 1, 1), ("orcid", 1, 1),
    ("location", 1, 1), ("mailaddress", 1, 1), ("address", 3, 0b111), ("social", 1, 1),
    ("extrainfo", 1, 1), ("printinfo", 2, 0b10),
];

/// List environments: `\item` inside them are bullets, and a blank line does not end an item.
const LIST_ENVS: &[&str] = &[
    "itemize", "enumerate", "description", "cvitems", "cvhonors", "compactitem", "compactenum",
    "tightemize", "tightitemize", "outerlist", "innerlist",
];

/// Environments whose content is not resume text (display math, pictures).
const SKIP_ENVS: &[&str] = &[
    "equation", "equation*", "align", "align*", "gather", "gather*", "multline", "displaymath",
    "figure", "tikzpicture", "picture",
];

/// Environments with arguments that are layout, not text: (name, braced arguments).
const ENV_ARGS: &[(&str, usize)] = &[
    ("tabular", 1), ("tabular*", 2), ("tabularx", 2), ("tabulary", 2), ("longtable", 1),
    ("minipage", 1), ("multicols", 1), ("multicols*", 1), ("paracol", 1), ("wrapfigure", 2),
];

/// The built-in meaning of a command name.
fn spec(name: &str) -> Spec {
    match name {
        "section" | "cvsection" | "chapter" => return Spec::Heading(2),
        "subsection" | "cvsubsection" | "subsubsection" => return Spec::Heading(3),
        "item" => return Spec::Item,
        "resumeItem" | "resumeSubItem" => return Spec::Bullet { max: 2, sep: ": " },
        "cvlistitem" => return Spec::Bullet { max: 1, sep: "" },
        "cvhonor" => return Spec::Bullet { max: 4, sep: ", " },
        "cvachievement" => return Spec::Bullet { max: 3, sep: ": " },
        "cvitem" | "cvskill" => return Spec::LabelBullet { max: 2 },
        "cvitemwithcomment" => return Spec::LabelBullet { max: 3 },
        "cvdoubleitem" => return Spec::PairBullets { labelled: true },
        "cvlistdoubleitem" => return Spec::PairBullets { labelled: false },
        "cventry" => return Spec::Role { max: 6 },
        "cvevent" | "resumeSubheading" => return Spec::Role { max: 4 },
        "resumeSubSubheading" | "resumeProjectHeading" | "datedsubsection" => return Spec::Role { max: 2 },
        "runsubsection" => return Spec::Role { max: 1 },
        "name" => return Spec::Name,
        "position" | "tagline" | "title" => return Spec::Headline,
        "cvtag" => return Spec::Tag,
        "cvcolumn" | "cvref" => return Spec::Block,
        "Huge" | "huge" | "LARGE" | "Large" => return Spec::BigFont,
        "\\" | "newline" | "linebreak" => return Spec::LineBreak,
        "par" | "divider" | "newpage" | "clearpage" | "pagebreak" | "switchcolumn" => return Spec::ParBreak,
        "begin" => return Spec::Begin,
        "end" => return Spec::End,
        "newcommand" | "renewcommand" | "providecommand" | "DeclareRobustCommand" | "def" | "gdef"
        | "edef" | "xdef" | "let" => return Spec::Define,
        "(" => return Spec::MathToggle(true),
        ")" => return Spec::MathToggle(false),
        "[" => return Spec::DisplayMath,
        _ => {}
    }
    if let Some((_, s)) = SYMBOLS.iter().find(|(n, _)| *n == name) {
        return Spec::Symbol(s);
    }
    if let Some((_, n)) = DROP.iter().find(|(n, _)| *n == name) {
        return Spec::Drop(*n);
    }
    if let Some((_, max, keep)) = KEEP.iter().find(|(n, _, _)| *n == name) {
        return Spec::Keep { max: *max, keep: *keep };
    }
    if let Some((_, max, keep)) = CONTACT.iter().find(|(n, _, _)| *n == name) {
        return Spec::Contact { max: *max, keep: *keep };
    }
    Spec::Unknown
}

/// Which arguments of a role macro make its heading, which its dates-and-places line, and
/// which (if any) holds its description.
fn role_layout(name: &str, count: usize) -> (Vec<usize>, Vec<usize>, Option<usize>) {
    match (name, count) {
        // moderncv: {dates}{title}{employer}{city}{grade}{description}
        ("cventry", 6) => (vec![1, 2], vec![0, 3, 4], Some(5)),
        // Awesome-CV: {position}{organization}{location}{dates}{description}
        ("cventry", 5) => (vec![0, 1], vec![2, 3], Some(4)),
        // Jake's {title}{dates}{employer}{place}; AltaCV {title}{employer}{dates}{place}.
        ("cvevent", _) => (vec![0, 1], (2..count).collect(), None),
        (_, 4) => (vec![0, 2], vec![1, 3], None),
        _ => (vec![0], (1..count).collect(), None),
    }
}

// ---------------------------------------------------------------------------------------------
// Pass 2: the tree to blocks.

/// A braced argument: its content and the offsets of its braces.
struct Arg<'n> {
    nodes: &'n [Node],
    open: usize,
    close: usize,
}

struct Reader<'s> {
    src: &'s str,
    b: DocumentBuilder,
    /// The kind of the open block, mirrored from the builder.
    open: Option<BlockKind>,
    /// A space is owed before the next text (collapses runs of spaces and markup).
    pending_space: bool,
    /// After `\\` inside a bullet, the next line is a bullet too.
    after_break: Option<BlockKind>,
    /// Depth of list environments.
    lists: usize,
    /// Above zero while a heading or header line is written: structure flattens to spaces.
    inline: usize,
    math: bool,
    /// Group depth, and the depth at which a `{\Huge Name}` heading closes.
    depth: usize,
    name_depth: Option<usize>,
    seen_name: bool,
    seen_section: bool,
    last_tag: bool,
    /// Macros the file defines, classified from their bodies.
    learned: HashMap<String, Spec>,
}

impl<'s> Reader<'s> {
    fn new(src: &'s str, b: DocumentBuilder) -> Self {
        Reader {
            src,
            b,
            open: None,
            pending_space: false,
            after_break: None,
            lists: 0,
            inline: 0,
            math: false,
            depth: 0,
            name_depth: None,
            seen_name: false,
            seen_section: false,
            last_tag: false,
            learned: HashMap::new(),
        }
    }

    // --- blocks -------------------------------------------------------------------------------

    fn begin(&mut self, kind: BlockKind, level: u8) {
        self.b.begin(kind, level);
        self.open = Some(kind);
        self.pending_space = false;
        self.after_break = None;
        self.last_tag = false;
    }

    fn end(&mut self) {
        self.b.end();
        self.open = None;
        self.pending_space = false;
        self.after_break = None;
        self.name_depth = None;
    }

    /// Push text; outside any block, non-blank text opens a paragraph (or a bullet after `\\`).
    fn push(&mut self, text: Option<&'static str>, range: Range<usize>) {
        let shown = text.unwrap_or(&self.src[range.clone()]);
        if shown.trim().is_empty() {
            self.space();
            return;
        }
        if self.open.is_none() {
            let kind = self.after_break.take().unwrap_or(BlockKind::Paragraph);
            self.begin(kind, 0);
        }
        if std::mem::take(&mut self.pending_space) {
            self.b.push_separator();
        }
        match text {
            Some(t) => self.b.push_mapped(t, range),
            None => self.b.push_source(range),
        }
        self.last_tag = false;
    }

    fn space(&mut self) {
        if self.open.is_some() {
            self.pending_space = true;
        }
    }

    /// A blank line: ends the block, except between paragraphs of one list item.
    fn par(&mut self) {
        if self.inline > 0 || self.open == Some(BlockKind::Bullet) && self.lists > 0 {
            self.space();
        } else {
            self.end();
        }
    }

    // --- the walk -----------------------------------------------------------------------------

    fn walk(&mut self, nodes: &[Node]) {
        let mut i = 0;
        while i < nodes.len() {
            let node = &nodes[i];
            i += 1;
            match node {
                Node::Text(r) => self.push(None, r.clone()),
                Node::Mapped(s, r) => self.push(Some(s), r.clone()),
                Node::Space => self.space(),
                Node::Par => self.par(),
                Node::Raw => {
                    if self.inline == 0 {
                        self.end();
                    }
                }
                Node::Group { children, .. } => self.group(children),
                Node::Special(c, r) => self.special(*c, r.clone(), nodes, &mut i),
                Node::Cmd(r) => self.command(r.clone(), nodes, &mut i),
            }
        }
    }

    /// A brace group: math mode ends with it, and so does a `{\Huge Name}` heading.
    fn group(&mut self, children: &[Node]) {
        self.depth += 1;
        let math = self.math;
        self.walk(children);
        self.math = math;
        if self.name_depth == Some(self.depth) {
            self.end();
        }
        self.depth -= 1;
    }

    fn special(&mut self, c: u8, r: Range<usize>, nodes: &[Node], i: &mut usize) {
        match c {
            b'&' if self.inline == 0 && self.open == Some(BlockKind::Heading) => self.end(),
            b'&' => self.space(),
            b'$' => self.math = !self.math,
            b'D' => {
                *i = skip_until(nodes, *i, |n| matches!(n, Node::Special(b'D', _)));
                self.space();
            }
            b'^' | b'_' if self.math => {}
            _ => self.push(None, r),
        }
    }

    /// Take up to `max` braced arguments after `*i`, skipping spaces and `[optional]` arguments.
    fn take_args<'n>(&self, nodes: &'n [Node], i: &mut usize, max: usize) -> Vec<Arg<'n>> {
        let mut out = Vec::new();
        while out.len() < max {
            let mut j = *i;
            loop {
                match nodes.get(j) {
                    Some(Node::Space) => j += 1,
                    Some(Node::Special(b'[', _)) => match optional_end(nodes, j) {
                        Some(k) => j = k,
                        None => break,
                    },
                    _ => break,
                }
            }
            match nodes.get(j) {
                Some(Node::Group { open, close, children }) => {
                    out.push(Arg { nodes: children, open: *open, close: *close });
                    *i = j + 1;
                }
                _ => break,
            }
        }
        out
    }

    /// Write the arguments that hold text, `seps[k]` (the last repeats) before the (k+1)-th;
    /// a separator stands for the source between the two arguments (`}{`).
    fn joined(&mut self, args: &[&Arg], seps: &[&'static str]) {
        let mut written = 0usize;
        let mut prev_close: Option<usize> = None;
        for arg in args {
            if !has_text(self.src, arg.nodes) {
                continue;
            }
            if let Some(close) = prev_close {
                let sep = seps[(written - 1).min(seps.len() - 1)];
                if sep.trim().is_empty() {
                    self.space();
                } else if self.open.is_some() {
                    self.pending_space = false;
                    self.push(Some(sep), close..arg.open + 1);
                }
            }
            self.group(arg.nodes);
            written += 1;
            prev_close = Some(arg.close);
        }
    }

    /// One block of the given kind holding the joined arguments, written inline.
    fn line(&mut self, kind: BlockKind, level: u8, args: &[&Arg], seps: &[&'static str]) {
        self.end();
        self.begin(kind, level);
        self.inline += 1;
        self.joined(args, seps);
        self.inline -= 1;
        self.end();
    }

    fn command(&mut self, r: Range<usize>, nodes: &[Node], i: &mut usize) {
        let name = cmd_name(self.src, &r);
        let spec = self.spec_of(name);
        if spec == Spec::Item {
            return self.item(nodes, i);
        }
        // An optional argument right after a command's name is never text: `\\[2pt]`, `\cvitem[1em]`.
        skip_optional(nodes, i);
        let structural = !matches!(
            spec,
            Spec::Keep { .. } | Spec::Drop(_) | Spec::Symbol(_) | Spec::Define
                | Spec::MathToggle(_) | Spec::DisplayMath | Spec::Unknown | Spec::Begin | Spec::End
        );
        if self.inline > 0 && structural {
            // Inside a heading: a line break or an item is a space, a macro's arguments are text.
            self.space();
            let args = self.take_args(nodes, i, max_args(spec));
            let refs: Vec<&Arg> = args.iter().collect();
            return self.joined(&refs, &[" "]);
        }
        match spec {
            Spec::Heading(level) => {
                let args = self.take_args(nodes, i, 1);
                self.line(BlockKind::Heading, level, &args.iter().collect::<Vec<_>>(), &[" "]);
                self.seen_section = true;
            }
            Spec::Item => {}
            Spec::Bullet { max, sep } => {
                let args = self.take_args(nodes, i, max);
                self.end();
                self.begin(BlockKind::Bullet, 0);
                self.joined(&args.iter().collect::<Vec<_>>(), &[sep]);
                self.end();
            }
            Spec::LabelBullet { max } => {
                let mut args = self.take_args(nodes, i, max);
                // AltaCV's `\cvskill{English}{4.5}` is a rating, not text.
                if name == "cvskill" && args.len() == 2 && plain(self.src, args[1].nodes).trim().parse::<f32>().is_ok() {
                    args.truncate(1);
                }
                self.bullet_of(&args.iter().collect::<Vec<_>>(), &[": ", ", "]);
            }
            Spec::PairBullets { labelled } => {
                let args = self.take_args(nodes, i, if labelled { 4 } else { 2 });
                let per = if labelled { 2 } else { 1 };
                for pair in args.chunks(per) {
                    self.bullet_of(&pair.iter().collect::<Vec<_>>(), &[": "]);
                }
            }
            Spec::Role { max } => {
                let args = self.take_args(nodes, i, max);
                self.role(name, &args);
            }
            Spec::Name => {
                let args = self.take_args(nodes, i, 2);
                self.line(BlockKind::Heading, 1, &args.iter().collect::<Vec<_>>(), &[" "]);
                self.seen_name = true;
            }
            Spec::Headline => {
                let args = self.take_args(nodes, i, 1);
                self.line(BlockKind::Paragraph, 0, &args.iter().collect::<Vec<_>>(), &[" "]);
            }
            Spec::Contact { max, keep } => {
                let args = self.take_args(nodes, i, max);
                skip_optional(nodes, i);
                let kept: Vec<&Arg> = args.iter().enumerate().filter(|(k, _)| keep >> k & 1 == 1).map(|(_, a)| a).collect();
                self.line(BlockKind::Paragraph, 0, &kept, &[" "]);
            }
            Spec::Keep { max, keep } => {
                let args = self.take_args(nodes, i, max);
                let kept: Vec<&Arg> = args.iter().enumerate().filter(|(k, _)| keep >> k & 1 == 1).map(|(_, a)| a).collect();
                self.joined(&kept, &[" "]);
            }
            Spec::Drop(n) => {
                self.take_args(nodes, i, n);
                skip_optional(nodes, i);
            }
            Spec::Symbol(s) => self.push(Some(s), r),
            Spec::Tag => {
                let args = self.take_args(nodes, i, 1);
                if self.last_tag && self.open.is_some() {
                    self.pending_space = false;
                    self.push(Some(", "), r);
                }
                self.joined(&args.iter().collect::<Vec<_>>(), &[" "]);
                self.last_tag = true;
            }
            Spec::BigFont => {
                if !self.seen_section && !self.seen_name && (self.open.is_none() || self.b.current_is_empty()) {
                    self.end();
                    self.begin(BlockKind::Heading, 1);
                    self.seen_name = true;
                    self.name_depth = Some(self.depth);
                }
            }
            Spec::LineBreak => {
                let was = self.open;
                self.end();
                if was == Some(BlockKind::Bullet) {
                    self.after_break = Some(BlockKind::Bullet);
                }
            }
            Spec::ParBreak => self.end(),
            Spec::Begin => self.begin_env(nodes, i),
            Spec::End => {
                let args = self.take_args(nodes, i, 1);
                let env = args.first().map(|a| plain(self.src, a.nodes)).unwrap_or_default();
                if LIST_ENVS.contains(&env.trim()) {
                    self.lists = self.lists.saturating_sub(1);
                    if self.inline == 0 {
                        self.end();
                        // Text after a nested list belongs to the item that held it.
                        if self.lists > 0 {
                            self.after_break = Some(BlockKind::Bullet);
                        }
                    }
                } else if self.inline == 0 {
                    self.end();
                }
            }
            Spec::Define => self.define(name, nodes, i),
            Spec::MathToggle(on) => self.math = on,
            Spec::DisplayMath => {
                let src = self.src;
                *i = skip_until(nodes, *i, |n| matches!(n, Node::Cmd(r) if cmd_name(src, r) == "]"));
                self.space();
            }
            Spec::Block => {
                let args = self.take_args(nodes, i, 4);
                self.end();
                self.joined(&args.iter().collect::<Vec<_>>(), &[" "]);
                self.end();
            }
            Spec::Unknown => {
                let args = self.take_args(nodes, i, 9);
                self.joined(&args.iter().collect::<Vec<_>>(), &[" "]);
            }
        }
    }

    /// Built-in meaning first, then what the file's own definitions taught.
    fn spec_of(&self, name: &str) -> Spec {
        match spec(name) {
            Spec::Unknown => self.learned.get(name).copied().unwrap_or(Spec::Unknown),
            known => known,
        }
    }

    /// `\item` or `\item[label]`: a bullet; a label with words is kept in front of the text.
    fn item(&mut self, nodes: &[Node], i: &mut usize) {
        if self.inline > 0 {
            self.space();
            return;
        }
        self.end();
        self.begin(BlockKind::Bullet, 0);
        let j = *i + nodes[*i..].iter().take_while(|n| matches!(n, Node::Space)).count();
        if let Some(k) = optional_end(nodes, j) {
            let label = &nodes[j + 1..k - 1];
            if plain(self.src, label).chars().any(char::is_alphanumeric) {
                self.inline += 1;
                self.walk(label);
                self.inline -= 1;
                self.space();
            }
            *i = k;
        }
    }

    fn bullet_of(&mut self, args: &[&Arg], seps: &[&'static str]) {
        if !args.iter().any(|a| has_text(self.src, a.nodes)) {
            return;
        }
        self.end();
        self.begin(BlockKind::Bullet, 0);
        self.joined(args, seps);
        self.end();
    }

    /// A role: heading `title, employer`, a line of dates and places, then the description.
    fn role(&mut self, name: &str, args: &[Arg]) {
        let (title, meta, body) = role_layout(name, args.len());
        let pick = |idx: &[usize]| idx.iter().filter_map(|&k| args.get(k)).collect::<Vec<&Arg>>();
        let (title, meta) = (pick(&title), pick(&meta));
        self.end();
        if title.iter().any(|a| has_text(self.src, a.nodes)) {
            self.line(BlockKind::Heading, 3, &title, &[", "]);
        } else {
            self.b.new_group();
        }
        if meta.iter().any(|a| has_text(self.src, a.nodes)) {
            self.line(BlockKind::Paragraph, 0, &meta, &[", "]);
        }
        if let Some(body) = body.and_then(|k| args.get(k)) {
            self.group(body.nodes);
            self.end();
        }
    }

    fn begin_env(&mut self, nodes: &[Node], i: &mut usize) {
        let args = self.take_args(nodes, i, 1);
        let env = args.first().map(|a| plain(self.src, a.nodes)).unwrap_or_default();
        let env = env.trim();
        if SKIP_ENVS.contains(&env) {
            let src = self.src;
            let mut nest = 0usize;
            let is_env = |nodes: &[Node], k: usize| {
                let j = k + 1;
                matches!(nodes.get(j), Some(Node::Group { children, .. }) if plain(src, children).trim() == env)
            };
            let mut k = *i;
            while k < nodes.len() {
                if let Node::Cmd(r) = &nodes[k] {
                    match cmd_name(src, r) {
                        "begin" if is_env(nodes, k) => nest += 1,
                        "end" if is_env(nodes, k) => {
                            if nest == 0 {
                                k += 2;
                                break;
                            }
                            nest -= 1;
                        }
                        _ => {}
                    }
                }
                k += 1;
            }
            *i = k.min(nodes.len());
            if self.inline == 0 {
                self.end();
            }
            return;
        }
        if self.inline > 0 {
            return;
        }
        self.end();
        if LIST_ENVS.contains(&env) {
            self.lists += 1;
        } else if env == "rSection" {
            let title = self.take_args(nodes, i, 1);
            self.line(BlockKind::Heading, 2, &title.iter().collect::<Vec<_>>(), &[" "]);
            self.seen_section = true;
        } else if let Some((_, n)) = ENV_ARGS.iter().find(|(e, _)| *e == env) {
            self.take_args(nodes, i, *n);
        }
        skip_optional(nodes, i);
    }

    // --- definitions and the preamble ---------------------------------------------------------

    /// Skip a definition, and learn what a `\newcommand`'d macro is from its body.
    fn define(&mut self, how: &str, nodes: &[Node], i: &mut usize) {
        let src = self.src;
        let skip_spaces = |i: &mut usize| {
            while matches!(nodes.get(*i), Some(Node::Space)) {
                *i += 1;
            }
        };
        skip_spaces(i);
        // The name: `\foo` or `{\foo}`.
        let name = match nodes.get(*i) {
            Some(Node::Cmd(r)) => Some(cmd_name(src, r).to_string()),
            Some(Node::Group { children, .. }) => children.iter().find_map(|n| match n {
                Node::Cmd(r) => Some(cmd_name(src, r).to_string()),
                _ => None,
            }),
            _ => None,
        };
        if name.is_none() {
            return;
        }
        *i += 1;
        if how == "let" {
            // `\let\a\b` or `\let\a=\b`.
            skip_spaces(i);
            if matches!(nodes.get(*i), Some(Node::Text(r)) if src[r.clone()].trim() == "=") {
                *i += 1;
                skip_spaces(i);
            }
            *i = (*i + 1).min(nodes.len());
            return;
        }
        // Parameters: `[2][default]` for \newcommand, `#1#2` for \def.
        let mut params = 0usize;
        let mut k = *i;
        let mut steps = 0;
        while k < nodes.len() && steps < 32 {
            steps += 1;
            match &nodes[k] {
                Node::Space => k += 1,
                Node::Special(b'[', _) => match optional_end(nodes, k) {
                    Some(end) => {
                        if params == 0 {
                            params = plain(src, &nodes[k + 1..end - 1]).trim().parse().unwrap_or(0);
                        }
                        k = end;
                    }
                    None => break,
                },
                Node::Special(b'#', _) => {
                    params += 1;
                    k += 1;
                }
                Node::Text(_) if how.ends_with("def") => k += 1,
                _ => break,
            }
        }
        let Some(Node::Group { children: body, .. }) = nodes.get(k) else { return };
        *i = k + 1;
        let mut names = Vec::new();
        collect_cmds(src, body, &mut names);
        if let Some(learned) = self.classify(&names, params) {
            self.learned.insert(name.unwrap_or_default(), learned);
        }
    }

    /// What a macro is, from the commands its body uses and how many arguments it takes.
    fn classify(&self, names: &[&str], params: usize) -> Option<Spec> {
        let uses = |n: &str| names.contains(&n);
        if uses("section") || uses("cvsection") {
            return (params >= 1).then_some(Spec::Heading(2));
        }
        if uses("subsection") || uses("cvsubsection") {
            return (params >= 1).then_some(Spec::Heading(3));
        }
        let bullet_like = names.iter().any(|n| matches!(self.spec_of(n), Spec::Bullet { .. }));
        if uses("item") || bullet_like {
            return Some(match params {
                0 if uses("item") => Spec::Item,
                0 => return None,
                1 => Spec::Bullet { max: 1, sep: "" },
                n if bullet_like && !uses("item") => Spec::Bullet { max: n, sep: ": " },
                n => Spec::Role { max: n },
            });
        }
        if params == 0 && (uses("begin") || uses("end")) {
            return Some(Spec::ParBreak);
        }
        None
    }

    /// Before `\begin{document}` only the header commands print; definitions are learned.
    fn preamble(&mut self, nodes: &[Node]) {
        let mut i = 0;
        while i < nodes.len() {
            let node = &nodes[i];
            i += 1;
            if let Node::Cmd(r) = node {
                match self.spec_of(cmd_name(self.src, r)) {
                    Spec::Define | Spec::Name | Spec::Headline => self.command(r.clone(), nodes, &mut i),
                    _ => {}
                }
            }
        }
        self.end();
    }
}

/// How many arguments a structural command takes when it is flattened inside a heading.
fn max_args(spec: Spec) -> usize {
    match spec {
        Spec::Heading(_) | Spec::Headline | Spec::Tag => 1,
        Spec::Block => 4,
        Spec::Bullet { max, .. } | Spec::LabelBullet { max } | Spec::Role { max } | Spec::Contact { max, .. } => max,
        Spec::PairBullets { labelled } => if labelled { 4 } else { 2 },
        Spec::Name => 2,
        _ => 0,
    }
}

/// Skip an optional argument `[...]` that starts exactly at `*i`.
fn skip_optional(nodes: &[Node], i: &mut usize) {
    if let Some(k) = optional_end(nodes, *i) {
        *i = k;
    }
}

/// Index just past the `]` closing an optional argument that opens at `start`, if a `[` is
/// there and closes within [`MAX_OPTIONAL`] siblings and before a blank line.
fn optional_end(nodes: &[Node], start: usize) -> Option<usize> {
    if !matches!(nodes.get(start), Some(Node::Special(b'[', _))) {
        return None;
    }
    let mut nest = 0usize;
    for (k, node) in nodes.iter().enumerate().skip(start + 1).take(MAX_OPTIONAL) {
        match node {
            Node::Special(b'[', _) => nest += 1,
            Node::Special(b']', _) if nest == 0 => return Some(k + 1),
            Node::Special(b']', _) => nest -= 1,
            Node::Par => return None,
            _ => {}
        }
    }
    None
}

/// Index just past the first sibling from `start` that `stop` accepts, or the end.
fn skip_until(nodes: &[Node], start: usize, mut stop: impl FnMut(&Node) -> bool) -> usize {
    nodes[start.min(nodes.len())..]
        .iter()
        .position(&mut stop)
        .map_or(nodes.len(), |k| start + k + 1)
}

/// Every command name used in a macro body, at any depth.
fn collect_cmds<'s>(src: &'s str, nodes: &[Node], out: &mut Vec<&'s str>) {
    for node in nodes {
        match node {
            Node::Cmd(r) => out.push(cmd_name(src, r)),
            Node::Group { children, .. } => collect_cmds(src, children, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, SectionKind};

    fn doc(src: &str) -> Document {
        read(Path::new("cv.tex"), src.as_bytes().to_vec(), None).expect("parses")
    }

    fn texts(doc: &Document, kind: BlockKind) -> Vec<&str> {
        doc.blocks.iter().filter(|b| b.kind == kind).map(|b| b.text.as_str()).collect()
    }

    fn span<'d>(doc: &'d Document, block: &Block, needle: &str) -> &'d str {
        let at = block.text.find(needle).expect("needle in block text");
        &doc.source[block.to_source(at..at + needle.len())]
    }

    fn error(src: &[u8]) -> Error {
        read(Path::new("cv.tex"), src.to_vec(), None).expect_err("should fail")
    }

    #[test]
    fn sections_items_and_escapes() {
        let src = "\\section{Experience}\n\\begin{itemize}\n  \\item Cut p99 latency by 40\\% \\& saved \\$2M -- in Q3 % a comment\n  \\item Shipped ``v2'' on~time\n\\end{itemize}\n";
        let d = doc(src);
        assert_eq!(texts(&d, BlockKind::Heading), vec!["Experience"]);
        let bullets = texts(&d, BlockKind::Bullet);
        assert_eq!(bullets, vec!["Cut p99 latency by 40% & saved $2M – in Q3", "Shipped \"v2\" on time"]);
        let b = &d.blocks[1];
        assert_eq!(b.section, SectionKind::Experience);
        assert_eq!(span(&d, b, "40% & saved $2M"), "40\\% \\& saved \\$2M");
        assert_eq!(span(&d, b, "Cut p99"), "Cut p99");
    }

    #[test]
    fn formatting_commands_keep_their_text_and_href_keeps_only_the_label() {
        let src = "\\section{Projects}\n\\resumeItem{Built \\textbf{Gitlytics} with \\emph{Flask}, see \\href{https://x.io}{\\underline{the demo}}\\small}\n";
        let d = doc(src);
        assert_eq!(texts(&d, BlockKind::Bullet), vec!["Built Gitlytics with Flask, see the demo"]);
        let b = d.blocks.iter().find(|b| b.kind == BlockKind::Bullet).unwrap();
        assert_eq!(span(&d, b, "Gitlytics with"), "Gitlytics} with");
        assert_eq!(b.section, SectionKind::Projects);
    }

    #[test]
    fn percent_escape_is_not_a_comment_but_percent_is() {
        let d = doc("\\section{Skills}\nPython 100\\% % not this\nand Rust\n");
        assert_eq!(texts(&d, BlockKind::Paragraph), vec!["Python 100% and Rust"]);
    }

    #[test]
    fn preamble_and_definitions_are_skipped_but_name_prints() {
        let src = "\\documentclass{moderncv}\n\\usepackage{geometry}\n\\name{Jane}{Doe}\n\\newcommand{\\foo}[1]{\\textbf{#1} secret}\n\\begin{document}\n\\def\\bar#1{hidden #1}\nHello \\foo{world}\n\\end{document}\nafter the end\n";
        let d = doc(src);
        let all: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(all, vec!["Jane Doe", "Hello world"]);
        assert_eq!(d.blocks[0].kind, BlockKind::Heading);
        assert_eq!(d.blocks[0].level, 1);
    }

    #[test]
    fn learned_macros_make_bullets_and_roles() {
        let src = "\\newcommand{\\myItem}[1]{\\item\\small{#1}}\n\\newcommand{\\myRole}[4]{\\item\\textbf{#1} & #2 \\\\ #3 & #4}\n\\begin{document}\n\\section{Experience}\n\\myRole{Engineer}{2020}{Acme}{NYC}\n\\myItem{Cut costs 30\\%}\n\\myItem{Led 4 people}\n\\end{document}";
        let d = doc(src);
        let got: Vec<(BlockKind, &str)> = d.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        use BlockKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, "Experience"),
                (Heading, "Engineer, Acme"),
                (Paragraph, "2020, NYC"),
                (Bullet, "Cut costs 30%"),
                (Bullet, "Led 4 people"),
            ]
        );
        assert_eq!(d.blocks[3].group, d.blocks[4].group);
        assert_eq!(d.blocks[3].group, d.blocks[1].group);
    }

    #[test]
    fn unknown_macros_keep_their_braced_text() {
        let d = doc("\\section{Summary}\n\\mysterymacro{Platform engineer}{who ships} daily.\n");
        assert_eq!(texts(&d, BlockKind::Paragraph), vec!["Platform engineer who ships daily."]);
    }

    #[test]
    fn math_symbols_and_accents_read_as_printed() {
        let d = doc("Cut cost by $\\sim$30$\\%$ for Jos\\'e and Fran\\c{c}ois at 5$\\times$ scale\n");
        let p = &d.blocks[0];
        assert_eq!(p.text, "Cut cost by ~30% for José and François at 5× scale");
        assert_eq!(span(&d, p, "José"), "Jos\\'e");
        assert_eq!(span(&d, p, "ç"), "\\c{c}");
    }

    #[test]
    fn iffalse_comment_and_verbatim_blocks_are_skipped() {
        let src = "Kept one\n\\iffalse\nHidden {unbalanced\n\\fi\n\n\\begin{comment}\nhidden } too\n\\end{comment}\nKept two\n";
        let d = doc(src);
        assert_eq!(texts(&d, BlockKind::Paragraph), vec!["Kept one", "Kept two"]);
    }

    #[test]
    fn unbalanced_braces_give_the_line_and_column_of_the_open_brace() {
        let e = error(b"\\section{Experience}\n\\resumeItem{Built things\n\\resumeItem{More}\n");
        assert_eq!(e.kind, ErrorKind::Parse);
        assert_eq!(e.position, Some((2, 12)));
        assert_eq!(e.to_string().lines().count(), 1);
        assert!(e.to_string().starts_with("cv.tex:2:12: unclosed brace"), "{e}");
        let e = error(b"ok\ntext} here\n");
        assert_eq!(e.position, Some((2, 5)));
        assert!(e.reason.contains("unmatched"));
    }

    #[test]
    fn deep_nesting_and_token_floods_are_errors_not_crashes() {
        let deep = "{".repeat(100_000) + &"}".repeat(100_000);
        let e = error(deep.as_bytes());
        assert!(e.reason.contains("nested deeper"), "{e}");
        assert_eq!(e.position, Some((1, MAX_DEPTH + 1)));
        let flood = "{}".repeat(MAX_NODES);
        assert!(error(flood.as_bytes()).reason.contains("too much markup"));
        // Optional-argument openers with no closer must not make the walk quadratic.
        let brackets = "\\item[".repeat(50_000);
        let start = std::time::Instant::now();
        let d = doc(&brackets);
        assert!(start.elapsed().as_secs() < 5);
        assert!(!d.blocks.is_empty());
    }

    #[test]
    fn garbage_and_binary_input_never_panic() {
        assert_eq!(error(b"\x00\x01\x02binary").kind, ErrorKind::Binary);
        assert_eq!(error(b"caf\xe9 {").kind, ErrorKind::Encoding);
        for src in ["\\", "\\verb", "\\verb|open", "$", "$$", "\\[", "\\begin", "\\begin{itemize", "\\item[",
            "\\'", "\\c{", "\\newcommand", "\\def\\x#1", "--- -- - `` '' ` ~ ^ _ # & ]"] {
            let _ = read(Path::new("x.tex"), src.as_bytes().to_vec(), None);
        }
    }

    #[test]
    fn line_breaks_split_lines_and_big_font_starts_the_name() {
        let src = "\\begin{document}\n\\begin{center}\n\\textbf{\\Huge \\scshape Jake Ryan} \\\\ \\vspace{1pt}\n\\small 123 $|$ \\href{mailto:x}{\\underline{jake@su.edu}}\n\\end{center}\n\\section{Technical Skills}\n\\begin{itemize}[leftmargin=0.15in, label={}]\n\\small{\\item{\\textbf{Languages}{: Java, Python} \\\\\n\\textbf{Tools}{: Git}}}\n\\end{itemize}\n\\end{document}\n";
        let d = doc(src);
        let got: Vec<(BlockKind, u8, &str)> = d.blocks.iter().map(|b| (b.kind, b.level, b.text.as_str())).collect();
        use BlockKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, 1, "Jake Ryan"),
                (Paragraph, 0, "123 | jake@su.edu"),
                (Heading, 2, "Technical Skills"),
                (Bullet, 0, "Languages: Java, Python"),
                (Bullet, 0, "Tools: Git"),
            ]
        );
    }

    #[test]
    fn moderncv_and_awesome_cv_entries_pick_their_own_argument_order() {
        let src = "\\section{Experience}\n\\cventry{2019--2021}{Engineer}{Acme}{Paris}{}{Built the billing service}\n\\cventry{Engineer}{Beta}{Seoul}{2018}{\\begin{cvitems}\\item {Cut costs 30\\%}\\end{cvitems}}\n";
        let d = doc(src);
        let got: Vec<(BlockKind, &str)> = d.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        use BlockKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, "Experience"),
                (Heading, "Engineer, Acme"),
                (Paragraph, "2019–2021, Paris"),
                (Paragraph, "Built the billing service"),
                (Heading, "Engineer, Beta"),
                (Paragraph, "Seoul, 2018"),
                (Bullet, "Cut costs 30%"),
            ]
        );
        let role = &d.blocks[1];
        assert_eq!(&d.source[role.to_source(0..role.text.len())], "Engineer}{Acme");
    }

    #[test]
    fn accent_table_rows_line_up() {
        for (accent, from, to) in ACCENTS {
            assert_eq!(from.chars().count(), to.chars().count(), "accent {accent}");
        }
    }
}
