//! The authkey handshake of Python's `multiprocessing.connection` (`deliver_challenge` and
//! `answer_challenge`), on HMAC-SHA256 as Python 3.12 does it.
//!
//! The side that delivers the challenge sends `#CHALLENGE#{sha256}` and 40 random bytes; the
//! other answers `{sha256}` and the HMAC-SHA256 of `{sha256}` + those bytes keyed with the
//! authkey; the first replies `#WELCOME#` or `#FAILURE#`. The server delivers first then
//! answers, the client answers then delivers: both prove they know the key, and the key itself
//! never crosses the wire. Only raw bytes of bounded size are read during the handshake.

use std::io::{Read, Write};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::frame::{HANDSHAKE_LIMIT, read_frame, write_frame};

/// Prefix of a challenge frame.
pub const CHALLENGE: &[u8] = b"#CHALLENGE#";
/// The reply to a right answer.
pub const WELCOME: &[u8] = b"#WELCOME#";
/// The reply to a wrong answer.
pub const FAILURE: &[u8] = b"#FAILURE#";
/// Names the digest, as Python 3.12 prefixes both the challenge and the answer.
pub const DIGEST_PREFIX: &[u8] = b"{sha256}";
/// How many random bytes a challenge carries (Python's `MESSAGE_LENGTH`).
pub const MESSAGE_LENGTH: usize = 40;

type HmacSha256 = Hmac<Sha256>;

fn keyed(authkey: &[u8], message: &[u8]) -> Result<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(authkey)
        .map_err(|_| Error::Authentication("the authkey cannot key an HMAC".into()))?;
    mac.update(message);
    Ok(mac)
}

/// `{sha256}` followed by the HMAC-SHA256 of `message` under `authkey`.
pub fn response(authkey: &[u8], message: &[u8]) -> Result<Vec<u8>> {
    let digest = keyed(authkey, message)?.finalize().into_bytes();
    let mut answer = DIGEST_PREFIX.to_vec();
    answer.extend_from_slice(&digest);
    Ok(answer)
}

/// Sends a fresh challenge and checks the answer: `Ok` if the peer knows `authkey`.
pub fn deliver_challenge(stream: &mut (impl Read + Write), authkey: &[u8]) -> Result<()> {
    let mut random = [0u8; MESSAGE_LENGTH];
    rand::fill(&mut random[..]);
    let mut message = DIGEST_PREFIX.to_vec();
    message.extend_from_slice(&random);
    write_frame(stream, &[CHALLENGE, &message].concat())?;
    let answer = read_frame(stream, HANDSHAKE_LIMIT)?;
    // verify_slice compares in constant time.
    let right = match answer.strip_prefix(DIGEST_PREFIX) {
        Some(digest) => keyed(authkey, &message)?.verify_slice(digest).is_ok(),
        None => false,
    };
    if right {
        write_frame(stream, WELCOME)
    } else {
        // Best effort: the peer may already be gone, and the refusal is what matters.
        let _ = write_frame(stream, FAILURE);
        Err(Error::Authentication(
            "the peer's answer to our challenge is wrong (different authkey?)".into(),
        ))
    }
}

/// Answers the peer's challenge: `Ok` if the peer accepted our answer.
pub fn answer_challenge(stream: &mut (impl Read + Write), authkey: &[u8]) -> Result<()> {
    let challenge = read_frame(stream, HANDSHAKE_LIMIT)?;
    let message = challenge.strip_prefix(CHALLENGE).ok_or_else(|| {
        Error::Protocol(format!(
            "expected a challenge, got {} other bytes (not a task manager?)",
            challenge.len()
        ))
    })?;
    if !message.starts_with(DIGEST_PREFIX) {
        return Err(Error::Protocol(
            "the challenge names a digest other than {sha256}".into(),
        ));
    }
    write_frame(stream, &response(authkey, message)?)?;
    let verdict = read_frame(stream, HANDSHAKE_LIMIT)?;
    if verdict == WELCOME {
        Ok(())
    } else if verdict == FAILURE {
        Err(Error::Authentication(
            "the peer rejected our answer (different authkey?)".into(),
        ))
    } else {
        Err(Error::Protocol(
            "expected #WELCOME# or #FAILURE# after our answer".into(),
        ))
    }
}
