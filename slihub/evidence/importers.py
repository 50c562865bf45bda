"""Reading the evidence starter content: every cell checked before anything is stored.

Parsers return plain dicts (a practice with its studies, each study with its effects) and raise
DataFileError naming file, line and column, so a bad file is refused whole before the database is
touched. The files are those in ``SLIHUB_EVIDENCE_DIR`` (see SOURCES.md there); the library's own
transcriptions are read by slihub.evidence.content.

Derived fields, and how (documented here so they can be checked):
- themes: "parents_carers_families" when a programme's name or summary speaks of parents, families,
  mothers or couples; "early_years" when the ages as evaluated start under 5 (or it is an Early Years
  Toolkit strand); "youth" when they reach 13 or more; "schools_communities" for EEF strands and
  programmes delivered in schools; "vulnerable_children" for targeted-indicated programmes and the
  children's social care trials.
- Every Child Matters outcomes: from the EIF outcome domains (DOMAIN_ECM below).
- age groups: each group (0-4, 5-11, 12-18) that the "N to M years old" band overlaps.

Cost: the starter content gives cost *bands* (EIF's cost rating; the EEF's cost categories, read from
their headline words) and a single stated cost (the EEF's older one-to-one tuition page: "Up to £1,200
per pupil"), which is an upper bound, so it is kept in the source's words (``cost_statement``), never
as a cost per child. No file gives a cost per child as a single figure with its price year, so none is
stored: the pages say so instead of estimating one.

Risk of bias: taken only where the source itself gives grounds (RISK_OF_BIAS_FROM_SOURCE). Everything
else is left "not assessed", which the certainty rating does not treat as low risk
(slihub.stats.evidence_rating).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.text import slugify

from slihub.evidence import problems
from slihub.places.importers import DataFileError
from slihub.sources import LineCounter
from slihub.stats.evidence_rating import parse_eif_rating

EIF_PROGRAMMES = "eif_guidebook_programmes.csv"
EIF_EFFECTS = "eif_guidebook_outcome_effects.csv"
EEF_STRANDS = "eef_toolkit_strands.csv"
WWCSC_TRIALS = "wwcsc_trials.csv"
EVIDENCE_FILES = (EIF_PROGRAMMES, EIF_EFFECTS, EEF_STRANDS, WWCSC_TRIALS)

URL = re.compile(r"^https?://\S+$")
AGE_BAND = re.compile(r"^(\d{1,2}) to (\d{1,2}) years old$")
LEVELS_OF_NEED = {"", "Universal", "Targeted-selected", "Targeted-indicated"}
DOMAIN_ECM = {
    "Enhancing school achievement & employment": ("enjoy_achieve", "economic_wellbeing"),
    "Preventing crime, violence and antisocial behaviour": ("positive_contribution", "stay_safe"),
    "Supporting children's mental health and wellbeing": ("be_healthy",),
    "Preventing obesity and promoting healthy physical development": ("be_healthy",),
    "Preventing risky sexual behaviour & teen pregnancy": ("be_healthy", "stay_safe"),
    "Preventing substance abuse": ("be_healthy",),
    "Preventing child maltreatment": ("stay_safe",),
}
#: EEF toolkit versions, newest first: a strand's headline figures come from its newest version
EEF_VERSIONS = (
    "current website strand page (2021+ toolkit)",
    "Teaching & Learning Toolkit PDF generated 10 Oct 2018",
    "Early Years Toolkit PDF generated 11 Jun 2018",
    "Sutton Trust-EEF Teaching and Learning Toolkit, October 2014 (PDF)",
    "older website strand page (c. 2013-2015)",
    "Sutton Trust-EEF Teaching and Learning Toolkit, Spring 2013 (PDF)",
)
EEF_TOOLKITS = {"Teaching and Learning", "Early Years"}
YES_BLANK = {"", "yes"}


# C0 controls except tab, newline and carriage return; DEL; C1 controls
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: the longest number a cell may hold, in characters (checked before Python reads it)
MAX_NUMBER_LENGTH = 30
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
DECIMAL_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")


def _shown(value: str, limit: int = 40) -> str:
    """A cell quoted in a message, cut short so that a huge cell cannot make a huge page."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class Reader:
    """Rows of a CSV with a checker that names file, line and column."""

    def __init__(self, path: Path, required: tuple[str, ...]):
        self.path = path
        self.required = required
        self.header: list[str] = []

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        start = 1  # the line the record being read starts on (not csv's line_num: where it ends)
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                lines = LineCounter(handle)
                reader = csv.reader(lines)
                try:
                    self.header = [h.strip() for h in next(reader)]
                except StopIteration:
                    raise DataFileError(self.path, "the file is empty", line=1) from None
                missing = [c for c in self.required if c not in self.header]
                if missing:
                    raise DataFileError(self.path, f"no column named {', '.join(missing)}", line=1)
                start = lines.line_feeds + 1
                for cells in reader:
                    line, start = start, lines.line_feeds + 1
                    if not any(c.strip() for c in cells):
                        continue
                    if len(cells) != len(self.header):
                        raise DataFileError(
                            self.path,
                            f"{len(cells)} cells where the header has {len(self.header)}",
                            line=line,
                        )
                    yield line, {h: c.strip() for h, c in zip(self.header, cells, strict=True)}
        except FileNotFoundError:
            raise DataFileError(self.path, "the file is missing") from None
        except UnicodeDecodeError:
            raise DataFileError(self.path, "the file is not UTF-8 text") from None
        except csv.Error as error:  # a cell too long to read, or a broken quote
            raise DataFileError(self.path, f"cannot be read as CSV: {error}", line=start) from None

    def no_control_characters(self, row: dict[str, str], line: int) -> None:
        """Control characters (a NUL, say) are refused in files that people upload: PostgreSQL cannot
        store a NUL, and none of them belongs in a citation or a number."""
        for column, cell in row.items():
            found = CONTROL_CHARACTERS.search(cell)
            self.check(
                found is None,
                line,
                column,
                f"contains a control character (U+{ord(found.group()) if found else 0:04X}): remove it",
            )

    def fail(self, line: int, column: str, message: str) -> DataFileError:
        number = self.header.index(column) + 1 if column in self.header else None
        return DataFileError(self.path, f"{column}: {message}", line=line, column=number)

    def check(self, ok: bool, line: int, column: str, message: str) -> None:
        if not ok:
            raise self.fail(line, column, message)

    def text(self, row, line, column, *, required=False, max_length=300) -> str:
        value = row[column]
        self.check(bool(value) or not required, line, column, "is empty")
        self.check(len(value) <= max_length, line, column, f"is longer than {max_length} characters")
        return value

    def url(self, row, line, column) -> str:
        value = row[column]
        self.check(not value or bool(URL.match(value)), line, column, f"{_shown(value)} is not a web address")
        return value

    def choice(self, row, line, column, allowed) -> str:
        value = row[column]
        self.check(
            value in allowed,
            line,
            column,
            f"{_shown(value)} is not one of {', '.join(repr(a) for a in sorted(allowed))}",
        )
        return value

    def integer(self, row, line, column, *, low=None, high=None, required=False) -> int | None:
        value = row[column]
        if not value:
            self.check(not required, line, column, "is empty")
            return None
        self._digits_only(value, line, column)
        self.check(
            len(value) <= MAX_NUMBER_LENGTH, line, column, f"{_shown(value)} is too long for a whole number"
        )
        self.check(
            bool(WHOLE_NUMBER.fullmatch(value)), line, column, f"{_shown(value)} is not a whole number"
        )
        number = int(value)
        if low is not None and high is not None:
            self.check(low <= number <= high, line, column, f"{number} is not between {low} and {high}")
        return number

    def number(self, row, line, column) -> float:
        value = row[column]
        self._digits_only(value, line, column)
        self.check(len(value) <= MAX_NUMBER_LENGTH, line, column, f"{_shown(value)} is too long for a number")
        # float() alone would take "nan", "1_000", Arabic-Indic digits and surrounding spaces
        self.check(bool(DECIMAL_NUMBER.fullmatch(value)), line, column, f"{_shown(value)} is not a number")
        number = float(value)
        self.check(math.isfinite(number), line, column, f"{_shown(value)} is not a finite number")
        return number

    def _digits_only(self, value: str, line: int, column: str) -> None:
        self.check(
            not any(c.isnumeric() and not "0" <= c <= "9" for c in value),
            line,
            column,
            f"{_shown(value)} has digits other than 0 to 9 (superscript, say): use plain digits",
        )


def _keys(values) -> str:
    values = [v for v in dict.fromkeys(values) if v]
    return f" {' '.join(values)} " if values else ""


def age_groups(low: int, high: int) -> list[str]:
    groups = []
    for key, (a, b) in {"0-4": (0, 4), "5-11": (5, 11), "12-18": (12, 18)}.items():
        if low <= b and high >= a:
            groups.append(key)
    return groups


def outcome_record(
    name: str, domain: str = "", *, attainment=False, higher_is_better=True, problem: str = ""
) -> dict:
    """An outcome as stored; ``problem`` is one of models.PROBLEMS (the importers read it from the
    reviewed tables in problems.py), blank for none."""
    return {
        "slug": slugify(name)[:120],
        "name": name,
        "domain": domain,
        "attainment": attainment,
        "higher_is_better": higher_is_better,
        "problem": problem,
    }


def _links(*pairs) -> list[dict]:
    return [{"label": label, "url": url} for label, url in pairs if url]


# ---------------------------------------------------------------------------------------------
# EIF Guidebook


def read_eif_programmes(path: Path) -> list[dict]:
    r = Reader(path, ("programme_name", "eif_evidence_rating", "mixed_findings_asterisk", "eif_cost_rating"))
    practices, seen = [], {}
    for line, row in r.rows():
        name = r.text(row, line, "programme_name", required=True, max_length=200)
        r.check(name not in seen, line, "programme_name", f"{name!r} is already on line {seen.get(name)}")
        seen[name] = line
        mixed = r.choice(row, line, "mixed_findings_asterisk", YES_BLANK) == "yes"
        try:
            rating = parse_eif_rating(row["eif_evidence_rating"], mixed=mixed)
        except ValueError as error:
            raise r.fail(line, "eif_evidence_rating", str(error)) from None
        cost = r.integer(row, line, "eif_cost_rating", low=1, high=5)
        for column in ("uk_available", "uk_tested"):
            r.choice(row, line, column, YES_BLANK)
        need = r.choice(row, line, "level_of_need", LEVELS_OF_NEED)
        age = r.text(row, line, "age_as_evaluated_foundations", max_length=100)
        groups: list[str] = []
        if age:
            match = AGE_BAND.match(age)
            r.check(bool(match), line, "age_as_evaluated_foundations", f"{age!r} is not 'N to M years old'")
            low, high = int(match[1]), int(match[2])
            r.check(low <= high, line, "age_as_evaluated_foundations", f"{age!r} runs backwards")
            groups = age_groups(low, high)
        summary = r.text(row, line, "eif_population_description", max_length=2000)
        outcomes = r.text(row, line, "child_outcomes_with_evidence", max_length=2000)
        domains = [d for d in DOMAIN_ECM if d in outcomes]
        setting = r.text(row, line, "setting")
        words = f"{name} {summary}".lower()
        themes = [
            "parents_carers_families" if re.search(r"parent|famil|mother|couple", words) else "",
            "early_years" if age and int(AGE_BAND.match(age)[1]) < 5 else "",
            "youth" if age and int(AGE_BAND.match(age)[2]) >= 13 else "",
            "schools_communities" if "school" in setting.lower() else "",
            "vulnerable_children" if need == "Targeted-indicated" else "",
        ]
        details = {
            label: row[column]
            for column, label in (
                ("evidence_rating_basis", "How the rating was read"),
                ("eif_review_dates", "EIF review"),
                ("workforce", "Workforce"),
                ("child_outcomes_with_evidence", "Child outcomes with evidence"),
                ("uk_available", "Available in the UK"),
                ("uk_tested", "Tested in the UK"),
                ("foundations_published", "Foundations Guidebook published"),
                ("foundations_last_reviewed", "Foundations last reviewed"),
            )
            if row.get(column)
        }
        practices.append(
            {
                "slug": slugify(name)[:120],
                "name": name,
                "kind": "programme",
                "summary": summary,
                "themes": _keys(themes),
                "ecm_outcomes": _keys(e for d in domains for e in DOMAIN_ECM[d]),
                "age_groups": _keys(groups),
                "age_description": age,
                "setting": setting,
                "delivery_model": r.text(row, line, "delivery_model", max_length=100),
                "level_of_need": need,
                "cost_rating": cost,
                "cost_source": (
                    "EIF Guidebook cost rating"
                    + (f" (EIF review: {row['eif_review_dates']})" if row.get("eif_review_dates") else "")
                    if cost
                    else ""
                ),
                "eif_rating": rating.label if rating else "",
                "links": _links(
                    ("EIF Guidebook", r.url(row, line, "eif_url")),
                    ("Foundations Guidebook", r.url(row, line, "foundations_url")),
                ),
                "source": "eif",
                "source_note": r.text(row, line, "notes", max_length=2000),
                "details": details,
                "studies": [],
            }
        )
    return practices


def read_eif_effects(path: Path, practices: list[dict]) -> tuple[list[dict], list[dict]]:
    """Adds each outcome statement to its programme's study (``practices`` from read_eif_programmes)
    and returns (practices, outcomes)."""
    r = Reader(path, ("programme_name", "outcome_domain", "outcome", "study", "statement", "timeframe"))
    by_name = {p["name"]: p for p in practices}
    outcomes: dict[str, dict] = {}
    for line, row in r.rows():
        name = r.text(row, line, "programme_name", required=True, max_length=200)
        r.check(name in by_name, line, "programme_name", f"{name!r} is not a programme in {EIF_PROGRAMMES}")
        study = r.text(row, line, "study", max_length=40)
        r.check(
            not study or bool(re.fullmatch(r"study \d+", study)), line, "study", f"{study!r} is not 'study N'"
        )
        outcome = outcome_record(
            r.text(row, line, "outcome", required=True, max_length=200),
            r.text(row, line, "outcome_domain", required=True, max_length=200),
            attainment="reading" in row["outcome"].lower() or "academic" in row["outcome"].lower(),
        )
        outcome["problem"] = problems.eif_problem(outcome["name"], outcome["domain"])
        outcomes[outcome["slug"]] = outcome
        score = r.integer(row, line, "score_as_shown", low=0, high=1000)
        practice = by_name[name]
        key = f"eif-{study.replace(' ', '-')}" if study else "eif-unnumbered"
        found = next((s for s in practice["studies"] if s["key"] == key), None)
        if found is None:
            found = {
                "key": key,
                "citation": f"{name}: EIF Guidebook {study or 'evidence (study not numbered)'}",
                "design": "not-stated",
                "url": next((link["url"] for link in practice["links"] if "EIF" in link["label"]), ""),
                "source_note": r.text(row, line, "source_note", max_length=500),
                "effects": [],
            }
            practice["studies"].append(found)
        r.check(
            all(e["outcome"] != outcome["slug"] for e in found["effects"]),
            line,
            "outcome",
            f"{outcome['name']!r} appears twice for {name}, {study or 'unnumbered study'}",
        )
        statement = r.text(row, line, "statement", required=True, max_length=1000)
        found["effects"].append(
            {
                "outcome": outcome["slug"],
                "statement": statement + (f" (EIF score shown: {score})" if score is not None else ""),
                "timeframe": r.text(row, line, "timeframe", max_length=200),
            }
        )
    return practices, list(outcomes.values())


# ---------------------------------------------------------------------------------------------
# EEF Toolkits

ATTAINMENT = outcome_record(
    "Attainment (months of progress)", "Education", attainment=True, problem=problems.EEF
)


#: Strands the EEF renamed between toolkit versions: (toolkit, a name as once published) -> its newest name.
#: Such rows are one strand's ratings over time, so they make one practice (its rating_history, newest
#: first) and the old name's address redirects to it (MOVED_SLUGS). Only true renamings, checked against
#: the file by tests/data/test_eef_strands.py: the two names never appear in one version, and the figures
#: carry on. "After school programmes" is not one: it sat beside "Extended school time" in Spring 2013.
EEF_RENAMED = {
    # Spring 2013 "Extended school time" (+2 months, moderate cost); from October 2014 "Extending ..."
    ("Teaching and Learning", "Extended school time"): "Extending school time",
    # Spring 2013 and October 2014 "Early years intervention"; the 2018 toolkit says "interventions"
    ("Teaching and Learning", "Early years intervention"): "Early years interventions",
}


def eef_slug(toolkit: str, strand: str) -> str:
    return slugify(f"eef {toolkit} {strand}")[:120]


#: a renamed strand's old address -> the address of the practice it is now part of
MOVED_SLUGS = {eef_slug(toolkit, old): eef_slug(toolkit, new) for (toolkit, old), new in EEF_RENAMED.items()}


def read_eef_strands(path: Path) -> list[dict]:
    r = Reader(
        path,
        ("toolkit", "strand", "toolkit_version", "impact_months", "headline_verbatim", "cost_rating_1to5")
        + ("evidence_padlocks_1to5", "url", "notes"),
    )
    strands: dict[tuple[str, str], list[dict]] = {}
    for line, row in r.rows():
        toolkit = r.choice(row, line, "toolkit", EEF_TOOLKITS)
        published = r.text(row, line, "strand", required=True, max_length=150)
        strand = EEF_RENAMED.get((toolkit, published), published)
        version = r.choice(row, line, "toolkit_version", set(EEF_VERSIONS))
        versions = strands.setdefault((toolkit, strand), [])
        names = sorted({published, *(v["strand"] for v in versions if v["version"] == version)})
        r.check(
            all(v["version"] != version for v in versions),
            line,
            "toolkit_version",
            f"{strand!r} already has a row for {version!r}"
            + (
                f" ({' and '.join(map(repr, names))} are one strand renamed: never in one version)"
                if len(names) > 1
                else ""
            ),
        )
        versions.append(
            {
                "version": version,
                "strand": published,
                "months": r.integer(row, line, "impact_months", low=-12, high=12, required=True),
                "headline": r.text(row, line, "headline_verbatim", required=True),
                "cost_rating": r.integer(row, line, "cost_rating_1to5", low=1, high=5, required=True),
                "cost_word": row.get("cost_word", ""),
                "padlocks": r.integer(row, line, "evidence_padlocks_1to5", low=0, high=5, required=True),
                "url": r.url(row, line, "url"),
                "notes": r.text(row, line, "notes", max_length=1000),
            }
        )
    practices = []
    for (toolkit, strand), versions in strands.items():
        versions.sort(key=lambda v: EEF_VERSIONS.index(v["version"]))
        newest = versions[0]
        early = toolkit == "Early Years"
        practices.append(
            {
                "slug": eef_slug(toolkit, strand),
                "name": f"{strand} ({toolkit} Toolkit)",
                "kind": "approach",
                "summary": f"{newest['headline']} (EEF {toolkit} Toolkit: {newest['months']:+d} months).",
                "themes": _keys(["early_years" if early else "schools_communities"]),
                "ecm_outcomes": _keys(["enjoy_achieve"]),
                "age_groups": _keys(["0-4"] if early else ["5-11", "12-18"]),
                "cost_rating": newest["cost_rating"],
                "cost_source": _eef_cost_source(toolkit, newest),
                "cost_statement": _stated_cost(newest["notes"]),
                "eef_months": newest["months"],
                "eef_padlocks": newest["padlocks"],
                "links": _links(*((f"EEF: {v['version']}", v["url"]) for v in versions)),
                "source": "eef",
                "source_note": newest["notes"],
                "details": {
                    f"EEF {v['version']}": f"{v['months']:+d} months: {v['headline']}"
                    + (f" (published as “{v['strand']}”)" if v["strand"] != strand else "")
                    for v in versions
                },
                # the names it was published under before, so that a search for them finds it
                "aliases": "\n".join(dict.fromkeys(v["strand"] for v in versions if v["strand"] != strand)),
                "rating_history": [
                    {
                        "version": v["version"],
                        "strand": v["strand"],
                        "months": v["months"],
                        "cost": v["cost_rating"],
                        "evidence": v["padlocks"],
                        "headline": v["headline"],
                        "url": v["url"],
                    }
                    for v in versions
                ],
                "studies": [],
            }
        )
    return practices


#: a cost the EEF states in words on a strand page, as the notes quote it:
#: "Cost estimate: Up to £1,200 per pupil"
STATED_COST = re.compile(r"Cost estimate: ([^'\"]*£[^'\"]+)")


def _stated_cost(notes: str) -> str:
    match = STATED_COST.search(notes)
    return match[1].strip()[:300] if match else ""


def _eef_cost_source(toolkit: str, version: dict) -> str:
    word = f"“{version['cost_word']}” cost category" if version.get("cost_word") else "cost category"
    return f"EEF {toolkit} Toolkit, {version['version']}: {word}"[:300]


# ---------------------------------------------------------------------------------------------
# What Works for Children's Social Care trials

#: Risk of bias where the source itself gives grounds for it, by (practice slug, study key): a reviewed
#: table, since no file states a risk-of-bias judgement. Quote the source in the basis.
RISK_OF_BIAS_FROM_SOURCE = {
    (
        "family-drug-and-alcohol-courts-fdac",
        "evaluation-of-family-drug-and-alcohol-courts-foundations-supporting-families-investing-in-practice",
    ): (
        "high",
        "Foundations, reporting the evaluation: the effects cannot be attributed entirely to FDAC, and "
        "the matching of comparison families was limited by data quality and volume (serious risk of "
        "confounding).",
    ),
}

SAMPLE = re.compile(r"^(?:c\.)?([\d,]+)(?: (?:children|students)\b.*)?$")


def _design(text: str) -> str | None:
    lowered = text.lower()
    if "rct" in lowered:
        return "rct"
    if "quasi-experimental" in lowered:
        return "quasi-experimental"
    return None


def read_wwcsc_trials(path: Path) -> tuple[list[dict], list[dict]]:
    r = Reader(
        path,
        ("intervention", "study", "design", "sample_size", "outcome", "primary_outcome")
        + ("intervention_group_value", "comparison_group_value", "effect_estimate", "ci_95")
        + ("statistically_significant", "status", "source_urls", "notes"),
    )
    practices: dict[str, dict] = {}
    outcomes: dict[str, dict] = {}
    for line, row in r.rows():
        name = r.text(row, line, "intervention", required=True, max_length=200)
        practice = practices.setdefault(
            name,
            {
                "slug": slugify(name)[:120],
                "name": name,
                "kind": "programme",
                "summary": "",
                "themes": _keys(
                    ["vulnerable_children", "parents_carers_families"]
                    + (["schools_communities"] if "school" in name.lower() else [])
                ),
                "ecm_outcomes": _keys(["stay_safe"]),
                "age_groups": "",
                "delivery_model": "",
                "links": [],
                "source": "wwcsc",
                "source_note": "",
                "details": {"Delivered by": row.get("delivered_by", "")},
                "studies": [],
            },
        )
        title = r.text(row, line, "study", required=True, max_length=400)
        design = _design(r.text(row, line, "design", required=True))
        r.check(
            design is not None,
            line,
            "design",
            f"{row['design']!r} names neither an RCT nor a quasi-experimental design",
        )
        # "URL (note) ; URL ; ...": each item starts with a web address
        urls = [item.split()[0] for item in row["source_urls"].split(" ; ") if item.strip()]
        for url in urls:
            r.check(bool(URL.match(url)), line, "source_urls", f"{url!r} is not a web address")
        sample = r.text(row, line, "sample_size")
        match = SAMPLE.match(sample)
        status = r.text(row, line, "status", required=True)
        year = re.search(r"\((?:[A-Za-z]+ )?(\d{4})\)", status)
        study = next((s for s in practice["studies"] if s["citation"] == title), None)
        if study is None:
            study = {
                "key": slugify(title)[:120],
                "citation": title,
                "year": int(year[1]) if year else None,
                "country": "England",
                "design": design,
                "design_detail": row["design"][:300],
                "n_total": int(match[1].replace(",", "")) if match else None,
                "sample_description": sample,
                "url": urls[0] if urls else "",
                "source_note": " ".join(filter(None, [status, row["notes"]]))[:2000],
                "effects": [],
            }
            risk, basis = RISK_OF_BIAS_FROM_SOURCE.get((practice["slug"], study["key"]), ("", ""))
            study.update(risk_of_bias=risk, risk_of_bias_basis=basis)
            practice["studies"].append(study)
            if not practice["summary"]:
                practice["summary"] = f"Evaluated in: {title}."
            if urls and not practice["links"]:
                practice["links"] = _links(*((f"Source {i}", url) for i, url in enumerate(urls, 1)))
        outcome_name = r.text(row, line, "outcome", max_length=200)
        if not outcome_name:
            continue
        outcome = outcome_record(
            outcome_name, problems.WWCSC_DOMAIN, problem=problems.wwcsc_problem(outcome_name)
        )
        outcomes[outcome["slug"]] = outcome
        r.check(
            all(e["outcome"] != outcome["slug"] for e in study["effects"]),
            line,
            "outcome",
            f"{outcome_name!r} appears twice for {title!r}",
        )
        significant = row["statistically_significant"]
        primary = row["primary_outcome"]
        r.check(
            primary in ("", "no") or primary.startswith("yes"),
            line,
            "primary_outcome",
            f"{primary!r} is not yes or no",
        )
        r.check(
            significant in ("", "no") or significant.startswith("yes"),
            line,
            "statistically_significant",
            f"{significant!r} is not yes or no",
        )
        statement = "; ".join(
            filter(None, [row["effect_estimate"], f"95% CI {row['ci_95']}" if row["ci_95"] else ""])
        )
        study["effects"].append(
            {
                "outcome": outcome["slug"],
                "statement": statement,
                "intervention_value": r.text(row, line, "intervention_group_value", max_length=100),
                "comparison_value": r.text(row, line, "comparison_group_value", max_length=100),
                "significant": None if not significant else significant.startswith("yes"),
                "primary": primary.startswith("yes"),
            }
        )
    return list(practices.values()), list(outcomes.values())


def read_all(evidence_dir: Path, meta_dir: None = None) -> tuple[list[dict], list[dict]]:
    """Every practice (with studies and effects) and every outcome, or a DataFileError. R's teaching
    datasets (dat.bcg, dat.bangertdrowns2004 in the ``meta`` folder) are not part of the library:
    ``meta_dir`` is accepted for old callers and ignored."""
    programmes = read_eif_programmes(evidence_dir / EIF_PROGRAMMES)
    programmes, outcomes = read_eif_effects(evidence_dir / EIF_EFFECTS, programmes)
    practices = programmes + read_eef_strands(evidence_dir / EEF_STRANDS)
    outcomes.append(ATTAINMENT)
    trials, trial_outcomes = read_wwcsc_trials(evidence_dir / WWCSC_TRIALS)
    practices += trials
    outcomes += trial_outcomes
    slugs: dict[str, str] = {}
    for practice in practices:
        if practice["slug"] in slugs:
            raise DataFileError(
                evidence_dir, f"two practices share the address {practice['slug']!r}: {practice['name']!r}"
            )
        slugs[practice["slug"]] = practice["name"]
    unique = {o["slug"]: o for o in outcomes}
    return practices, list(unique.values())


# ---------------------------------------------------------------------------------------------
# Councils' study uploads (the CSV template)

UPLOAD_COLUMNS = (
    ("practice", "the practice's address in the library, e.g. incredible-years-preschool", True),
    ("citation", "authors, title and where published", True),
    ("year", "year of publication, e.g. 2021", True),
    ("country", "where the study was done", False),
    ("design", "rct, quasi-experimental, pre-post, observational or not-stated", True),
    ("maryland", "Maryland scientific methods scale, 1 to 5", False),
    ("n_intervention", "children (or families) in the intervention group", False),
    ("n_comparison", "children (or families) in the comparison group", False),
    ("n_total", "children (or families) in the study", False),
    ("risk_of_bias", "low, some or high (blank when not assessed)", False),
    ("outcome", "the outcome's name, e.g. Child behaviour", True),
    ("measure", "SMD, MD, OR or RR (OR and RR on the log scale)", True),
    ("yi", "the effect size", True),
    ("vi", "its sampling variance (give vi, or ci_lb and ci_ub)", False),
    ("ci_lb", "lower end of the 95% confidence interval (same scale as yi)", False),
    ("ci_ub", "upper end of the 95% confidence interval", False),
    ("url", "a web address for the study", False),
)
UPLOAD_HEADER = tuple(name for name, _, _ in UPLOAD_COLUMNS)
UPLOAD_MEASURES = {"SMD", "MD", "OR", "RR"}
MAX_UPLOAD_ERRORS = 50
#: bounds beyond which a value is a slip (a misplaced decimal point, say), not a finding
MAX_EFFECT = 20
MIN_VARIANCE, MAX_VARIANCE = 1e-8, 1e4


def upload_template() -> str:
    """The CSV template: the header, then one example row."""
    example = {
        "practice": "incredible-years-preschool",
        "citation": "Example A, Example B (2021) A trial of the programme. Journal of Examples 1(2)",
        "year": "2021",
        "country": "England",
        "design": "rct",
        "maryland": "5",
        "n_intervention": "120",
        "n_comparison": "118",
        "n_total": "238",
        "risk_of_bias": "some",
        "outcome": "Child behaviour",
        "measure": "SMD",
        "yi": "0.35",
        "vi": "0.017",
    }
    lines = [",".join(UPLOAD_HEADER), ",".join(example.get(name, "") for name in UPLOAD_HEADER)]
    return "\n".join(lines) + "\n"


def read_study_upload(
    path: Path, practices: set[str], *, max_studies: int | None = None
) -> tuple[list[dict], list[DataFileError]]:
    """Rows of an uploaded study CSV as (line, study, practice slug, outcome, effect) records, and every bad
    row's first problem (line and column). Nothing is usable unless the error list is empty. A file with
    more than ``max_studies`` studies is refused whole, with that as its only error."""
    r = Reader(path, tuple(name for name, _, required in UPLOAD_COLUMNS if required))
    records: list[dict] = []
    errors: list[DataFileError] = []
    seen: dict[tuple, int] = {}
    studies: set[tuple[str, str]] = set()
    try:
        for line, row in r.rows():
            try:
                record = _upload_row(r, line, row, practices, seen)
            except DataFileError as error:
                errors.append(error)
                if len(errors) >= MAX_UPLOAD_ERRORS:
                    break
                continue
            records.append(record)
            studies.add((record["practice"], record["study"]["key"]))
            if max_studies is not None and len(studies) > max_studies:
                message = (
                    f"the file has more than {max_studies:,} studies (the study on line {line} is number "
                    f"{max_studies + 1:,}): upload at most {max_studies:,} studies in one file, splitting "
                    "a larger set into several files"
                )
                return [], [DataFileError(path, message)]
    except DataFileError as error:
        errors.append(error)
    if not records and not errors:
        errors.append(DataFileError(path, "there are no rows under the header", line=2))
    return records, errors


def _upload_row(r: Reader, line: int, row: dict, practices: set[str], seen: dict) -> dict:
    r.no_control_characters(row, line)
    for name in UPLOAD_HEADER:
        row.setdefault(name, "")  # an optional column left out of the file is blank
    slug = r.text(row, line, "practice", required=True, max_length=120)
    r.check(slug in practices, line, "practice", f"{slug!r} is not a practice in the library")
    citation = r.text(row, line, "citation", required=True, max_length=400)
    year = r.integer(row, line, "year", low=1900, high=2100, required=True)
    design = r.choice(row, line, "design", set(DESIGNS_UPLOAD))
    maryland = r.integer(row, line, "maryland", low=1, high=5)
    sizes = {
        name: r.integer(row, line, name, low=1, high=10**8)
        for name in ("n_intervention", "n_comparison", "n_total")
    }
    if sizes["n_total"] is None and sizes["n_intervention"] and sizes["n_comparison"]:
        sizes["n_total"] = sizes["n_intervention"] + sizes["n_comparison"]
    risk = r.choice(row, line, "risk_of_bias", {"", "low", "some", "high"})
    outcome_name = r.text(row, line, "outcome", required=True, max_length=200)
    r.check(bool(slugify(outcome_name)), line, "outcome", "needs letters or digits")
    measure = r.choice(row, line, "measure", UPLOAD_MEASURES)
    yi = r.number(row, line, "yi")
    if row["vi"]:
        vi = r.number(row, line, "vi")
        r.check(vi > 0, line, "vi", f"{vi} is not a positive variance")
    else:
        r.check(bool(row["ci_lb"] and row["ci_ub"]), line, "vi", "give vi, or both ci_lb and ci_ub")
        lb, ub = r.number(row, line, "ci_lb"), r.number(row, line, "ci_ub")
        r.check(lb < yi < ub, line, "ci_lb", f"the interval {lb} to {ub} does not contain yi = {yi}")
        vi = ((ub - lb) / (2 * 1.959963984540054)) ** 2
    r.check(
        abs(yi) <= MAX_EFFECT,
        line,
        "yi",
        f"{yi} is not a plausible effect size (give it between -{MAX_EFFECT} and {MAX_EFFECT}, OR and RR on "
        "the log scale)",
    )
    r.check(
        MIN_VARIANCE <= vi <= MAX_VARIANCE,
        line,
        "vi" if row["vi"] else "ci_lb",
        f"a variance of {vi:g} is not plausible (it must be between {MIN_VARIANCE:g} and {MAX_VARIANCE:g})",
    )
    url = r.url(row, line, "url")
    key = f"upload-{slugify(citation)[:80]}-{year}"
    outcome = outcome_record(outcome_name)
    duplicate = (slug, key, outcome["slug"])
    r.check(
        duplicate not in seen,
        line,
        "outcome",
        f"repeats line {seen.get(duplicate)} (same practice, study and outcome)",
    )
    seen[duplicate] = line
    return {
        "line": line,
        "practice": slug,
        "study": {
            "key": key,
            "citation": citation,
            "year": year,
            "country": r.text(row, line, "country", max_length=100),
            "design": design,
            "maryland": maryland,
            "risk_of_bias": risk,
            "risk_of_bias_basis": "As given by the council that uploaded the study." if risk else "",
            "url": url,
            **sizes,
        },
        "outcome": outcome,
        "effect": {"measure": measure, "yi": yi, "vi": vi},
    }


DESIGNS_UPLOAD = ("rct", "quasi-experimental", "pre-post", "observational", "not-stated")
