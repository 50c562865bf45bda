"""Writes to the inspection history: the one way Ofsted's judgments get into the database."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from slihub.inspections import files, importers
from slihub.inspections.merge import MergeFindings, merge
from slihub.inspections.models import Inspection
from slihub.places import releases
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
        )
        report.changes["source files"] = _record_files(paths)
        if report.changed:
            releases.bump(releases.INSPECTIONS)
    for name, changes in report.changes.items():
        progress(f"{name}: {changes}")
    return report
