"""ONS sub-national population projections (SNPP): children aged 0 to 17 by authority and year, from the
CSV layout of ONS's 2018-based and 2022-based tables, loaded when a user has the file.

Layout: a header AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then one column per mid-year
(2018, 2019, ...); one row per area, component, sex and age (0 to 89, '90 and over', 'All ages').
Only COMPONENT 'Population' rows are read. Ages 0 to 17 are summed: over the 'persons' rows where the
file has them for an area, else over the male and female rows. Areas are matched on their ONS code
(current or former) to the authorities with children's services; other areas (districts, regions)
are counted and skipped.

A bad file is refused whole, with its line and column, and nothing stored changes. A good file adds or
replaces its authorities' years and keeps every other stored projection; every row added, changed or
removed is written to the audit log (the places app is not audited by model, as its data is published).
"""

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from slihub.places import releases
from slihub.places.models import Authority, FormerOnsCode, PopulationProjection

COLUMNS = ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP"]
CHILD_AGES = set(range(18))
PERSONS, MALES, FEMALES = "persons", {"male", "males"}, {"female", "females"}
RELEASE = "population-projections"


class ProjectionFileError(ValueError):
    """A projections file that cannot be read: the message names the file, line and column."""


@dataclass
class Parsed:
    totals: dict[str, dict[int, int]]  # ONS code -> year -> children aged 0 to 17
    names: dict[str, str]
    years: list[int]
    rows: int = 0
    skipped_components: int = 0


@dataclass
class LoadReport:
    source: str
    authorities: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped_areas: list[str] = field(default_factory=list)  # areas with no children's services authority
    years: list[int] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed)


def _number(text: str, where: str) -> float:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        raise ProjectionFileError(f"{where}: {text!r} is not a number.") from None
    if value < 0 or value != value:
        raise ProjectionFileError(f"{where}: {text!r} is not a count of people (negative or not a number).")
    return value


def _age(text: str) -> int | None:
    text = text.strip().lower()
    return int(text) if text.isdigit() else None  # '90 and over', 'All ages': not a child's age


def parse(path: Path) -> Parsed:
    """Read and check the whole file; sum ages 0 to 17 by area and year."""
    name = path.name
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise ProjectionFileError(f"{name}: cannot be opened ({error.strerror}).") from None
    persons: dict = defaultdict(lambda: defaultdict(float))
    by_sex: dict = defaultdict(lambda: defaultdict(float))
    ages: dict = defaultdict(dict)  # (code, 'persons'|'male'|'female') -> age -> the line it is on
    names: dict[str, str] = {}
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise ProjectionFileError(f"{name}: the file is empty.") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise ProjectionFileError(f"{name}, line 1: not a readable CSV file ({error}).") from None
        head = [h.strip().upper() for h in header]
        if head[:5] != COLUMNS:
            raise ProjectionFileError(
                f"{name}, line 1: the columns must start {', '.join(COLUMNS)} (ONS's sub-national "
                f"population projections layout), not {', '.join(header[:5]) or 'nothing'}."
            )
        years = []
        for column, label in enumerate(header[5:], start=6):
            if not label.strip().isdigit() or not 1990 <= int(label) <= 2100:
                raise ProjectionFileError(f"{name}, line 1, column {column}: {label!r} is not a year.")
            years.append(int(label))
        if not years:
            raise ProjectionFileError(f"{name}, line 1: no year columns after AGE_GROUP.")
        parsed = Parsed({}, names, years)
        try:
            for line, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise ProjectionFileError(
                        f"{name}, line {line}: {len(row)} columns where the header has {len(header)}."
                    )
                parsed.rows += 1
                code, area, component, sex, age_text = (cell.strip() for cell in row[:5])
                if component.lower() != "population":
                    parsed.skipped_components += 1
                    continue
                age = _age(age_text)
                if age is None and age_text.lower() not in ("90 and over", "all ages", "90+"):
                    raise ProjectionFileError(
                        f"{name}, line {line}, column AGE_GROUP: {age_text!r} is not an age."
                    )
                sex = sex.lower()
                if sex != PERSONS and sex not in MALES | FEMALES:
                    raise ProjectionFileError(
                        f"{name}, line {line}, column SEX: {row[3]!r} is not persons, males or females."
                    )
                values = [
                    _number(v, f"{name}, line {line}, column {y}")
                    for v, y in zip(row[5:], years, strict=True)
                ]
                if age is None or age not in CHILD_AGES:
                    continue
                names[code] = area
                target = persons if sex == PERSONS else by_sex
                group = ages[code, sex if sex == PERSONS else ("male" if sex in MALES else "female")]
                if age in group:
                    raise ProjectionFileError(
                        f"{name}, line {line}: a second {row[3]} row for {code} aged {age} (the first is "
                        f"line {group[age]})."
                    )
                group[age] = line
                for year, value in zip(years, values, strict=True):
                    target[code][year] += value
        except csv.Error as error:
            raise ProjectionFileError(
                f"{name}, line {reader.line_num}: not a readable CSV row ({error})."
            ) from None
        except UnicodeDecodeError:
            raise ProjectionFileError(f"{name}: not UTF-8 text.") from None
    for code in names:
        groups = [PERSONS] if code in persons else ["male", "female"]
        for group in groups:
            missing = sorted(CHILD_AGES - set(ages[code, group]))
            if missing:
                raise ProjectionFileError(
                    f"{name}: {names[code]} ({code}) has no {group} rows for age "
                    f"{', '.join(map(str, missing))}: all ages 0 to 17 are needed."
                )
        source = persons[code] if code in persons else by_sex[code]
        parsed.totals[code] = {year: round(source[year]) for year in years}
    if not parsed.totals:
        raise ProjectionFileError(f"{name}: no 'Population' rows for ages 0 to 17.")
    return parsed


def _authorities() -> dict[str, Authority]:
    found = {a.ons_code: a for a in Authority.objects.all()}
    for former in FormerOnsCode.objects.select_related("authority"):
        found.setdefault(former.ons_code, former.authority)
    return found


def load(path: str | Path, *, source: str | None = None, progress=print) -> LoadReport:
    """Parse the file, then in one transaction add or replace its authorities' years (keeping the rest)
    and log each row added or changed to the audit log."""
    from auditlog.models import LogEntry
    from auditlog.signals import post_log

    path = Path(path).expanduser()
    parsed = parse(path)
    label = (source or f"ONS sub-national population projections ({path.name})").strip()[:200]
    by_code = _authorities()
    report = LoadReport(label, years=parsed.years)
    now = timezone.now()
    with transaction.atomic():
        stored = {
            (p.authority_id, p.year): p
            for p in PopulationProjection.objects.filter(
                authority__in=[by_code[c] for c in parsed.totals if c in by_code]
            )
        }
        entries = []
        for code, years in parsed.totals.items():
            authority = by_code.get(code)
            if authority is None:
                report.skipped_areas.append(code)
                continue
            report.authorities += 1
            for year, total in years.items():
                old = stored.get((authority.id, year))
                if old is None:
                    row = PopulationProjection.objects.create(
                        authority=authority, year=year, population_0_17=total, source=label, loaded_at=now
                    )
                    report.added += 1
                    changes = {
                        "authority": ["None", authority.name],
                        "year": ["None", str(year)],
                        "population_0_17": ["None", str(total)],
                        "source": ["None", label],
                    }
                    entries.append((row, LogEntry.Action.CREATE, changes))
                elif old.population_0_17 != total or old.source != label:
                    changes = {}
                    if old.population_0_17 != total:
                        changes["population_0_17"] = [str(old.population_0_17), str(total)]
                    if old.source != label:
                        changes["source"] = [old.source, label]
                    old.population_0_17, old.source, old.loaded_at = total, label, now
                    old.save(update_fields=["population_0_17", "source", "loaded_at"])
                    report.changed += 1
                    entries.append((old, LogEntry.Action.UPDATE, changes))
                else:
                    report.unchanged += 1
        for row, action, changes in entries:
            entry = LogEntry.objects.log_create(row, action=action, changes=changes)
            post_log.send(
                PopulationProjection,
                instance=row,
                action=action,
                error=None,
                changes=changes,
                log_entry=entry,
                log_created=True,
            )
        if report.touched:
            releases.bump(RELEASE)
    progress(
        f"Read {path.name}: {len(parsed.totals)} areas, years {parsed.years[0]} to {parsed.years[-1]}"
        + (
            f"; {len(report.skipped_areas)} areas without children's services skipped"
            if report.skipped_areas
            else ""
        )
    )
    return report


def paths(authority_ids) -> dict[int, dict[int, tuple[int, str]]]:
    """authority id -> mid-year -> (children aged 0 to 17, source): one query."""
    found: dict = defaultdict(dict)
    for authority_id, year, total, source in PopulationProjection.objects.filter(
        authority_id__in=authority_ids
    ).values_list("authority_id", "year", "population_0_17", "source"):
        found[authority_id][year] = (total, source)
    return found
