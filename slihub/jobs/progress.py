"""A running job's progress, as it happens.

An import holds one database transaction from start to end (a bad file changes nothing), and on SQLite
no other connection may write meanwhile, so a job cannot keep its own row up to date while it works.
Its progress goes instead to the task queue's own store (Huey's key-value storage: the queue's SQLite
file, or Redis), which the web pages read while the job runs; the row gets the final figures at the end.
"""

import re
import time
from dataclasses import dataclass, field

from django.db import connection
from huey.contrib.djhuey import HUEY

LOG_LINES = 400  # a job's log keeps its last lines
_COUNT = re.compile(r"(\d[\d,]*) of (\d[\d,]*)")
_INTERVAL = 0.5  # seconds between writes of progress while a job runs


def _key(job_id: int) -> str:
    return f"slihub.job-progress.{job_id}"


@dataclass
class Snapshot:
    done: int | None = None
    total: int | None = None
    message: str = ""
    log: list[str] = field(default_factory=list)


def peek(job_id: int) -> Snapshot | None:
    """The progress a running job last reported, or None."""
    try:
        data = HUEY.get(_key(job_id), peek=True)
    except Exception:  # noqa: BLE001 - a queue store that does not answer only hides live progress
        return None
    return Snapshot(**data) if isinstance(data, dict) else None


def clear(job_id: int) -> None:
    try:
        HUEY.get(_key(job_id))  # get without peek removes it
    except Exception:  # noqa: BLE001
        pass


class Reporter:
    """Given to a job's work: call it with a message (and done/total), or give it as `stdout` to a
    management command, whose lines it reads ("12,000 of 40,000" sets done and total)."""

    def __init__(self, job, *, renames: dict[str, str] | None = None):
        self.job = job
        self.snapshot = Snapshot()
        self.renames = renames or {}  # text to show otherwise: a file's place on the server, say
        self._partial = ""
        self._written = 0.0

    def __call__(self, message: str, done: int | None = None, total: int | None = None) -> None:
        message = message.strip()
        if not message:
            return
        for old, new in self.renames.items():
            message = message.replace(old, new)
        self.snapshot.log = [*self.snapshot.log, message][-LOG_LINES:]
        count = _COUNT.search(message)
        if done is None and count:
            done, total = (int(g.replace(",", "")) for g in count.groups())
        if done is not None:
            self.snapshot.done, self.snapshot.total = done, total
        self.snapshot.message = message[:500]
        self._publish()

    # The file-like side, for call_command(stdout=reporter).
    def write(self, text: str) -> None:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self(line)

    def flush(self) -> None:
        """Take any unfinished line, and publish the progress now."""
        if self._partial:
            self(self._partial)
            self._partial = ""
        self._publish(force=True)

    def _publish(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < _INTERVAL:
            return
        self._written = now
        s = self.snapshot
        try:
            live = {"done": s.done, "total": s.total, "message": s.message, "log": s.log[-20:]}
            HUEY.put(_key(self.job.pk), live)
        except Exception:  # noqa: BLE001 - progress is a courtesy; the work goes on without it
            pass
        if not connection.in_atomic_block:  # outside the work's transaction the row can keep up too
            type(self.job).objects.filter(pk=self.job.pk).update(
                progress_done=s.done, progress_total=s.total, progress_message=s.message
            )

    def close(self) -> None:
        self.flush()
