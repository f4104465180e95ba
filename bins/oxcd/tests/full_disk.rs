//! A member whose data dir's file system fills up: on a small tmpfs mounted for each test (the
//! tests run as root, as CI does), writes raise the NOSPACE alarm while there is still room for
//! it, exactly as the backend quota does, Defragment is refused without room for its copy, and
//! `alarm disarm` brings writes back once there is room again; a disk another process fills to
//! the last byte gets the alarm too when there is still room to record it, else stops the member
//! with an error; no acknowledged write is lost.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::Server;
use etcd_client::{AlarmAction, AlarmOptions, AlarmType, Client};

const NOSPACE: &str = "etcdserver: mvcc: database space exceeded";
const VALUE_BYTES: usize = 1024 * 1024;

/// A tmpfs of a given size mounted on a directory, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount_at(dir: &Path, mib: u64) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "these tests mount a tmpfs and need root: mount said {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self) -> &Path {
        &self.dir
    }

    fn resize(&self, mib: u64) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={mib}m")])
            .arg(self.path())
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}

/// A single member, not started, whose data dir is a tmpfs of `mib` MiB (its log is not: it
/// must say why the member stopped). The tmpfs is declared after the member, so it is unmounted
/// before the member's directory is removed.
fn member_on_tmpfs(mib: u64) -> (Server, Tmpfs) {
    let server = Server::single(&[]);
    let fs = Tmpfs::mount_at(&server.data_dir(), mib);
    (server, fs)
}

fn value(i: usize) -> Vec<u8> {
    let mut v = vec![b'.'; VALUE_BYTES];
    v[..8].copy_from_slice(&(i as u64).to_be_bytes());
    v
}

/// Puts 1 MiB values under k0, k1, ... until one is refused: the keys acknowledged, and the
/// refusal.
async fn fill(client: &mut Client, limit: usize) -> (Vec<usize>, String) {
    let mut acknowledged = Vec::new();
    for i in 0..limit {
        match client.put(format!("k{i}"), value(i), None).await {
            Ok(_) => acknowledged.push(i),
            Err(e) => return (acknowledged, e.to_string()),
        }
    }
    panic!("{limit} MiB of values were all accepted");
}

async fn assert_kept(client: &mut Client, acknowledged: &[usize]) {
    for &i in acknowledged {
        let got = client.get(format!("k{i}"), None).await.expect("get");
        assert_eq!(
            got.kvs().first().map(|kv| kv.value().to_vec()),
            Some(value(i)),
            "acknowledged write k{i} lost"
        );
    }
}

async fn alarms(client: &mut Client) -> Vec<AlarmType> {
    client
        .alarm(AlarmAction::Get, AlarmType::None, None)
        .await
        .expect("alarm list")
        .alarms()
        .iter()
        .map(|a| a.alarm())
        .collect()
}

/// The operator's `alarm disarm` of this member's NOSPACE alarm.
async fn disarm(client: &mut Client) {
    let member = client
        .status()
        .await
        .expect("status")
        .header()
        .expect("header")
        .member_id();
    let mut options = AlarmOptions::new();
    options.with_member(member);
    client
        .alarm(AlarmAction::Deactivate, AlarmType::Nospace, Some(options))
        .await
        .expect("alarm disarm");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filling_disk_raises_nospace_and_disarm_brings_writes_back_once_there_is_room() {
    let (mut server, fs) = member_on_tmpfs(320);
    server.restart();
    let mut client = server.client().await;
    let (acknowledged, refusal) = fill(&mut client, 400).await;
    assert!(refusal.contains(NOSPACE), "{refusal}");
    assert!(
        acknowledged.len() > 50,
        "only {} MiB written",
        acknowledged.len()
    );
    assert_eq!(alarms(&mut client).await, vec![AlarmType::Nospace]);
    // Reads and deletes still work; every acknowledged write is there.
    assert_kept(&mut client, &acknowledged).await;
    let refused = client.put("another", "x", None).await.unwrap_err();
    assert!(refused.to_string().contains(NOSPACE), "{refused}");
    assert_eq!(
        client.delete("k0", None).await.expect("delete").deleted(),
        1
    );

    // A restart on the nearly full file system starts again (no crash loop), alarm kept.
    server.stop_with(libc::SIGTERM);
    server.spawn();
    server.wait_live(Duration::from_secs(30));
    let mut client = server.client().await;
    assert_eq!(alarms(&mut client).await, vec![AlarmType::Nospace]);
    assert_kept(&mut client, &acknowledged[1..]).await;

    // Defragment needs room for a copy of the backend: refused before it writes anything.
    let refused = client.defragment().await.unwrap_err().to_string();
    assert!(
        refused.contains("not enough free disk space to defragment"),
        "{refused}"
    );
    assert_kept(&mut client, &acknowledged[1..]).await;

    // Room again: defragment works, and the operator's disarm brings writes back.
    // Room to spare: a tmpfs only takes the memory its files use.
    fs.resize(4096);
    client.defragment().await.expect("defragment with room");
    assert!(
        std::fs::read_dir(server.data_dir().join("member/snap"))
            .expect("snap dir")
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().ends_with(".defrag")),
        "a defragmentation copy was left behind"
    );
    assert_kept(&mut client, &acknowledged[1..]).await;
    disarm(&mut client).await;
    assert!(alarms(&mut client).await.is_empty());
    client
        .put("after", "room again", None)
        .await
        .expect("put after disarm");
}

/// Fills the file system holding `dir` with one file, to the last byte.
fn fill_to_the_brim(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    let chunk = vec![0u8; 64 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let small = [0u8; 512];
    while file.write_all(&small).is_ok() {}
    while file.write_all(&small[..1]).is_ok() {}
    let _ = file.sync_all();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disk_another_process_fills_gets_the_alarm_or_stops_the_member_and_loses_no_write() {
    let (mut server, fs) = member_on_tmpfs(320);
    server.restart();
    let mut client = server.client().await;
    let mut acknowledged = Vec::new();
    for i in 0..20 {
        client
            .put(format!("k{i}"), value(i), None)
            .await
            .expect("put");
        acknowledged.push(i);
    }
    let filler = fill_to_the_brim(fs.path());
    // The next writes fail, one way or another, and the member stops: it cannot even record
    // the alarm.
    let mut failure = None;
    for i in 20..40 {
        match client.put(format!("k{i}"), value(i), None).await {
            Ok(_) => acknowledged.push(i),
            Err(e) => {
                failure = Some(e.to_string());
                break;
            }
        }
    }
    let failure = failure.expect("every write succeeded on a full file system");
    // Either the member still had room to record the NOSPACE alarm (a tmpfs may have the pages
    // its files write next already), or it could not and stopped, saying why.
    match server.wait_exit(Duration::from_secs(10)) {
        None => {
            assert!(failure.contains(NOSPACE), "{failure}");
            assert_eq!(alarms(&mut client).await, vec![AlarmType::Nospace]);
            assert_kept(&mut client, &acknowledged).await;
            server.stop_with(libc::SIGKILL);
        }
        Some(status) => {
            assert!(!status.success(), "{status}");
            let log = server.log();
            assert!(
                log.contains("No space left on device"),
                "the member's log does not say why it stopped (the write said {failure}):\n{log}"
            );
        }
    }

    // Room again: it starts, and every write it acknowledged is there.
    std::fs::remove_file(filler).expect("remove the filler");
    server.spawn();
    server.wait_live(Duration::from_secs(30));
    let mut client = server.client().await;
    assert_kept(&mut client, &acknowledged).await;
    if !alarms(&mut client).await.is_empty() {
        disarm(&mut client).await;
    }
    client
        .put("after", "room again", None)
        .await
        .expect("put once there is room");
}
