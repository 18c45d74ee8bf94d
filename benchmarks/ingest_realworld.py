"""Real KoboToolbox/ODK/Ona exports against the questionnaires converted from their own forms.

For every form + export pair in ../shared/fixtures/realworld/kobo-exports/pairs.json, converts the
XLSForm with `survey convert --to yaml`, then imports each export as a dry run into a scratch
store, and prints per file: rows, accepted, quarantined, duplicates and refused (rows of a file
refused as a whole), with the reason for a refusal. The last line sums them up. With --data, the
SPSS/Stata files of ../shared/fixtures/realworld/data are added, each read against the
questionnaire drafted from its own dictionary.

    .venv/bin/python benchmarks/ingest_realworld.py [--verbose] [--data] [--pair NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from survey.cli import cli
from survey.ingest.columns import MappingProblem
from survey.ingest.importer import IngestError, ingest_file
from survey.ingest.readers import ReadError, read_table
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validate import load_questionnaire
from survey.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "fixtures" / "realworld"
PAIRS = REALWORLD / "kobo-exports" / "pairs.json"


@dataclass
class Outcome:
    pair: str
    file: str
    rows: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    refused: int = 0
    reason: str = ""


def convert(form: Path, out: Path) -> Questionnaire | str:
    """The questionnaire converted from `form`, or why it could not be converted."""
    result = CliRunner().invoke(cli, ["convert", str(form), "--to", "yaml", "--out", str(out)])
    if result.exit_code != 0 or not out.exists():
        return (result.output.strip().splitlines() or ["conversion failed"])[-1]
    try:
        return load_questionnaire(out)
    except Exception as error:  # any failure is a figure to report
        return f"converted questionnaire does not load: {error}"


def count_rows(path: Path) -> int:
    try:
        return sum(1 for _ in read_table(path).rows)
    except ReadError:
        return 0


def ingest_pair(pair: dict, work: Path, verbose: bool = False) -> list[Outcome]:
    form = REALWORLD / pair["form"]
    questionnaire = convert(form, work / f"{pair['pair']}.yaml")
    outcomes = []
    store = Store.open(f"sqlite:///{work / (pair['pair'] + '.sqlite')}")
    try:
        for data in pair["data"]:
            path = REALWORLD / data
            outcome = Outcome(pair["pair"], path.name)
            if isinstance(questionnaire, str):
                outcome.rows = outcome.refused = count_rows(path)
                outcome.reason = f"form not converted: {questionnaire}"
            else:
                try:
                    result = ingest_file(store, questionnaire, path, dry_run=True)
                except (IngestError, ReadError, MappingProblem) as error:
                    outcome.rows = outcome.refused = count_rows(path)
                    outcome.reason = str(error)
                else:
                    outcome.rows, outcome.accepted = result.rows_in, result.accepted
                    outcome.quarantined, outcome.duplicates = (result.quarantined,
                                                               result.duplicates)
                    if verbose:
                        for line in result.lines:
                            print(f"    {path.name}:{line.row} {line.column} {line.value!r} "
                                  f"[{line.severity}] {line.message}")
            outcomes.append(outcome)
    finally:
        store.close()
    return outcomes


def ingest_data_files(work: Path, verbose: bool = False) -> list[Outcome]:
    """Each SPSS/Stata file of ../shared/fixtures/realworld/data against the questionnaire
    drafted from its own dictionary (`survey convert FILE --to yaml`)."""
    outcomes = []
    for path in sorted((REALWORLD / "data").iterdir()):
        pair = {"pair": f"data_{path.name}", "form": str(path.relative_to(REALWORLD)),
                "data": [str(path.relative_to(REALWORLD))]}
        outcomes += ingest_pair(pair, work, verbose)
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every problem line")
    parser.add_argument("--pair", help="only this pair")
    parser.add_argument("--data", action="store_true",
                        help="also each SPSS/Stata file against its own drafted questionnaire")
    args = parser.parse_args()
    if not PAIRS.exists():
        print(f"no fixtures at {PAIRS}", file=sys.stderr)
        return 1
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))
    total = Outcome("all", "")
    print(f"{'pair':38} {'file':44} {'rows':>5} {'acc':>5} {'quar':>5} {'dup':>4} {'ref':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = [o for pair in pairs if not args.pair or pair["pair"] == args.pair
                    for o in ingest_pair(pair, Path(tmp), args.verbose)]
        if args.data:
            outcomes += ingest_data_files(Path(tmp), args.verbose)
    for o in outcomes:
        print(f"{o.pair:38} {o.file:44} {o.rows:5} {o.accepted:5} {o.quarantined:5} "
              f"{o.duplicates:4} {o.refused:5}")
        if o.reason:
            print(f"    refused: {o.reason[:300]}")
        for name in ("rows", "accepted", "quarantined", "duplicates", "refused"):
            setattr(total, name, getattr(total, name) + getattr(o, name))
    print(f"{'total':83} {total.rows:5} {total.accepted:5} {total.quarantined:5} "
          f"{total.duplicates:4} {total.refused:5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
