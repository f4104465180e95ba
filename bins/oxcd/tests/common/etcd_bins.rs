//! Where the real etcd 3.4 and etcdctl 3.4 are (Debian's `etcd-server` and `etcd-client`), and
//! whether they are there; shared with oxctl's tests.

use std::path::Path;

pub const ETCD: &str = "/usr/bin/etcd";
pub const ETCDCTL: &str = "/usr/bin/etcdctl";

/// Whether etcd and etcdctl are installed; CI installs them, so there their absence fails the
/// test instead of skipping it.
pub fn tools_present() -> bool {
    if Path::new(ETCD).exists() && Path::new(ETCDCTL).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{ETCD} and {ETCDCTL} must be installed in CI (apt-get install etcd-server etcd-client)"
    );
    println!("skipping: {ETCD} or {ETCDCTL} is not installed");
    false
}
