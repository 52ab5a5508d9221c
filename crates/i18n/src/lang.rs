//! Which language a person reads: chosen once per process.

use std::sync::OnceLock;

/// A language of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English, the default outside a Chinese locale.
    #[default]
    En,
    /// Simplified Chinese (`zh-CN`).
    Zh,
}

static CURRENT: OnceLock<Lang> = OnceLock::new();

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The folder name under `locales/` and the BCP 47 tag: `en` or `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Parses what a person types after `--lang`: `en`, `zh`, `zh-CN`, `zh_CN.UTF-8`, any case.
    /// `None` for anything else.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let base = lower.split(['-', '_', '.', '@']).next().unwrap_or("");
        match base {
            "en" | "c" | "posix" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language the locale asks for, as `gettext` reads it: the first non-empty of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG`; Chinese when it starts with `zh`, English otherwise.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .and_then(|value| Lang::parse(&value))
            .unwrap_or_default()
    }

    /// Sets this process's language; the first call wins (returns `false` if one was set).
    pub fn set_current(lang: Lang) -> bool {
        CURRENT.set(lang).is_ok()
    }

    /// This process's language: the one set with [`Lang::set_current`], else [`Lang::from_env`].
    pub fn current() -> Lang {
        *CURRENT.get_or_init(Lang::from_env)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn parses_locale_names() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-TW"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr_FR"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
