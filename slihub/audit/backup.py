"""Back up the hub's database to one file and restore it: `slihub backup FILE`, `slihub restore FILE --yes`.

SQLite: SQLite's online backup API, page by page from a consistent snapshot, so a backup taken while the
hub serves requests is whole (the copy is turned out of WAL mode, so it is one self-contained file).
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner` in one transaction,
with the connection details of settings.DATABASES. A file made on one engine is refused by the other.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
#: tables that `migrate` fills by itself: an otherwise empty database holds them
BOOKKEEPING = {ContentType, Permission}
#: how many tables a message names (the largest first)
SHOWN = 12


class BackupError(Exception):
    """Something the person running the command can act on; the message says what."""


@dataclass
class Holding:
    """What a database holds: (plain name, rows) for each table with rows, most rows first."""

    counts: list[tuple[str, int]]

    @property
    def empty(self) -> bool:
        return not self.counts

    def __str__(self):
        if self.empty:
            return "nothing"
        shown = ", ".join(f"{rows:,} {name}" for name, rows in self.counts[:SHOWN])
        rest = len(self.counts) - SHOWN
        return f"{shown} and rows in {rest} other table{'s' if rest > 1 else ''}" if rest > 0 else shown


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {vendor}.")
    return vendor


def holding(alias: str = "default") -> Holding:
    """Row counts of every model's table that exists in the database (bookkeeping tables left out)."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    counts = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if model in BOOKKEEPING or table not in tables or not model._meta.managed:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            rows = cursor.fetchone()[0]
            if rows:
                counts.append(
                    (str(model._meta.verbose_name_plural if rows != 1 else model._meta.verbose_name), rows)
                )
    counts.sort(key=lambda pair: (-pair[1], pair[0]))
    return Holding(counts)


def kind_of_file(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is not a backup made by `slihub backup` (neither SQLite nor pg_dump's format)."
    )


# --- SQLite ---------------------------------------------------------------------------------------------


def _sqlite_backup(alias: str, path: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)  # a consistent snapshot, even while others write
        target.execute("PRAGMA journal_mode=DELETE")  # one file, not a database and its write-ahead log
        target.commit()
    finally:
        target.close()
    partial.replace(path)


def _sqlite_check(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = source.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        source.close()
    if result != "ok":
        raise BackupError(f"{path} is damaged ({result}); nothing was restored.")
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is a SQLite database but not a backup of the hub; nothing was restored.")


def _sqlite_restore(alias: str, path: Path) -> None:
    _sqlite_check(path)
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if connection.is_in_memory_db():
        connection.ensure_connection()
        target = connection.connection
    else:
        target = sqlite3.connect(name, timeout=30)
    try:
        source.backup(target)  # replaces every page of the target, in one step
    finally:
        source.close()
        if target is not getattr(connection, "connection", None):
            target.close()


# --- PostgreSQL -----------------------------------------------------------------------------------------


def _pg_environment(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("passfile", "PGPASSFILE"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client tools, of the same major version as the "
            "server or newer (on Debian or Ubuntu: apt-get install postgresql-client)."
        )
    return found


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if match is None:
        raise BackupError(f"Could not read a version number from {version_text!r}.")
    return int(match[1])


def _check_versions(alias: str, tool: str) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    server = connection.pg_version // 10000  # 160004 -> 16
    client = _major(subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout)
    if client < server:
        raise BackupError(
            f"{Path(tool).name} is version {client} but the database server is PostgreSQL {server}: install "
            f"the PostgreSQL {server} client tools (or newer) and put them first on the PATH."
        )


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed: {detail}")


def _pg_backup(alias: str, path: Path) -> None:
    tool = _tool("pg_dump")
    _check_versions(alias, tool)
    settings_dict = connections[alias].settings_dict
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    command = [
        tool,
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={partial}",
        settings_dict["NAME"],
    ]
    _run(command, _pg_environment(settings_dict), "pg_dump")
    partial.replace(path)


def _pg_restore(alias: str, path: Path) -> None:
    tool = _tool("pg_restore")
    _check_versions(alias, tool)
    connection = connections[alias]
    settings_dict = connection.settings_dict
    env = _pg_environment(settings_dict)
    listing = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True, env=env)
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore: {listing.stderr.strip()}")
    connection.close()
    command = [
        tool,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",  # all or nothing: a failed restore leaves the database as it was
        "--exit-on-error",
        f"--dbname={settings_dict['NAME']}",
        str(path),
    ]
    _run(command, env, "pg_restore")


# --- the two operations ---------------------------------------------------------------------------------


def backup(path: str | Path, *, alias: str = "default") -> Path:
    """Write a backup of the database to `path` (replacing a file there only once the backup is whole)."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: name the backup file, like {path / 'slihub.backup'}.")
    if not path.parent.exists():
        raise BackupError(f"The folder {path.parent} does not exist.")
    engine = engine_of(alias)
    (_sqlite_backup if engine == "sqlite" else _pg_backup)(alias, path)
    return path


def restore(path: str | Path, *, alias: str = "default") -> None:
    """Replace everything in the database with the backup at `path`."""
    path = Path(path)
    engine = engine_of(alias)
    made_by = kind_of_file(path)
    if made_by != engine:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{path} is a backup of a {names[made_by]} database and this hub uses {names[engine]}: "
            "restore it into a hub that uses the same database."
        )
    (_sqlite_restore if engine == "sqlite" else _pg_restore)(alias, path)


def migration_state(alias: str = "default") -> str:
    """What the restored database needs before the hub uses it, in a sentence ("" when nothing)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    applied = set(executor.loader.applied_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in applied - set(executor.loader.disk_migrations))
    if unknown:
        return (
            f"The backup was made by a newer version of the hub (it has migrations this version lacks: "
            f"{', '.join(unknown[:5])}): run it with that version."
        )
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "The backup was made by an older version of the hub: run `slihub migrate` next."
    return ""
