//! What an endpoint needs beyond its function folder, its use case, its route in `template.yaml`
//! and its operation in `openapi.yaml`, generated from the template (`make wire`, `opsctl wire`):
//! - `CargoLambda.toml`: the router `cargo lambda watch` reads from the working directory;
//! - `infra/api-tests/Cargo.toml`: the api-tests' dependency on every function crate.
//!
//! The test below fails when a checked-in file differs from what the template gives.
use crate::template::Template;
use anyhow::{anyhow, bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The methods the local router sends to the `$default` route's function when no route of a
/// path takes them (API Gateway's `$default` takes every method and path no route takes).
pub const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The router file `cargo lambda watch` reads from the directory it runs in.
pub const ROUTER: &str = "CargoLambda.toml";
/// The manifest whose function dependencies are generated, between the two marker lines.
pub const API_TESTS: &str = "infra/api-tests/Cargo.toml";
const BEGIN: &str = "# BEGIN functions: generated from template.yaml by `make wire`; do not edit.";
const END: &str = "# END functions";

/// `CargoLambda.toml` for the template: every routed path with each of `METHODS` (the function
/// of that route, else the fallback), then every other path to the fallback.
pub fn watch_router(template: &Template) -> Result<String> {
    let routes = template.http_routes();
    let fallback = routes
        .iter()
        .find(|(_, path, _)| path == "$default")
        .map(|(_, _, function)| function.clone())
        .ok_or_else(|| anyhow!("template.yaml has no $default route"))?;
    let mut paths: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (method, path, function) in &routes {
        if path == "$default" {
            continue;
        }
        if !METHODS.contains(&method.as_str()) {
            bail!("{method} {path}: the local router knows only {METHODS:?}");
        }
        let previous = paths
            .entry(path.as_str())
            .or_default()
            .insert(method.as_str(), function.as_str());
        if previous.is_some() {
            bail!("{method} {path} is routed twice");
        }
    }
    let line = |path: &str, of: &dyn Fn(&str) -> String| {
        let methods: Vec<String> = METHODS
            .iter()
            .map(|m| format!("{{ method = \"{m}\", function = \"{}\" }}", of(m)))
            .collect();
        format!("\"{path}\" = [{}]\n", methods.join(", "))
    };
    let mut out = String::from(
        "# Generated from template.yaml by `make wire` (opsctl wire); a test fails when it differs.\n\
         # `cargo lambda watch` reads this file from the directory it runs in: each path of the API\n\
         # with its functions, each method a path does not route and every other path to the\n\
         # function of the template's $default route (the contract's 404 envelope).\n\
         [watch.router]\n",
    );
    for (path, methods) in &paths {
        out += &line(path, &|m| {
            methods.get(m).copied().unwrap_or(&fallback).to_string()
        });
    }
    out += &line("/{*rest}", &|_| fallback.clone());
    Ok(out)
}

/// `manifest` with the lines between its markers replaced by one dependency per function of the
/// template, by name.
pub fn api_tests_manifest(manifest: &str, template: &Template) -> Result<String> {
    let (head, rest) = manifest
        .split_once(BEGIN)
        .with_context(|| format!("{API_TESTS} has no line {BEGIN:?}"))?;
    let (_, tail) = rest
        .split_once(END)
        .with_context(|| format!("{API_TESTS} has no line {END:?}"))?;
    let mut functions = template.function_binaries();
    functions.sort();
    functions.dedup();
    let mut out = format!("{head}{BEGIN}\n");
    for f in functions {
        out += &format!("{f} = {{ path = \"../../functions/{f}\" }}\n");
    }
    Ok(format!("{out}{END}{tail}"))
}

/// Every generated file under `root` with the content the template there gives it.
pub fn generated(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let template = Template::load(&root.join("template.yaml"))?;
    let manifest = std::fs::read_to_string(root.join(API_TESTS))
        .with_context(|| format!("reading {API_TESTS}"))?;
    Ok(vec![
        (root.join(ROUTER), watch_router(&template)?),
        (
            root.join(API_TESTS),
            api_tests_manifest(&manifest, &template)?,
        ),
    ])
}

/// The generated files under `root` whose checked-in content differs.
pub fn drifted(root: &Path) -> Result<Vec<PathBuf>> {
    Ok(generated(root)?
        .into_iter()
        .filter(|(path, text)| std::fs::read_to_string(path).ok().as_ref() != Some(text))
        .map(|(path, _)| path)
        .collect())
}

/// Writes every generated file under `root` that differs; the paths written.
pub fn write(root: &Path) -> Result<Vec<PathBuf>> {
    let drifted = drifted(root)?;
    for (path, text) in generated(root)? {
        if drifted.contains(&path) {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(drifted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_wiring_is_what_the_template_gives() {
        let drifted = drifted(&crate::repo_root()).unwrap();
        assert!(
            drifted.is_empty(),
            "{drifted:?} differ from what template.yaml gives: run `make wire`"
        );
    }

    const TEMPLATE: &str = r#"
Resources:
  Fallback:
    Type: AWS::Serverless::Function
    Metadata: { BuildProperties: { Binary: route-not-found } }
    Properties:
      Events:
        Default:
          Type: HttpApi
          Properties:
            Path: $default
            Method: ANY
  GetThing:
    Type: AWS::Serverless::Function
    Metadata: { BuildProperties: { Binary: get-thing } }
    Properties:
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /things/{id}
            Method: get
  Worker:
    Type: AWS::Serverless::Function
    Metadata: { BuildProperties: { Binary: worker } }
"#;

    #[test]
    fn every_method_of_a_routed_path_and_every_other_path_reach_a_function() {
        let router = watch_router(&Template::parse(TEMPLATE).unwrap()).unwrap();
        let lines: Vec<&str> = router.lines().filter(|l| l.starts_with('"')).collect();
        assert_eq!(lines.len(), 2, "{router}");
        assert!(lines[0].starts_with("\"/things/{id}\" = [{ method = \"GET\", function = \"get-thing\" }, { method = \"POST\", function = \"route-not-found\" }"), "{router}");
        assert!(lines[1].starts_with("\"/{*rest}\""), "{router}");
        assert_eq!(lines[1].matches("route-not-found").count(), METHODS.len());
    }

    #[test]
    fn the_manifest_lists_every_function_between_its_markers() {
        let manifest = format!("[dev-dependencies]\nserde.workspace = true\n{BEGIN}\nstale = {{ path = \"x\" }}\n{END}\n");
        let out = api_tests_manifest(&manifest, &Template::parse(TEMPLATE).unwrap()).unwrap();
        assert_eq!(
            out,
            format!("[dev-dependencies]\nserde.workspace = true\n{BEGIN}\nget-thing = {{ path = \"../../functions/get-thing\" }}\nroute-not-found = {{ path = \"../../functions/route-not-found\" }}\nworker = {{ path = \"../../functions/worker\" }}\n{END}\n")
        );
        assert!(
            api_tests_manifest("[dev-dependencies]\n", &Template::parse(TEMPLATE).unwrap())
                .is_err()
        );
    }
}
