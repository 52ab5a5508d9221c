//! The two knobs every demo honours, read once from the environment, and the random numbers
//! they pin: `MULTITASK_TIME_SCALE` multiplies every sleep, `MULTITASK_SEED` fixes every draw.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Environment variable: a float from 0 to [`MAX_TIME_SCALE`] that multiplies every sleep
/// (default 1.0).
///
/// ```
/// assert_eq!(multitask::TIME_SCALE_VAR, "MULTITASK_TIME_SCALE");
/// ```
pub const TIME_SCALE_VAR: &str = "MULTITASK_TIME_SCALE";
/// The largest time scale: a thousand times slower than the notes is already a demo of a
/// quarter of an hour, and a larger figure (say 1e300) only overflows the durations it scales.
///
/// ```
/// assert_eq!(multitask::MAX_TIME_SCALE, 1000.0);
/// ```
pub const MAX_TIME_SCALE: f64 = 1000.0;

/// Environment variable: an integer that makes every random draw reproducible.
///
/// ```
/// assert_eq!(multitask::SEED_VAR, "MULTITASK_SEED");
/// ```
pub const SEED_VAR: &str = "MULTITASK_SEED";

/// The random streams' process-wide state, in one static that starts nonzero (its generation
/// is 1), so that it lands in `.data` beside the crate's other state a forked child writes
/// (the table of children, the pid cache), rather than in `.bss` on a page of its own: each
/// page a child writes is one more page copied at every start.
struct Streams {
    /// Where this process sits in the family tree, as a number: the seed for the first
    /// process, then mixed with the child's ordinal at every fork, so each process gets its own
    /// stream.
    lineage: AtomicU64,
    /// Threads that drew a number so far. (The children forked so far, each fork's ordinal,
    /// are counted in the table of children, which every fork writes anyway.)
    threads: AtomicU64,
    /// Bumped in every forked child: a thread's stream made before the fork is then stale. The
    /// child only stores to this atomic, and reseeds at its first draw, if it ever draws.
    generation: AtomicU64,
}

static STREAMS: Streams = Streams {
    lineage: AtomicU64::new(0),
    threads: AtomicU64::new(0),
    generation: AtomicU64::new(1),
};

thread_local! {
    static RNG: RefCell<Option<(u64, StdRng)>> = const { RefCell::new(None) };
}

/// Checks both knobs: a malformed one is an `Environment` error naming it. The knobs' readers
/// ([`time_scale`], [`seed`]) fall back to the defaults instead; a program checks first (the
/// demos do, through `demo_cli`) to turn a typo into a clear error.
///
/// ```
/// // SAFETY: this doctest is its own single-threaded process.
/// unsafe { std::env::set_var("MULTITASK_TIME_SCALE", "fast") };
/// let err = multitask::check_knobs().unwrap_err();
/// assert_eq!(err.kind(), multitask::ErrorKind::Environment);
/// assert!(err.message().contains("MULTITASK_TIME_SCALE"));
/// ```
pub fn check_knobs() -> Result<()> {
    if let Ok(v) = std::env::var(TIME_SCALE_VAR)
        && parse_time_scale(&v).is_none()
    {
        return Err(Error::new(
            ErrorKind::Environment,
            format!("{TIME_SCALE_VAR} must be a number from 0 to {MAX_TIME_SCALE}, got {v:?}"),
        ));
    }
    if let Ok(v) = std::env::var(SEED_VAR)
        && v.trim().parse::<i64>().is_err()
    {
        return Err(Error::new(
            ErrorKind::Environment,
            format!("{SEED_VAR} must be an integer, got {v:?}"),
        ));
    }
    Ok(())
}

/// A time scale's text as a number from 0 to MAX_TIME_SCALE.
fn parse_time_scale(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| (0.0..=MAX_TIME_SCALE).contains(s))
}

/// The time scale: `MULTITASK_TIME_SCALE`, or 1.0 when unset or not a number from 0 to
/// [`MAX_TIME_SCALE`].
///
/// ```
/// assert!(multitask::time_scale() >= 0.0);
/// ```
pub fn time_scale() -> f64 {
    static SCALE: OnceLock<f64> = OnceLock::new();
    *SCALE.get_or_init(|| {
        std::env::var(TIME_SCALE_VAR)
            .ok()
            .and_then(|v| parse_time_scale(&v))
            .unwrap_or(1.0)
    })
}

/// The seed from `MULTITASK_SEED`, if set to an integer.
///
/// ```
/// let _pinned: Option<u64> = multitask::seed();
/// ```
pub fn seed() -> Option<u64> {
    static SEED: OnceLock<Option<u64>> = OnceLock::new();
    *SEED.get_or_init(|| {
        std::env::var(SEED_VAR)
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map(|v| v as u64)
    })
}

/// Python's `time.sleep(seconds)`, multiplied by the time scale. A negative or NaN figure
/// sleeps not at all, one too long for a `Duration` as long as one can (Python raises an
/// error for both; this never panics).
///
/// ```
/// multitask::sleep(0.0);
/// multitask::sleep(-1.0);
/// ```
pub fn sleep(seconds: f64) {
    let scaled = seconds * time_scale();
    if scaled > 0.0 {
        std::thread::sleep(Duration::try_from_secs_f64(scaled).unwrap_or(Duration::MAX));
    }
}

/// Python's `random.random()`: a float in [0, 1), from this thread's stream.
///
/// ```
/// let x = multitask::random();
/// assert!((0.0..1.0).contains(&x));
/// ```
pub fn random() -> f64 {
    RNG.with(|cell| {
        let mut slot = cell.borrow_mut();
        let generation = STREAMS.generation.load(Ordering::Relaxed);
        if slot
            .as_ref()
            .is_none_or(|(made_in, _)| *made_in != generation)
        {
            *slot = Some((generation, new_stream()));
        }
        match slot.as_mut() {
            Some((_, rng)) => rng.random::<f64>(),
            None => 0.0,
        }
    })
}

fn new_stream() -> StdRng {
    match seed() {
        Some(seed) => {
            if STREAMS.lineage.load(Ordering::Relaxed) == 0 {
                STREAMS.lineage.store(mix(seed, 0), Ordering::Relaxed);
            }
            let thread = STREAMS.threads.fetch_add(1, Ordering::Relaxed);
            StdRng::seed_from_u64(mix(STREAMS.lineage.load(Ordering::Relaxed), thread))
        }
        None => rand::make_rng::<StdRng>(),
    }
}

/// Called first thing in a forked child, with its ordinal among its parent's forks: without it
/// every child would draw the parent's numbers (rand has no fork protection; Python reseeds
/// after fork too).
#[inline]
pub(crate) fn reseed_after_fork(ordinal: u64) {
    let base = match seed() {
        Some(seed) if STREAMS.lineage.load(Ordering::Relaxed) == 0 => mix(seed, 0),
        _ => STREAMS.lineage.load(Ordering::Relaxed),
    };
    STREAMS.lineage.store(mix(base, ordinal), Ordering::Relaxed);
    STREAMS.threads.store(0, Ordering::Relaxed);
    STREAMS.generation.fetch_add(1, Ordering::Relaxed);
}

/// splitmix64 of `a` combined with `b`: cheap, and distinct inputs give unrelated outputs.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::mix;

    #[test]
    fn mix_separates_neighbours() {
        assert_ne!(mix(1, 1), mix(1, 2));
        assert_ne!(mix(1, 2), mix(2, 1));
    }
}
