//! Replays every committed fuzz input through the same functions the fuzz targets call
//! (`resume_lint::fuzzing`): `fuzz/regressions/TARGET/*` are minimised inputs that once broke
//! an invariant, each fixed since. The fixtures go through the whole pipeline too, so the
//! harness itself is exercised on real documents in every `cargo test`.

use std::path::Path;

use resume_lint::fuzzing;
use resume_lint::source::InputFormat;

fn target(name: &str) -> Option<fn(&[u8])> {
    Some(match name {
        "read_markdown" => |d| fuzzing::read(InputFormat::Markdown, d),
        "read_text" => |d| fuzzing::read(InputFormat::Text, d),
        "read_latex" => |d| fuzzing::read(InputFormat::Latex, d),
        "read_json_resume" => |d| fuzzing::read(InputFormat::JsonResume, d),
        "read_rendercv" => |d| fuzzing::read(InputFormat::Rendercv, d),
        "read_docx" => |d| fuzzing::read(InputFormat::Docx, d),
        "read_pdf" => |d| fuzzing::read(InputFormat::Pdf, d),
        "config" => fuzzing::config,
        "rule" => fuzzing::rule,
        "pipeline" => fuzzing::pipeline,
        _ => return None,
    })
}

#[test]
fn committed_fuzz_regressions_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for dir in std::fs::read_dir(&root).expect("fuzz/regressions exists").flatten() {
        let name = dir.file_name().to_string_lossy().into_owned();
        if !dir.path().is_dir() {
            continue;
        }
        let run = target(&name).unwrap_or_else(|| panic!("fuzz/regressions/{name}: no such fuzz target"));
        let mut files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            run(&bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regressions found under {}", root.display());
}

#[test]
fn fixtures_pass_every_pipeline_invariant() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    for entry in walk(&fixtures) {
        let Some(format) = InputFormat::from_path(&entry) else { continue };
        let bytes = std::fs::read(&entry).unwrap();
        fuzzing::pipeline_as(format, &bytes);
        fuzzing::read(format, &bytes);
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} fixtures");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
