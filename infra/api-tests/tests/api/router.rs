//! template.yaml's HTTP routes and the `cargo lambda watch` router generated from them
//! (CargoLambda.toml, `make wire`) agree, and the template routes what API Gateway needs.
use std::collections::BTreeSet;

#[test]
fn template_routes_and_watch_router_agree() {
    let template = ops::template::Template::load_default().unwrap();
    let (from_template, to_fallback) = split_fallback(template.http_routes());
    let (default, shadows): (Routes, Routes) = to_fallback
        .into_iter()
        .partition(|(_, p, _)| p == "$default");
    let cargo: toml_like::Value = toml_like::load();
    let (from_cargo, fallback) = split_fallback(cargo.routes());
    assert!(from_template.len() >= 18, "{from_template:?}");
    assert_eq!(from_template, from_cargo);
    // API Gateway gives a request the most specific route *of its method*: a literal path that
    // another method routes (POST /orders/preview) is taken by the same method's parameter route
    // (GET /orders/{order_id}) unless the fallback claims it explicitly, as the local router does.
    let mut captured = Routes::new();
    for (_, literal, _) in &from_template {
        for (method, pattern, _) in &from_template {
            let own = from_template
                .iter()
                .any(|(m, p, _)| m == method && p == literal);
            if pattern != literal && !own && captures(pattern, literal) {
                captured.insert((method.clone(), literal.clone(), FALLBACK.to_string()));
            }
        }
    }
    assert_eq!(
        shadows, captured,
        "the fallback's explicit routes are exactly the literal paths a parameter route would take"
    );
    assert!(
        shadows.contains(&(
            "GET".into(),
            "/api/v1/orders/preview".into(),
            FALLBACK.into()
        )),
        "{shadows:?}"
    );
    // API Gateway's `$default` takes every method and path no route takes; locally, the router
    // sends each method no route of a path takes, and every other path, to the same function.
    assert_eq!(
        default,
        BTreeSet::from([(
            "ANY".to_string(),
            "$default".to_string(),
            FALLBACK.to_string()
        )])
    );
    let mut paths: BTreeSet<String> = from_cargo.iter().map(|(_, p, _)| p.clone()).collect();
    paths.insert("/{*rest}".into());
    for path in &paths {
        for method in METHODS {
            let routed = from_cargo.iter().any(|(m, p, _)| m == method && p == path);
            let falls_back = fallback
                .iter()
                .any(|(m, p, f)| m == method && p == path && f == FALLBACK);
            assert!(
                routed != falls_back,
                "{method} {path}: exactly one of a route or the fallback"
            );
        }
    }
    let mut from_template = from_template;
    from_template.extend(default);
    // Every function crate is a function of the template, and every HTTP one is routed once.
    let crates: BTreeSet<String> = std::fs::read_dir(ops::repo_root().join("functions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let deployed: BTreeSet<String> = template.function_binaries().into_iter().collect();
    assert_eq!(
        crates, deployed,
        "every crate is deployed, nothing deployed is missing"
    );
    let routed: Vec<String> = from_template.iter().map(|(_, _, f)| f.clone()).collect();
    let unique: BTreeSet<&String> = routed.iter().collect();
    assert_eq!(unique.len(), routed.len(), "one route per HTTP function");
    let http: BTreeSet<String> = crates
        .iter()
        .filter(|c| {
            std::fs::read_to_string(
                ops::repo_root()
                    .join("functions")
                    .join(c)
                    .join("Cargo.toml"),
            )
            .unwrap()
            .contains("lambda_http")
        })
        .cloned()
        .collect();
    assert_eq!(http, unique.into_iter().cloned().collect::<BTreeSet<_>>());
}

/// Whether API Gateway's route `pattern` (with `{param}` segments) matches the path `literal`.
fn captures(pattern: &str, literal: &str) -> bool {
    let (p, l): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), literal.split('/').collect());
    p.len() == l.len()
        && p.iter()
            .zip(&l)
            .all(|(p, l)| p == l || (p.starts_with('{') && !p.ends_with("+}")))
}

/// The function of template.yaml's `$default` route.
const FALLBACK: &str = "route-not-found";
/// The methods the local router sends to the fallback when no route of a path takes them.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// (method, path, function).
type Routes = BTreeSet<(String, String, String)>;

/// (API routes, routes to the fallback).
fn split_fallback(routes: Routes) -> (Routes, Routes) {
    routes.into_iter().partition(|(_, _, f)| f != FALLBACK)
}

/// Reads the router table out of CargoLambda.toml (YAML is a superset of the inline-table syntax used).
mod toml_like {
    use std::collections::BTreeSet;
    pub struct Value(Vec<(String, String, String)>);

    pub fn load() -> Value {
        let text = std::fs::read_to_string(ops::repo_root().join(ops::wiring::ROUTER)).unwrap();
        let section = text.split("[watch.router]").nth(1).expect("router section");
        let mut out = vec![];
        for line in section.lines().take_while(|l| !l.starts_with('[')) {
            let Some((path, rest)) = line.split_once(" = ") else {
                continue;
            };
            let path = path.trim().trim_matches('"').to_string();
            let yaml = rest.replace(" = ", ": ");
            let routes: Vec<std::collections::HashMap<String, String>> =
                serde_yaml::from_str(&yaml).unwrap();
            for r in routes {
                out.push((r["method"].clone(), path.clone(), r["function"].clone()));
            }
        }
        Value(out)
    }

    impl Value {
        pub fn routes(&self) -> BTreeSet<(String, String, String)> {
            self.0.iter().cloned().collect()
        }
    }
}
