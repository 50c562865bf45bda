"""One record per inspection from the three files: Ofsted's official record wins, the scrape fills in.

The same inspection is recognised across files by authority and start date. In the files of
March 2025 every one of the 232 inspections that both Ofsted's history and Data to Insight's
scrape hold starts on the same day in both (widening the window to 60 days matches no more),
so matching is on the exact date; a scrape-only inspection within NEAR_MISS_DAYS of an official
one of the same authority is reported, so that a future file that shifts dates is noticed.

Precedence: Ofsted's inspection history, then Ofsted's in-year file, then the scrape. The
official files have no end dates or report links; those come from the scrape when it holds the
inspection. Fields where a lower file disagrees with the record kept are listed in the findings.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from slihub.inspections.importers import InspectionRecord
from slihub.inspections.models import GRADED_KINDS, JUDGMENTS

NEAR_MISS_DAYS = 14


@dataclass(frozen=True)
class MergedInspection:
    code: str
    kind: str
    start_date: date
    end_date: date | None
    published_on: date
    judgments: tuple[str, str, str, str, str]
    visit_theme: str
    report_url: str
    sources: tuple[str, ...]  # the files holding it, the winning one first

    @property
    def overall(self) -> str:
        return self.judgments[0]


@dataclass(frozen=True)
class Disagreement:
    code: str
    start_date: date
    field: str
    kept: str  # the value stored, from `kept_from`
    dropped: str
    kept_from: str
    dropped_from: str

    def __str__(self):
        return (
            f"{self.code} {self.start_date}: {self.field} {self.kept!r} ({self.kept_from}) kept over "
            f"{self.dropped!r} ({self.dropped_from})"
        )


@dataclass
class MergeFindings:
    read: Counter = field(default_factory=Counter)  # file name -> records read
    in_year_in_history: int = 0  # in-year inspections that the history also holds
    in_year_only: int = 0  # in-year inspections the history lacks
    scrape_matched: int = 0  # scrape inspections that an official file also holds
    scrape_only: int = 0
    official_not_in_scrape: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    near_misses: list[tuple[InspectionRecord, date]] = field(default_factory=list)

    def disagreeing(self, field_name: str) -> list[Disagreement]:
        return [d for d in self.disagreements if d.field == field_name]

    def lines(self) -> list[str]:
        by_field = Counter(d.field for d in self.disagreements)
        overall = self.disagreeing("overall_effectiveness")
        return [
            "read " + ", ".join(f"{name}: {count}" for name, count in self.read.items()),
            f"in-year inspections also in the history: {self.in_year_in_history}, "
            f"only in-year: {self.in_year_only}",
            f"scrape inspections matched to Ofsted's record: {self.scrape_matched} (same start date), "
            f"scrape only: {self.scrape_only}, official not in the scrape: {self.official_not_in_scrape}",
            f"overall effectiveness agrees on {self.scrape_matched - len(overall)} of {self.scrape_matched} "
            "matched inspections",
            "fields where a lower-ranked file disagrees (Ofsted's record kept): "
            + (", ".join(f"{name} {count}" for name, count in sorted(by_field.items())) or "none"),
            f"scrape-only inspections within {NEAR_MISS_DAYS} days of an official one: "
            f"{len(self.near_misses)}",
        ]


def _compare(kept: MergedInspection, other: InspectionRecord, findings: MergeFindings) -> None:
    pairs = [
        ("kind", kept.kind, other.kind),
        ("published_on", kept.published_on.isoformat(), other.published_on.isoformat()),
        *(
            (name, ours, theirs)
            for (name, _), ours, theirs in zip(JUDGMENTS, kept.judgments, other.judgments, strict=True)
        ),
    ]
    for name, ours, theirs in pairs:
        if ours != theirs:
            findings.disagreements.append(
                Disagreement(kept.code, kept.start_date, name, ours, theirs, kept.sources[0], other.source)
            )


def _from_record(record: InspectionRecord) -> MergedInspection:
    return MergedInspection(
        code=record.code,
        kind=record.kind,
        start_date=record.start_date,
        end_date=record.end_date,
        published_on=record.published_on,
        judgments=record.judgments,
        visit_theme=record.visit_theme,
        report_url=record.report_url,
        sources=(record.source,),
    )


def merge(
    history: list[InspectionRecord], in_year: list[InspectionRecord], scrape: list[InspectionRecord]
) -> tuple[list[MergedInspection], MergeFindings]:
    """The merged inspections (sorted by authority, date and kind) and what the merge found."""
    findings = MergeFindings()
    for records in (history, in_year, scrape):
        if records:
            findings.read[records[0].source] = len(records)
    inspections: dict[tuple[str, date], MergedInspection] = {}
    visits: dict[tuple[str, date, str], MergedInspection] = {}

    for record in history:
        inspections[(record.code, record.start_date)] = _from_record(record)
    for record in in_year:
        if record.kind not in GRADED_KINDS:
            visits[(record.code, record.start_date, record.kind)] = _from_record(record)
            continue
        key = (record.code, record.start_date)
        kept = inspections.get(key)
        if kept is None:
            findings.in_year_only += 1
            inspections[key] = _from_record(record)
        else:
            findings.in_year_in_history += 1
            _compare(kept, record, findings)
            inspections[key] = replace(kept, sources=(*kept.sources, record.source))

    official_keys = set(inspections)
    matched: set[tuple[str, date]] = set()
    for record in scrape:
        key = (record.code, record.start_date)
        kept = inspections.get(key)
        if kept is None:
            findings.scrape_only += 1
            findings.near_misses += [
                (record, start)
                for code, start in official_keys
                if code == record.code and abs((start - record.start_date).days) <= NEAR_MISS_DAYS
            ]
            inspections[key] = _from_record(record)
            continue
        findings.scrape_matched += 1
        matched.add(key)
        _compare(kept, record, findings)
        inspections[key] = replace(
            kept,
            end_date=kept.end_date or record.end_date,
            report_url=kept.report_url or record.report_url,
            sources=(*kept.sources, record.source),
        )
    findings.official_not_in_scrape = len(official_keys - matched)
    merged = sorted([*inspections.values(), *visits.values()], key=lambda i: (i.code, i.start_date, i.kind))
    return merged, findings
