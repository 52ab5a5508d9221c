//! Writes the trace saw enter but never return (the writer was killed in between): which of
//! them reached stdout, told by how many bytes arrived that no completed write accounts for.

use tracer::Write;

/// Unfinished writes searched for a matching subset at most (2^12 sums).
const MAX_SEARCHED: usize = 12;

/// The unfinished writes (or the one's first bytes) that make up exactly `missing` bytes, when
/// only one choice does: all of them; else the one subset whose lengths sum to `missing`; else,
/// when there is a single one, its first `missing` bytes (a killed writer's partial write goes
/// out in order). `None` when nothing or more than one choice fits: then the bytes are nobody's.
pub(super) fn arrived(unfinished: &[&Write], missing: usize) -> Option<Vec<Write>> {
    if missing == 0 {
        return Some(Vec::new());
    }
    let total: usize = unfinished.iter().map(|w| w.len).sum();
    if total == missing {
        return Some(unfinished.iter().map(|w| (*w).clone()).collect());
    }
    if let [only] = unfinished {
        return (only.len > missing).then(|| {
            let mut w = (*only).clone();
            w.bytes.truncate(missing);
            w.len = missing;
            vec![w]
        });
    }
    if unfinished.len() > MAX_SEARCHED {
        return None;
    }
    let mut fits = (1u32..1 << unfinished.len()).filter(|set| {
        let sum: usize = (0..unfinished.len())
            .filter(|i| set & (1 << i) != 0)
            .map(|i| unfinished[i].len)
            .sum();
        sum == missing
    });
    let set = fits.next()?;
    if fits.next().is_some() {
        return None;
    }
    Some(
        (0..unfinished.len())
            .filter(|i| set & (1 << i) != 0)
            .map(|i| unfinished[i].clone())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tracer::Stream;

    use super::*;

    fn write(tid: i32, text: &str) -> Write {
        Write {
            tid,
            tgid: tid,
            stream: Stream::Stdout,
            syscall: "write",
            at: Duration::from_millis(tid as u64),
            len: text.len(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_writes_whose_bytes_arrived_are_found_only_when_one_choice_fits() {
        let a = write(1, "Get A from queue.\n");
        let b = write(2, "Get BB from queue.\n");
        let c = write(3, "Get C from queue.\n");
        let tids =
            |ws: Option<Vec<Write>>| ws.map(|ws| ws.iter().map(|w| w.tid).collect::<Vec<_>>());
        assert_eq!(tids(arrived(&[&a], 18)), Some(vec![1]));
        assert_eq!(tids(arrived(&[&a, &b], 37)), Some(vec![1, 2]));
        assert_eq!(tids(arrived(&[&a, &b], 19)), Some(vec![2]));
        // a and c are both 18 bytes: which one arrived is unknown.
        assert_eq!(tids(arrived(&[&a, &c], 18)), None);
        assert_eq!(tids(arrived(&[&a, &b], 5)), None);
        assert_eq!(tids(arrived(&[], 5)), None);
        let part = arrived(&[&a], 4).expect("a prefix of a single write");
        assert_eq!(part[0].bytes, b"Get ");
        assert_eq!(tids(arrived(&[&a], 19)), None);
    }
}
