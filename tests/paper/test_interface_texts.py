"""The catalogue of form words: complete in every form language, placeholders intact."""

import re

import pytest

from survey.interface_texts import (
    interface_keys,
    interface_text,
    untranslated_interface_texts,
)

FORM_LANGUAGES = ("de", "en", "ru", "uk", "ar", "fa", "vi")


@pytest.mark.parametrize("language", FORM_LANGUAGES)
def test_every_text_is_translated_into_every_form_language(language):
    assert untranslated_interface_texts(language) == []


@pytest.mark.parametrize("key", interface_keys())
def test_translations_keep_the_placeholders_of_the_english_text(key):
    wanted = set(re.findall(r"\{(\w+)\}", interface_text(key, "en")))
    for language in FORM_LANGUAGES:
        text = interface_text(key, language)
        assert set(re.findall(r"\{(\w+)\}", text)) == wanted, (key, language)


def test_placeholders_are_filled_in():
    assert interface_text("page_x_of_y", "de", page=2, pages=12) == "Seite 2 von 12"
    assert interface_text("page_x_of_y", "ar", page=2, pages=12) == "الصفحة 2 من 12"


def test_a_language_without_texts_reads_english_and_says_so():
    assert interface_text("tick_one", "tr") == interface_text("tick_one", "en")
    assert untranslated_interface_texts("tr") == interface_keys()


def test_a_regional_variant_reads_its_language():
    assert interface_text("tick_one", "fa-AF") == interface_text("tick_one", "fa")
    assert untranslated_interface_texts("fa-AF") == []


def test_an_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        interface_text("no_such_text", "de")
