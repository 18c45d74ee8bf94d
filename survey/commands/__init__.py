"""What each `survey` command prints and its exit code: the command line's side of the jobs in
survey.jobs (and of the tools that are no pipeline job: serving, scanning, speaking, translating,
the fieldwork dashboard). Only the command line imports these: the package has no public API
(use survey.jobs and the stages' packages from Python)."""

__all__: list[str] = []
