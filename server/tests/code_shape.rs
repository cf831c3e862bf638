//! The code's shape, checked on every test run: in both crates no source file is over 600
//! lines and no function over 80 (outside unit tests; in the server's services and store, their
//! unit tests too); and no module imports a module that (directly or through others) imports
//! it back. A submodule using its parent's items (and the
//! parent declaring it) is the module tree, not an import, and is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Whether a (trimmed) line starts a function: any visibility, then `const`, `async` or
/// `unsafe`, then `fn`.
fn starts_a_function(line: &str) -> bool {
    let mut rest = line;
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(scope) => scope.split_once(") ").map_or("", |(_, r)| r),
            None => after.trim_start(),
        };
    }
    for qualifier in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    rest.starts_with("fn ")
}

/// Functions longer than the limit: (line, name, lines), by matching a `fn` line with the first
/// closing brace at the same indentation.
fn long_functions(source: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut long = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        // A one-line function (`fn f() { … }`) is short by definition.
        let one_line = trimmed.ends_with('}') || trimmed.ends_with(';');
        if starts_a_function(trimmed) && !one_line {
            let name = trimmed
                .split("fn ")
                .nth(1)
                .unwrap_or("")
                .split(['(', '<'])
                .next()
                .unwrap_or("")
                .to_owned();
            let close = format!("{indent}}}");
            if let Some(end) = (i..lines.len()).find(|&j| lines[j] == close) {
                if end - i + 1 > MAX_FN_LINES {
                    long.push((i + 1, name, end - i + 1));
                }
                i = end;
            }
        }
        i += 1;
    }
    long
}

/// Every source file of both crates is at most 600 lines and every function outside the unit
/// tests at most 80 (a test is a scenario read top to bottom, and may be longer); in the
/// server's services and store their unit tests too.
#[test]
fn every_source_file_is_short_and_every_function_too() {
    let mut problems = Vec::new();
    for dir in ["app/src", "server/src"] {
        for file in rust_files(&workspace().join(dir)) {
            let source = std::fs::read_to_string(&file).unwrap();
            let shown = file
                .strip_prefix(workspace())
                .unwrap()
                .display()
                .to_string();
            let count = source.lines().count();
            if count > MAX_FILE_LINES {
                problems.push(format!("{shown}: {count} lines"));
            }
            let strict = ["server/src/service/", "server/src/store/"]
                .iter()
                .any(|d| shown.starts_with(d));
            let scanned = if strict {
                source.clone()
            } else {
                code_of(&source)
            };
            for (line, name, n) in long_functions(&scanned) {
                problems.push(format!("{shown}:{line}: fn {name} is {n} lines"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "over the limits:\n{}",
        problems.join("\n")
    );
}

/// A file's module path in its crate (`service/sync/mod.rs` → `service::sync`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its unit tests.
fn code_of(source: &str) -> String {
    let without_tests = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or(source);
    without_tests
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paths this code names with `crate::` or `super::` (including `use super::{a, b}`).
fn named_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    for (start, kind) in code
        .match_indices("crate::")
        .map(|(i, _)| (i, 0))
        .chain(code.match_indices("super::").map(|(i, _)| (i, 1)))
    {
        if start > 0 && code[..start].ends_with(ident) {
            continue;
        }
        let rest = &code[start + 7..];
        let base: Vec<String> = if kind == 0 {
            Vec::new()
        } else {
            module[..module.len().saturating_sub(1)].to_vec()
        };
        if let Some(group) = rest.strip_prefix('{') {
            for name in group.split('}').next().unwrap_or("").split(',') {
                let name: String = name.trim().chars().take_while(|c| ident(*c)).collect();
                let mut p = base.clone();
                p.push(name);
                paths.push(p);
            }
            continue;
        }
        let mut p = base;
        p.extend(
            rest.split("::")
                .map(|s| s.chars().take_while(|c| ident(*c)).collect::<String>())
                .take_while(|s| !s.is_empty()),
        );
        paths.push(p);
    }
    paths
}

fn cycles_in(crate_dir: &str) -> Vec<String> {
    let src = workspace().join(crate_dir);
    let files = rust_files(&src);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        let m = module_of(&src, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let targets = edges.entry(m.clone()).or_default();
        for path in named_paths(&code, &m) {
            let Some(t) = (1..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            let related = t.starts_with(&m) || m.starts_with(&t);
            if !related {
                targets.insert(t);
            }
        }
    }
    // Any module that can reach itself is on a cycle.
    let mut found = Vec::new();
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<String>> = edges[start].iter().cloned().collect();
        while let Some(m) = stack.pop() {
            if &m == start {
                let names: Vec<String> = edges[start].iter().map(|t| t.join("::")).collect();
                found.push(format!(
                    "{crate_dir}: {} (imports {})",
                    start.join("::"),
                    names.join(", ")
                ));
                break;
            }
            if seen.insert(m.clone()) {
                stack.extend(edges.get(&m).into_iter().flatten().cloned());
            }
        }
    }
    found
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let mut cycles = cycles_in("server/src");
    cycles.extend(cycles_in("app/src"));
    assert!(
        cycles.is_empty(),
        "modules on an import cycle:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_checks_can_fail() {
    let long = format!("fn too_long() {{\n{}}}\n", "    let _ = 1;\n".repeat(90));
    assert_eq!(long_functions(&long).len(), 1);
    // Any visibility and qualifier; a one-line function before a long one does not hide it.
    for start in [
        "pub(in crate::ui) const fn",
        "pub(crate) async fn",
        "unsafe fn",
    ] {
        let long = format!(
            "fn short() {{ 1 }}\n{start} too_long() {{\n{}}}\n",
            "    let _ = 1;\n".repeat(90)
        );
        assert_eq!(
            long_functions(&long),
            [(2, "too_long".to_owned(), 92)],
            "{start}"
        );
    }
    assert!(!starts_a_function("publish(fn_list);"));
    let m = vec!["service".to_owned(), "sync".to_owned()];
    let paths = named_paths(
        "use super::{records, today};\nuse crate::store::sync::x;",
        &m,
    );
    assert!(paths.contains(&vec!["service".to_owned(), "records".to_owned()]));
    assert!(paths.contains(&vec!["store".to_owned(), "sync".to_owned(), "x".to_owned()]));
}

/// All SQL lives in `store/` (the storage seam a second database needs): no statement is
/// written anywhere else in the server.
#[test]
fn sql_is_written_only_in_the_store() {
    let src = workspace().join("server/src");
    let store = src.join("store");
    let outside: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|f| !f.starts_with(&store))
        .filter(|f| {
            let code = code_of(&std::fs::read_to_string(f).unwrap());
            ["sqlx::query", "QueryBuilder", "query_as(", "query_scalar("]
                .iter()
                .any(|s| code.contains(s))
        })
        .map(|f| f.strip_prefix(&src).unwrap().display().to_string())
        .collect();
    assert!(outside.is_empty(), "SQL outside store/: {outside:?}");
}
