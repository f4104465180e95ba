//! The versions oxcd reports: clients (Kubernetes among them) gate features on them.

/// The etcd API version oxcd speaks.
pub const ETCD_VERSION: &str = "3.6.0";
/// The cluster version reported once the cluster is up (etcd reports major.minor.0).
pub const CLUSTER_VERSION: &str = "3.6.0";
