//! Where oxctl names itself while etcdctl names itself: oxctl's version and the etcd API
//! version it speaks. Shared by the comparison tests; everything else is compared byte for byte.

/// The etcd API version oxctl reports (oxcd's: etcd 3.6).
pub const API_VERSION: &str = "3.6";

/// etcdctl's help text with its `API VERSION` (3.4) replaced by oxctl's, which is what oxctl
/// prints for the same command.
pub fn help_as_oxctl(etcdctl_help: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(etcdctl_help)
        .replace(
            "API VERSION:\n\t3.4\n",
            &format!("API VERSION:\n\t{API_VERSION}\n"),
        )
        .into_bytes()
}
