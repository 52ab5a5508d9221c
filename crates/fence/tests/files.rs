//! Files: the run writes only in its scratch directory (gone afterwards) and reads nothing of
//! the user's but its own files.

mod common;

use std::os::unix::fs::{PermissionsExt, chown};
use std::path::Path;

use common::{SEATS, Seat, WorkDir, python, python_unfenced};

/// Tries to create each file named on the command line, then one in $TMPDIR; prints one line
/// each.
const WRITE: &str = r#"
import os, sys
for path in sys.argv[1:] + [os.path.join(os.environ[k], "mine") for k in ["TMPDIR"] if k in os.environ]:
    try:
        with open(path, "w") as f:
            f.write("x")
        print("wrote", path)
    except OSError as e:
        print("refused", path, e.errno)
"#;

/// Prints each named file's contents, or the errno.
const READ: &str = r#"
import sys
for path in sys.argv[1:]:
    try:
        print("read", open(path).read())
    except OSError as e:
        print("refused", path, e.errno)
"#;

/// A home directory for `seat`: root's own, or one that belongs to nobody (as nobody's home
/// would, holding what nobody can read).
fn home(seat: Seat) -> (WorkDir, String) {
    let dir = WorkDir::new("home");
    let path = match seat {
        Seat::Root => std::env::var("HOME").unwrap_or_else(|_| "/root".to_string()),
        Seat::Nobody => {
            chown(&dir.0, Some(65534), Some(65534)).expect("chown");
            std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o700))
                .expect("chmod");
            dir.path().to_string()
        }
    };
    (dir, path)
}

/// A file only `seat` may read, holding `secret`; removed on drop of the returned folder when
/// it is one.
fn plant(seat: Seat, path: &Path, secret: &str) {
    std::fs::write(path, secret).expect("plant");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    if seat == Seat::Nobody {
        chown(path, Some(65534), Some(65534)).expect("chown");
    }
}

#[test]
fn writes_outside_scratch_are_refused_and_scratch_works() {
    for seat in SEATS {
        let (_home_dir, home) = home(seat);
        let next_to = WorkDir::new("next");
        if seat == Seat::Nobody {
            chown(&next_to.0, Some(65534), Some(65534)).expect("chown");
        }
        let tag = format!("{}-{seat:?}", std::process::id());
        let targets = [
            format!("{home}/fence-escape-{tag}"),
            format!("/tmp/fence-escape-{tag}"),
            format!("{}/fence-escape-{tag}", next_to.path()),
        ];
        let args: Vec<&str> = targets.iter().map(String::as_str).collect();
        // Control: unfenced, the same ids write every one of them.
        let control = python_unfenced(seat, WRITE, &args);
        for t in &targets {
            assert!(
                control.stdout.contains(&format!("wrote {t}")),
                "{control:#?}"
            );
            std::fs::remove_file(t).expect("control file");
        }
        let out = python(seat, &["--ro", next_to.path()], WRITE, &args);
        for t in &targets {
            assert!(
                out.stdout.contains(&format!("refused {t} 13")),
                "{t}: {out:#?}"
            );
            assert!(!Path::new(t).exists(), "{t} was written");
        }
        let scratch = out.scratch();
        assert!(
            out.stdout.contains(&format!("wrote {scratch}/mine")),
            "{out:#?}"
        );
        out.assert_clean_success();
    }
}

#[test]
fn a_secret_in_home_and_in_tmp_cannot_be_read() {
    for seat in SEATS {
        let (_home_dir, home) = home(seat);
        let secret = format!("pw:{}:{seat:?}", std::process::id());
        let in_home = format!("{home}/fence-secret-{}-{seat:?}", std::process::id());
        let in_tmp = format!("/tmp/fence-secret-{}-{seat:?}", std::process::id());
        plant(seat, Path::new(&in_home), &secret);
        plant(seat, Path::new(&in_tmp), &secret);
        let control = python_unfenced(seat, READ, &[&in_home, &in_tmp]);
        let out = python(seat, &[], READ, &[&in_home, &in_tmp]);
        let _ = std::fs::remove_file(&in_home);
        let _ = std::fs::remove_file(&in_tmp);
        assert_eq!(control.stdout.matches(&secret).count(), 2, "{control:#?}");
        assert!(!out.stdout.contains(&secret), "{out:#?}");
        assert!(!out.stderr.contains(&secret), "{out:#?}");
        assert_eq!(out.stdout.matches("refused").count(), 2, "{out:#?}");
        out.assert_clean_success();
    }
}

#[test]
fn the_scratch_tmpfs_holds_at_most_max_disk() {
    // 16 MiB of disk; the run writes 1 MiB blocks until refused.
    const FILL: &str = r#"
import os
path = os.path.join(os.environ["TMPDIR"], "fill")
written = 0
try:
    with open(path, "wb") as f:
        while written < 64 << 20:
            f.write(b"x" * (1 << 20))
            f.flush()
            written += 1 << 20
    print("wrote all", written)
except OSError as e:
    print("refused after", written >> 20, "MiB errno", e.errno)
"#;
    for seat in SEATS {
        let out = python(seat, &["--max-disk", &(16u64 << 20).to_string()], FILL, &[]);
        let line = out.stdout.trim();
        assert!(line.starts_with("refused after"), "{out:#?}");
        let mib: u64 = line
            .split_whitespace()
            .nth(2)
            .expect("MiB")
            .parse()
            .expect("n");
        assert!(mib <= 16, "{out:#?}");
        // ENOSPC (tmpfs full) or EFBIG (RLIMIT_FSIZE; Python ignores SIGXFSZ).
        assert!(
            line.ends_with("errno 28") || line.ends_with("errno 27"),
            "{out:#?}"
        );
        out.assert_clean_success();
    }
}

#[test]
fn scratch_and_dev_shm_together_hold_at_most_max_disk() {
    // 16 MiB of disk; the run writes 12 MiB into its scratch, then 1 MiB files into /dev/shm
    // until refused (a /dev/shm of its own would take 16 MiB more).
    const FILL: &str = r#"
import os
def fill(dir, most):
    n = 0
    try:
        while n < most:
            with open(os.path.join(dir, "fill%d" % n), "wb") as f:
                f.write(b"x" * (1 << 20))
            n += 1
    except OSError as e:
        return n, e.errno
    return n, None
print("scratch", *fill(os.environ["TMPDIR"], 12))
print("shm", *fill("/dev/shm", 64))
"#;
    for seat in SEATS {
        let out = python(seat, &["--max-disk", &(16u64 << 20).to_string()], FILL, &[]);
        let words: Vec<&str> = out.stdout.split_whitespace().collect();
        assert_eq!(
            words.get(..3),
            Some(&["scratch", "12", "None"][..]),
            "{out:#?}"
        );
        assert_eq!(words.get(3), Some(&"shm"), "{out:#?}");
        let shm: u64 = words.get(4).expect("MiB").parse().expect("n");
        assert!(
            shm <= 4,
            "{shm} MiB in /dev/shm beside 12 in scratch: {out:#?}"
        );
        assert_eq!(words.get(5), Some(&"28"), "ENOSPC: {out:#?}");
        out.assert_clean_success();
    }
}

#[test]
fn a_run_without_namespaces_writes_its_scratch_on_disk_and_it_is_removed() {
    for seat in SEATS {
        let out = python(seat, &["--skip", "namespaces"], WRITE, &[]);
        let scratch = out.scratch();
        assert!(
            out.stdout.contains(&format!("wrote {scratch}/mine")),
            "{out:#?}"
        );
        assert!(
            out.status_line().contains("namespaces switched off"),
            "{out:#?}"
        );
        out.assert_clean_success();
    }
}
