//! No two files of a crate import each other, directly or through others: a circle means neither
//! file can be read, tested or moved without the other, so one of them holds something of the other's.
//!
//! Every crate under `shared/`, `functions/` and `infra/` is read with `syn`; a file imports another
//! when a path in it (a `use` or any expression path) starts with `crate::`, `super::`, `self::` or a
//! child module's name and names that file's module. `mod` declarations are not imports, and a
//! `pub use` re-export is followed to the file that defines the item.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit_mut::VisitMut;

type Module = Vec<String>;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `src` folders of every crate of the workspace.
fn crate_sources(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for top in ["shared", "functions", "infra"] {
        let Ok(entries) = std::fs::read_dir(root.join(top)) else {
            continue;
        };
        for entry in entries.flatten() {
            let src = entry.path().join("src");
            if entry.path().join("Cargo.toml").is_file() && src.is_dir() {
                out.push(src);
            }
        }
    }
    out.sort();
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `lib.rs`, `main.rs` and `bin/*.rs` are
/// crate roots of their own (each bin is a separate crate, so it gets its own root name).
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Module = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.first().is_some_and(|p| p == "bin") {
        return vec![format!("bin:{}", parts.join("/"))];
    }
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// Every path of a file, with the inline modules (`mod tests { .. }`) it sits in, and the
/// file's own `pub use` re-exports (name -> path).
#[derive(Default)]
struct Paths {
    inline: Vec<String>,
    found: Vec<(Vec<String>, Vec<String>)>,
    reexports: BTreeMap<String, Vec<String>>,
}

impl VisitMut for Paths {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.found.push((self.inline.clone(), segments));
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        let mut flat = Vec::new();
        flatten_use(&item.tree, &mut Vec::new(), &mut flat);
        let public = matches!(item.vis, syn::Visibility::Public(_));
        for (name, path) in flat {
            // A `pub use` is the module's facade, not a use of the item by the module's code:
            // paths through it are followed to the item's own file instead.
            if public && self.inline.is_empty() {
                self.reexports.insert(name, path);
            } else {
                self.found.push((self.inline.clone(), path));
            }
        }
    }

    fn visit_item_mod_mut(&mut self, item: &mut syn::ItemMod) {
        self.inline.push(item.ident.to_string());
        syn::visit_mut::visit_item_mod_mut(self, item);
        self.inline.pop();
    }
}

/// A `use` tree as (name it binds, path) pairs; a glob binds no name.
fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    out: &mut Vec<(String, Vec<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push((
            n.ident.to_string(),
            [prefix.clone(), vec![n.ident.to_string()]].concat(),
        )),
        syn::UseTree::Rename(r) => out.push((
            r.rename.to_string(),
            [prefix.clone(), vec![r.ident.to_string()]].concat(),
        )),
        syn::UseTree::Glob(_) => out.push((String::new(), prefix.clone())),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, out);
            }
        }
    }
}

/// The files' modules of a crate and what each re-exports with `pub use`.
struct Crate {
    modules: BTreeSet<Module>,
    reexports: BTreeMap<Module, BTreeMap<String, Vec<String>>>,
}

impl Crate {
    /// The file module a path written in module `from` (a file's module, plus the inline
    /// modules the path sits in) names: the longest module prefix of the path, seen through
    /// re-exports, so `crate::ApiError` re-exported from `error` names `error`.
    fn target(&self, from: &Module, path: &[String], depth: usize) -> Option<Module> {
        let (mut base, mut rest): (Module, &[String]) = match path.first().map(String::as_str) {
            Some("crate") => (Vec::new(), &path[1..]),
            Some("self") => (from.clone(), &path[1..]),
            Some("super") => (from[..from.len().saturating_sub(1)].to_vec(), &path[1..]),
            // A lone name is a value (a variable named like a module), never a module.
            Some(first) if path.len() > 1 => {
                let child = [from.clone(), vec![first.to_string()]].concat();
                if !self.modules.contains(&child) {
                    return None;
                }
                (child, &path[1..])
            }
            _ => return None,
        };
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        while !self.modules.contains(&base) && !base.is_empty() {
            // An inline module (`mod tests`) is part of its file.
            base.pop();
        }
        for (i, seg) in rest.iter().enumerate() {
            let deeper = [base.clone(), vec![seg.clone()]].concat();
            if self.modules.contains(&deeper) {
                base = deeper;
                continue;
            }
            let reexport = self.reexports.get(&base).and_then(|r| r.get(seg));
            if let (Some(source), true) = (reexport, depth < 8) {
                let via = [source.clone(), rest[i + 1..].to_vec()].concat();
                return self.target(&base, &via, depth + 1).or(Some(base));
            }
            break;
        }
        Some(base)
    }
}

/// Strongly connected components of more than one module (Tarjan).
fn circles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let Some((w, _)) = s.edges.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

fn import_graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut parsed = Vec::new();
    let mut krate = Crate {
        modules: BTreeSet::new(),
        reexports: BTreeMap::new(),
    };
    for file in &files {
        let module = module_of(src, file);
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let Ok(mut ast) = syn::parse_file(&text) else {
            panic!("{} does not parse", file.display());
        };
        let mut paths = Paths::default();
        paths.visit_file_mut(&mut ast);
        krate.modules.insert(module.clone());
        krate
            .reexports
            .insert(module.clone(), std::mem::take(&mut paths.reexports));
        parsed.push((module, paths.found));
    }
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, found) in parsed {
        let targets = edges.entry(module.clone()).or_default();
        for (inline, path) in found {
            let from = [module.clone(), inline].concat();
            if let Some(to) = krate.target(&from, &path, 0) {
                if to != module {
                    targets.insert(to);
                }
            }
        }
    }
    edges
}

#[test]
fn no_two_files_of_a_crate_import_each_other() {
    let root = workspace_root();
    let sources = crate_sources(&root);
    assert!(sources.len() > 10, "found only {} crates", sources.len());
    let mut report = Vec::new();
    for src in &sources {
        let graph = import_graph(src);
        let krate = src
            .parent()
            .unwrap_or(src)
            .strip_prefix(&root)
            .unwrap_or(src);
        for circle in circles(&graph) {
            let name = |m: &Module| {
                if m.is_empty() {
                    "<root>".to_string()
                } else {
                    m.join("::")
                }
            };
            let imports: Vec<String> = circle
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .filter(|to| circle.contains(to))
                        .map(move |to| format!("{} -> {}", name(from), name(to)))
                })
                .collect();
            report.push(format!("{}: {}", krate.display(), imports.join(", ")));
        }
    }
    assert!(report.is_empty(), "import circles:\n{}", report.join("\n"));
}

#[test]
fn a_circle_between_two_sibling_files_is_found_and_tests_and_reexports_are_not_one() {
    let a: Module = vec!["a".into()];
    let b: Module = vec!["b".into()];
    let krate = Crate {
        modules: [vec![], a.clone(), b.clone()].into_iter().collect(),
        reexports: [(
            vec![],
            [("T".to_string(), vec!["a".into(), "T".into()])].into(),
        )]
        .into(),
    };
    let words = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        krate.target(&a, &words(&["crate", "b", "f"]), 0),
        Some(b.clone())
    );
    assert_eq!(
        krate.target(&b, &words(&["super", "a", "T"]), 0),
        Some(a.clone())
    );
    // `crate::T` is `a::T` seen through the root's re-export.
    assert_eq!(
        krate.target(&b, &words(&["crate", "T"]), 0),
        Some(a.clone())
    );
    // A variable named like a child module is not the module.
    assert_eq!(krate.target(&vec![], &words(&["a"]), 0), None);
    assert_eq!(
        krate.target(&vec![], &words(&["a", "T"]), 0),
        Some(a.clone())
    );
    // `use super::*` in `a`'s `mod tests` names `a` itself.
    let tests = [a.clone(), vec!["tests".to_string()]].concat();
    assert_eq!(
        krate.target(&tests, &words(&["super", "x"]), 0),
        Some(a.clone())
    );
    let edges: BTreeMap<Module, BTreeSet<Module>> = [
        (a.clone(), [b.clone()].into()),
        (b.clone(), [a.clone()].into()),
        (vec![], [a.clone()].into()),
    ]
    .into();
    assert_eq!(circles(&edges), vec![vec![a, b]]);
}
