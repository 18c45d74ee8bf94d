"""The plausibility score that tells cp1252, cp1251 and KOI8-R text apart."""

import pytest

from survey.ingest.readers import read_table
from survey.ingest.readers.encoding import score

WORDS = "Женский Мужской Лейпциг Дрезден Да Нет не знаю Грюнау"


@pytest.mark.parametrize("written, read", [("cp1251", "koi8-r"), ("koi8-r", "cp1251")])
def test_the_wrong_cyrillic_code_page_gives_implausible_words(written, read):
    right = score(WORDS, cyrillic=True)
    wrong = score(WORDS.encode(written).decode(read), cyrillic=True)
    assert right.plausible == 1.0
    # Title-case words come out as "фЕМЯЙХИ": lower then upper case.
    assert wrong.plausible < 0.5
    assert right.likelihood > wrong.likelihood


def test_all_lowercase_words_are_told_apart_by_letter_frequencies():
    text = "ответ да нет не знаю"
    wrong = text.encode("cp1251").decode("koi8-r")
    assert wrong == "НРБЕР ДЮ МЕР МЕ ГМЮЧ"
    assert score(wrong, cyrillic=True).plausible == 1.0  # UPPER CASE words are plausible
    assert score(text, cyrillic=True).likelihood - score(wrong, cyrillic=True).likelihood > 3


def test_russian_read_as_cp1252_is_not_german():
    assert score("Женский Лейпциг".encode("cp1251").decode("cp1252"), cyrillic=False).plausible \
        == 0.0
    german = score("Größe männlich Straße Ärztin „Zitat“ 5 €", cyrillic=False)
    assert german.plausible == 1.0


def test_german_read_as_cyrillic_mixes_scripts():
    assert score("Größe männlich".encode("cp1252").decode("cp1251"), cyrillic=True).plausible \
        == 0.0


@pytest.mark.parametrize("text, encoding", [("Miete;Einheit\n500;€\n", "cp1252"),
                                            ("Номер;Дом\n№ 5;да\n", "cp1251")])
def test_punctuation_counts_as_evidence(tmp_path, text, encoding):
    path = tmp_path / "p.csv"
    path.write_bytes(text.encode(encoding))
    assert read_table(path).encoding == encoding
