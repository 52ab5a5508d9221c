//! Two programs in one run (`--pair`): the distributed example's master and worker as the notes
//! write them. The master starts first; the worker once something in the run listens on TCP;
//! both write to the run's stdout. Inside one fenced run they share a loopback of their own,
//! so the master binds the fixed port 5000 and the worker connects to 127.0.0.1:5000, and two
//! gradings side by side each have their own port 5000.
//!
//! With `--pair-after TEXT` the worker starts only once a line of the master's starts with TEXT
//! as well (the notes start it after "Try get results...": every task queued).
//!
//! The run's main process is a small POSIX shell script (`/bin/sh`, which every system has and
//! the fence lets run): it watches `/proc/net/tcp` and `/proc/net/tcp6` (the run's own network
//! namespace) for a socket in state LISTEN (`0A`), then starts the worker, and exits with the
//! worker's status if it failed, else the master's.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use crate::grade::error::GradeError;

/// The shell's program.
const SH: &str = "/bin/sh";

/// The script; `MASTER` and `WORKER` are replaced by the quoted command lines, and `need_go`
/// set before it: 1 when the worker also waits for SIGUSR1 (the grader sends it at the
/// master's `--pair-after` line). The worker is also started when the master ends first (it
/// then fails as it would alone).
const SCRIPT: &str = r#"go=
trap 'go=1' USR1
MASTER &
m=$!
listening() {
  for table in /proc/net/tcp /proc/net/tcp6; do
    while read -r _ _ _ state _; do
      [ "$state" = 0A ] && return 0
    done < "$table"
  done 2>/dev/null
  return 1
}
until { [ "$need_go" = 0 ] || [ -n "$go" ]; } && listening; do
  kill -0 "$m" 2>/dev/null || break
  sleep 0.01
done
WORKER
w=$?
wait "$m"
m=$?
[ "$w" -ne 0 ] && exit "$w"
exit "$m"
"#;

/// `MASTER [ARGS...] -- WORKER [ARGS...]` as the one command of a run: `/bin/sh -c SCRIPT`;
/// with `after_signal`, the worker waits for SIGUSR1 too.
///
/// Errors: no `--` between two non-empty command lines.
pub(crate) fn pair_command(
    command: &[OsString],
    after_signal: bool,
) -> Result<Vec<OsString>, GradeError> {
    let split = command.iter().position(|a| a == "--");
    let (master, worker) = match split {
        Some(i) if i > 0 && i + 1 < command.len() => (&command[..i], &command[i + 1..]),
        _ => {
            return Err(GradeError::Option(
                "--pair needs MASTER [ARGS...] -- WORKER [ARGS...] after the first --".into(),
            ));
        }
    };
    let (head, rest) = SCRIPT.split_once("MASTER").unwrap_or((SCRIPT, ""));
    let (middle, tail) = rest.split_once("WORKER").unwrap_or((rest, ""));
    let mut script = format!("need_go={}\n", u8::from(after_signal)).into_bytes();
    script.extend_from_slice(head.as_bytes());
    script.extend(quoted(master));
    script.extend_from_slice(middle.as_bytes());
    script.extend(quoted(worker));
    script.extend_from_slice(tail.as_bytes());
    Ok(vec![
        OsString::from(SH),
        OsString::from("-c"),
        OsString::from_vec(script),
        OsString::from("grade-pair"),
    ])
}

/// A command line quoted for the shell: each word in single quotes (a `'` as `'\''`), byte
/// for byte (a word need not be UTF-8).
fn quoted(words: &[OsString]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.push(b'\'');
        for &b in w.as_bytes() {
            if b == b'\'' {
                out.extend_from_slice(b"'\\''");
            } else {
                out.push(b);
            }
        }
        out.push(b'\'');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_for_the_shell() {
        let words = [OsString::from("a b"), OsString::from("it's")];
        assert_eq!(quoted(&words), br#"'a b' 'it'\''s'"#);
    }

    #[test]
    fn a_pair_needs_two_command_lines() {
        let cmd = |s: &str| s.split(' ').map(OsString::from).collect::<Vec<_>>();
        assert!(pair_command(&cmd("m -- w"), false).is_ok());
        for bad in ["m w", "-- w", "m --"] {
            assert!(pair_command(&cmd(bad), true).is_err(), "{bad}");
        }
    }
}
