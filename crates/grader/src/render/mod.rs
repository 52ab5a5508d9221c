//! How text reaches its reader, escaped once for where it is shown: `terminal` for a terminal
//! or a text file (control characters as `\x1b`), `markup` for HTML, SVG and XML.

pub(crate) mod markup;
pub(crate) mod terminal;
