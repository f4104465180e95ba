//! etcd 3.6 and 3.7 servers built from the Go module proxy (`go.etcd.io/etcd/server/v3`, a
//! `main` calling `etcdmain.Main`), for tests that need data written by those versions. Built
//! once per version under the test target's temp dir and reused; a missing Go skips the test
//! outside CI and fails it in CI, where Go is part of the machine.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether Go is installed to build `what`: in CI it must be (the test fails otherwise);
/// elsewhere a missing Go skips the test, with a notice.
pub fn go_present(what: &str) -> bool {
    let present = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "go must be installed in CI to build {what}"
        );
        println!("skipping: go is not installed");
    }
    present
}

/// The etcd server binary of `version` (e.g. `v3.6.16`), or `None` (skipped) without Go.
pub fn etcd_server(version: &str) -> Option<PathBuf> {
    if !go_present(&format!("etcd {version}")) {
        return None;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("etcd-{version}"));
    let bin = dir.join("etcd");
    if bin.exists() {
        return Some(bin);
    }
    std::fs::create_dir_all(&dir).expect("create the etcd build directory");
    std::fs::write(
        dir.join("main.go"),
        "package main\n\nimport (\n\t\"os\"\n\n\t\"go.etcd.io/etcd/server/v3/etcdmain\"\n)\n\n\
         func main() { etcdmain.Main(os.Args) }\n",
    )
    .expect("write main.go");
    if !dir.join("go.mod").exists() {
        go(&dir, &["mod", "init", "oxcd.test/etcd"]);
    }
    go(
        &dir,
        &["get", &format!("go.etcd.io/etcd/server/v3@{version}")],
    );
    go(&dir, &["mod", "tidy"]);
    // Test binaries may build at the same time: each builds its own file and renames it into
    // place, which is atomic; Go's build cache makes the second build cheap.
    let partial = dir.join(format!("etcd.{}", std::process::id()));
    go(
        &dir,
        &[
            "build",
            "-buildvcs=false",
            "-o",
            partial.to_str().expect("utf-8 path"),
            ".",
        ],
    );
    std::fs::rename(&partial, &bin).expect("move etcd into place");
    Some(bin)
}

fn go(dir: &Path, args: &[&str]) {
    let out = Command::new("go")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run go");
    assert!(
        out.status.success(),
        "go {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}
