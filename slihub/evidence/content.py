"""The library's own transcriptions (content/README.md): read and checked whole before anything is stored.

``read_content`` reads ``outcomes.csv`` and every ``reviews/*.json`` of a content folder and returns plain
records (outcomes, the practices the files define, studies with their effects, the sources' published
pools, and each synthesis as transcribed, for ``slihub evidence check-content``), or raises DataFileError
naming the file and the JSON path ("furlong-2012.json: syntheses[0].studies[3].data: ...").

Effects are computed here from the numbers as transcribed, which are kept beside them (``inputs``) with
where they were seen (``source_place``):
- means by group: MD (m1 - m2, variance sd1^2/n1 + sd2^2/n2) or SMD, either as metafor's escalc (Hedges'
  g with the exact correction, variance 1/n1 + 1/n2 + g^2/(2N)) or, with ``"effect_size": "revman"``, as
  RevMan 5 (g = d (1 - 3/(4N - 9)), variance N/(n1 n2) + g^2/(2(N - 3.94)));
- events by group: log OR or log RR, adding 1/2 to every cell of a table with a zero cell (escalc and
  RevMan alike); a study with no events in either group (or only events) estimates no ratio and is kept
  unpooled, as RevMan's "not estimable";
- an effect with its 95% confidence interval: yi and vi = ((ub - lb) / (2 x 1.96))^2, on the log scale for
  OR and RR (the printed ratio and its limits);
- an effect with its standard error: yi and se^2 as printed.

Each study records its file (Study.source "review:<file key>"), so a review attaches studies to an EIF
programme without the EIF reload removing them, and a file replaces only its own studies. A study's key
is the file's own; it must be new on its practice (not a starter study's, not another file's).

A source's pooled estimate that the hub knowingly cannot reproduce (the numbers are right as printed,
and still do not reproduce) is marked in the file with ``"reproduces": false`` in ``published``, with the
reason in its ``note``: the data test then expects it not to reproduce.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from slihub.evidence.models import AGE_LABELS, ECM_LABELS, PROBLEM_LABELS, THEME_LABELS, keys
from slihub.sources import DataFileError
from slihub.stats import effect_sizes
from slihub.stats.mantel_haenszel import study_effect, uninformative

CONTENT_DIR = Path(__file__).resolve().parent / "content"
OUTCOMES_FILE = "outcomes.csv"
REVIEWS = "reviews"
STUDY_PREFIX = "review:"  # Study.source of a transcribed study: "review:<file key>"
SOURCE = "review"

MEASURES = ("SMD", "MD", "OR", "RR")
RATIOS = ("OR", "RR")
METHODS = ("DL", "REML", "EE", "MH", "MH-DL")
EFFECT_SIZE_RULES = ("metafor", "revman")
TYPES = ("systematic review", "meta-analysis", "trial report")
KINDS = ("programme", "approach")
LEVELS_OF_NEED = ("Universal", "Targeted-selected", "Targeted-indicated")
#: the file's design words -> the library's designs (and the detail kept beside them)
DESIGNS = {
    "rct": ("rct", ""),
    "cluster-rct": ("rct", "cluster-randomised"),
    "qed": ("quasi-experimental", ""),
    "cohort": ("observational", "cohort study"),
    "not-stated": ("not-stated", ""),
}
RISKS = ("low", "some", "high")
#: what must agree where one study is transcribed for two outcomes (its numbers per outcome may differ)
SAME_STUDY = (
    "citation",
    "year",
    "country",
    "design",
    "design_detail",
    "risk_of_bias",
    "risk_of_bias_basis",
    "url",
)
FORMS = {
    "means": ("m1", "sd1", "n1", "m2", "sd2", "n2"),
    "events": ("events1", "n1", "events2", "n2"),
    "ci": ("yi", "ci_lb", "ci_ub"),
    "se": ("yi", "se"),
}
FORM_WORDS = "needs m1, sd1, n1, m2, sd2, n2 or events1, n1, events2, n2 or yi, ci_lb, ci_ub or yi, se"
Z95 = 1.959963984540054

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://\S+$")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

FILE_KEYS = ({"key", "citation", "syntheses"}, {"url", "doi", "type", "outcomes", "practices", "note"})
OUTCOME_KEYS = ({"slug", "name", "problem", "higher_is_better"}, {"domain"})
PRACTICE_KEYS = (
    {"slug", "name", "kind", "summary"},
    {
        "themes",
        "ecm_outcomes",
        "age_description",
        "age_groups",
        "setting",
        "delivery_model",
        "level_of_need",
        "uk_tested",
        "uk_available",
        "cost_per_child",
        "cost_year",
        "cost_source",
        "cost_statement",
        "synonyms",
    },
)
SYNTHESIS_KEYS = (
    {"practice", "outcome", "measure", "place", "studies"},
    {"effect_size", "published", "note"},
)
PUBLISHED_KEYS = (
    {"method", "estimate", "ci_lb", "ci_ub", "decimals", "place"},
    {"k", "note", "reproduces"},
)
STUDY_KEYS = (
    {"key", "citation", "data"},
    {"year", "country", "design", "place", "risk_of_bias", "risk_of_bias_basis", "url", "note"},
)


@dataclass
class TranscribedSynthesis:
    """One synthesis as its file gives it, with each study's computed effect: what check-content pools."""

    file: str
    index: int
    practice: str
    outcome: str
    measure: str
    effect_size: str
    published: dict | None
    effects: list[dict] = field(default_factory=list)  # {"study", "yi", "vi", "inputs"}

    @property
    def label(self) -> str:
        return f"{self.file}: syntheses[{self.index}] ({self.practice}, {self.outcome})"


@dataclass
class Content:
    outcomes: list[dict]
    practices: list[dict]  # practices the files define (source "review"), without studies
    studies: list[dict]  # each with "practice" (a slug) and "effects"
    pools: list[dict]  # PublishedPool rows with "practice" and "outcome" slugs
    syntheses: list[TranscribedSynthesis]
    files: list[str]  # the review keys read
    citations: list[str]  # their citations (a published pool names its source by it)

    @property
    def practice_slugs(self) -> set[str]:
        return {s["practice"] for s in self.studies} | {p["slug"] for p in self.practices}


class _File:
    """Checks on one JSON document that name the file and the path."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str) -> DataFileError:
        return DataFileError(self.path, f"{where}: {message}" if where else message)

    def check(self, ok: bool, where: str, message: str) -> None:
        if not ok:
            raise self.fail(where, message)

    def object(self, value, where: str, allowed: tuple[set, set]) -> dict:
        required, optional = allowed
        self.check(isinstance(value, dict), where, "must be an object ({...})")
        missing = sorted(required - value.keys())
        self.check(not missing, where, f"needs {', '.join(missing)}")
        unknown = sorted(value.keys() - required - optional)
        self.check(
            not unknown,
            where,
            f"unknown key {', '.join(repr(u) for u in unknown)} "
            f"(allowed: {', '.join(sorted(required | optional))})",
        )
        return value

    def list(self, value, where: str, *, empty: bool = True) -> list:
        self.check(isinstance(value, list), where, "must be a list ([...])")
        self.check(empty or bool(value), where, "is empty")
        return value

    def text(self, value, where: str, max_length: int, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        self.check(isinstance(value, str), where, "must be text")
        value = value.strip()
        self.check(bool(value) or not required, where, "is empty")
        self.check(
            len(value) <= max_length, where, f"is {len(value)} characters long, more than {max_length}"
        )
        found = CONTROL.search(value)
        self.check(found is None, where, "contains a control character: remove it")
        return value

    def slug(self, value, where: str, max_length: int = 120) -> str:
        value = self.text(value, where, max_length)
        self.check(bool(SLUG.match(value)), where, f"{value!r} is not a slug (lower-case words joined by -)")
        return value

    def url(self, value, where: str) -> str:
        value = self.text(value, where, 500)
        self.check(bool(URL.match(value)), where, f"{value!r} is not a web address")
        return value

    def choice(self, value, where: str, allowed) -> str:
        self.check(
            isinstance(value, str) and value in allowed,
            where,
            f"{value!r} is not one of {', '.join(repr(a) for a in allowed)}",
        )
        return value

    def boolean(self, value, where: str) -> bool:
        self.check(isinstance(value, bool), where, "must be true or false")
        return value

    def number(self, value, where: str) -> float:
        self.check(
            isinstance(value, int | float) and not isinstance(value, bool),
            where,
            f"{value!r} is not a number",
        )
        self.check(math.isfinite(value), where, f"{value!r} is not a finite number")
        return float(value)

    def integer(self, value, where: str, low: int, high: int) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        self.check(ok, where, f"{value!r} is not a whole number")
        self.check(low <= value <= high, where, f"{value} is not between {low} and {high}")
        return value

    def keys_of(self, value, where: str, allowed: dict) -> list[str]:
        values = self.list(value, where)
        for i, item in enumerate(values):
            self.choice(item, f"{where}[{i}]", list(allowed))
        return values


# ---------------------------------------------------------------------------------------------
# outcomes.csv


def read_outcomes_csv(path: Path) -> list[dict]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in ("slug", "name", "problem", "higher_is_better") if c not in header]
            if missing:
                raise DataFileError(path, f"no column named {', '.join(missing)}", line=1)
            outcomes, seen = [], {}
            for row in reader:
                line = reader.line_num
                cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
                if None in row:
                    raise DataFileError(path, "more cells than the header has", line=line)
                slug = cells["slug"]
                if not SLUG.match(slug) or len(slug) > 120:
                    raise DataFileError(path, f"slug: {slug!r} is not a slug", line=line, column=1)
                if slug in seen:
                    raise DataFileError(path, f"slug: {slug!r} is already on line {seen[slug]}", line=line)
                seen[slug] = line
                if not cells["name"] or len(cells["name"]) > 200:
                    raise DataFileError(path, "name: is empty or longer than 200 characters", line=line)
                if cells["problem"] not in PROBLEM_LABELS:
                    raise DataFileError(
                        path,
                        f"problem: {cells['problem']!r} is not one of {', '.join(PROBLEM_LABELS)}",
                        line=line,
                    )
                if cells["higher_is_better"] not in ("true", "false"):
                    raise DataFileError(path, "higher_is_better: must be true or false", line=line)
                outcomes.append(
                    {
                        "slug": slug,
                        "name": cells["name"],
                        "problem": cells["problem"],
                        "higher_is_better": cells["higher_is_better"] == "true",
                    }
                )
    except FileNotFoundError:
        raise DataFileError(path, "the file is missing") from None
    except UnicodeDecodeError:
        raise DataFileError(path, "the file is not UTF-8 text") from None
    except csv.Error as error:
        raise DataFileError(path, f"cannot be read as CSV: {error}") from None
    return outcomes


# ---------------------------------------------------------------------------------------------
# one review file


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DataFileError(path, "the file is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            path, f"is not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None


def _outcome(f: _File, value, where: str) -> dict:
    f.object(value, where, OUTCOME_KEYS)
    return {
        "slug": f.slug(value["slug"], f"{where}.slug"),
        "name": f.text(value["name"], f"{where}.name", 200),
        "problem": f.choice(value["problem"], f"{where}.problem", ["", *PROBLEM_LABELS]),
        "higher_is_better": f.boolean(value["higher_is_better"], f"{where}.higher_is_better"),
        "domain": f.text(value.get("domain"), f"{where}.domain", 200, required=False),
    }


def _practice(f: _File, value, where: str, doc: dict) -> dict:
    f.object(value, where, PRACTICE_KEYS)
    cost = None
    if "cost_per_child" in value:
        amount = f.number(value["cost_per_child"], f"{where}.cost_per_child")
        f.check(0 <= amount < 10**8, f"{where}.cost_per_child", f"{amount} is not a cost per child")
        f.check(
            "cost_year" in value and "cost_source" in value,
            f"{where}.cost_per_child",
            "needs cost_year and cost_source (the price year, and where the cost was seen)",
        )
        cost = Decimal(str(amount)).quantize(Decimal("0.01"))
    year = f.integer(value["cost_year"], f"{where}.cost_year", 1990, 2100) if "cost_year" in value else None
    synonyms = [
        f.text(s, f"{where}.synonyms[{i}]", 100)
        for i, s in enumerate(f.list(value.get("synonyms", []), f"{where}.synonyms"))
    ]
    links = [{"label": f"Source: {doc['citation'][:150]}", "url": doc["url"]}] if doc.get("url") else []
    if doc.get("doi"):
        links.append({"label": "DOI", "url": f"https://doi.org/{doc['doi']}"})
    return {
        "slug": f.slug(value["slug"], f"{where}.slug"),
        "name": f.text(value["name"], f"{where}.name", 200),
        "kind": f.choice(value["kind"], f"{where}.kind", KINDS),
        "summary": f.text(value["summary"], f"{where}.summary", 2000),
        "themes": keys(f.keys_of(value.get("themes", []), f"{where}.themes", THEME_LABELS)),
        "ecm_outcomes": keys(f.keys_of(value.get("ecm_outcomes", []), f"{where}.ecm_outcomes", ECM_LABELS)),
        "age_groups": keys(f.keys_of(value.get("age_groups", []), f"{where}.age_groups", AGE_LABELS)),
        "age_description": f.text(
            value.get("age_description"), f"{where}.age_description", 100, required=False
        ),
        "setting": f.text(value.get("setting"), f"{where}.setting", 300, required=False),
        "delivery_model": f.text(value.get("delivery_model"), f"{where}.delivery_model", 100, required=False),
        "level_of_need": (
            f.choice(value["level_of_need"], f"{where}.level_of_need", LEVELS_OF_NEED)
            if "level_of_need" in value
            else ""
        ),
        "uk_tested": f.boolean(value["uk_tested"], f"{where}.uk_tested") if "uk_tested" in value else None,
        "uk_available": (
            f.boolean(value["uk_available"], f"{where}.uk_available") if "uk_available" in value else None
        ),
        "cost_per_child": cost,
        "cost_year": year,
        "cost_source": f.text(value.get("cost_source"), f"{where}.cost_source", 300, required=False),
        "cost_statement": f.text(value.get("cost_statement"), f"{where}.cost_statement", 300, required=False),
        "aliases": "\n".join(dict.fromkeys(synonyms)),
        "links": links,
        "source": SOURCE,
        "source_note": f"Transcribed by the hub from {doc['citation']}",
        "details": {},
    }


def _effect(f: _File, data, where: str, measure: str, rule: str) -> dict:
    """yi, vi and the words for the two groups, from one study's data as transcribed."""
    f.check(isinstance(data, dict), where, "must be an object ({...})")
    present = set(data)
    form = next((name for name in ("means", "events") if present == set(FORMS[name])), None)
    if form is None:
        for name in ("ci", "se"):
            if set(FORMS[name]) <= present <= set(FORMS[name]) | {"n1", "n2"}:
                form = name
    f.check(form is not None, where, FORM_WORDS)
    values = {k: f.number(v, f"{where}.{k}") for k, v in data.items()}
    for name in ("n1", "n2", "events1", "events2"):
        if name in values:
            f.check(values[name].is_integer(), f"{where}.{name}", f"{data[name]!r} is not a whole number")
    for name in ("n1", "n2"):
        if name in values:
            f.check(values[name] >= 1, f"{where}.{name}", "must be at least 1")
    out = {"statement": "", "intervention_value": "", "comparison_value": ""}
    if form == "means":
        f.check(measure in ("SMD", "MD"), where, f"means by group give an SMD or MD, not {measure}")
        for name in ("sd1", "sd2"):
            f.check(values[name] > 0, f"{where}.{name}", "must be more than 0")
        m1, s1, n1, m2, s2, n2 = (values[k] for k in FORMS["means"])
        if measure == "MD":
            yi, vi = m1 - m2, s1**2 / n1 + s2**2 / n2
        else:
            f.check(n1 + n2 >= 4, where, "an SMD needs at least 4 participants")
            if rule == "revman":
                n = n1 + n2
                sd = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n - 2))
                yi = (m1 - m2) / sd * (1 - 3 / (4 * n - 9))
                vi = n / (n1 * n2) + yi**2 / (2 * (n - 3.94))
            else:
                sizes = effect_sizes.smd(m1, s1, n1, m2, s2, n2)
                yi, vi = float(sizes.yi[0]), float(sizes.vi[0])
        out["intervention_value"] = f"mean {data['m1']}, SD {data['sd1']}, {int(n1)} people"
        out["comparison_value"] = f"mean {data['m2']}, SD {data['sd2']}, {int(n2)} people"
    elif form == "events":
        f.check(measure in RATIOS, where, f"events by group give an OR or RR, not {measure}")
        a, n1, c, n2 = (values[k] for k in FORMS["events"])
        f.check(0 <= a <= n1, f"{where}.events1", f"must be between 0 and n1 ({int(n1)})")
        f.check(0 <= c <= n2, f"{where}.events2", f"must be between 0 and n2 ({int(n2)})")
        out["intervention_value"] = f"{int(a)} of {int(n1)}"
        out["comparison_value"] = f"{int(c)} of {int(n2)}"
        if uninformative(a, n1, c, n2):
            yi = vi = None
            out["statement"] = (
                "Not estimable: the same outcome for everyone in both groups (no events, or all)."
            )
        else:
            yi, vi = study_effect(measure, a, n1, c, n2, add=0.5)
    elif form == "ci":
        yi, lb, ub = values["yi"], values["ci_lb"], values["ci_ub"]
        ratio = measure in RATIOS
        if ratio:
            for name in ("yi", "ci_lb", "ci_ub"):
                f.check(values[name] > 0, f"{where}.{name}", f"a ratio ({measure}) must be more than 0")
        f.check(lb < ub, f"{where}.ci_lb", "must be below ci_ub")
        f.check(lb <= yi <= ub, f"{where}.yi", f"{data['yi']} is not within its interval")
        sizes = effect_sizes.from_confidence_interval(yi, lb, ub, log=ratio)
        yi, vi = float(sizes.yi[0]), float(sizes.vi[0])
    else:
        f.check(values["se"] > 0, f"{where}.se", "must be more than 0")
        yi, vi = values["yi"], values["se"] ** 2
    sizes = {k: int(values[k]) for k in ("n1", "n2") if k in values}
    return {"yi": yi, "vi": vi, "n1": sizes.get("n1"), "n2": sizes.get("n2"), **out}


def _study(
    f: _File, value, where: str, file_key: str, measure: str, rule: str, place: str
) -> tuple[dict, dict]:
    f.object(value, where, STUDY_KEYS)
    key = f.slug(value["key"], f"{where}.key", 60)
    design, detail = DESIGNS[f.choice(value.get("design", "not-stated"), f"{where}.design", list(DESIGNS))]
    risk = f.choice(value["risk_of_bias"], f"{where}.risk_of_bias", RISKS) if "risk_of_bias" in value else ""
    basis = f.text(value.get("risk_of_bias_basis"), f"{where}.risk_of_bias_basis", 400, required=False)
    f.check(
        not risk or bool(basis), f"{where}.risk_of_bias", "needs risk_of_bias_basis (whose judgement, where)"
    )
    effect = _effect(f, value["data"], f"{where}.data", measure, rule)
    n1, n2 = effect.pop("n1"), effect.pop("n2")
    study = {
        "key": key,
        "source": f"{STUDY_PREFIX}{file_key}",
        "citation": f.text(value["citation"], f"{where}.citation", 400),
        "year": f.integer(value["year"], f"{where}.year", 1900, 2100) if "year" in value else None,
        "country": f.text(value.get("country"), f"{where}.country", 100, required=False),
        "design": design,
        "design_detail": detail,
        "n_intervention": n1,
        "n_comparison": n2,
        "n_total": n1 + n2 if n1 is not None and n2 is not None else None,
        "risk_of_bias": risk,
        "risk_of_bias_basis": basis,
        "url": f.url(value["url"], f"{where}.url") if "url" in value else "",
        "source_note": f.text(value.get("note"), f"{where}.note", 2000, required=False),
    }
    effect["inputs"] = dict(value["data"])
    effect["source_place"] = f.text(value["place"], f"{where}.place", 2000) if "place" in value else place
    return study, effect


def _published(f: _File, value, where: str, measure: str, k: int) -> dict:
    f.object(value, where, PUBLISHED_KEYS)
    method = f.choice(value["method"], f"{where}.method", METHODS)
    f.check(
        measure in RATIOS or method not in ("MH", "MH-DL"),
        f"{where}.method",
        f"Mantel-Haenszel pools an OR or RR, not an {measure}",
    )
    numbers = {name: f.number(value[name], f"{where}.{name}") for name in ("estimate", "ci_lb", "ci_ub")}
    if measure in RATIOS:
        for name, number in numbers.items():
            f.check(number > 0, f"{where}.{name}", f"a ratio ({measure}) as printed must be more than 0")
    f.check(
        numbers["ci_lb"] <= numbers["estimate"] <= numbers["ci_ub"],
        f"{where}.estimate",
        "is not within ci_lb and ci_ub",
    )
    return {
        "method": method,
        **numbers,
        "decimals": f.integer(value["decimals"], f"{where}.decimals", 0, 6),
        "k": f.integer(value["k"], f"{where}.k", 1, 10_000) if "k" in value else None,
        "place": f.text(value["place"], f"{where}.place", 2000),
        "note": f.text(value.get("note"), f"{where}.note", 4000, required=False),
        "reproduces": f.boolean(value["reproduces"], f"{where}.reproduces")
        if "reproduces" in value
        else None,
    }


def read_review(path: Path, outcome_slugs: set[str]) -> dict:
    """One review file, checked: its outcomes, practices, studies, pools and syntheses as records, with
    practice references left to ``read_content`` (they may name another file's practice)."""
    f = _File(path)
    doc = f.object(_load_json(path), "", FILE_KEYS)
    file_key = f.slug(doc["key"], "key", 50)
    f.check(file_key == path.stem, "key", f"{file_key!r} is not the file's name ({path.stem!r})")
    doc["citation"] = f.text(doc["citation"], "citation", 2000)
    if "url" in doc:
        doc["url"] = f.url(doc["url"], "url")
    if "doi" in doc:
        doc["doi"] = f.text(doc["doi"], "doi", 200)
    if "type" in doc:
        f.choice(doc["type"], "type", TYPES)
    outcomes = [
        _outcome(f, o, f"outcomes[{i}]") for i, o in enumerate(f.list(doc.get("outcomes", []), "outcomes"))
    ]
    own_outcomes = {o["slug"] for o in outcomes}
    for i, o in enumerate(outcomes):
        f.check(
            o["slug"] not in outcome_slugs,
            f"outcomes[{i}].slug",
            f"{o['slug']!r} is already in outcomes.csv: use it without defining it again",
        )
        f.check(o["slug"] not in {x["slug"] for x in outcomes[:i]}, f"outcomes[{i}].slug", "is defined twice")
    practices = [
        _practice(f, p, f"practices[{i}]", doc)
        for i, p in enumerate(f.list(doc.get("practices", []), "practices"))
    ]
    for i, p in enumerate(practices):
        f.check(
            p["slug"] not in {x["slug"] for x in practices[:i]}, f"practices[{i}].slug", "is defined twice"
        )
    studies: dict[tuple[str, str], tuple[str, dict]] = {}  # (practice, key) -> (where, study)
    pools, syntheses, references = [], [], []
    seen_pairs: dict[tuple[str, str], str] = {}
    for i, s in enumerate(f.list(doc["syntheses"], "syntheses", empty=False)):
        where = f"syntheses[{i}]"
        f.object(s, where, SYNTHESIS_KEYS)
        practice = f.slug(s["practice"], f"{where}.practice")
        outcome = f.slug(s["outcome"], f"{where}.outcome")
        f.check(
            outcome in own_outcomes or outcome in outcome_slugs,
            f"{where}.outcome",
            f"{outcome!r} is neither in this file's outcomes nor in outcomes.csv",
        )
        pair = (practice, outcome)
        f.check(
            pair not in seen_pairs, f"{where}", f"repeats {seen_pairs.get(pair)} (same practice and outcome)"
        )
        seen_pairs[pair] = where
        measure = f.choice(s["measure"], f"{where}.measure", MEASURES)
        rule = f.choice(s.get("effect_size", "metafor"), f"{where}.effect_size", EFFECT_SIZE_RULES)
        place = f.text(s["place"], f"{where}.place", 2000)
        f.text(s.get("note"), f"{where}.note", 4000, required=False)
        members = f.list(s["studies"], f"{where}.studies", empty=False)
        transcribed = TranscribedSynthesis(path.name, i, practice, outcome, measure, rule, None)
        keys_here: set[str] = set()
        for j, raw in enumerate(members):
            at = f"{where}.studies[{j}]"
            study, effect = _study(f, raw, at, file_key, measure, rule, place)
            f.check(study["key"] not in keys_here, f"{at}.key", "appears twice in this synthesis")
            keys_here.add(study["key"])
            earlier = studies.get((practice, study["key"]))
            if earlier is None:
                study["practice"] = practice
                study["where"] = at
                study["effects"] = []
                studies[(practice, study["key"])] = (at, study)
            else:
                first_at, first = earlier
                differs = [k for k, v in study.items() if k in SAME_STUDY and first[k] != v]
                f.check(not differs, at, f"differs from {first_at} (the same study) in {', '.join(differs)}")
                study = first
            study["effects"].append({"outcome": outcome, "measure": measure, **effect})
            transcribed.effects.append(
                {"study": raw["key"], "yi": effect["yi"], "vi": effect["vi"], "inputs": effect["inputs"]}
            )
        if "published" in s:
            published = _published(f, s["published"], f"{where}.published", measure, len(members))
            if published["method"] in ("MH", "MH-DL"):
                for j, raw in enumerate(members):
                    f.check(
                        set(raw["data"]) == set(FORMS["events"]),
                        f"{where}.studies[{j}].data",
                        f"Mantel-Haenszel ({published['method']}) needs events1, n1, events2, n2 "
                        "for every study",
                    )
            transcribed.published = published
            pools.append(
                {
                    "practice": practice,
                    "outcome": outcome,
                    "measure": measure,
                    "method": published["method"],
                    "estimate": published["estimate"],
                    "ci_lb": published["ci_lb"],
                    "ci_ub": published["ci_ub"],
                    "decimals": published["decimals"],
                    "k": published["k"],
                    "citation": doc["citation"],
                    "url": doc.get("url", ""),
                    "place": published["place"],
                    "note": published["note"],
                }
            )
        syntheses.append(transcribed)
        references.append((f"{where}.practice", practice))
    return {
        "key": file_key,
        "citation": doc["citation"],
        "path": path,
        "outcomes": outcomes,
        "practices": practices,
        "studies": [study for _, study in studies.values()],
        "pools": pools,
        "syntheses": syntheses,
        "references": references,
    }


def read_content(
    content_dir: Path | str | None = None,
    *,
    known_practices: set[str] | None = None,
    known_studies: set[tuple[str, str]] = frozenset(),
    known_outcomes: set[str] | None = None,
) -> Content:
    """Every file of the content folder, checked together. ``known_practices``: the slugs of the starter
    content (a synthesis may name one; None skips that check). ``known_studies``: its (practice, study key)
    pairs, which a transcription may not reuse. ``known_outcomes``: the starter's outcome slugs, which the
    content may not redefine."""
    folder = Path(content_dir) if content_dir else CONTENT_DIR
    if not folder.is_dir():
        raise DataFileError(folder, "the content folder does not exist")
    csv_outcomes = read_outcomes_csv(folder / OUTCOMES_FILE)
    csv_slugs = {o["slug"] for o in csv_outcomes}
    files = [read_review(path, csv_slugs) for path in sorted((folder / REVIEWS).glob("*.json"))]
    outcomes: dict[str, tuple[str, dict]] = {o["slug"]: (OUTCOMES_FILE, o) for o in csv_outcomes}
    practices: dict[str, tuple[str, dict]] = {}
    pairs: dict[tuple[str, str], str] = {}
    for item in files:
        f = _File(item["path"])
        for i, outcome in enumerate(item["outcomes"]):
            where = f"outcomes[{i}].slug"
            earlier = outcomes.get(outcome["slug"])
            f.check(
                earlier is None or earlier[1] == outcome,
                where,
                f"{outcome['slug']!r} is defined differently in {earlier[0] if earlier else ''}",
            )
            f.check(
                known_outcomes is None or outcome["slug"] not in known_outcomes,
                where,
                f"{outcome['slug']!r} is an outcome of the starter content: choose another slug",
            )
            outcomes.setdefault(outcome["slug"], (item["path"].name, outcome))
        for i, practice in enumerate(item["practices"]):
            where = f"practices[{i}].slug"
            earlier = practices.get(practice["slug"])
            f.check(
                earlier is None, where, f"{practice['slug']!r} is already defined in {earlier and earlier[0]}"
            )
            f.check(
                known_practices is None or practice["slug"] not in known_practices,
                where,
                f"{practice['slug']!r} is a starter practice: name it in a synthesis without defining it",
            )
            practices[practice["slug"]] = (item["path"].name, practice)
        for synthesis in item["syntheses"]:
            pair = (synthesis.practice, synthesis.outcome)
            where = f"syntheses[{synthesis.index}]"
            f.check(
                pair not in pairs,
                where,
                f"{pairs.get(pair)} already transcribes this practice and outcome (one source for each)",
            )
            pairs[pair] = f"{item['path'].name} {where}"
    study_keys: dict[tuple[str, str], str] = {}
    for item in files:
        f = _File(item["path"])
        for study in item["studies"]:
            at, here = study["where"], (study["practice"], study["key"])
            f.check(
                here not in known_studies,
                f"{at}.key",
                f"{study['key']!r} is already a starter study of {study['practice']!r}: give it another key",
            )
            f.check(
                here not in study_keys,
                f"{at}.key",
                f"{study_keys.get(here)} already has a study {study['key']!r} on {study['practice']!r}: "
                "give it another key",
            )
            study_keys[here] = f"{item['path'].name} {at}"
    for item in files:
        f = _File(item["path"])
        for where, slug in item["references"]:
            f.check(
                slug in practices or known_practices is None or slug in known_practices,
                where,
                f"{slug!r} is neither a practice defined in the content nor a starter practice",
            )
    return Content(
        outcomes=[o for _, o in outcomes.values()],
        practices=[p for _, p in practices.values()],
        studies=[s for item in files for s in item["studies"]],
        pools=[p for item in files for p in item["pools"]],
        syntheses=[s for item in files for s in item["syntheses"]],
        files=[item["key"] for item in files],
        citations=[item["citation"] for item in files],
    )
