//! Request IDs: every proposal carries one, every member applies every entry, and the member
//! that proposed it wakes its waiter by that ID. An ID must therefore never match another
//! request's still in the log, across members and across restarts: an entry proposed before a
//! crash may commit after the restart, and must not wake a new request with its result.
//!
//! The layout: the member ID's low 16 bits, then a 16-bit boot count (kept in the data dir,
//! raised and synced before the member proposes anything), then a 32-bit sequence that wraps
//! within its boot. etcd's idutil starts its sequence from the clock instead, which repeats
//! after a restart when the run before issued IDs faster than the clock moved (or the clock
//! went back).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const SEQUENCE_BITS: u32 = 32;
const BOOT_BITS: u32 = 16;

/// The file holding the boot count, in the member dir.
const BOOT_FILE: &str = "boot";

pub struct RequestIds {
    boot: u64,
    /// The member's and this boot's bits.
    prefix: u64,
    sequence: AtomicU64,
}

impl RequestIds {
    /// Raises the boot count kept in `member_dir` (durably: written, synced and renamed into
    /// place) and returns the IDs of this boot.
    pub fn start(member_dir: &Path, member_id: u64) -> Result<RequestIds, String> {
        let path = member_dir.join(BOOT_FILE);
        let previous = match std::fs::read_to_string(&path) {
            Ok(text) => text
                .trim()
                .parse::<u64>()
                .map_err(|e| format!("{}: not a boot count ({e})", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => return Err(format!("reading {}: {e}", path.display())),
        };
        let boot = previous.wrapping_add(1);
        write_durably(&path, &boot.to_string())?;
        Ok(RequestIds::for_boot(member_id, boot))
    }

    fn for_boot(member_id: u64, boot: u64) -> RequestIds {
        let boot_mask = (1 << BOOT_BITS) - 1;
        RequestIds {
            boot,
            prefix: ((member_id & 0xffff) << (BOOT_BITS + SEQUENCE_BITS))
                | ((boot & boot_mask) << SEQUENCE_BITS),
            sequence: AtomicU64::new(0),
        }
    }

    /// This start's boot count (all of it, not only the bits in the IDs).
    pub fn boot(&self) -> u64 {
        self.boot
    }

    pub fn next(&self) -> u64 {
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed) & ((1 << SEQUENCE_BITS) - 1);
        self.prefix | sequence
    }
}

fn write_durably(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let fail = |e: std::io::Error| format!("writing {}: {e}", path.display());
    let temporary = PathBuf::from(format!("{}.tmp", path.display()));
    let mut file = std::fs::File::create(&temporary).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::RequestIds;

    const A: u64 = 0x8e9e05c52164694d;
    const B: u64 = 0x91bc3c398fb3c146;

    #[test]
    fn a_restart_never_reuses_the_ids_of_the_run_before() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = RequestIds::start(dir.path(), A).expect("start");
        let issued: Vec<u64> = (0..1000).map(|_| first.next()).collect();
        // Restarted at once, on the same clock millisecond or an earlier one.
        let second = RequestIds::start(dir.path(), A).expect("restart");
        let after: Vec<u64> = (0..1000).map(|_| second.next()).collect();
        assert!(after.iter().all(|id| !issued.contains(id)));
    }

    #[test]
    fn members_never_share_ids_and_a_sequence_wraps_within_its_boot() {
        let (a, b) = (RequestIds::for_boot(A, 7), RequestIds::for_boot(B, 7));
        assert_ne!(a.next(), b.next());
        a.sequence
            .store((1 << 32) - 1, std::sync::atomic::Ordering::Relaxed);
        let last = a.next();
        let wrapped = a.next();
        assert_eq!(last >> 32, wrapped >> 32, "the boot and member bits stay");
        assert_eq!(wrapped & 0xffff_ffff, 0);
        assert_ne!(
            RequestIds::for_boot(A, 8).next() >> 32,
            wrapped >> 32,
            "the next boot has its own IDs"
        );
    }

    #[test]
    fn a_damaged_boot_file_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("boot"), "garbage").expect("write");
        let refused = RequestIds::start(dir.path(), A).err().expect("refused");
        assert!(refused.contains("not a boot count"), "{refused}");
    }
}
