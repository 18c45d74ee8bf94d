"""DOCTYPE and ENTITY declarations are refused in XLIFF files whatever the file's encoding:
a byte search for `<!DOCTYPE` misses UTF-16 and UTF-32, the XML parser does not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "translations"))

from translation_files import copy_flagship, export

from survey.translations.errors import TranslationError
from survey.translations.xliff_file import read_xliff

BOMB = ('<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
EXTERNAL = '<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
ENCODINGS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16LE",
             "utf-16-be": "UTF-16BE", "utf-32": "UTF-32", "utf-32-be": "UTF-32BE"}
"""Python's codec (utf-16 and utf-32 write a byte order mark) and the declared name."""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("xliff")
    text = export(copy_flagship(folder), "ar", "xliff").read_text("utf-8")
    return text.split("?>", 1)[1].lstrip()  # the document without its XML declaration


def _write(path: Path, document: str, encoding: str, declaration: str) -> Path:
    head = f'<?xml version="1.0" encoding="{ENCODINGS[encoding]}"?>\n'
    path.write_bytes((head + declaration + document).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("declaration", [BOMB, EXTERNAL], ids=["entity bomb", "external entity"])
def test_declarations_are_refused_in_every_encoding(tmp_path, exported, encoding, declaration):
    path = _write(tmp_path / "ar.xlf", exported.replace("<target>", "<target>&c;", 1)
                  if declaration == BOMB else exported.replace("<target>", "<target>&secret;", 1),
                  encoding, declaration)
    with pytest.raises(TranslationError) as refused:
        read_xliff(path)
    if encoding in ("utf-8", "utf-16"):  # the encodings the reader reads: named as the reason
        assert "refused: XLIFF files have no DOCTYPE" in str(refused.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_the_same_file_without_declarations_is_read(tmp_path, exported, encoding):
    path = _write(tmp_path / "ar.xlf", exported, encoding, "")
    assert read_xliff(path).entries


def test_a_legacy_encoding_nobody_knows_is_a_message_not_a_crash(tmp_path, exported):
    path = tmp_path / "ar.xlf"
    path.write_bytes(b'<?xml version="1.0" encoding="x-made-up"?>\n' + exported.encode())
    with pytest.raises(TranslationError, match="encoding cannot be read"):
        read_xliff(path)
