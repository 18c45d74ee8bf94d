"""The staff texts' catalogues: one .po file per part of the toolkit, read as one catalogue per
language, so a text given in two files must mean the same in both."""

from __future__ import annotations

from babel.messages.pofile import read_po

from survey.staff_texts import LOCALE_DIR, staff_languages


def test_a_text_in_two_catalogues_has_one_translation():
    for language in staff_languages():
        seen: dict[object, tuple[str, object]] = {}
        for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as handle:
                for message in read_po(handle, locale=language):
                    if not message.id or not message.string:
                        continue
                    if message.id in seen:
                        first, translation = seen[message.id]
                        assert translation == message.string, (
                            f"{language}: {message.id!r} is {translation!r} in {first} but "
                            f"{message.string!r} in {path.name}; use one translation (or "
                            "another English text where the meaning differs)")
                    else:
                        seen[message.id] = (path.name, message.string)
