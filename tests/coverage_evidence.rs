//! The production-ML checklist names the line that earned each tick, on the team's fixtures and
//! on real documents read from ../shared/corpus at test time (never copied into the repository);
//! and every built-in rule fires on at least one real line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use resume_lint::linter::lint_file;
use resume_lint::diagnostic::FileReport;
use resume_lint::render::{Format, Style, render};
use resume_lint::rule::RuleSet;
use resume_lint::source::InputFormat;

const SURFACES: [&str; 7] = [
    "problem-framing",
    "labels-and-data-quality",
    "features-and-pipelines",
    "evaluation",
    "serving-and-latency",
    "monitoring",
    "drift-and-rollback",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    let dir = root().join("../shared/corpus");
    assert!(dir.is_dir(), "../shared/corpus must sit beside the repository");
    dir
}

fn lint(path: &Path, set: &RuleSet) -> FileReport {
    let format = InputFormat::from_path(path).expect("supported format");
    lint_file(path, format, None, set).unwrap_or_else(|e| panic!("{e}"))
}

/// One tick as the JSON output gives it.
#[derive(Debug)]
struct Tick {
    surface: String,
    line: u64,
    text: String,
    quoted_source: String,
}

/// The JSON `files[0]` of `path`: its coverage map, and its evidence list checked against the map.
fn ticks(path: &Path) -> Vec<Tick> {
    let set = RuleSet::load(&[]).unwrap();
    let report = lint(path, &set);
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json, std::slice::from_ref(&report), Style::default())).unwrap();
    let file = &json["files"][0];
    let coverage = file["coverage"].as_object().unwrap();
    assert_eq!(coverage.keys().map(String::as_str).collect::<BTreeSet<_>>(), SURFACES.into_iter().collect());
    let evidence = file["coverage_evidence"].as_array().unwrap();
    let ticks: Vec<Tick> = evidence
        .iter()
        .map(|e| {
            let (start, end) = (e["start"]["byte"].as_u64().unwrap() as usize, e["end"]["byte"].as_u64().unwrap() as usize);
            assert!(start < end && end <= report.source.len(), "{e}");
            Tick {
                surface: e["surface"].as_str().unwrap().to_string(),
                line: e["start"]["line"].as_u64().unwrap(),
                text: e["text"].as_str().unwrap().to_string(),
                quoted_source: report.source[start..end].to_string(),
            }
        })
        .collect();
    // Evidence is listed for exactly the ticked surfaces, in the checklist's order.
    let ticked: Vec<&str> = SURFACES.into_iter().filter(|s| coverage[*s] == true).collect();
    assert_eq!(ticks.iter().map(|t| t.surface.as_str()).collect::<Vec<_>>(), ticked, "{}", path.display());
    for t in &ticks {
        assert!(!t.text.is_empty() && t.text.chars().count() <= 61, "{t:?}");
        // The quote is the start of the evidence span's text (markup such as ** aside).
        let head: String = t.text.trim_end_matches('…').split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        assert!(t.quoted_source.replace("**", "").replace('\n', " ").starts_with(&head), "{t:?}");
    }
    ticks
}

/// Assert the ticks are exactly `expected`: (surface, line, a fragment of the quoted text).
fn assert_ticks(path: &Path, expected: &[(&str, u64, &str)]) -> Vec<Tick> {
    let got = ticks(path);
    let shown: Vec<String> = got.iter().map(|t| format!("{} line {} {:?}", t.surface, t.line, t.text)).collect();
    assert_eq!(got.len(), expected.len(), "{}: {shown:#?}", path.display());
    for (t, (surface, line, fragment)) in got.iter().zip(expected) {
        assert_eq!((t.surface.as_str(), t.line), (*surface, *line), "{}: {shown:#?}", path.display());
        assert!(t.text.contains(fragment), "{}: {surface} quotes {:?}, expected {fragment:?}", path.display(), t.text);
    }
    got
}

/// The 1-based line of `path` that contains `needle` (checks the keyword is really in the file).
fn line_of(path: &Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {}", path.display())) as u64 + 1
}

fn unticked(ticks: &[Tick], surface: &str) -> bool {
    ticks.iter().all(|t| t.surface != surface)
}

#[test]
fn strong_fixture_ticks_name_their_lines() {
    let path = root().join("fixtures/markdown/resume-strong.md");
    let ticks = assert_ticks(
        &path,
        &[
            ("problem-framing", 19, "Cut chargeback losses by $1.2M"),
            ("labels-and-data-quality", 15, "feature pipeline with schema"),
            ("features-and-pipelines", 7, "run the feature pipeline"),
            ("evaluation", 7, "evaluation gate"),
            ("serving-and-latency", 3, "owns the fraud model's serving"),
            ("monitoring", 3, "serving path: 35 ms p99"),
            ("drift-and-rollback", 3, "weekly retraining"),
        ],
    );
    // The Skills line names feature stores and evaluation; no tick comes from it.
    let skills = line_of(&path, "feature stores, offline and online evaluation");
    assert!(ticks.iter().all(|t| t.line != skills));

    // Keyword alone: the same resume cut down to its name, Skills and Education still names
    // "feature stores" and "offline and online evaluation", and ticks nothing.
    let text = std::fs::read_to_string(&path).unwrap();
    let skills_on: String = text.lines().skip_while(|l| !l.starts_with("## Skills")).map(|l| format!("{l}\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("strong-skills-only.md");
    std::fs::write(&cut, format!("# Priya Natarajan\n\n{skills_on}")).unwrap();
    assert!(std::fs::read_to_string(&cut).unwrap().contains("offline and online evaluation"));
    assert_ticks(&cut, &[]);
}

#[test]
fn weak_fixture_ticks_nothing_though_it_names_deployment_and_on_call() {
    let path = root().join("fixtures/markdown/resume-weak.md");
    let ticks = assert_ticks(&path, &[]);
    // "maintaining the deployment scripts and on-call documentation": serving and monitoring
    // words, but no ML system; "Skills: PyTorch, scikit-learn" is a tool list.
    line_of(&path, "maintaining the deployment scripts and on-call documentation");
    line_of(&path, "PyTorch, scikit-learn");
    assert!(unticked(&ticks, "serving-and-latency") && unticked(&ticks, "monitoring"));
}

#[test]
fn corpus_data_scientist_ticks_name_their_lines() {
    let path = corpus().join("markdown/markcv-data-scientist-strong.md");
    let ticks = assert_ticks(
        &path,
        &[
            ("problem-framing", 23, "Built a gradient-boosted churn model"),
            ("features-and-pipelines", 40, "Cut the forecasting pipeline"),
            ("evaluation", 27, "Built a backtesting"),
            ("monitoring", 38, "Serve models through a FastAPI service"),
        ],
    );
    // Keyword alone: Skills says "Deployment: ... drift monitoring"; no line shows a drift
    // response or a rollback, so drift-and-rollback stays unticked.
    line_of(&path, "**Deployment:** FastAPI, Docker, Kubernetes, MLflow, drift monitoring.");
    assert!(unticked(&ticks, "drift-and-rollback"));
    assert!(unticked(&ticks, "labels-and-data-quality"));
    // Known miss (reported, rules/ not edited here): line 38 "Serve models through a FastAPI
    // service on Kubernetes" is serving work, but no serving term sits within reach of the verb.
    assert!(unticked(&ticks, "serving-and-latency"));
}

#[test]
fn corpus_llm_generated_ml_engineer_ticks_name_their_lines() {
    let path = corpus().join("markdown/genai-career-assistant-llm-generated-ml-engineer.md");
    let ticks = assert_ticks(
        &path,
        &[
            // Questionable (reported): the match runs from "natural language processing" in one
            // summary sentence to "solve complex business problems" in the next.
            ("problem-framing", 7, "natural language processing"),
            ("features-and-pipelines", 21, "end-to-end ML pipeline"),
            ("serving-and-latency", 21, "Designed and deployed"),
        ],
    );
    // Keyword alone: "with 95% accuracy" is a model score, not evaluation work; "MLOps" and
    // "CI/CD" in Skills are a tool list, not monitoring.
    line_of(&path, "real-time object detection with 95% accuracy");
    line_of(&path, "NLP, Computer Vision, Generative AI, MLOps");
    assert!(unticked(&ticks, "evaluation") && unticked(&ticks, "monitoring"));
}

#[test]
fn corpus_rendercv_ml_researcher_ticks_name_their_lines() {
    let path = corpus().join("rendercv/rendercv-john-doe-ml-researcher-classic.yaml");
    let ticks = assert_ticks(
        &path,
        &[
            // Questionable (reported): a research result, not label or data-quality work.
            ("labels-and-data-quality", 101, "reducing training data"),
            ("features-and-pipelines", 90, "compression pipeline"),
            // Questionable (reported): a latency win against a baseline is serving, not evaluation.
            ("evaluation", 58, "Developed proprietary inference optimization"),
            ("serving-and-latency", 55, "Built foundation model infrastructure serving"),
            // Questionable (reported): "accuracy degradation" after pruning is not drift or rollback.
            ("drift-and-rollback", 119, "Reduced model size by 90%"),
        ],
    );
    // Keyword alone: the Education thesis "... for Resource-Constrained Deployment" comes first in
    // the file; the serving tick comes from the Experience line that serves requests.
    let thesis = line_of(&path, "Resource-Constrained Deployment");
    assert!(thesis < 55);
    assert!(ticks.iter().all(|t| t.line != thesis));
    assert!(unticked(&ticks, "problem-framing") && unticked(&ticks, "monitoring"));
}

#[test]
fn corpus_docx_with_an_ml_pipeline_heading_ticks_nothing() {
    let path = corpus().join("docx/skill-sense-sample-alice-johnson.docx");
    // Keyword alone would tick features (a "Machine Learning Pipeline" project heading), evaluation
    // ("Improved recommendation accuracy by 35%") and serving ("DevOps: Docker, Kubernetes, CI/CD"
    // in Skills); no line shows the writer doing any of it to an ML system.
    let ticks = assert_ticks(&path, &[]);
    for surface in ["features-and-pipelines", "evaluation", "serving-and-latency"] {
        assert!(unticked(&ticks, surface));
    }
}

#[test]
fn human_checklist_lists_each_tick_under_the_checklist_line() {
    let set = RuleSet::load(&[]).unwrap();
    let report = lint(&root().join("fixtures/markdown/resume-strong.md"), &set);
    let text = render(Format::Human, std::slice::from_ref(&report), Style::default());
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("  production ML: [x] problem framing")).expect(&text);
    assert_eq!(lines[at + 1], "    ✓ problem framing: line 19 \"Cut chargeback losses by $1.2M a year after shadow-testing…\"");
    assert_eq!(lines[at + 4], "    ✓ evaluation: line 7 \"run the feature pipeline, evaluation gate\"");
    assert_eq!(lines[at + 7], "    ✓ drift and rollback: line 3 \"serving path: 35 ms p99, weekly retraining\"");
    assert!(lines[at + 8].starts_with("  metrics: "), "{text}");

    // Unticked surfaces get no line.
    let weak = lint(&root().join("fixtures/markdown/resume-weak.md"), &set);
    let text = render(Format::Human, std::slice::from_ref(&weak), Style::default());
    assert!(text.contains("  production ML: [ ] problem framing") && !text.contains('✓'), "{text}");
}

/// Every built-in rule fires on at least one real line: the team's fixtures and every document in
/// ../shared/corpus, in every format the crate reads. The rules' own examples do not count.
#[test]
fn every_built_in_rule_fires_on_a_real_document() {
    // Rules no available document can show. Keep this short: when a rule never fires, prefer a
    // line in fixtures/markdown/resume-weak.md or script-weak.md that shows the weakness.
    const CANNOT_FIRE: &[&str] = &[];
    println!("rules allowed never to fire: {CANNOT_FIRE:?}");

    let set = RuleSet::load(&[]).unwrap();
    let mut fired: BTreeSet<String> = BTreeSet::new();
    let mut linted = 0;
    for dir in [root().join("fixtures"), corpus()] {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.unwrap();
            // SOURCES.md lists where the corpus came from; it is not a resume or a script.
            if !entry.file_type().is_file() || entry.file_name() == "SOURCES.md" {
                continue;
            }
            let Some(format) = InputFormat::from_path(entry.path()) else { continue };
            let report = lint_file(entry.path(), format, None, &set).unwrap_or_else(|e| panic!("{e}"));
            fired.extend(report.diagnostics.iter().map(|d| d.rule.to_string()));
            linted += 1;
        }
    }
    assert!(linted >= 40, "linted only {linted} files");
    let ids: BTreeSet<&str> = set.rules.iter().map(|r| &*r.id).collect();
    for id in CANNOT_FIRE {
        assert!(ids.contains(id), "allow-listed {id} is not a built-in rule");
        assert!(!fired.contains(*id), "{id} fires now: take it off the allow-list");
    }
    let silent: Vec<&str> = ids.iter().copied().filter(|id| !fired.contains(*id) && !CANNOT_FIRE.contains(id)).collect();
    assert!(silent.is_empty(), "built-in rules that fire on no fixture or corpus document: {silent:?}");
}

#[test]
fn coverage_evidence_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schema/json-output.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let set = RuleSet::load(&[]).unwrap();
    let reports: Vec<FileReport> = [
        root().join("fixtures/markdown/resume-strong.md"),
        corpus().join("markdown/markcv-data-scientist-strong.md"),
        corpus().join("rendercv/rendercv-john-doe-ml-researcher-classic.yaml"),
    ]
    .iter()
    .map(|p| lint(p, &set))
    .collect();
    let value: serde_json::Value = serde_json::from_str(&render(Format::Json, &reports, Style::default())).unwrap();
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "schema errors: {errors:?}");
    let evidence = value["files"][0]["coverage_evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 7);
    let first = &evidence[0];
    assert_eq!(first["surface"], "problem-framing");
    assert_eq!((first["start"]["line"].as_u64(), first["start"]["column"].as_u64()), (Some(19), Some(3)));
    assert!(first["end"]["byte"].as_u64() > first["start"]["byte"].as_u64());
}
