//! Finding, making and unlinking nodes by path, with the errors etcd's walk gives.

use crate::error::{V2Error, KEY_NOT_FOUND, NOT_DIR};
use crate::node::Node;
use crate::path::{child_path, components, split};

/// etcd's `internalGet` walk: the node at a clean path, or 104 naming the key met on the way
/// that is not a directory, or 100 naming the first missing path.
pub(crate) fn lookup<'a>(root: &'a Node, path: &str, index: u64) -> Result<&'a Node, V2Error> {
    let mut cur = root;
    for name in components(path) {
        let Some(children) = cur.children() else {
            return Err(V2Error::new(NOT_DIR, cur.path.clone(), index));
        };
        match children.get(name) {
            Some(child) => cur = child,
            None => {
                return Err(V2Error::new(
                    KEY_NOT_FOUND,
                    child_path(&cur.path, name),
                    index,
                ))
            }
        }
    }
    Ok(cur)
}

pub(crate) fn lookup_mut<'a>(root: &'a mut Node, path: &str) -> Option<&'a mut Node> {
    let mut cur = root;
    for name in components(path) {
        cur = cur.children_mut()?.get_mut(name)?;
    }
    Some(cur)
}

/// etcd's `checkDir` walk over the directories of a new key, without making anything yet: the
/// key met on the way that is not a directory, if any.
pub(crate) fn first_file_on_path<'a>(root: &'a Node, dir_path: &str) -> Option<&'a Node> {
    let mut cur = root;
    for name in components(dir_path) {
        match cur.children().and_then(|c| c.get(name)) {
            Some(child) if child.is_dir() => cur = child,
            Some(child) => return Some(child),
            None => return None,
        }
    }
    None
}

/// Makes the missing directories along `dir_path` (permanent, created at `index`), as etcd's
/// `checkDir` does, and returns the directory at its end with the new directories, parents
/// first. Callers check `first_file_on_path` first; a file on the way gives `None`.
pub(crate) fn make_dirs<'a>(
    root: &'a mut Node,
    dir_path: &str,
    index: u64,
) -> Option<(&'a mut Node, Vec<(String, crate::record::NodeRecord)>)> {
    let mut made = Vec::new();
    let mut cur = root;
    for name in components(dir_path) {
        let parent_path = cur.path.clone();
        let child = cur
            .children_mut()?
            .entry(name.to_string())
            .or_insert_with(|| {
                let dir = Node::new_dir(child_path(&parent_path, name), index, None);
                made.push((dir.path.clone(), dir.record()));
                dir
            });
        if !child.is_dir() {
            return None;
        }
        cur = child;
    }
    Some((cur, made))
}

/// Takes the node at a clean path out of its parent.
pub(crate) fn unlink(root: &mut Node, path: &str) -> Option<Node> {
    let (dir, name) = split(path);
    if name.is_empty() {
        return None;
    }
    lookup_mut(root, dir)?.children_mut()?.remove(name)
}
