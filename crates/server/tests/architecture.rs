//! Holds the code to the layering that `docs/ARCHITECTURE.md` describes: no import cycle between
//! the source files of any workspace crate, no import from a lower layer of the server crate to
//! a higher one, no crate depending on a crate above it, and no source file grown past
//! [`MAX_CODE_LINES`] lines outside its tests.
//!
//! Imports are read from the source text: `use` trees and inline `crate::`, `super::` and
//! `self::` paths, outside comments, strings and `#[cfg(test)]` modules. A path is resolved to
//! the file of the longest module prefix that exists, so naming an item defined in `a/mod.rs`
//! is an import of `a/mod.rs`, and a re-export through `lib.rs` is an import of `lib.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The server crate's layers, bottom first: a file may import from its own layer or below.
/// Every top-level module must be listed, so a new one has to be placed deliberately.
const SERVER_LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "config",
            "identity",
            "error",
            "failpoint",
            "version",
            "messages",
            "metrics",
            "status",
            "logging",
            "signals",
            "transport",
        ],
    ),
    ("state machine", &["state"]),
    ("watch hub", &["watch"]),
    ("consensus", &["consensus"]),
    ("member", &["member"]),
    // Tests only: drives the consensus and state layers as a member does, minus threads.
    ("simulator", &["sim"]),
    ("api", &["api"]),
    ("http", &["http"]),
    ("composition root", &["lib"]),
];

/// Lines of non-test code a source file may hold before it must be split by job.
const MAX_CODE_LINES: usize = 800;

/// The workspace's crates, bottom first: a crate may depend only on crates of a lower rank.
const CRATE_RANKS: &[(&str, u32)] = &[
    ("oxcd-proto", 0),
    ("oxcd-wal", 0),
    ("oxcd-v2store", 0),
    ("oxcd-bbolt", 0),
    ("oxcd-etcdwal", 0),
    ("oxcd-lincheck", 0),
    ("oxcd-k8s", 1),
    ("oxcd-storage", 1),
    ("oxcd-client", 1),
    ("oxcd-server", 2),
    ("oxcd", 3),
    ("oxctl", 3),
    ("oxutl", 3),
    ("oxbench", 3),
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The workspace's member directories, from the root manifest.
fn member_dirs(root: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("root manifest");
    let start = manifest.find("members").expect("workspace members");
    let list = &manifest[start..];
    let list = &list[list.find('[').expect("members list")..=list.find(']').expect("list end")];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(|member| root.join(member))
        .collect()
}

// ------------------------------------------------------------------ reading source text

/// The code of `source` with comments and string and char literals blanked out (lines kept).
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[j + 1..].iter().collect();
            let len = rest
                .find(&closing)
                .map_or(rest.len(), |n| n + closing.len());
            let end = j + 1 + rest[..len].chars().count();
            for &ch in &chars[i..end.min(chars.len())] {
                out.push(blank(ch));
            }
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                for &ch in &chars[i..(i + skip).min(chars.len())] {
                    out.push(blank(ch));
                }
                i += skip;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                out.push_str(&" ".repeat(skip));
                i += skip;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// `'x'`, `'\n'`, `'\u{..}'` rather than a lifetime `'a`.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// `code` without its `#[cfg(test)]` modules.
fn without_test_modules(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let after = &out[at + "#[cfg(test)]".len()..];
        if !after.trim_start().starts_with("mod ") {
            // A test-only item: blank the attribute and let the item be read.
            out.replace_range(at..at + "#[cfg(test)]".len(), &" ".repeat(12));
            continue;
        }
        let open = at + out[at..].find(['{', ';']).expect("a module body or `;`");
        let end = if out.as_bytes()[open] == b';' {
            open + 1
        } else {
            let mut depth = 0;
            let mut end = out.len();
            for (offset, byte) in out.as_bytes()[open..].iter().enumerate() {
                match byte {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = open + offset + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end
        };
        out.replace_range(at..end, "");
    }
    out
}

/// Every path a `use` tree names, expanded (`a::{b, c::{d}}` gives `a::b`, `a::c::d`).
fn expand_use_tree(tree: &str) -> Vec<String> {
    let tree: String = without_aliases(tree)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            expand_use_tree(p)
                .into_iter()
                .map(move |tail| format!("{prefix}{tail}"))
        })
        .collect()
}

/// `tree` without its `as name` renames.
fn without_aliases(tree: &str) -> String {
    let mut out = String::new();
    let mut tokens = tree.split_whitespace().peekable();
    while let Some(token) = tokens.next() {
        if token == "as" {
            if let Some(alias) = tokens.next() {
                // Keep the punctuation glued to the alias (`_,` or `Name}`).
                out.push_str(alias.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'));
            }
            continue;
        }
        out.push(' ');
        out.push_str(token);
    }
    out
}

/// The module paths `code` names: `use` trees, and inline `crate::`/`super::`/`self::` paths.
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    // `use` trees are read whole, then blanked so the inline scan below skips them.
    let mut code = code.to_string();
    let mut from = 0;
    while let Some(found) = find_keyword(&code[from..], "use") {
        let at = from + found;
        let end = code[at..].find(';').map_or(code.len(), |n| at + n);
        paths.extend(expand_use_tree(&code[at + 3..end]));
        code.replace_range(at..end, &" ".repeat(end - at));
        from = end;
    }
    for anchor in ["crate::", "super::", "self::"] {
        let mut search = code.as_str();
        while let Some(at) = search.find(anchor) {
            let before = search[..at].chars().last();
            let start = &search[at..];
            search = &search[at + anchor.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // part of a longer path or name, such as `super::super::` or `$crate::`
            }
            let len = start
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(start.len());
            paths.push(start[..len].trim_end_matches(':').to_string());
        }
    }
    paths
}

/// The next `use` keyword (not part of a longer name).
fn find_keyword(code: &str, keyword: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(found) = code[from..].find(keyword) {
        let at = from + found;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after_ok = bytes
            .get(at + keyword.len())
            .is_some_and(|b| b.is_ascii_whitespace());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + keyword.len();
    }
    None
}

// ------------------------------------------------------------------ one crate's module graph

struct CrateGraph {
    /// Source file (relative to `src/`) by module path.
    files: BTreeMap<Vec<String>, String>,
    /// Imports between files.
    edges: BTreeSet<(String, String)>,
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

fn module_path(relative: &str) -> Vec<String> {
    let trimmed = relative.trim_end_matches(".rs");
    let mut segments: Vec<String> = trimmed.split('/').map(str::to_string).collect();
    if matches!(
        segments.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segments.pop();
    }
    segments
}

fn crate_graph(src: &Path) -> CrateGraph {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    let mut files = BTreeMap::new();
    let mut sources = Vec::new();
    for path in paths {
        let relative = path
            .strip_prefix(src)
            .expect("found under src")
            .to_string_lossy()
            .replace('\\', "/");
        // Test modules in their own files are not part of the layering.
        if relative.ends_with("tests.rs") || relative.contains("/tests/") {
            continue;
        }
        if relative.starts_with("bin/") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a readable source file");
        files.insert(module_path(&relative), relative.clone());
        sources.push((relative, source));
    }
    let mut edges = BTreeSet::new();
    for (relative, source) in &sources {
        let module = module_path(relative);
        let code = without_test_modules(&code_only(source));
        for path in named_paths(&code) {
            if let Some(target) = resolve(&files, &module, &path) {
                if &target != relative {
                    edges.insert((relative.clone(), target));
                }
            }
        }
    }
    CrateGraph { files, edges }
}

/// The file a path names, from module `module`; `None` for other crates and std.
fn resolve(files: &BTreeMap<Vec<String>, String>, module: &[String], path: &str) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segments.first().copied() {
        Some("crate") => {
            segments.remove(0);
            vec![]
        }
        Some("self") => {
            segments.remove(0);
            module.to_vec()
        }
        Some("super") => {
            let mut base = module.to_vec();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        }
        // A bare path starts at a child module, or is another crate's.
        Some(first) => {
            let mut child = module.to_vec();
            child.push(first.to_string());
            if !files.contains_key(&child) {
                return None;
            }
            module.to_vec()
        }
        None => return None,
    };
    let mut found = files.get(&base).cloned();
    for segment in segments {
        base.push(segment.to_string());
        match files.get(&base) {
            Some(file) => found = Some(file.clone()),
            None => break,
        }
    }
    found
}

/// Every group of files that import each other in a loop.
fn cycles(graph: &CrateGraph) -> Vec<Vec<String>> {
    let nodes: Vec<&String> = graph.files.values().collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(node) = stack.pop() {
            for (a, b) in &graph.edges {
                if a == &node && seen.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for node in &nodes {
        let mut group: Vec<String> = reachable[node]
            .iter()
            .filter(|other| reachable.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        if !group.is_empty() {
            if !group.contains(node) {
                group.push((*node).clone());
            }
            group.sort();
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

fn server_layer(file: &str) -> Option<(usize, &'static str)> {
    let top = file.split('/').next()?.trim_end_matches(".rs");
    SERVER_LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, modules))| modules.contains(&top))
        .map(|(rank, (name, _))| (rank, *name))
}

// ------------------------------------------------------------------ the checks

#[test]
fn no_source_file_of_any_crate_is_in_an_import_cycle() {
    let root = workspace_root();
    let mut found = Vec::new();
    for dir in member_dirs(&root) {
        let graph = crate_graph(&dir.join("src"));
        for cycle in cycles(&graph) {
            found.push(format!("{}: {}", dir.display(), cycle.join(" <-> ")));
        }
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn server_layers_import_only_their_own_layer_or_below() {
    let graph = crate_graph(&workspace_root().join("crates/server/src"));
    let mut unplaced = Vec::new();
    for file in graph.files.values() {
        if server_layer(file).is_none() {
            unplaced.push(file.clone());
        }
    }
    assert!(
        unplaced.is_empty(),
        "files of no layer (add their module to SERVER_LAYERS and docs/ARCHITECTURE.md): {unplaced:?}"
    );
    let upward: Vec<String> = graph
        .edges
        .iter()
        .filter_map(|(from, to)| {
            let (from_rank, from_layer) = server_layer(from)?;
            let (to_rank, to_layer) = server_layer(to)?;
            (to_rank > from_rank).then(|| format!("{from} ({from_layer}) -> {to} ({to_layer})"))
        })
        .collect();
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn crates_depend_only_on_crates_below_them() {
    let root = workspace_root();
    let rank = |name: &str| {
        CRATE_RANKS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, r)| *r)
    };
    let mut wrong = Vec::new();
    for dir in member_dirs(&root) {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("crate manifest");
        let name = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|n| n.trim_matches('"').to_string())
            .expect("package name");
        let Some(own) = rank(&name) else {
            wrong.push(format!("{name} has no rank in CRATE_RANKS"));
            continue;
        };
        let mut section = "";
        for line in manifest.lines() {
            if line.starts_with('[') {
                section = line;
                continue;
            }
            // Tests may reach anything below the binaries; the library code may not reach up.
            if section != "[dependencies]" {
                continue;
            }
            let Some(dep) = line
                .split(['.', ' ', '='])
                .next()
                .filter(|d| d.starts_with("oxcd"))
            else {
                continue;
            };
            match rank(dep) {
                Some(r) if r < own => {}
                _ => wrong.push(format!("{name} depends on {dep}")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "crate dependencies against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_is_longer_than_the_limit_outside_its_tests() {
    let root = workspace_root();
    let mut long = Vec::new();
    for dir in member_dirs(&root) {
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        for file in files {
            if file.ends_with("tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&file).expect("a readable source file");
            // Test modules are cut out of code with comments blanked; lines are kept, so the
            // difference is the test modules' length.
            let code = code_only(&source);
            let lines = source.lines().count() + without_test_modules(&code).lines().count()
                - code.lines().count();
            if lines > MAX_CODE_LINES {
                long.push(format!("{}: {lines} lines", file.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "files to split by job:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_reader_finds_imports_and_ignores_comments_strings_and_tests() {
    let source = r##"
        //! docs naming crate::nowhere
        use crate::a::{b::C as Renamed, d};
        use prost::Message as _;
        use super::e;
        use std::sync::Arc;
        fn f() { let s = "crate::in_string"; let t = r#"super::raw"#; crate::g::h(); }
        #[cfg(test)]
        mod tests { use crate::only_tests; }
    "##;
    let code = without_test_modules(&code_only(source));
    let mut paths = named_paths(&code);
    paths.sort();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "crate::a::b::C",
            "crate::a::d",
            "crate::g::h",
            "prost::Message",
            "std::sync::Arc",
            "super::e"
        ]
    );
    let files: BTreeMap<Vec<String>, String> = [
        (vec![], "lib.rs"),
        (vec!["a".to_string()], "a/mod.rs"),
        (vec!["a".to_string(), "b".to_string()], "a/b.rs"),
        (vec!["x".to_string()], "x.rs"),
    ]
    .into_iter()
    .map(|(m, f)| (m, f.to_string()))
    .collect();
    let module = vec!["x".to_string()];
    assert_eq!(
        resolve(&files, &module, "crate::a::b::C").as_deref(),
        Some("a/b.rs")
    );
    assert_eq!(
        resolve(&files, &module, "crate::a::d").as_deref(),
        Some("a/mod.rs")
    );
    assert_eq!(
        resolve(&files, &module, "super::Config").as_deref(),
        Some("lib.rs")
    );
    assert_eq!(resolve(&files, &module, "std::sync::Arc"), None);
}
