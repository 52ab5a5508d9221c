//! `--lang`: taken out of the command line wherever it stands, before any subcommand parses it.

use std::ffi::OsString;

use i18n::{Lang, tr};

/// Takes `--lang L` (or `--lang=L`) out of `args` wherever it stands before `--`, so every
/// subcommand speaks the language; sets this process's language (the locale's without it).
pub(crate) fn take_lang(args: &mut Vec<OsString>) -> Result<(), String> {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let mut chosen = None;
    let mut i = 1;
    while i < end.min(args.len()) {
        let arg = args[i].to_string_lossy().into_owned();
        if let Some(value) = arg.strip_prefix("--lang=") {
            chosen = Some(value.to_string());
            args.remove(i);
        } else if arg == "--lang" {
            args.remove(i);
            if i < args.len() && args[i] != "--" {
                chosen = Some(args.remove(i).to_string_lossy().into_owned());
            } else {
                chosen = Some(String::new());
            }
        } else {
            i += 1;
        }
    }
    let lang = match chosen {
        None => Lang::from_env(),
        Some(text) => match Lang::parse(&text) {
            Some(lang) => lang,
            None => {
                Lang::set_current(Lang::from_env());
                return Err(tr!(Lang::current(), "grade-bad-lang", value = text));
            }
        },
    };
    Lang::set_current(lang);
    Ok(())
}
