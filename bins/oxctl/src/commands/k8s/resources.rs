//! Kubernetes' resource types and where kube-apiserver stores them: `/registry/<resource>/`
//! (namespaced objects one level further down), a named group's own resources under
//! `/registry/<group>/<resource>/`, and the few whose storage path is historical.

/// kubectl's name and the storage path below `/registry/` where they differ.
const STORAGE_PATHS: &[(&str, &str)] = &[
    ("nodes", "minions"),
    ("replicationcontrollers", "controllers"),
    ("services", "services/specs"),
    ("endpoints", "services/endpoints"),
    ("ingresses", "ingress"),
    ("podsecuritypolicies", "podsecuritypolicy"),
];

/// kubectl's short names.
const ALIASES: &[(&str, &str)] = &[
    ("po", "pods"),
    ("cm", "configmaps"),
    ("deploy", "deployments"),
    ("svc", "services"),
    ("ns", "namespaces"),
    ("no", "nodes"),
    ("ep", "endpoints"),
    ("sa", "serviceaccounts"),
    ("ev", "events"),
    ("rs", "replicasets"),
    ("ds", "daemonsets"),
    ("sts", "statefulsets"),
    ("cj", "cronjobs"),
    ("crd", "customresourcedefinitions.apiextensions.k8s.io"),
    ("crds", "customresourcedefinitions.apiextensions.k8s.io"),
    (
        "customresourcedefinitions",
        "customresourcedefinitions.apiextensions.k8s.io",
    ),
    (
        "customresourcedefinition",
        "customresourcedefinitions.apiextensions.k8s.io",
    ),
    ("apiservices", "apiservices.apiregistration.k8s.io"),
    ("apiservice", "apiservices.apiregistration.k8s.io"),
    ("ing", "ingresses"),
    ("pc", "priorityclasses"),
    ("pv", "persistentvolumes"),
    ("pvc", "persistentvolumeclaims"),
    ("rc", "replicationcontrollers"),
    ("hpa", "horizontalpodautoscalers"),
    ("pdb", "poddisruptionbudgets"),
    ("netpol", "networkpolicies"),
    ("sc", "storageclasses"),
    ("csr", "certificatesigningrequests"),
    ("quota", "resourcequotas"),
    ("limits", "limitranges"),
    ("endpoint", "endpoints"),
];

pub const REGISTRY: &[u8] = b"/registry/";

/// Where a stored key belongs: its resource type's name as `k8s ls` shows it, the prefix of that
/// type's keys, and the rest of the key (`namespace/name` or `name`).
#[derive(Debug, PartialEq, Eq)]
pub struct Located<'a> {
    pub resource: String,
    pub prefix: Vec<u8>,
    pub rest: &'a [u8],
}

pub fn locate(key: &[u8]) -> Option<Located<'_>> {
    let below = key.strip_prefix(REGISTRY)?;
    let (first, after_first) = split_segment(below)?;
    let grouped = first.contains(&b'.');
    let (resource, storage_len, rest) = if grouped || first == b"services" {
        let (second, rest) = split_segment(after_first)?;
        let name = if grouped {
            format!("{}.{}", lossy(second), lossy(first))
        } else {
            match second {
                b"specs" => "services".to_string(),
                b"endpoints" => "endpoints".to_string(),
                _ => format!("services/{}", lossy(second)),
            }
        };
        (name, first.len() + 1 + second.len() + 1, rest)
    } else {
        let storage = lossy(first);
        let name = STORAGE_PATHS
            .iter()
            .find(|(_, path)| *path == storage)
            .map_or(storage.clone(), |(name, _)| (*name).to_string());
        (name, first.len() + 1, after_first)
    };
    if rest.is_empty() {
        return None;
    }
    let mut prefix = REGISTRY.to_vec();
    prefix.extend_from_slice(&below[..storage_len]);
    Some(Located {
        resource,
        prefix,
        rest,
    })
}

/// The first '/'-separated segment and what follows it; `None` when there is no '/' after it.
fn split_segment(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let slash = bytes.iter().position(|&b| b == b'/')?;
    Some((&bytes[..slash], &bytes[slash + 1..]))
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The key prefixes a type argument may mean, most likely first: kubectl's short names,
/// singular forms and group-qualified names (`deployments.apps` is stored without its group).
pub fn candidate_prefixes(type_arg: &str) -> Vec<(String, Vec<u8>)> {
    let lower = type_arg.to_ascii_lowercase();
    let mut names = Vec::new();
    for name in [lower.clone(), format!("{lower}s"), format!("{lower}es")] {
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name.clone(), |(_, full)| (*full).to_string());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let mut paths = Vec::new();
        match name.split_once('.') {
            Some((resource, group)) => {
                paths.push(format!("{group}/{resource}"));
                paths.push(storage_path(resource));
            }
            None => paths.push(storage_path(&name)),
        }
        for path in paths {
            let mut prefix = REGISTRY.to_vec();
            prefix.extend_from_slice(path.as_bytes());
            prefix.push(b'/');
            if !out.iter().any(|(_, p)| *p == prefix) {
                out.push((name.clone(), prefix));
            }
        }
    }
    out
}

fn storage_path(resource: &str) -> String {
    STORAGE_PATHS
        .iter()
        .find(|(name, _)| *name == resource)
        .map_or(resource.to_string(), |(_, path)| (*path).to_string())
}

/// `namespace/name` → (Some(namespace), name); `name` → (None, name).
pub fn namespace_and_name(rest: &[u8]) -> (Option<String>, String) {
    match rest.iter().position(|&b| b == b'/') {
        Some(slash) => (Some(lossy(&rest[..slash])), lossy(&rest[slash + 1..])),
        None => (None, lossy(rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_placed_in_their_resource_types() {
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "/registry/pods/default/web-0",
                "pods",
                "/registry/pods/",
                "default/web-0",
            ),
            (
                "/registry/minions/node-1",
                "nodes",
                "/registry/minions/",
                "node-1",
            ),
            (
                "/registry/services/specs/default/kubernetes",
                "services",
                "/registry/services/specs/",
                "default/kubernetes",
            ),
            (
                "/registry/services/endpoints/default/kubernetes",
                "endpoints",
                "/registry/services/endpoints/",
                "default/kubernetes",
            ),
            (
                "/registry/apiregistration.k8s.io/apiservices/v1.",
                "apiservices.apiregistration.k8s.io",
                "/registry/apiregistration.k8s.io/apiservices/",
                "v1.",
            ),
            (
                "/registry/oxcd.test/widgets/ns/w3",
                "widgets.oxcd.test",
                "/registry/oxcd.test/widgets/",
                "ns/w3",
            ),
            (
                "/registry/ranges/serviceips",
                "ranges",
                "/registry/ranges/",
                "serviceips",
            ),
        ];
        for (key, resource, prefix, rest) in cases {
            let located = locate(key.as_bytes()).unwrap();
            assert_eq!(located.resource, *resource, "{key}");
            assert_eq!(located.prefix, prefix.as_bytes(), "{key}");
            assert_eq!(located.rest, rest.as_bytes(), "{key}");
        }
        assert_eq!(locate(b"/registry/health"), None);
        assert_eq!(locate(b"/other/pods/x"), None);
    }

    #[test]
    fn type_arguments_resolve_like_kubectl() {
        let first = |t: &str| String::from_utf8(candidate_prefixes(t)[0].1.clone()).unwrap();
        assert_eq!(first("po"), "/registry/pods/");
        // A singular is tried as written first; the command takes the first holding keys.
        assert!(candidate_prefixes("pod")
            .iter()
            .any(|(_, p)| p == b"/registry/pods/"));
        assert_eq!(first("Services"), "/registry/services/specs/");
        assert_eq!(first("no"), "/registry/minions/");
        assert_eq!(
            first("crd"),
            "/registry/apiextensions.k8s.io/customresourcedefinitions/"
        );
        assert_eq!(first("widgets.oxcd.test"), "/registry/oxcd.test/widgets/");
        let deployments = candidate_prefixes("deployments.apps");
        assert!(deployments
            .iter()
            .any(|(_, p)| p == b"/registry/deployments/"));
        assert_eq!(first("ingress"), "/registry/ingress/");
    }
}
