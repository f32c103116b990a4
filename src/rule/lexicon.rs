//! Lexicons: named concept classes of words and multi-word terms, and the word table that maps
//! a folded token to the classes it belongs to.
//!
//! A lexicon file (`rules/lexicon/*.toml`, or `lexicon*.toml` in a user rules folder) holds
//!
//! ```toml
//! [classes.desire]
//! about = "Words that state a wish rather than a record."
//! words = ["want+", "hope+", "eager", "looking to", "would love to"]
//! include = ["affect"]
//! ```
//!
//! `+` after a word gives its regular inflections (want, wants, wanted, wanting; model, models);
//! irregular forms are listed as words. Matching is case-insensitive; curly apostrophes are read
//! as straight ones, and hyphens join nothing (`fine-tune` is the two words `fine tune`). A class
//! includes every word of the classes it names in `include`.
//!

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use serde::Deserialize;

/// The hash of a folded word in the compiled tables, the same at build time and at run time.
/// Fx is a few instructions for a short word; phf's SipHash cost about 250 a lookup, and every
/// token of every resume is looked up.
pub fn word_hash(word: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    // Fx's low bits are its weakest; the table takes its slot from the high ones.
    h.finish()
}

/// The slot table of `keys`: each key's index at the slot its hash gives, or at the next free
/// one (`u32::MAX` marks a free slot). At most half the slots are used, so a lookup reads one
/// or two slots.
pub fn slot_table(keys: &[&str]) -> Vec<u32> {
    let size = (keys.len() * 2).next_power_of_two().max(2);
    let mut slots = vec![u32::MAX; size];
    for (i, k) in keys.iter().enumerate() {
        let mut at = slot_of(word_hash(k), size);
        while slots[at] != u32::MAX {
            at = (at + 1) & (size - 1);
        }
        slots[at] = i as u32;
    }
    slots
}

/// The first slot of `hash` in a table of `size` slots (a power of two).
pub fn slot_of(hash: u64, size: usize) -> usize {
    (hash >> (64 - size.trailing_zeros())) as usize & (size - 1)
}

/// A lexicon file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    /// Classes by name.
    #[serde(default)]
    pub classes: BTreeMap<String, ClassSpec>,
}

/// One concept class as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    /// What the class stands for, for the rules reference.
    #[serde(default)]
    pub about: String,
    /// Words and multi-word terms; `+` marks a word to inflect.
    #[serde(default)]
    pub words: Vec<String>,
    /// Other classes whose words belong here too.
    #[serde(default)]
    pub include: Vec<String>,
}

/// Fold one token the way lexicon entries are folded: lowercase, straight apostrophes.
pub fn fold(token: &str, out: &mut String) {
    out.clear();
    fold_onto(token, out);
}

/// [`fold`], appending to `out`.
pub fn fold_onto(token: &str, out: &mut String) {
    if token.is_ascii() {
        let start = out.len();
        out.push_str(token);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in token.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Split a term into the tokens the text tokenizer gives, folded (`a/b test` is `a` `/` `b`
/// `test`, `fine-tune` is `fine` `tune`); a `+` after a word is kept on its last token.
pub fn term_words(term: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut folded = String::new();
    let mut tokens = Vec::new();
    for raw in term.split_whitespace() {
        let (raw, inflect) = match raw.strip_suffix('+') {
            Some(r) if !r.is_empty() && !r.ends_with('+') => (r, true),
            _ => (raw, false),
        };
        crate::document::tokens::tokenize(raw, &mut tokens);
        for t in &tokens {
            fold(&raw[t.range()], &mut folded);
            words.push(folded.clone());
        }
        if inflect {
            if let Some(last) = words.last_mut() {
                last.push('+');
            }
        }
    }
    words
}

/// The forms a `word+` stands for: the word, its plural or third person, past and -ing forms.
/// Over-generation is harmless (nobody writes "modeles"), so the rules are simple.
pub fn inflections(base: &str) -> Vec<String> {
    let mut out = vec![base.to_string()];
    let b = base.as_bytes();
    let n = b.len();
    if n == 0 {
        return out;
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let last = b[n - 1];
    let stem_y = n >= 2 && last == b'y' && !vowel(b[n - 2]);
    if stem_y {
        let s = &base[..n - 1];
        out.extend([format!("{s}ies"), format!("{s}ied"), format!("{base}ing")]);
    } else if last == b'e' {
        let s = &base[..n - 1];
        out.extend([format!("{base}s"), format!("{base}d"), format!("{s}ing"), format!("{base}ing")]);
    } else {
        let sibilant = base.ends_with('s') || base.ends_with('x') || base.ends_with('z') || base.ends_with("ch") || base.ends_with("sh");
        out.push(if sibilant { format!("{base}es") } else { format!("{base}s") });
        if last == b'o' {
            out.push(format!("{base}es"));
        }
        out.extend([format!("{base}ed"), format!("{base}ing")]);
        // plan -> planned, ship -> shipping: a short word ending consonant-vowel-consonant.
        if n >= 3 && !vowel(last) && vowel(b[n - 2]) && !vowel(b[n - 3]) && !matches!(last, b'w' | b'x' | b'y') {
            out.extend([format!("{base}{}ed", last as char), format!("{base}{}ing", last as char)]);
        }
    }
    out
}

/// The most word sequences one written term may stand for: `a+ b+ c+ ...` multiplies the
/// inflections of each word, so a short term could otherwise expand to billions.
pub const MAX_TERM_FORMS: usize = 1_024;

/// The most word sequences the lexicon files of one rule set may expand to in all.
pub const MAX_VOCABULARY_FORMS: usize = 2_000_000;

/// Most classes (lexicon classes and pattern words) one rule set may name: a class id is 20
/// bits of a packed `kind::tokens::Mark`.
pub const MAX_CLASSES: u32 = 1 << 20;

/// How many word sequences `term` expands to (saturating), counted without expanding it.
pub fn term_forms(term: &str) -> usize {
    term_words(term).iter().fold(1usize, |n, word| match word.strip_suffix('+') {
        Some(base) if !base.is_empty() => n.saturating_mul(inflections(base).len()),
        _ => n,
    })
}

/// `Err` with the reason when `term` expands to more than [`MAX_TERM_FORMS`] sequences.
pub fn check_term(term: &str) -> Result<usize, String> {
    let forms = term_forms(term);
    if forms > MAX_TERM_FORMS {
        return Err(format!("`{term}` expands to {forms} word sequences (limit {MAX_TERM_FORMS}); use fewer `+` words"));
    }
    Ok(forms)
}

/// Every word sequence a written term stands for (the product of its inflected words).
pub fn expand_term(term: &str) -> Vec<Vec<String>> {
    let mut seqs: Vec<Vec<String>> = vec![Vec::new()];
    for word in term_words(term) {
        let forms = match word.strip_suffix('+') {
            Some(base) if !base.is_empty() => inflections(base),
            _ => vec![word],
        };
        seqs = seqs.iter().flat_map(|s| forms.iter().map(move |f| [s.clone(), vec![f.clone()]].concat())).collect();
    }
    seqs.retain(|s| !s.is_empty());
    seqs
}

/// The classes every vocabulary starts with, filled by the engine rather than by words.
pub const BUILTIN_CLASSES: &[(&str, &str)] = &[
    ("quantity", "A number that measures something (a count, a percentage, a latency, money, a multiplier), found by the quantity parser; versions, dates and product names are not quantities."),
    ("number", "Any token that starts with a digit."),
    ("capitalized", "A word that starts with a capital letter."),
    ("measure", "A quantity with a unit, a currency or a multiplier (40%, $18k, 3.5x, 30 ms, 2M, doubled): a measured result rather than a bare count like 3 services."),
];

/// The class name standing for a literal term of a pattern.
pub fn literal_name(term: &str) -> String {
    format!("={}", term_words(term).join(" "))
}

/// Split a pattern into its steps: at spaces outside quotes, with `[` and `]` apart.
pub fn split_steps(source: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quoted = false;
    for (i, c) in source.char_indices() {
        match c {
            '"' => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(s) = start.take() {
                    out.push(&source[s..i]);
                }
            }
            // `[` and `]` are steps of their own even when written against a word: `[@x ..3 @y]`.
            '[' | ']' if !quoted => {
                if let Some(s) = start.take() {
                    out.push(&source[s..i]);
                }
                out.push(&source[i..i + 1]);
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if quoted {
        return Err("unclosed `\"`".into());
    }
    if let Some(s) = start {
        out.push(&source[s..]);
    }
    Ok(out)
}

/// Split a step into its `|` alternatives, keeping a quoted `"|"` whole.
pub fn split_alternatives(step: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in step.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '|' if !quoted => {
                out.push(&step[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&step[start..]);
    out
}

/// The literal terms a pattern names (its alternatives that are not classes or operators), so
/// the build script can put them in the compiled word table.
pub fn pattern_literals(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in split_steps(source).unwrap_or_default() {
        if matches!(part, "^" | "$" | "[" | "]" | "_" | "_?" | "..") || part.starts_with("..") {
            continue;
        }
        let rest = part.strip_prefix('!').unwrap_or(part);
        let rest = match rest.strip_suffix('?') {
            Some(r) if !r.is_empty() => r,
            _ => rest,
        };
        for alt in split_alternatives(rest) {
            if alt.is_empty() || alt.starts_with('@') {
                continue;
            }
            let term = alt.strip_prefix('"').and_then(|a| a.strip_suffix('"')).unwrap_or(alt);
            out.push(term.to_string());
        }
    }
    out
}

/// Why a lexicon cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// The class the problem is in.
    pub class: String,
    /// What is wrong.
    pub reason: String,
}

/// Class names and their flattened membership: for each class, itself and every class that
/// includes it (directly or not), so a word put in one class is in all of those.
#[derive(Debug, Clone, Default)]
pub struct ClassTable {
    /// Names, by class id.
    pub names: Vec<String>,
    /// What each class stands for.
    pub about: Vec<String>,
    /// Class ids by name.
    pub ids: HashMap<String, u32>,
    /// For each class id, the ids that contain it (itself first).
    pub containers: Vec<Vec<u32>>,
    /// The written words of each class (not those it includes).
    pub words: Vec<Vec<String>>,
    /// The classes each class includes, as written.
    pub includes: Vec<Vec<String>>,
}

impl ClassTable {
    /// Add a class; `Err` when the name is taken.
    pub fn add(&mut self, name: &str, spec: &ClassSpec) -> Result<u32, LexiconError> {
        if self.ids.contains_key(name) {
            return Err(LexiconError { class: name.into(), reason: format!("class `{name}` is already defined") });
        }
        let id = self.names.len() as u32;
        // A class id must fit a packed mark (`kind::tokens::Mark`).
        if id >= MAX_CLASSES {
            return Err(LexiconError { class: name.into(), reason: format!("more than {MAX_CLASSES} classes and pattern words") });
        }
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        self.about.push(spec.about.clone());
        self.words.push(spec.words.clone());
        self.includes.push(spec.include.clone());
        self.containers.push(vec![id]);
        Ok(id)
    }

    /// Resolve `include` lists into `containers`; unknown names and cycles are errors.
    pub fn resolve(&mut self) -> Result<(), LexiconError> {
        let n = self.names.len();
        let mut direct: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (id, includes) in self.includes.iter().enumerate() {
            for inc in includes {
                let Some(&child) = self.ids.get(inc) else {
                    return Err(LexiconError { class: self.names[id].clone(), reason: format!("includes unknown class `{inc}`") });
                };
                // child's words belong to id: id contains child.
                direct[child as usize].push(id as u32);
            }
        }
        for start in 0..n {
            let mut seen = vec![false; n];
            let mut stack = direct[start].clone();
            let mut out = vec![start as u32];
            seen[start] = true;
            while let Some(c) = stack.pop() {
                if c as usize == start {
                    return Err(LexiconError {
                        class: self.names[start].clone(),
                        reason: "includes itself through other classes".into(),
                    });
                }
                if !seen[c as usize] {
                    seen[c as usize] = true;
                    out.push(c);
                    stack.extend(&direct[c as usize]);
                }
            }
            self.containers[start] = out;
        }
        Ok(())
    }
}

/// A word's entry in the word table: classes it is in alone, and multi-word terms it starts.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Classes the single word belongs to (flattened, sorted, unique).
    pub classes: Vec<u32>,
    /// Multi-word terms starting with this word: the remaining words and the term's classes.
    pub terms: Vec<(Vec<String>, Vec<u32>)>,
}

/// Folded word -> entry.
#[derive(Debug, Clone, Default)]
pub struct WordTable {
    /// The entries.
    pub map: HashMap<String, Entry>,
    /// The most words in any term.
    pub longest: usize,
}

impl WordTable {
    /// Put a written term (one or more words, `+` to inflect) into the table under `classes`.
    pub fn insert(&mut self, term: &str, classes: &[u32]) {
        for seq in expand_term(term) {
            self.insert_words(&seq, classes);
        }
    }

    /// Put an already expanded word sequence into the table.
    pub fn insert_words(&mut self, seq: &[String], classes: &[u32]) {
        let Some((first, rest)) = seq.split_first() else { return };
        self.longest = self.longest.max(seq.len());
        let entry = self.map.entry(first.clone()).or_default();
        let target = if rest.is_empty() {
            &mut entry.classes
        } else {
            let i = match entry.terms.iter().position(|(r, _)| r.as_slice() == rest) {
                Some(i) => i,
                None => {
                    entry.terms.push((rest.to_vec(), Vec::new()));
                    entry.terms.len() - 1
                }
            };
            &mut entry.terms[i].1
        };
        target.extend_from_slice(classes);
        target.sort_unstable();
        target.dedup();
    }

    /// Order multi-word terms longest first, so matching prefers the longer term.
    pub fn finish(&mut self) {
        // By the word that follows, so a text's next word finds its terms by binary search.
        for entry in self.map.values_mut() {
            entry.terms.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }
}

/// Build the class table (the built-in classes first) and the word table of the given lexicon
/// files, in order. The engine and the build script both start here.
pub fn build(files: &[LexiconFile]) -> Result<(ClassTable, WordTable), LexiconError> {
    let mut classes = ClassTable::default();
    for (name, about) in BUILTIN_CLASSES {
        classes.add(name, &ClassSpec { about: (*about).into(), ..Default::default() })?;
    }
    for file in files {
        for (name, spec) in &file.classes {
            classes.add(name, spec)?;
        }
    }
    classes.resolve()?;
    let mut words = WordTable::default();
    fill(&classes, 0, &mut words)?;
    Ok((classes, words))
}

/// Put the words of classes `from..` into `words`.
pub fn fill(classes: &ClassTable, from: usize, words: &mut WordTable) -> Result<(), LexiconError> {
    let mut total = 0usize;
    for id in from..classes.names.len() {
        for term in &classes.words[id] {
            if term_words(term).is_empty() {
                return Err(LexiconError { class: classes.names[id].clone(), reason: format!("empty word `{term}`") });
            }
            let forms = check_term(term).map_err(|reason| LexiconError { class: classes.names[id].clone(), reason })?;
            total = total.saturating_add(forms.saturating_mul(classes.containers[id].len()));
            if total > MAX_VOCABULARY_FORMS {
                return Err(LexiconError {
                    class: classes.names[id].clone(),
                    reason: format!("the lexicons expand to more than {MAX_VOCABULARY_FORMS} word sequences; split or shorten them"),
                });
            }
            words.insert(term, &classes.containers[id]);
        }
    }
    words.finish();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_cover_regular_forms() {
        let f = inflections("want");
        for w in ["want", "wants", "wanted", "wanting"] {
            assert!(f.contains(&w.to_string()), "{w} in {f:?}");
        }
        assert!(inflections("study").contains(&"studied".to_string()));
        assert!(inflections("deploy").contains(&"deployed".to_string()));
        assert!(inflections("serve").contains(&"serving".to_string()));
        assert!(inflections("ship").contains(&"shipped".to_string()));
        assert!(inflections("process").contains(&"processes".to_string()));
        assert!(!inflections("deploy").contains(&"deploies".to_string()));
    }

    #[test]
    fn terms_fold_case_hyphens_and_apostrophes() {
        assert_eq!(term_words("Fine-Tune+ the  model"), vec!["fine", "tune+", "the", "model"]);
        assert_eq!(term_words("I’m"), vec!["i'm"]);
        assert_eq!(expand_term("help+ with").len(), inflections("help").len());
        assert_eq!(term_forms("help+ with"), inflections("help").len());
        let bomb = "build+ ".repeat(40);
        assert!(term_forms(&bomb) > MAX_TERM_FORMS);
        assert!(check_term(&bomb).unwrap_err().contains("limit 1024"));
    }

    #[test]
    fn includes_flatten_and_cycles_fail() {
        let mut f = LexiconFile::default();
        f.classes.insert("a".into(), ClassSpec { words: vec!["alpha".into()], include: vec!["b".into()], ..Default::default() });
        f.classes.insert("b".into(), ClassSpec { words: vec!["beta".into()], ..Default::default() });
        let (classes, words) = build(&[f.clone()]).unwrap();
        let a = classes.ids["a"];
        let b = classes.ids["b"];
        assert_eq!(words.map["beta"].classes, {
            let mut v = vec![a, b];
            v.sort();
            v
        });
        assert_eq!(words.map["alpha"].classes, vec![a]);
        f.classes.get_mut("b").unwrap().include = vec!["a".into()];
        assert!(build(&[f]).is_err());
    }
}
