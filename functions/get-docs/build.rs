//! Vendors the reference page's renderer (Redoc, pinned in openapi/docs/package-lock.json) from
//! the npm registry when it is missing: the page is served from the binary, never from a CDN.
use std::path::Path;
use std::process::Command;

fn main() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/docs");
    println!(
        "cargo:rerun-if-changed={}",
        docs.join("package-lock.json").display()
    );
    let bundle = docs.join("node_modules/redoc/bundles/redoc.standalone.js");
    println!("cargo:rerun-if-changed={}", bundle.display());
    if bundle.exists() {
        return;
    }
    let status = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
        ])
        .current_dir(&docs)
        .status()
        .unwrap_or_else(|e| panic!("npm is needed to vendor Redoc into get-docs: {e}"));
    assert!(
        status.success() && bundle.exists(),
        "`npm ci` in {} failed: the reference page's renderer is missing",
        docs.display()
    );
}
