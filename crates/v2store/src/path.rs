//! Key paths as etcd handles them: Go's `path.Clean`, `path.Split` and `path.Join` semantics, so
//! keys like `//a/` and `/a/../b` name the same node etcd would.

/// Go's `path.Clean`: one slash between elements, no `.`, `..` resolved lexically.
pub fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(seg),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `path.Clean(path.Join("/", p))`: every key the store sees is absolute and clean.
pub(crate) fn clean_key(p: &str) -> String {
    go_clean(&format!("/{p}"))
}

/// Go's `path.Split`: everything up to and including the last slash, and the rest.
pub(crate) fn split(p: &str) -> (&str, &str) {
    match p.rfind('/') {
        Some(i) => (&p[..=i], &p[i + 1..]),
        None => ("", p),
    }
}

/// The full path of the child `name` of the directory at `parent` (a clean absolute path).
pub(crate) fn child_path(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

/// The names along a clean absolute path (none for the root).
pub(crate) fn components(p: &str) -> impl Iterator<Item = &str> {
    p.split('/').filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("", "/"),
            ("/", "/"),
            ("//a/", "/a"),
            ("a/b", "/a/b"),
            ("/a/./b/../c", "/a/c"),
            ("/../a", "/a"),
            ("/a//b///", "/a/b"),
            ("/_x/..", "/"),
        ] {
            assert_eq!(clean_key(input), want, "{input:?}");
        }
        assert_eq!(go_clean(""), ".");
        assert_eq!(go_clean("../a/.."), "..");
        assert_eq!(go_clean("a/../.."), "..");
    }

    #[test]
    fn split_and_join() {
        assert_eq!(split("/a/b"), ("/a/", "b"));
        assert_eq!(split("/a"), ("/", "a"));
        assert_eq!(split("a"), ("", "a"));
        assert_eq!(child_path("/", "a"), "/a");
        assert_eq!(child_path("/a", "b"), "/a/b");
        assert_eq!(components("/").count(), 0);
        assert_eq!(components("/a/b").collect::<Vec<_>>(), vec!["a", "b"]);
    }
}
