//! resume-lint.toml: discovery, every setting, errors, and `init`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resume-lint")).args(args).current_dir(dir).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const RESUME: &str = "# Ana\n\n## Experience\n\n### Engineer, Acme\n\n- Responsible for the billing service.\n- Utilized Kafka for 3 pipelines across 4 teams.\n- Built internal dashboards for the operations team.\n";
const SCRIPT_BODY: &str = "I'm just a backend developer and I can learn the ML parts on the job.\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn nearest_config_wins_and_flags_override_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "resume-lint.toml", "select = [\"style\"]\n");
    write(root, "cv/resume.md", RESUME);
    write(root, "other/resume.md", RESUME);
    write(root, "other/.resume-lint.toml", "select = [\"metrics\"]\n");
    let o = run_in(root, &["--format", "concise", "."]);
    let text = out(&o);
    let cv: Vec<&str> = text.lines().filter(|l| l.starts_with("./cv/")).collect();
    let other: Vec<&str> = text.lines().filter(|l| l.starts_with("./other/")).collect();
    assert!(!cv.is_empty() && cv.iter().all(|l| l.contains("[style/")), "{text}");
    assert!(!other.is_empty() && other.iter().all(|l| l.contains("[metrics/")), "{text}");

    let named = run_in(root, &["--format", "concise", "--config", "other/.resume-lint.toml", "cv/resume.md"]);
    assert!(out(&named).lines().all(|l| l.contains("[metrics/")), "{}", out(&named));
    let none = run_in(root, &["--format", "concise", "--no-config", "cv/resume.md"]);
    assert!(out(&none).contains("[style/") && out(&none).contains("[metrics/"));
    // The command line's --select wins over the config's.
    let cli = run_in(root, &["--format", "concise", "--select", "style/inflated-word", "cv/resume.md"]);
    assert!(out(&cli).lines().all(|l| l.contains("[style/inflated-word]")) && !out(&cli).is_empty());
}

#[test]
fn settings_change_severity_kinds_sections_exclusion_and_budget() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "resume-lint.toml",
        "exclude = [\"drafts/**\"]\n[severity]\n\"style/duty-not-result\" = \"error\"\n[kinds]\nscript = [\"talks/**\"]\n[sections]\n\"Where I Worked\" = \"experience\"\n[script]\nseconds-per-answer = 5\n",
    );
    write(root, "resume.md", RESUME);
    write(root, "drafts/old.md", RESUME);
    write(root, "talks/intro.md", SCRIPT_BODY);
    write(root, "aliased.md", "# Ana\n\n## Where I Worked\n\n- Built dashboards for sales.\n");
    let text = out(&run_in(root, &["--format", "concise", "."]));
    assert!(text.contains("./resume.md:7:3: error[style/duty-not-result]"), "{text}");
    assert!(!text.contains("drafts/"), "excluded: {text}");
    assert!(text.contains("./talks/intro.md:1:1: warning[narrative/"), "talks/** are scripts: {text}");
    assert!(text.contains("[narrative/answer-over-budget]"), "a 5-second budget is exceeded: {text}");
    assert!(text.contains("./aliased.md:5:3: warning[metrics/unquantified-bullet]"), "alias makes it Experience: {text}");
}

#[test]
fn bad_configs_are_errors_at_their_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "resume.md", RESUME);
    for (config, expect) in [
        ("select = [\"style\"]\ncolour = \"red\"\n", "resume-lint.toml:2:1: unknown field `colour`"),
        ("[severity]\n\"style/duty-not-result\" = \"loud\"\n", "resume-lint.toml:2:27:"),
        ("ignore = [\"nope\"]\n", "resume-lint.toml:1:12: unknown rule or family `nope`"),
        ("exclude = [\"a/[b\"]\n", "resume-lint.toml:1:13: bad glob"),
        ("[script]\nwords-per-minute = -3\n", "resume-lint.toml:2:1: `words-per-minute` must be a positive number"),
    ] {
        write(root, "resume-lint.toml", config);
        let o = run_in(root, &["resume.md"]);
        assert_eq!(o.status.code(), Some(2), "{config}");
        assert!(err(&o).contains(expect), "{config}: {}", err(&o));
        assert_eq!(err(&o).lines().count(), 1);
    }
}

#[test]
fn init_writes_a_starter_that_loads_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let written = fs::read_to_string(dir.path().join("resume-lint.toml")).unwrap();
    assert!(written.contains("[script]"));
    write(dir.path(), "resume.md", RESUME);
    assert_eq!(run_in(dir.path(), &["resume.md"]).status.code(), Some(1), "the starter config loads");
    fs::write(dir.path().join("resume-lint.toml"), "# mine\n").unwrap();
    let again = run_in(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(fs::read_to_string(dir.path().join("resume-lint.toml")).unwrap(), "# mine\n");
}
