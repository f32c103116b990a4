//! The syntax of token patterns: a pattern as written to its steps, with names resolved to class
//! ids by the caller. Self-contained (it needs only the step splitters of `lexicon`), so the
//! build script compiles the built-in patterns with the same code the engine uses for user rules.
//! The language itself is described in `kind::tokens`.

use super::lexicon;

/// The most tokens a gap may skip.
pub const MAX_GAP: u8 = 12;
/// The most steps in one pattern.
pub const MAX_STEPS: usize = 24;

/// One step of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A token or term in one of these classes.
    Class { ids: Vec<u32>, optional: bool },
    /// One token not starting a term of these classes.
    Not(Vec<u32>),
    /// Any one token.
    Any { optional: bool },
    /// Zero to n tokens (`..` alone: any number, to the end of the scope).
    Gap(u32),
    /// Start of the underlined part.
    Open,
    /// End of the underlined part.
    Close,
    /// The end of the scope.
    End,
}

/// A parsed pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// Must start at the start of the scope (`^`).
    pub anchored: bool,
    /// Classes one of which the first token must start: those of the leading optional steps and
    /// of the first required one (None when a gap, `_` or `!x` can start a match).
    pub first: Option<Vec<u32>>,
}

/// Resolves an alternative as written (`@class`, `word`, `"two words"`) to a class id.
pub type Resolve<'a> = dyn FnMut(&str) -> Result<u32, String> + 'a;

/// Parse a pattern; `resolve` names each alternative's class.
pub fn parse(source: &str, resolve: &mut Resolve<'_>) -> Result<Parsed, String> {
    let parts = lexicon::split_steps(source)?;
    let mut steps = Vec::with_capacity(parts.len());
    let mut anchored = false;
    for (i, part) in parts.iter().enumerate() {
        match *part {
            "^" if i == 0 => anchored = true,
            "^" => return Err("`^` must come first".into()),
            "$" if i + 1 == parts.len() => steps.push(Step::End),
            "$" => return Err("`$` must come last".into()),
            part => steps.push(parse_step(part, resolve)?),
        }
    }
    let opens = steps.iter().filter(|s| **s == Step::Open).count();
    let closes = steps.iter().filter(|s| **s == Step::Close).count();
    if opens > 1 || opens != closes {
        return Err("use one `[` and one `]` to mark the part to underline".into());
    }
    if let (Some(o), Some(c)) = (steps.iter().position(|s| *s == Step::Open), steps.iter().position(|s| *s == Step::Close)) {
        if c < o {
            return Err("`]` comes before `[`".into());
        }
    }
    if !steps.iter().any(|s| matches!(s, Step::Class { optional: false, .. } | Step::Any { optional: false } | Step::Not(_))) {
        return Err("a pattern needs at least one step that matches a token".into());
    }
    if steps.len() > MAX_STEPS {
        return Err(format!("a pattern has at most {MAX_STEPS} steps"));
    }
    let first = first_of(&steps);
    Ok(Parsed { steps, anchored, first })
}

/// One step other than `^` and `$`.
fn parse_step(part: &str, resolve: &mut Resolve<'_>) -> Result<Step, String> {
    Ok(match part {
        "[" => Step::Open,
        "]" => Step::Close,
        "_" => Step::Any { optional: false },
        "_?" => Step::Any { optional: true },
        ".." => Step::Gap(u32::MAX),
        _ if part.starts_with("..") => {
            let n: u8 = part[2..].parse().map_err(|_| format!("`{part}`: a gap is `..N` with N from 1 to {MAX_GAP}"))?;
            if n == 0 || n > MAX_GAP {
                return Err(format!("`{part}`: a gap is `..N` with N from 1 to {MAX_GAP}"));
            }
            Step::Gap(n as u32)
        }
        _ => {
            let (negated, rest) = match part.strip_prefix('!') {
                Some(r) => (true, r),
                None => (false, part),
            };
            let (optional, rest) = match rest.strip_suffix('?') {
                Some(r) if !r.is_empty() => (true, r),
                _ => (false, rest),
            };
            if negated && optional {
                return Err(format!("`{part}`: a negated step cannot be optional"));
            }
            let mut ids = Vec::new();
            for alt in lexicon::split_alternatives(rest) {
                if alt.is_empty() {
                    return Err("empty alternative (`||` or a trailing `|`)".into());
                }
                ids.push(resolve(alt)?);
            }
            ids.sort_unstable();
            ids.dedup();
            if negated { Step::Not(ids) } else { Step::Class { ids, optional } }
        }
    })
}

fn first_of(steps: &[Step]) -> Option<Vec<u32>> {
    let mut first = Vec::new();
    for step in steps {
        match step {
            Step::Open | Step::Close => {}
            Step::Class { ids, optional } => {
                first.extend_from_slice(ids);
                if !optional {
                    break;
                }
            }
            _ => return None,
        }
    }
    first.sort_unstable();
    first.dedup();
    Some(first)
}

/// The classes each required token step needs: a block without one of each holds no match.
pub fn required(steps: &[Step]) -> Vec<Vec<u32>> {
    steps.iter().filter_map(|s| match s { Step::Class { ids, optional: false } => Some(ids.clone()), _ => None }).collect()
}

/// An alternative as written without its quotes.
pub fn unquote(alt: &str) -> &str {
    alt.strip_prefix('"').and_then(|a| a.strip_suffix('"')).unwrap_or(alt)
}

// Steps as a flat list of numbers, so the build script can store compiled patterns as static
// data: an opcode, then for class steps a count and the ids, for gaps the width.
const CLASS: u32 = 0;
const OPTIONAL_CLASS: u32 = 1;
const NOT: u32 = 2;
const ANY: u32 = 3;
const OPTIONAL_ANY: u32 = 4;
const GAP: u32 = 5;
const OPEN: u32 = 6;
const CLOSE: u32 = 7;
const END: u32 = 8;

/// Steps to their flat form.
pub fn encode(steps: &[Step]) -> Vec<u32> {
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::Class { ids, optional } => {
                out.push(if *optional { OPTIONAL_CLASS } else { CLASS });
                out.push(ids.len() as u32);
                out.extend_from_slice(ids);
            }
            Step::Not(ids) => {
                out.push(NOT);
                out.push(ids.len() as u32);
                out.extend_from_slice(ids);
            }
            Step::Any { optional } => out.push(if *optional { OPTIONAL_ANY } else { ANY }),
            Step::Gap(n) => {
                out.push(GAP);
                out.push(*n);
            }
            Step::Open => out.push(OPEN),
            Step::Close => out.push(CLOSE),
            Step::End => out.push(END),
        }
    }
    out
}

/// The flat form back to steps; `None` if it is not one [`encode`] wrote.
pub fn decode(code: &[u32]) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut i = 0;
    let ids_at = |i: usize| -> Option<(Vec<u32>, usize)> {
        let n = *code.get(i)? as usize;
        Some((code.get(i + 1..i + 1 + n)?.to_vec(), i + 1 + n))
    };
    while i < code.len() {
        let op = code[i];
        i += 1;
        steps.push(match op {
            CLASS | OPTIONAL_CLASS | NOT => {
                let (ids, next) = ids_at(i)?;
                i = next;
                match op {
                    NOT => Step::Not(ids),
                    _ => Step::Class { ids, optional: op == OPTIONAL_CLASS },
                }
            }
            ANY => Step::Any { optional: false },
            OPTIONAL_ANY => Step::Any { optional: true },
            GAP => {
                let n = *code.get(i)?;
                i += 1;
                Step::Gap(n)
            }
            OPEN => Step::Open,
            CLOSE => Step::Close,
            END => Step::End,
            _ => return None,
        });
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let mut next = 0;
        let mut resolve = |_: &str| -> Result<u32, String> {
            next += 1;
            Ok(next)
        };
        for source in ["^ i am? [@desire|want+] ..3 _ !not _? .. $", "\"looking to\" @field"] {
            let parsed = parse(source, &mut resolve).unwrap();
            assert_eq!(decode(&encode(&parsed.steps)).as_deref(), Some(parsed.steps.as_slice()), "{source}");
        }
        assert_eq!(decode(&[CLASS, 3, 1]), None);
        assert_eq!(decode(&[99]), None);
    }
}
