"""Random and mutated YAML never makes the loader or validator raise: only diagnostics."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import QUESTIONNAIRES

from survey.questionnaire import validate_file
from survey.questionnaire.yaml_source import load_yaml_text

SOURCE = (QUESTIONNAIRES / "examples" / "all-types.yaml").read_text(encoding="utf-8")
LINES = SOURCE.splitlines(keepends=True)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(path: Path) -> None:
    result = validate_file(path)
    for diagnostic in result.diagnostics:
        assert diagnostic.mark.line >= 1 and diagnostic.mark.column >= 1
        assert diagnostic.message
    assert (result.questionnaire is None) == bool(result.errors)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.yaml"
    path.write_bytes(data)
    check(path)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ,?%@`0$")), max_size=200))
def test_random_yaml_punctuation(tmp_path: Path, text: str) -> None:
    path = tmp_path / "punctuation.yaml"
    path.write_text(text, encoding="utf-8")
    check(path)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "char"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "indent":
            lines[index] = "  " + lines[index]
        else:
            line = lines[index]
            position = draw(st.integers(0, max(len(line) - 1, 0)))
            lines[index] = line[:position] + draw(st.sampled_from(
                list(":-'\"{}[]$#x1 ."))) + line[position + 1:]
        if not lines:
            break
    return "".join(lines)


@SETTINGS
@given(mutated())
def test_mutated_questionnaire(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    check(path)


def test_yaml_12_scalars_keep_words_as_text() -> None:
    data = load_yaml_text("a: no\nb: yes\nc: on\nd: true\ne: 1.5\nf: 007\ng: ~\nh: '1'\n").data
    assert data == {"a": "no", "b": "yes", "c": "on", "d": True, "e": 1.5, "f": 7, "g": None,
                    "h": "1"}


def test_positions_point_at_keys_and_values() -> None:
    source = load_yaml_text("survey:\n  id: x\n  languages: [de, en]\n").source
    assert (source.key(("survey", "id")).line, source.key(("survey", "id")).column) == (2, 3)
    assert (source.value(("survey", "languages", 1)).line,
            source.value(("survey", "languages", 1)).column) == (3, 19)
