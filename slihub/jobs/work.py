"""What each kind of job does. Each is idempotent, returns a sentence saying what it did, and raises
JobFailed with the reason in plain words when it cannot do it.

The data check and the web import run the same commands as the command line (`slihub
load-public-data`, `slihub import-indicators`), so that a job and a person at a terminal do exactly the
same thing: unchanged files are skipped by their SHA-256, a bad file is refused whole with its line, and
early-warning scores are recomputed when the data they read changed.
"""

import shutil
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

from slihub.jobs import reminders
from slihub.jobs.models import Job
from slihub.jobs.progress import Reporter
from slihub.warning import services as warning


class JobFailed(Exception):
    """The job could not do its work; the message says why, for the person reading the job page."""


def monthly_scores(job: Job, report: Reporter) -> str:
    """The month's early-warning scores, stored beside the earlier months' (which stay as they are)."""
    month = date.fromisoformat(job.parameters["month"])
    report(f"Training the models on the inspections published before {month:%-d %B %Y}", 0, 1)
    count = warning.store_month_scores(month=month)
    report(f"Stored {count:,} risk scores for {month:%B %Y}", 1, 2)
    if not count:
        return (
            f"No scores for {month:%B %Y}: too few inspections are loaded to train the model "
            "(load the public data first)."
        )
    # The month's new inspections join the backtest, so its page stays current without anyone running it.
    warning.compute_backtest(progress=lambda line: report(line, 2, 2))
    return (
        f"Stored {count:,} risk scores for {month:%B %Y}, one per authority and target, and a new backtest."
    )


def data_check(job: Job, report: Reporter) -> str:
    """Load whatever changed in the data folder: the same path as `slihub load-public-data`."""
    folder = settings.DATA_DIR
    if not folder:
        report("No data folder is set")
        return "No data folder is set (SLIHUB_DATA_DIR), so there was nothing to check."
    if not Path(folder).is_dir():
        raise JobFailed(f"The data folder {folder} does not exist. Nothing was changed.")
    report(f"Checking {folder} for new or changed files")
    try:
        call_command(
            "load-public-data",
            data_dir=folder,
            only=job.parameters.get("only"),  # some datasets only (default: all of them)
            stdout=report,
            no_color=True,
        )
    except CommandError as error:
        raise JobFailed(str(error)) from None
    report.flush()
    last = report.snapshot.log[-1] if report.snapshot.log else ""
    if last.startswith("Loaded: "):
        return f"New or changed files: {last.removeprefix('Loaded: ')}"
    return "No new or changed data files: nothing was loaded."


def indicator_import(job: Job, report: Reporter) -> str:
    """One DfE tidy file uploaded on the web, with its mapping: `slihub import-indicators`."""
    path, mapping, filename = (job.parameters[k] for k in ("path", "mapping", "filename"))
    if not Path(path).is_file():
        raise JobFailed(f"The uploaded file {filename} is no longer on the server: upload it again.")
    # People see the file's own name, not where or under what name the server saved it.
    report.renames = {path: filename, Path(path).name: filename}
    report(f"Reading {filename} with the {mapping} mapping")
    try:
        call_command("import-indicators", path, mapping=mapping, stdout=report, no_color=True)
    except CommandError as error:
        message = str(error)
        for old, new in report.renames.items():
            message = message.replace(old, new)
        raise JobFailed(message) from None
    finally:
        shutil.rmtree(Path(path).parent, ignore_errors=True)
    report.flush()
    log = report.snapshot.log
    if any(line.startswith("Already loaded") for line in log):
        return f"{filename} was already loaded with the {mapping} mapping: nothing changed."
    warnings = sum(line.startswith("Warning:") for line in log)
    rescored = any("Early-warning risk scores" in line for line in log)
    return (
        f"Loaded {filename} with the {mapping} mapping."
        + (
            f" {warnings} warning{'s' if warnings != 1 else ''}: see what the job reported."
            if warnings
            else ""
        )
        + (" Early-warning risk scores were recomputed." if rescored else "")
    )


def send_reminders(job: Job, report: Reporter) -> str:
    return reminders.send_due(job=job, report=report)


WORK = {
    Job.Kind.MONTHLY_SCORES: monthly_scores,
    Job.Kind.DATA_CHECK: data_check,
    Job.Kind.INDICATOR_IMPORT: indicator_import,
    Job.Kind.REMINDERS: send_reminders,
}
