"""Writes to the reference data: the one way public files get into the database."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from slihub import sources
from slihub.places import importers, releases
from slihub.places.models import (
    Authority,
    Boundary,
    FormerOnsCode,
    Region,
    SourceFile,
    StatisticalNeighbour,
    Succession,
)
from slihub.places.reorganisations import FORMER_ONS_CODES, REORGANISATIONS
from slihub.places.sync import Changes, sync_rows


class DataFolderError(Exception):
    """The data folder or one of its files is not there."""


@dataclass
class LoadReport:
    changes: dict[str, Changes] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """The folder of public files: the argument, else SLIHUB_DATA_DIR; it must exist."""
    chosen = data_dir or settings.DATA_DIR
    if not chosen:
        raise DataFolderError(
            "No data folder: give --data-dir or set SLIHUB_DATA_DIR to the folder holding these files:\n"
            + sources.missing_files_help()
        )
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise DataFolderError(
            f"The data folder {path} does not exist. It should hold these files:\n"
            + sources.missing_files_help()
        )
    return path


def _require(folder: Path, source: sources.Source) -> Path:
    path = folder / source.filename
    if not path.is_file():
        raise DataFolderError(
            f"{source.filename} is missing from {folder}.\n" + sources.missing_files_help([source])
        )
    return path


def load_reference_data(
    data_dir: str | Path | None = None, *, progress: Callable[[str], None] = lambda _: None
) -> LoadReport:
    """Load authorities, reorganisations, statistical neighbours and boundaries, all or nothing.

    Every file is read and checked before the first write; the writes happen in one
    transaction and change only what differs, so a second load changes nothing.
    """
    folder = resolve_data_dir(data_dir)
    la_file, neighbours_file, boundaries_file = (
        _require(folder, source) for source in sources.REFERENCE_SOURCES
    )

    current = importers.read_authorities(la_file)
    progress(f"Read {la_file.name}: {len(current)} authorities")
    authorities = current + importers.former_authority_records()
    neighbours = importers.read_neighbours(neighbours_file, {a.code for a in authorities})
    progress(f"Read {neighbours_file.name}: {len(neighbours)} neighbour links")
    geometries = importers.read_boundaries(boundaries_file, {a.ons_code for a in current})
    progress(f"Read {boundaries_file.name}: {len(geometries)} boundaries")

    report = LoadReport()
    with transaction.atomic():
        report.changes["regions"] = _sync_regions()
        regions = dict(Region.objects.values_list("code", "id"))
        former = {reorg_code for r in REORGANISATIONS for reorg_code in r.predecessors}
        ended = {code: r.effective for r in REORGANISATIONS for code in r.predecessors}
        report.changes["authorities"] = sync_rows(
            Authority,
            [
                dict(
                    code=a.code,
                    ons_code=a.ons_code,
                    name=a.name,
                    la_type=a.la_type,
                    region_id=regions[a.region_code],
                    sub_region_id=regions.get(a.sub_region_code),
                    ofsted_region=a.ofsted_region,
                    ofsted_urn=a.ofsted_urn,
                    is_current=a.code not in former,
                    ended_on=ended.get(a.code),
                )
                for a in authorities
            ],
            key=("code",),
            delete_missing=False,
        )
        ids = dict(Authority.objects.values_list("code", "id"))
        report.changes["former ONS codes"] = sync_rows(
            FormerOnsCode,
            [
                dict(ons_code=ons_code, authority_id=ids[code], until=until)
                for ons_code, (code, until) in FORMER_ONS_CODES.items()
            ],
            key=("ons_code",),
        )
        report.changes["successions"] = sync_rows(
            Succession,
            [
                dict(predecessor_id=ids[p], successor_id=ids[s], effective=r.effective, note=r.note)
                for r in REORGANISATIONS
                for p in r.predecessors
                for s in r.successors
            ],
            key=("predecessor_id", "successor_id"),
        )
        report.changes["statistical neighbours"] = sync_rows(
            StatisticalNeighbour,
            [
                dict(
                    model=n.model,
                    authority_id=ids[n.code],
                    rank=n.rank,
                    neighbour_id=ids[n.neighbour_code],
                    closeness=n.closeness,
                )
                for n in neighbours
            ],
            key=("model", "authority_id", "rank", "neighbour_id", "closeness"),
        )
        by_ons = {a.ons_code: ids[a.code] for a in current}
        report.changes["boundaries"] = sync_rows(
            Boundary,
            [
                dict(authority_id=by_ons[ons_code], geometry=geometry, source="ONS CTYUA May 2023 BUC")
                for ons_code, geometry in geometries.items()
            ],
            key=("authority_id",),
        )
        report.changes["source files"] = _record_files([la_file, neighbours_file, boundaries_file])
        if report.changed:
            releases.bump(releases.REFERENCE)
    for name, changes in report.changes.items():
        progress(f"{name}: {changes}")
    return report


def _sync_regions() -> Changes:
    changes = sync_rows(
        Region,
        [
            dict(code=code, name=name, slug=slugify(name), parent_id=None)
            for code, name in importers.ENGLISH_REGIONS.items()
        ],
        key=("code",),
        delete_missing=False,
    )
    london = Region.objects.get(code=importers.LONDON)
    parts = sync_rows(
        Region,
        [
            dict(code=code, name=name, slug=slugify(name), parent_id=london.id)
            for code, name in importers.LONDON_PARTS.items()
        ],
        key=("code",),
        delete_missing=False,
    )
    return Changes(changes.created + parts.created, changes.updated + parts.updated)


def _record_files(paths: list[Path]) -> Changes:
    existing = {f.filename: f for f in SourceFile.objects.filter(filename__in=[p.name for p in paths])}
    rows = []
    for path in paths:
        digest = importers.sha256_of(path)
        known = existing.get(path.name)
        unchanged = known is not None and known.sha256 == digest
        rows.append(
            dict(
                filename=path.name,
                sha256=digest,
                rows=known.rows if unchanged else _count_rows(path),
                loaded_at=known.loaded_at if unchanged else timezone.now(),
            )
        )
    return sync_rows(SourceFile, rows, key=("filename",), delete_missing=False)


def _count_rows(path: Path) -> int:
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    with path.open(encoding="utf-8-sig") as handle:
        return max(sum(1 for _ in handle) - 1, 0)
