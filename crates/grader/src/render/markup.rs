//! Text for HTML, SVG and XML: markup characters as entities, characters XML cannot carry as
//! U+FFFD.
//!
//! The escaper itself is still in `text.rs` (being rewritten beside it for the message
//! catalogue); it moves here once that work is merged.

pub(crate) use crate::text::xml_escape;
