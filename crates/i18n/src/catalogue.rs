//! The Fluent bundles, one per language, built once from the embedded `.ftl` files.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

use crate::Lang;

/// `(language folder, domain, file text)` for every `locales/<lang>/<domain>.ftl`.
const FILES: &[(&str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// What is wrong with the catalogue's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// `<lang>/<domain>.ftl`.
    pub file: String,
    /// Fluent's own description of each fault.
    pub faults: Vec<String>,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.faults.join("; "))
    }
}

impl std::error::Error for CatalogueError {}

/// The messages of one language.
pub struct Catalogue {
    bundle: FluentBundle<FluentResource>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue").finish_non_exhaustive()
    }
}

impl Catalogue {
    /// Builds `lang`'s catalogue, failing on the first file that does not parse or that
    /// defines a message twice. [`tr()`](crate::tr()) uses a lenient build that keeps what parsed.
    pub fn load(lang: Lang) -> Result<Catalogue, CatalogueError> {
        let (catalogue, mut errors) = build(lang);
        match errors.is_empty() {
            true => Ok(catalogue),
            false => Err(errors.remove(0)),
        }
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (message_id, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let message = self.bundle.get_message(message_id)?;
        let pattern = match attribute {
            Some(name) => message.get_attribute(name)?.value(),
            None => message.value()?,
        };
        let mut faults = Vec::new();
        Some(
            self.bundle
                .format_pattern(pattern, args, &mut faults)
                .into_owned(),
        )
    }
}

fn build(lang: Lang) -> (Catalogue, Vec<CatalogueError>) {
    let tag: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Isolation marks (U+2068/U+2069) around variables show as garbage on terminals and in CSV.
    bundle.set_use_isolating(false);
    let mut errors = Vec::new();
    for (folder, domain, text) in FILES.iter().filter(|(folder, ..)| *folder == lang.tag()) {
        let file = format!("{folder}/{domain}.ftl");
        let resource = match FluentResource::try_new((*text).to_string()) {
            Ok(resource) => resource,
            Err((resource, faults)) => {
                let faults = faults.iter().map(|e| format!("{e:?}")).collect();
                errors.push(CatalogueError {
                    file: file.clone(),
                    faults,
                });
                resource
            }
        };
        if let Err(faults) = bundle.add_resource(resource) {
            let faults = faults.iter().map(|e| e.to_string()).collect();
            errors.push(CatalogueError { file, faults });
        }
    }
    (Catalogue { bundle }, errors)
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static EN: OnceLock<Catalogue> = OnceLock::new();
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    };
    cell.get_or_init(|| build(lang).0)
}

/// The message `id` (or `message.attribute`) in `lang` with `args`; falls back to English, then
/// to the id itself, so a missing translation never hides what happened.
pub fn tr_args(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    catalogue(lang)
        .format(id, args)
        .or_else(|| catalogue(Lang::En).format(id, args))
        .unwrap_or_else(|| id.to_string())
}

/// Every message id of `lang` (attributes as `message.attribute`), each with the names of the
/// variables it uses, sorted: what the completeness test compares across languages. Read once
/// per language, in one pass over the files.
pub fn message_ids(lang: Lang) -> BTreeMap<String, Vec<String>> {
    static EN: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    static ZH: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    };
    cell.get_or_init(|| read_ids(lang)).clone()
}

/// [`message_ids`], read from the files.
fn read_ids(lang: Lang) -> BTreeMap<String, Vec<String>> {
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (_, _, text) in FILES.iter().filter(|(folder, ..)| *folder == lang.tag()) {
        // The message the current line belongs to: a comment ends the message before it (it
        // belongs to the next one).
        let mut current: Option<String> = None;
        for line in text.lines() {
            if line.starts_with('#') {
                current = None;
                continue;
            }
            if line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                current = line
                    .split_once('=')
                    .map(|(head, _)| head.trim())
                    .filter(|name| is_identifier(name))
                    .map(str::to_string);
                if let Some(id) = &current {
                    ids.entry(id.clone()).or_default();
                }
            }
            if let Some(id) = &current {
                let names = ids.entry(id.clone()).or_default();
                names.extend(variables_in(line));
            }
        }
    }
    for names in ids.values_mut() {
        names.sort();
        names.dedup();
    }
    ids
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The `$variables` a line of a message mentions.
fn variables_in(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        names.push(
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect(),
        );
    }
    names
}
