"""Load+validate time of the flagship questionnaire and of a generated 2,000-question one.

Prints seconds (best of several runs), questions per second and peak memory, and the ratio to a
named baseline measured in the same process: parsing the same file with PyYAML's C loader
(`yaml.load(..., CSafeLoader)`), which builds the data but checks nothing.
Target (issue 2): under 1 s for the 2,000-question file in 7 languages.

    .venv/bin/python benchmarks/load_questionnaire.py [--questions 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

from survey.questionnaire import validate_file

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("de", "en", "ru", "uk", "ar", "fa", "vi")
WORDS = {
    "de": "Wie zufrieden sind Sie mit", "en": "How satisfied are you with",
    "ru": "Насколько вы довольны", "uk": "Наскільки ви задоволені",
    "ar": "ما مدى رضاك عن", "fa": "چقدر راضی هستید از", "vi": "Bạn hài lòng thế nào với",
}


def _text(indent: str, what: str) -> str:
    return "".join(f"\n{indent}  {lang}: \"{WORDS[lang]} {what}?\"" for lang in LANGUAGES)


def generate(questions: int) -> str:
    """A questionnaire with `questions` questions of mixed types and skip logic."""
    lines = [
        "survey:", "  id: generated", "  version: '1'",
        "  title:" + _text("  ", "title"), "  organisation:" + _text("  ", "organisation"),
        f"  languages: [{', '.join(LANGUAGES)}]", "  default_language: de",
        "missing_values:", "  - name: dont_know", "    code: -1",
        "    label:" + _text("    ", "dont know"),
        "choice_lists:", "  agree:",
    ]
    for code in range(1, 6):
        lines += [f"    - name: p{code}", f"      code: {code}",
                  "      label:" + _text("      ", f"point {code}")]
    lines.append("sections:")
    per_section = 50
    for number in range(questions):
        if number % per_section == 0:
            lines += [f"  - id: s{number // per_section}",
                      "    title:" + _text("    ", f"section {number // per_section}"),
                      "    questions:"]
        qid = f"q{number}"
        kind = number % 5
        lines += [f"      - id: {qid}", "        label:" + _text("        ", f"topic {number}")]
        if kind == 0:
            lines += ["        type: single_choice", "        choices: agree",
                      "        missing: [dont_know]"]
        elif kind == 1:
            lines += ["        type: integer", "        min: 0", "        max: 120",
                      f"        relevant: ${{q{number - 1}}} = 'p4' or ${{q{number - 1}}} = 'p5'"]
        elif kind == 2:
            lines += ["        type: multiple_choice", "        choices:"]
            for code in range(1, 5):
                lines += [f"          - name: o{code}", f"            code: {code}",
                          "            label:" + _text("            ", f"option {code}")]
            lines.append(f"        relevant: ${{q{number - 1}}} > 17")
        elif kind == 3:
            lines += ["        type: grid", "        scale: agree", "        items:"]
            for item in range(1, 4):
                lines += [f"          - id: r{item}",
                          "            label:" + _text("            ", f"row {item}")]
            lines.append(f"        relevant: not(selected(${{q{number - 1}}}, 'o4'))")
        else:
            lines += ["        type: text", "        max_length: 200",
                      f"        relevant: ${{q{number - 1}__r1}} >= 3"]
    return "\n".join(lines) + "\n"


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


def measure(name: str, path: Path, repeat: int) -> None:
    result = validate_file(path)
    assert not result.errors, result.errors[:3]
    assert result.questionnaire is not None
    count = len(result.questionnaire.questions)
    ours = best_of(repeat, lambda: validate_file(path))
    baseline = best_of(repeat, lambda: yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader))
    memory = peak_memory(lambda: validate_file(path))
    size = path.stat().st_size / 1024 / 1024
    print(f"{name}: {count} questions, {len(result.questionnaire.variables)} variables, "
          f"{size:.2f} MB")
    print(f"  load+validate      {ours:8.3f} s   {count / ours:10.0f} questions/s   "
          f"peak {memory:.1f} MB")
    print(f"  baseline yaml.load {baseline:8.3f} s   (PyYAML CSafeLoader, no checks)")
    print(f"  ratio              {ours / baseline:8.2f} x baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    flagship = ROOT / "questionnaires" / "zusammen.yaml"
    if flagship.exists():
        measure("flagship zusammen.yaml", flagship, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(generate(args.questions), encoding="utf-8")
        measure(f"generated, {len(LANGUAGES)} languages", path, args.repeat)


if __name__ == "__main__":
    main()
