"""What `survey analyse` prints, and its exit codes. A failure the user can fix is raised as a
UserError, which the command line prints as one message."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from survey.project import Project, ProjectError
from survey.stats.plan import load_plan, read_questionnaire_id
from survey.stats.run_plan import run_plan, write_outputs
from survey.stats.run_record import returns_table, store_fingerprint, write_run_record
from survey.stats.waves import write_changes
from survey.store.dataset import load_dataset


def run_analysis(project_dir: Path, plan_file: Path, out_dir: Path, db_url: str | None) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    project = Project(project_dir)
    questionnaire = project.questionnaire(read_questionnaire_id(plan_file))
    plan = load_plan(plan_file, questionnaire)
    store = project.store(db_url)
    dataset = load_dataset(store, questionnaire)
    store_state = store_fingerprint(store, questionnaire.id)
    returns = returns_table(store, questionnaire.id, plan.disclosure.rules.min_cell)
    store.close()
    if dataset.values.empty:
        raise ProjectError(f"the store of {project_dir} holds no accepted responses to "
                           f"'{questionnaire.id}'; import returns first (survey ingest)")
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("analysing", total=None)

        def advance(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)
        result = run_plan(plan, dataset, advance)
    written = write_outputs(result, out_dir)
    written += write_run_record(result, store_state, returns, out_dir)
    written += write_changes(plan, out_dir)
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"analysed {len(dataset.values)} accepted responses with {plan_file}")
    for path in written:
        out.print(f"  wrote {path}")
    return 0
