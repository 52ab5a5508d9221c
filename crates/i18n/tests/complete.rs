//! Every message exists in both languages, with the same variables, and every file parses.

use i18n::{Catalogue, Lang, message_ids};

#[test]
fn every_file_parses_in_every_language() {
    for lang in Lang::ALL {
        if let Err(e) = Catalogue::load(lang) {
            panic!("{}: {e}", lang.tag());
        }
    }
}

#[test]
fn every_message_has_both_languages_with_the_same_variables() {
    let en = message_ids(Lang::En);
    let zh = message_ids(Lang::Zh);
    assert!(en.len() > 5, "the English catalogue looks empty: {en:?}");
    let only_en: Vec<_> = en.keys().filter(|id| !zh.contains_key(*id)).collect();
    let only_zh: Vec<_> = zh.keys().filter(|id| !en.contains_key(*id)).collect();
    assert!(only_en.is_empty(), "no Chinese for: {only_en:?}");
    assert!(only_zh.is_empty(), "no English for: {only_zh:?}");
    for (id, variables) in &en {
        assert_eq!(Some(variables), zh.get(id), "variables of '{id}' differ");
    }
}

#[test]
fn chinese_differs_from_english() {
    assert_ne!(i18n::tr(Lang::En, "passed"), i18n::tr(Lang::Zh, "passed"));
    assert_eq!(i18n::tr(Lang::Zh, "passed"), "通过");
}

#[test]
fn an_unknown_id_comes_back_as_itself() {
    assert_eq!(i18n::tr(Lang::Zh, "no-such-message"), "no-such-message");
}
