//! How values cross between processes: serde into postcard bytes (where Python pickles). The one
//! place that turns a value into bytes and back, so every transport reports a value that does not
//! encode or decode the same way: its kind, the type's name, and the serde error as the source.

use std::any::type_name;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// Appends `value`'s bytes to `buf` (reusing its allocation) and gives the buffer back. An
/// error names `item`, the type the caller sends (which `value` may wrap).
pub(crate) fn encode_into<T: Serialize + ?Sized>(
    value: &T,
    buf: Vec<u8>,
    item: &str,
) -> Result<Vec<u8>> {
    postcard::to_extend(value, buf)
        .map_err(|e| Error::caused(ErrorKind::Serialize, format!("a {item}"), e))
}

/// `value`'s bytes.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    encode_into(value, Vec::new(), type_name::<T>())
}

/// The `T` that `bytes` hold; an error names `item`, the type the caller expects.
pub(crate) fn decode_as<T: DeserializeOwned>(bytes: &[u8], item: &str) -> Result<T> {
    postcard::from_bytes(bytes)
        .map_err(|e| Error::caused(ErrorKind::Deserialize, format!("not a valid {item}"), e))
}

/// The `T` that `bytes` hold.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    decode_as(bytes, type_name::<T>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn bytes_that_do_not_decode_name_the_type_and_keep_the_serde_error() {
        let bytes = encode(&u32::MAX).unwrap();
        let err = decode::<bool>(&bytes).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Deserialize);
        assert!(
            err.message().starts_with("not a valid bool: "),
            "{}",
            err.message()
        );
        assert!(err.source().is_some_and(|s| s.is::<postcard::Error>()));
        assert_eq!(decode::<u32>(&bytes).unwrap(), u32::MAX);
    }
}
