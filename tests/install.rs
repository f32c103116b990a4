//! Installing: Cargo.toml states the minimum Rust (`rust-version`), no locked dependency needs a
//! newer one, and the README says the same version and the install command.

use std::path::Path;
use std::process::Command;

fn version_tuple(v: &str) -> (u32, u32, u32) {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn rust_version_is_stated_and_no_dependency_needs_a_newer_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = option_env!("CARGO_PKG_RUST_VERSION").unwrap_or("");
    assert!(!ours.is_empty(), "Cargo.toml must set `rust-version`");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The packages this machine builds: without a platform filter, cargo wants every other
    // platform's packages too (Windows-only ones), which a machine that only built here lacks,
    // and the test reads nothing from the network.
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let info = Command::new(rustc).arg("-vV").output().expect("rustc -vV runs");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let host = info.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc names its host").to_string();
    let out = Command::new(cargo)
        .args(["metadata", "--offline", "--locked", "--format-version", "1", "--filter-platform", &host])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    assert!(packages.len() > 50, "the whole locked graph, all features");
    let newest = packages
        .iter()
        .filter_map(|p| Some((version_tuple(p["rust_version"].as_str()?), p["name"].as_str()?)))
        .max()
        .unwrap();
    assert!(
        version_tuple(ours) >= newest.0,
        "rust-version {ours} is older than {} needs ({}.{}.{})",
        newest.1,
        newest.0.0,
        newest.0.1,
        newest.0.2
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains(&format!("Rust {ours} or newer")), "the README states the minimum Rust, {ours}");
}
