"""How much of real XLSForms `survey convert` carries over (figures for the conversion).

Runs over the real-world forms in ../shared/fixtures/realworld/xlsform/ (their origins are in
../shared/fixtures/realworld/SOURCES.md) and prints:

- the forms pyxform itself rejects (left out of the share: they are not XLSForms ODK accepts);
- the forms with no question the format can hold (every question is GPS, media, a repeat, ...);
- of the rest, how many convert to a questionnaire that passes `survey validate`, and how many
  left an invalid file behind (must be none);
- questions, choices, conditions, constraints, calculations and languages kept, against the
  source forms: counted per source question, found in the result by its original name.

    .venv/bin/python benchmarks/convert_realworld.py [--forms DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survey.convert.files import convert_file
from survey.convert.from_xlsform import read_form
from survey.convert.identifiers import identifier
from survey.convert.report import ConversionReport, ConvertError
from survey.questionnaire import validate_file
from survey.questionnaire.model import Question, Questionnaire

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT.parent / "shared" / "fixtures" / "realworld" / "xlsform"

REPRESENTABLE = {"text", "string", "integer", "int", "decimal", "select one",
                 "select all that apply", "rank", "date", "note", "acknowledge"}
"""XLSForm question types the questionnaire format has a counterpart for. Calculations are
left out of this test: a form of hidden calculations alone has nothing to ask."""
METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
            "username", "email", "audit", "start-geopoint", "background-audio"}


@dataclass
class Tally:
    source: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)


@dataclass
class Outcome:
    name: str
    status: str  # rejected, unrepresentable, valid, failed
    left_invalid: bool = False
    message: str = ""


def _leaves(nodes: list[dict[str, Any]], path: str = "", in_repeat: bool = False
            ) -> list[tuple[str, dict[str, Any], bool]]:
    """Every question of the form with its group path, and whether it sits in a repeat."""
    found = []
    for node in nodes:
        kind = str(node.get("type", ""))
        name = str(node.get("name", ""))
        if kind in ("group", "repeat"):
            if (node.get("control") or {}).get("bodyless"):
                continue
            found += _leaves(node.get("children") or [], f"{path}{name}/",
                             in_repeat or kind == "repeat")
        elif kind not in METADATA and not kind.startswith("uri:"):
            found.append((f"{path}{name}", node, in_repeat))
    return found


def _groups(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for node in nodes:
        if node.get("type") in ("group", "repeat"):
            found.append(node)
            found += _groups(node.get("children") or [])
    return found


def _languages(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("label", "hint", "constraint_message", "jr:constraintMsg") and \
                    isinstance(item, dict):
                found.update(k for k, text in item.items() if str(text).strip())
            else:
                _languages(item, found)
    elif isinstance(value, list):
        for item in value:
            _languages(item, found)
    return found


def _representable(leaves: list[tuple[str, dict[str, Any], bool]]) -> bool:
    return any(not in_repeat and str(node.get("type", "")) in REPRESENTABLE
               for _, node, in_repeat in leaves)


def _index(questionnaire: Questionnaire) -> dict[str, Question]:
    """Converted questions by original name (with and without group path) and by id."""
    index: dict[str, Question] = {}
    for question in questionnaire.questions:
        index.setdefault(question.id, question)
        original = getattr(question, "original", None)
        if original:
            index.setdefault(original, question)
            index.setdefault(original.rsplit("/", 1)[-1], question)
    return index


def _count(form: dict[str, Any], questionnaire: Questionnaire | None, tally: Tally) -> None:
    leaves = _leaves(form.get("children") or [])
    index = _index(questionnaire) if questionnaire else {}
    for path, node, _ in leaves:
        kind = str(node.get("type", ""))
        bind = node.get("bind") or {}
        name = path.rsplit("/", 1)[-1]
        found = index.get(path) or index.get(name) or index.get(identifier(name))
        is_calc = kind == "calculate"
        tally.source["calculations" if is_calc else "questions"] += 1
        if found is not None:
            tally.kept["calculations" if is_calc and found.calculate else "questions"] += (
                1 if (found.calculate or not is_calc) else 0)
        if node.get("choices") and kind in ("select one", "select all that apply", "rank"):
            tally.source["choices"] += len({str(c.get("name")) for c in node["choices"]})
            if found is not None and found.choices is not None:
                tally.kept["choices"] += len(found.choices.choices) + len(found.missing)
        if str(bind.get("relevant") or "").strip():
            tally.source["conditions"] += 1
            tally.kept["conditions"] += found is not None and found.relevant is not None
        if str(bind.get("constraint") or "").strip():
            tally.source["constraints"] += 1
            tally.kept["constraints"] += found is not None and (
                found.constraint is not None or any(
                    getattr(found, key) is not None for key in (
                        "min", "max", "max_length", "min_selected", "max_selected"))
                or (found.choices is not None
                    and any(c.exclusive for c in found.choices.choices)))
    for group in _groups(form.get("children") or []):
        if str((group.get("bind") or {}).get("relevant") or "").strip():
            tally.source["conditions"] += 1
            if questionnaire is None:
                continue
            section = next((s for s in questionnaire.sections
                            if s.id == identifier(str(group["name"]), "s")), None)
            inside = [index.get(p) for p, _, _ in _leaves(group.get("children") or [],
                                                         f"{group['name']}/")]
            inside_found = [q for q in inside if q is not None]
            tally.kept["conditions"] += bool(
                (section is not None and section.relevant is not None)
                or (inside_found and all(q.relevant is not None for q in inside_found)))
    source_languages = _languages(form, set())
    tally.source["languages"] += len(source_languages) or 1
    if questionnaire is not None:
        tally.kept["languages"] += min(len(questionnaire.languages),
                                       len(source_languages) or 1)


def _pyxform_rejects(path: Path) -> str | None:
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=str(path), validate=False)
    except Exception as error:  # pyxform's verdict on a foreign workbook is what we measure
        return str(error).splitlines()[0][:160] if str(error) else type(error).__name__
    return None


def measure(forms: list[Path], verbose: bool) -> tuple[list[Outcome], Tally]:
    outcomes: list[Outcome] = []
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        for form_path in forms:
            rejected = _pyxform_rejects(form_path)
            if rejected is not None:
                outcomes.append(Outcome(form_path.name, "rejected", message=rejected))
                continue
            try:
                form = read_form(form_path)
            except ConvertError as error:
                outcomes.append(Outcome(form_path.name, "rejected", message=str(error)))
                continue
            if not _representable(_leaves(form.get("children") or [])):
                outcomes.append(Outcome(form_path.name, "unrepresentable"))
                continue
            out = Path(folder) / f"{form_path.stem}.yaml"
            out.unlink(missing_ok=True)
            questionnaire = None
            message = ""
            try:
                convert_file(form_path, "yaml", out, "en", ConversionReport())
            except (ConvertError, OSError) as error:
                message = str(error).splitlines()[0][:200]
            except Exception as error:  # a crash is a finding, not the end of the run
                message = f"crash: {type(error).__name__}: {error}"[:200]
            left_invalid = False
            if out.exists():
                questionnaire = validate_file(out).questionnaire
                left_invalid = questionnaire is None
            status = "valid" if questionnaire is not None and not message else "failed"
            outcomes.append(Outcome(form_path.name, status, left_invalid, message))
            _count(form, questionnaire if status == "valid" else None, tally)
            if verbose:
                print(f"  {status:8} {form_path.name} {message}", file=sys.stderr)
    return outcomes, tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=Path, default=FORMS)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    warnings.simplefilter("ignore")  # openpyxl's remarks on the workbooks' styles and extensions
    forms = sorted(p for p in options.forms.iterdir() if p.suffix.lower() in (".xls", ".xlsx"))
    sources = options.forms.parent / "SOURCES.md"
    listed = sources.read_text(encoding="utf-8") if sources.exists() else ""
    unlisted = [p.name for p in forms if f"xlsform/{p.name}" not in listed]
    outcomes, tally = measure(forms, options.verbose)
    by_status = Counter(o.status for o in outcomes)
    eligible = by_status["valid"] + by_status["failed"]
    print(f"forms: {len(forms)} in {options.forms}"
          + (f" ({len(unlisted)} not listed in SOURCES.md)" if unlisted else ""))
    print(f"rejected by pyxform: {by_status['rejected']}")
    for outcome in outcomes:
        if outcome.status == "rejected":
            print(f"  {outcome.name}: {outcome.message}")
    print(f"no question the format can hold: {by_status['unrepresentable']}")
    for outcome in outcomes:
        if outcome.status == "unrepresentable":
            print(f"  {outcome.name}")
    share = 100 * by_status["valid"] / eligible if eligible else 0.0
    print(f"eligible: {eligible}; convert to a questionnaire that validates: "
          f"{by_status['valid']} ({share:.1f} %; goal >= 95 %)")
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"  failed {outcome.name}: {outcome.message}")
    left = [o.name for o in outcomes if o.left_invalid]
    print(f"invalid file left behind: {len(left)}" + (f" ({', '.join(left)})" if left else ""))
    print("kept of the source, over the eligible forms (a failed form keeps nothing):")
    for what in ("questions", "choices", "conditions", "constraints", "calculations",
                 "languages"):
        source, kept = tally.source[what], tally.kept[what]
        percent = f"{100 * kept / source:.1f} %" if source else "-"
        print(f"  {what:13} {kept:5} of {source:5}  ({percent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
