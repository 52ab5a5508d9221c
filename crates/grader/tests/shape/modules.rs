//! A crate's modules, read from its source: the tree its `mod` declarations make, and which
//! module's items each module uses (through `use` declarations and `crate::`, `super::`,
//! `self::` paths, re-exports followed to where the item is defined). Test code is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::lexer::{Token, tokens};

/// A module's path from its crate's root (the root itself is empty).
pub type ModPath = Vec<String>;

/// One module file.
#[derive(Debug)]
pub struct Module {
    pub file: PathBuf,
    /// Its tokens, test items left out.
    pub tokens: Vec<Token>,
    /// Names its `use` declarations bring in, to the absolute paths they stand for (names of
    /// other crates left out); a glob as `*`.
    imports: BTreeMap<String, Vec<ModPath>>,
}

/// Every module of one crate.
#[derive(Debug)]
pub struct Crate {
    pub modules: BTreeMap<ModPath, Module>,
}

/// Sibling modules that use each other (as `a::b`), and a use that makes each arrow: the
/// file, the line, the module used.
pub type Cycle = (Vec<String>, Vec<(PathBuf, usize, String)>);

/// A use of one module's items by another, and where it was seen.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: ModPath,
    pub to: ModPath,
    pub line: usize,
}

impl Crate {
    /// The crate whose root file is `root` (`lib.rs`, `main.rs`).
    pub fn load(root: &Path) -> Crate {
        let mut modules = BTreeMap::new();
        let mut todo = vec![(Vec::new(), root.to_path_buf())];
        while let Some((path, file)) = todo.pop() {
            let src = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            let all = tokens(&src);
            let toks = without_test_items(all.clone());
            let mut children = declared_modules(&toks);
            if !path.is_empty() {
                // Modules a macro declares (`mod $file;`): the other files of its folder.
                let declared = declared_modules(&all);
                children.extend(
                    undeclared_files(&file)
                        .into_iter()
                        .filter(|f| !declared.contains(f)),
                );
            }
            for child in children {
                let mut child_path = path.clone();
                child_path.push(child.clone());
                todo.push((child_path, child_file(&file, &child)));
            }
            modules.insert(
                path,
                Module {
                    file,
                    tokens: toks,
                    imports: BTreeMap::new(),
                },
            );
        }
        let mut krate = Crate { modules };
        let paths: Vec<ModPath> = krate.modules.keys().cloned().collect();
        for path in paths {
            let mut imports: BTreeMap<String, Vec<ModPath>> = BTreeMap::new();
            for (name, target, _) in krate.uses(&path) {
                imports.entry(name).or_default().push(target);
            }
            if let Some(m) = krate.modules.get_mut(&path) {
                m.imports = imports;
            }
        }
        krate
    }

    /// Every `use` of module `path`: the name it brings in, the absolute path, the line.
    fn uses(&self, path: &ModPath) -> Vec<(String, Vec<String>, usize)> {
        let toks = &self.modules[path].tokens;
        let mut out = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if t.is("use") {
                let mut items = Vec::new();
                use_tree(toks, i + 1, Vec::new(), &mut items);
                for (rel, name) in items {
                    if let Some(abs) = self.absolute(path, &rel) {
                        out.push((name, abs, t.line));
                    }
                }
            }
        }
        out
    }

    /// `rel` as seen from module `at`, from the crate's root; `None` for another crate's path.
    fn absolute(&self, at: &ModPath, rel: &[String]) -> Option<Vec<String>> {
        let first = rel.first()?;
        let mut base = at.clone();
        let mut rest = rel;
        match first.as_str() {
            "crate" => {
                base.clear();
                rest = &rel[1..];
            }
            "self" => rest = &rel[1..],
            "super" => {
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
            }
            name => {
                let mut child = at.clone();
                child.push(name.to_string());
                if !self.modules.contains_key(&child) {
                    return None;
                }
            }
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The module where the item at `abs` is defined, re-exports followed.
    fn resolve(&self, abs: &[String], hops: usize) -> ModPath {
        let mut k = abs.len();
        while k > 0 && !self.modules.contains_key(&abs[..k]) {
            k -= 1;
        }
        let owner = abs[..k].to_vec();
        if k == abs.len() || hops > 16 {
            return owner;
        }
        if let Some(targets) = self.modules[&owner].imports.get(&abs[k]) {
            let mut full = targets[0].clone();
            full.extend(abs[k + 1..].iter().cloned());
            return self.resolve(&full, hops + 1);
        }
        owner
    }

    /// Every use of another module's items, module by module.
    pub fn edges(&self) -> Vec<Edge> {
        let mut edges = Vec::new();
        for (from, m) in &self.modules {
            let mut seen = Vec::new();
            for (_, abs, line) in self.uses(from) {
                seen.push((abs, line));
            }
            let toks = &m.tokens;
            for i in 0..toks.len() {
                let starts = ["crate", "super", "self"].iter().any(|s| toks[i].is(s));
                let after_path = i > 0 && toks[i - 1].is("::");
                if starts && !after_path && toks.get(i + 1).is_some_and(|t| t.is("::")) {
                    let rel = path_at(toks, i);
                    if let Some(abs) = self.absolute(from, &rel) {
                        seen.push((abs, toks[i].line));
                    }
                }
            }
            for (abs, line) in seen {
                let to = self.resolve(&abs, 0);
                if &to != from {
                    edges.push(Edge {
                        from: from.clone(),
                        to,
                        line,
                    });
                }
            }
        }
        edges
    }

    /// Groups of sibling modules that use each other's items, directly or round a loop: for
    /// each, the modules (as `a::b`) and a use that makes each arrow (file, line, module used).
    pub fn cycles(&self) -> Vec<Cycle> {
        // A use from a::b::c of a::d::e is one of d by b, between siblings under a.
        let mut sibling: BTreeMap<(ModPath, ModPath), Vec<&Edge>> = BTreeMap::new();
        let edges = self.edges();
        for e in &edges {
            let common = e.from.iter().zip(&e.to).take_while(|(a, b)| a == b).count();
            if common < e.from.len() && common < e.to.len() {
                let key = (e.from[..=common].to_vec(), e.to[..=common].to_vec());
                sibling.entry(key).or_default().push(e);
            }
        }
        let nodes: BTreeSet<&ModPath> = sibling.keys().flat_map(|(a, b)| [a, b]).collect();
        let reach = |start: &ModPath| -> BTreeSet<ModPath> {
            let mut seen = BTreeSet::new();
            let mut todo = vec![start.clone()];
            while let Some(n) = todo.pop() {
                for (a, b) in sibling.keys() {
                    if *a == n && seen.insert(b.clone()) {
                        todo.push(b.clone());
                    }
                }
            }
            seen
        };
        let reached: BTreeMap<&ModPath, BTreeSet<ModPath>> =
            nodes.iter().map(|n| (*n, reach(n))).collect();
        let mut done: BTreeSet<ModPath> = BTreeSet::new();
        let mut out = Vec::new();
        for n in &nodes {
            if done.contains(*n) || !reached[n].contains(*n) {
                continue;
            }
            let group: Vec<ModPath> = nodes
                .iter()
                .filter(|m| reached[n].contains(**m) && reached[**m].contains(*n))
                .map(|m| (*m).clone())
                .collect();
            let mut why = Vec::new();
            for ((a, b), uses) in &sibling {
                if group.contains(a) && group.contains(b) {
                    let e = uses[0];
                    let file = self.modules[&e.from].file.clone();
                    why.push((file, e.line, b.join("::")));
                }
            }
            done.extend(group.iter().cloned());
            out.push((group.iter().map(|m| m.join("::")).collect(), why));
        }
        out
    }
}

/// Where module `name` declared in `parent` lives: `name.rs` or `name/mod.rs` beside a root or
/// `mod.rs`, else in the folder named after the parent.
fn child_file(parent: &Path, name: &str) -> PathBuf {
    let dir = children_dir(parent);
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        dir.join(name).join("mod.rs")
    }
}

/// The folder of the modules `parent` declares.
fn children_dir(parent: &Path) -> PathBuf {
    let stem = parent.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let dir = parent.parent().unwrap_or(Path::new("."));
    match stem {
        "lib" | "main" | "mod" => dir.to_path_buf(),
        _ => dir.join(stem),
    }
}

/// The modules in the folder of `parent`'s modules, declared or not.
fn undeclared_files(parent: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(children_dir(parent)) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let module = if path.is_dir() {
            path.join("mod.rs").exists()
        } else {
            path.extension().is_some_and(|e| e == "rs") && name != "mod"
        };
        if module {
            names.push(name.to_string());
        }
    }
    names
}

/// The modules `mod name;` declares (inline `mod name { ... }` are part of the file).
fn declared_modules(toks: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    for w in toks.windows(3) {
        if w[0].is("mod") && w[1].is_ident() && w[2].is(";") {
            out.push(w[1].text.clone());
        }
    }
    out
}

/// `toks` without the items marked `#[cfg(test)]` (test modules and test-only functions).
pub fn without_test_items(toks: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let attr = ["#", "[", "cfg", "(", "test", ")", "]"];
        let is_test =
            toks.len() >= i + attr.len() && attr.iter().zip(&toks[i..]).all(|(a, t)| t.is(a));
        if !is_test {
            out.push(toks[i].clone());
            i += 1;
            continue;
        }
        // Skip to the end of the item: its first `{ ... }` closed, or a `;` before any brace.
        let mut depth = 0usize;
        i += attr.len();
        while i < toks.len() {
            let t = &toks[i];
            i += 1;
            if t.is("{") {
                depth += 1;
            } else if t.is("}") {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            } else if t.is(";") && depth == 0 {
                break;
            }
        }
    }
    out
}

/// The path `a::b::c` starting at token `i`.
fn path_at(toks: &[Token], mut i: usize) -> Vec<String> {
    let mut path = vec![toks[i].text.clone()];
    while toks.get(i + 1).is_some_and(|t| t.is("::"))
        && toks.get(i + 2).is_some_and(|t| t.is_ident())
    {
        path.push(toks[i + 2].text.clone());
        i += 2;
    }
    path
}

/// Reads the use tree at token `i` under `prefix` into `out` (each path with the name it
/// brings in); returns the token after it.
fn use_tree(
    toks: &[Token],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) -> usize {
    let mut path = prefix;
    if toks.get(i).is_some_and(|t| t.is("::")) {
        i += 1;
    }
    while let Some(t) = toks.get(i) {
        if t.is("{") {
            i += 1;
            while toks.get(i).is_some_and(|t| !t.is("}")) {
                i = use_tree(toks, i, path.clone(), out);
                if toks.get(i).is_some_and(|t| t.is(",")) {
                    i += 1;
                }
            }
            return i + 1;
        }
        if t.is("*") {
            out.push((path, "*".to_string()));
            return i + 1;
        }
        if !t.is_ident() {
            return i;
        }
        if t.is("self") && !path.is_empty() {
            i += 1;
        } else {
            path.push(t.text.clone());
            i += 1;
        }
        if toks.get(i).is_some_and(|t| t.is("::")) {
            i += 1;
            continue;
        }
        let mut name = path.last().cloned().unwrap_or_default();
        if toks.get(i).is_some_and(|t| t.is("as")) {
            name = toks.get(i + 1).map(|t| t.text.clone()).unwrap_or_default();
            i += 2;
        }
        out.push((path, name));
        return i;
    }
    i
}
