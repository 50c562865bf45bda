"""The real queue: a job asked for goes onto the queue (SQLite file, or Redis) and a running consumer picks
it up and finishes it. Once with Huey's consumer in threads of this process, on each queue backend, and
once with `slihub worker` itself, in its own process on its own database."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from slihub.evidence.models import LocalPractice, PeerValidation
from slihub.jobs import services
from slihub.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)

SLIHUB = Path(sys.executable).with_name("slihub")
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - no Redis here: those tests are skipped
        return False


@contextmanager
def consumer_on(storage):
    """HUEY on `storage`, with a consumer (one worker thread, no schedule) running in this process."""
    was = HUEY._immediate, HUEY.storage
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    HUEY._immediate, HUEY.storage = False, storage
    consumer = HUEY.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        max_delay=0.2,
        check_worker_health=False,
    )
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for s, handler in handlers.items():
            signal.signal(s, handler)
        storage.flush_all()
        HUEY._immediate, HUEY.storage = was


def wait_for(job: Job, seconds: float = 30) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.active:
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job.pk} still {job.status} after {seconds} s")


@pytest.fixture
def waiting(places, people):
    leeds = people["leeds_admin"]
    leeds.email = "leeds.admin@example.org"
    leeds.save()
    practice = LocalPractice.objects.create(
        authority=places.camden,
        title="Family group conferences at the front door",
        summary="s",
        evidence="e",
        status=LocalPractice.Status.IN_REVIEW,
    )
    return PeerValidation.objects.create(
        local_practice=practice,
        validator=leeds,
        validator_authority=places.leeds,
        assigned_at=timezone.now() - timedelta(days=20),
    )


def a_job_asked_for_is_run_by_the_worker(storage, national_admin):
    with consumer_on(storage):
        job = services.request_job(kind=Job.Kind.REMINDERS, key="reminders", started_by=national_admin)
        assert job.status == Job.Status.QUEUED
        job = wait_for(job)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == "Sent 1 reminder (Peer validations waiting for a decision: 1)."
    assert [m.to for m in mail.outbox] == [["leeds.admin@example.org"]]


def test_a_job_asked_for_is_run_by_a_worker_on_the_sqlite_queue(tmp_path, waiting, national_admin):
    storage = SqliteStorage(name=f"test-{uuid.uuid4().hex}", filename=str(tmp_path / "jobs.sqlite3"))
    a_job_asked_for_is_run_by_the_worker(storage, national_admin)


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers at REDIS_URL or 127.0.0.1:6379")
def test_a_job_asked_for_is_run_by_a_worker_on_the_redis_queue(waiting, national_admin):
    # A queue name of its own, so that runs (and a developer's worker) never take each other's tasks.
    storage = RedisStorage(name=f"slihub-test-{uuid.uuid4().hex}", url=REDIS_URL)
    a_job_asked_for_is_run_by_the_worker(storage, national_admin)


def test_settings_choose_redis_when_redis_url_is_set_and_sqlite_otherwise(tmp_path):
    code = "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__, type(HUEY.storage).__name__)"
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base |= {"SLIHUB_VAR_DIR": str(tmp_path / "var")}
    plain = subprocess.run(
        [str(SLIHUB), "shell", "-c", code], env=base, capture_output=True, text=True, timeout=60, check=True
    )
    assert plain.stdout.split()[-2:] == ["SqliteHuey", "SqliteStorage"]
    assert (tmp_path / "var" / "jobs.sqlite3").exists()
    redis = subprocess.run(
        [str(SLIHUB), "shell", "-c", code],
        env=base | {"REDIS_URL": "redis://127.0.0.1:6379/15"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert redis.stdout.split()[-2:] == ["RedisHuey", "RedisStorage"]


def test_slihub_worker_runs_a_queued_job_and_stops_on_ctrl_c(tmp_path):
    """The command itself, as `make run` starts it: its own var folder, so its own database and queue."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"SLIHUB_VAR_DIR": str(tmp_path / "var"), "SLIHUB_DATA_DIR": ""}

    def slihub(*args):
        return subprocess.run(
            [str(SLIHUB), *args], env=env, capture_output=True, text=True, timeout=120, check=True
        )

    slihub("migrate", "--noinput")
    slihub(
        "shell",
        "-c",
        "from slihub.jobs import services; "
        "print(services.request_job(kind='data_check', key='data_check').pk)",
    )
    database = tmp_path / "var" / "slihub.sqlite3"

    def status():
        with sqlite3.connect(database) as db:
            return db.execute("SELECT status, result, error FROM jobs_job").fetchone()

    assert status()[0] == "queued"
    worker = subprocess.Popen(
        [str(SLIHUB), "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while status()[0] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status() == (
            "succeeded",
            "No data folder is set (SLIHUB_DATA_DIR), so there was nothing to check.",
            "",
        )
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Jobs worker: queue 'slihub' in " in output
