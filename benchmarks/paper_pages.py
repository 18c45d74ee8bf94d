"""Pages of every flagship paper form: each language, German with each other language
(bilingual), standard and large print. With `--before REV`, the same forms as the toolkit of
git revision REV printed its own flagship (read with `git archive`, the checkout is left as it
is), side by side. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/paper_pages.py [--before REV]
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = Path("questionnaires") / "zusammen.yaml"


def page_counts(root: Path) -> dict[str, int]:
    """Pages per form of the flagship under `root`, made by the `survey` package imported
    (large print only where that toolkit has it)."""
    from survey.paper.produce import make_forms
    from survey.questionnaire import load_questionnaire

    questionnaire = load_questionnaire(root / FLAGSHIP)
    languages = questionnaire.languages
    variants = [(lang,) for lang in languages] + [
        ("de", lang) for lang in languages if lang != "de"]
    kinds = {"": {}}
    if "large_print" in inspect.signature(make_forms).parameters:
        kinds[" large"] = {"large_print": True}
    counts = {}
    with tempfile.TemporaryDirectory() as folder:
        for suffix, options in kinds.items():
            made = make_forms(questionnaire, variants, Path(folder), **options)
            for variant, form in zip(variants, made, strict=True):
                counts["+".join(variant) + suffix] = form.pages
    return counts


def counts_at(revision: str) -> dict[str, int]:
    """page_counts() run by the toolkit and flagship of `revision`, in a process of its own."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "survey",
                              "questionnaires"], capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        out = subprocess.run([sys.executable, __file__, "--json", folder], capture_output=True,
                             text=True, check=True, cwd=folder,
                             env={"PYTHONPATH": folder, "PATH": "/usr/bin:/bin"}).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="git revision to compare with")
    parser.add_argument("--json", metavar="ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(page_counts(Path(args.json))))
        return
    now = page_counts(ROOT)
    before = counts_at(args.before) if args.before else {}
    print(f"{'form':<14}{'before':>8}{'now':>6}" if before else f"{'form':<14}{'pages':>6}")
    for form, pages in now.items():
        then = before.get(form)
        print(f"{form:<14}{'' if then is None else then:>8}{pages:>6}" if before
              else f"{form:<14}{pages:>6}")
    if before:
        print(f"revision {args.before}: its own flagship, printed by its own toolkit")


if __name__ == "__main__":
    main()
