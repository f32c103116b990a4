//! Inline Markdown inside structured formats (RenderCV and JSON Resume strings may hold
//! `**bold**`, `[text](url)`): which bytes are markup, so readers push only the text and keep
//! spans on the source. Only delimiters that pair up are dropped, so "3 * 4" and snake_case stay.

use std::ops::Range;

// Inline Markdown: which bytes of a text are markup to drop.

/// Byte ranges of `s` to keep once `**`, `*`, `_`, backticks, `[text](url)` and backslash escapes
/// are taken out. Unmatched delimiters stay as text.
pub fn markdown_keep(s: &str) -> Vec<Range<usize>> {
    let bytes = s.as_bytes();
    let n = bytes.len();
    let mut drop = vec![false; n];
    let mut literal = vec![false; n];
    let mut i = 0;
    while i < n {
        match bytes[i] {
            b'\\' if i + 1 < n && bytes[i + 1].is_ascii_punctuation() => {
                drop[i] = true;
                literal[i + 1] = true;
                i += 2;
                continue;
            }
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&c| c == b'`').count();
                if let Some(close) = find_backtick_run(bytes, i + run, run) {
                    drop[i..i + run].fill(true);
                    drop[close..close + run].fill(true);
                    literal[i + run..close].fill(true);
                    i = close + run;
                    continue;
                }
                i += run;
                continue;
            }
            b'[' if !literal[i] => {
                if let Some((close, url_end)) = link_at(bytes, i) {
                    drop[i] = true;
                    if i > 0 && bytes[i - 1] == b'!' && !literal[i - 1] {
                        drop[i - 1] = true;
                    }
                    drop[close..=url_end].fill(true);
                    literal[close..=url_end].fill(true);
                }
            }
            _ => {}
        }
        i += 1;
    }
    emphasis(s, &mut drop, &literal);
    let mut keep = Vec::new();
    let mut start = None;
    for (j, &d) in drop.iter().enumerate() {
        match (d, start) {
            (false, None) => start = Some(j),
            (true, Some(st)) => {
                keep.push(st..j);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        keep.push(st..n);
    }
    keep
}

fn find_backtick_run(bytes: &[u8], from: usize, len: usize) -> Option<usize> {
    let mut j = from;
    while j < bytes.len() {
        if bytes[j] == b'`' {
            let run = bytes[j..].iter().take_while(|&&c| c == b'`').count();
            if run == len {
                return Some(j);
            }
            j += run;
        } else {
            j += 1;
        }
    }
    None
}

/// For `[text](url)` starting at `open`: the index of `]` and of the closing `)`.
fn link_at(bytes: &[u8], open: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut j = open;
    let close = loop {
        match bytes.get(j)? {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
            }
            _ => {}
        }
        j += 1;
    };
    if bytes.get(close + 1) != Some(&b'(') {
        return None;
    }
    let mut parens = 0usize;
    let mut k = close + 1;
    loop {
        match bytes.get(k)? {
            b'(' => parens += 1,
            b')' => {
                parens -= 1;
                if parens == 0 {
                    return Some((close, k));
                }
            }
            b' ' | b'\n' if parens == 1 && bytes.get(k + 1) != Some(&b'"') => return None,
            _ => {}
        }
        k += 1;
    }
}

/// Mark matched `*`/`_` delimiter runs for dropping (a simplified CommonMark flanking rule).
fn emphasis(s: &str, drop: &mut [bool], literal: &[bool]) {
    let bytes = s.as_bytes();
    let mut openers: Vec<(u8, usize, usize)> = Vec::new(); // (char, start, len)
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if !(c == b'*' || c == b'_') || literal[i] || drop[i] {
            i += 1;
            continue;
        }
        let len = bytes[i..].iter().take_while(|&&x| x == c).count();
        let before = s[..i].chars().next_back();
        let after = s[i + len..].chars().next();
        let left = after.is_some_and(|a| !a.is_whitespace());
        let right = before.is_some_and(|b| !b.is_whitespace());
        let (can_open, can_close) = if c == b'_' {
            let alnum = |ch: Option<char>| ch.is_some_and(char::is_alphanumeric);
            (left && !(right && alnum(before)), right && !(left && alnum(after)))
        } else {
            (left, right)
        };
        let mut rest = len;
        while can_close && rest > 0 {
            let Some(pos) = openers.iter().rposition(|o| o.0 == c) else { break };
            let (_, ostart, olen) = openers[pos];
            let used = olen.min(rest).min(2);
            drop[ostart + olen - used..ostart + olen].fill(true);
            let at = i + len - rest;
            drop[at..at + used].fill(true);
            openers.truncate(pos);
            if olen > used {
                openers.push((c, ostart, olen - used));
            }
            rest -= used;
        }
        if rest > 0 && can_open {
            openers.push((c, i + len - rest, rest));
        }
        i += len;
    }
}
