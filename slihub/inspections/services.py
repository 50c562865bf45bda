"""Writes to the inspection history: the one way Ofsted's judgments get into the database."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from slihub.inspections import files, importers
from slihub.inspections.merge import MergedInspection, MergeFindings, merge
from slihub.inspections.models import GRADED_KINDS, JUDGMENT_FIELDS, Inspection
from slihub.places import releases
from slihub.places.importers import DataFileError
from slihub.places.models import Authority, FormerOnsCode
from slihub.places.services import DataFolderError, _record_files, resolve_data_dir
from slihub.places.sync import Changes, sync_rows
from slihub.sources import missing_files_help


@dataclass
class InspectionLoadReport:
    changes: dict[str, Changes] = field(default_factory=dict)
    findings: MergeFindings = field(default_factory=MergeFindings)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


def authority_codes() -> importers.AuthorityCodes:
    """The codes of the authorities loaded so far (current and former), for the parsers."""
    authorities = list(Authority.objects.values_list("code", "ons_code", "is_current"))
    by_ons = {ons_code: code for code, ons_code, _ in authorities}
    by_ons |= dict(FormerOnsCode.objects.values_list("ons_code", "authority__code"))
    return importers.AuthorityCodes(
        by_ons=by_ons,
        dfe=frozenset(code for code, _, _ in authorities),
        former=frozenset(code for code, _, current in authorities if not current),
    )


def load_inspections(
    data_dir: str | Path | None = None, *, progress: Callable[[str], None] = lambda _: None
) -> InspectionLoadReport:
    """Load every ILACS inspection and visit from Ofsted's two files and Data to Insight's scrape.

    Needs the authorities loaded first (load_reference_data). All three files are read and
    checked before the first write; the writes happen in one transaction and change only what
    differs, so a second load changes nothing and a bad file changes nothing at all.
    """
    folder = resolve_data_dir(data_dir)
    paths = []
    for source in files.INSPECTION_SOURCES:
        path = folder / source.filename
        if not path.is_file():
            raise DataFolderError(
                f"{source.filename} is missing from {folder}.\n" + missing_files_help([source])
            )
        paths.append(path)
    history_file, in_year_file, scrape_file = paths

    codes = authority_codes()
    if not codes.dfe:
        raise DataFolderError("No authorities are loaded: load the reference data before the inspections.")
    history = importers.read_official_history(history_file, codes)
    progress(f"Read {history_file.name}: {len(history)} inspections")
    in_year = importers.read_official_in_year(in_year_file, codes)
    progress(f"Read {in_year_file.name}: {len(in_year)} inspections and visits")
    scrape = importers.read_scrape(scrape_file, codes)
    progress(f"Read {scrape_file.name}: {len(scrape)} inspections")
    merged, findings = merge(history, in_year, scrape)
    for line in findings.lines():
        progress(line)

    report = InspectionLoadReport(findings=findings)
    with transaction.atomic():
        ids = dict(Authority.objects.values_list("code", "id"))
        # What a later release loaded with import-inspections holds stays as that release has it: the
        # shared files are older, and re-loading them (`make run` does) must not undo nor delete it.
        imported = {
            _match_key(i.authority_id, i.start_date, i.kind): i.pk
            for i in Inspection.objects.only("authority_id", "start_date", "kind", "sources")
            if not set(i.sources) <= files.SHARED_FILES
        }
        if imported:
            progress(f"kept as later releases loaded them: {len(imported)} inspections and visits")
        merged = [m for m in merged if _match_key(ids[m.code], m.start_date, m.kind) not in imported]
        report.changes["inspections"] = sync_rows(
            Inspection,
            [
                dict(
                    authority_id=ids[m.code],
                    kind=m.kind,
                    start_date=m.start_date,
                    end_date=m.end_date,
                    published_on=m.published_on,
                    overall_effectiveness=m.judgments[0],
                    impact_of_leaders=m.judgments[1],
                    help_and_protection=m.judgments[2],
                    children_in_care=m.judgments[3],
                    care_leavers=m.judgments[4],
                    visit_theme=m.visit_theme,
                    report_url=m.report_url,
                    sources=list(m.sources),
                )
                for m in merged
            ],
            key=("authority_id", "start_date", "kind"),
            scope=~Q(pk__in=list(imported.values())),
        )
        report.changes["source files"] = _record_files(paths)
        if report.changed:
            releases.bump(releases.INSPECTIONS)
    for name, changes in report.changes.items():
        progress(f"{name}: {changes}")
    return report


def _match_key(authority_id: int, start: date, kind: str) -> tuple:
    """How files are matched to each other: a graded inspection by authority and start date (one file's
    short inspection is another's standard one, as merge.py does), a visit by its kind too."""
    return (authority_id, start, "graded" if kind in GRADED_KINDS else kind)


# --------------------------------------------------------------------------------------------------
# A further release of Ofsted's statistics, loaded by a user


@dataclass
class ReleaseImportReport:
    read_history: int = 0  # rows of the inspection history table
    read_in_year: int = 0  # rows of the in-year table
    added: list[Inspection] = field(default_factory=list)
    updated: list[tuple[Inspection, dict]] = field(default_factory=list)  # with its fields as they were
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


# What a release sets on an inspection it holds; end dates and report links come from the scrape alone.
RELEASE_FIELDS = ("kind", "published_on", *JUDGMENT_FIELDS, "visit_theme")


def import_release(
    path: str | Path, *, progress: Callable[[str], None] = lambda _: None
) -> ReleaseImportReport:
    """Load a further release of Ofsted's "Local authority inspection outcomes" that a user downloaded:
    the in-year table or the ILACS inspection history as CSV, or the .ods workbook with both.

    Additive: what the file holds is added, or updated where the stored record differs or comes from
    the scrape alone (Ofsted's record wins, as in merge.py, keeping the end date and report link the
    scrape gave); every other inspection and visit stays. The whole file is checked before the first
    write and the writes are one transaction, so a bad row changes nothing; a second run changes
    nothing. Each inspection added or changed gets an audit log entry with its old and new values, and
    the published inspections' release is raised. The caller recomputes the risk scores if it changed.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "no such file")
    if path.name == files.SCRAPE.filename:
        raise DataFileError(path, "this is Data to Insight's scrape, not Ofsted's: load-public-data reads it")
    codes = authority_codes()
    if not codes.dfe:
        raise DataFolderError("No authorities are loaded: load the reference data before the inspections.")
    history, in_year = importers.read_release(path, codes)
    report = ReleaseImportReport(read_history=len(history), read_in_year=len(in_year))
    progress(
        f"Read {path.name}: {len(history)} rows of the inspection history, {len(in_year)} of the "
        "in-year table"
    )
    merged, findings = merge(history, in_year, [])
    for disagreement in findings.disagreements:  # the workbook's two tables disagreeing
        progress(f"Warning: {disagreement}")

    with transaction.atomic():
        ids = dict(Authority.objects.filter(code__in={m.code for m in merged}).values_list("code", "id"))
        stored = {
            _match_key(i.authority_id, i.start_date, i.kind): i
            for i in Inspection.objects.select_for_update().filter(authority_id__in=ids.values())
        }
        for m in merged:
            _apply(m, ids[m.code], stored, path.name, report)
        if report.updated:
            Inspection.objects.bulk_update([i for i, _ in report.updated], [*RELEASE_FIELDS, "sources"])
        if report.added:
            report.added = Inspection.objects.bulk_create(report.added)
        if report.changed:
            _audit(report)
            releases.bump(releases.INSPECTIONS)
    progress(
        f"inspections and visits: {len(report.added)} added, {len(report.updated)} changed, "
        f"{report.unchanged} already as the file has them"
    )
    return report


def _apply(m: MergedInspection, authority_id: int, stored: dict, name: str, report: ReleaseImportReport):
    values = dict(
        kind=m.kind,
        published_on=m.published_on,
        **dict(zip(JUDGMENT_FIELDS, m.judgments, strict=True)),
        visit_theme=m.visit_theme,
    )
    inspection = stored.get(_match_key(authority_id, m.start_date, m.kind))
    if inspection is None:
        report.added.append(
            Inspection(authority_id=authority_id, start_date=m.start_date, sources=[name], **values)
        )
        return
    if inspection.is_official and all(getattr(inspection, f) == v for f, v in values.items()):
        report.unchanged += 1  # already Ofsted's record: the file's name is not worth a change
        return
    before = {f: getattr(inspection, f) for f in (*RELEASE_FIELDS, "sources")}
    for f, v in values.items():
        setattr(inspection, f, v)
    inspection.sources = [name, *(s for s in inspection.sources if s != name)]
    report.updated.append((inspection, before))


def _audit(report: ReleaseImportReport) -> None:
    """An audit log entry for each inspection the release added or changed, linked to its council.

    The audit app leaves inspections out (slihub/audit/registry.py) because the shared files are their
    record; a release a user loads is in no shared folder, so what it did is logged here, and auditlog's
    post_log signal links each entry to its council as the audit app does for every other entry."""
    from auditlog.models import LogEntry
    from auditlog.signals import post_log

    def text(value) -> str:
        return ", ".join(value) if isinstance(value, list) else str(value)

    changed = [*report.added, *(i for i, _ in report.updated)]
    names = dict(Authority.objects.filter(id__in={i.authority_id for i in changed}).values_list("id", "name"))
    entries = []
    for inspection in report.added:
        fields = ("start_date", *RELEASE_FIELDS, "sources")
        changes = {"authority": ["None", names[inspection.authority_id]]}
        changes |= {f: ["None", text(getattr(inspection, f))] for f in fields if getattr(inspection, f) != ""}
        entries.append((inspection, LogEntry.Action.CREATE, changes))
    for inspection, before in report.updated:
        changes = {
            f: [text(old), text(getattr(inspection, f))]
            for f, old in before.items()
            if old != getattr(inspection, f)
        }
        entries.append((inspection, LogEntry.Action.UPDATE, changes))
    for inspection, action, changes in entries:
        entry = LogEntry.objects.log_create(inspection, action=action, changes=changes)
        post_log.send(
            Inspection,
            instance=inspection,
            action=action,
            error=None,
            changes=changes,
            log_entry=entry,
            log_created=True,
        )
