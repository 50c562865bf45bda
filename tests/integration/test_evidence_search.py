"""The library's search (stems, synonyms, aliases), its ranking (what the hub recommends first), its
filters on the page and the API, and EEF strands renamed between toolkit versions made one practice.

Run on PostgreSQL too: DATABASE_URL=postgres://.../test_<name> pytest <this file>.
"""

import csv
import difflib
import itertools
import os
from pathlib import Path

import pytest

from slihub.evidence import importers, search
from slihub.evidence.models import EffectEstimate, Outcome, Practice, Study, Synthesis, keys
from slihub.evidence.selectors import Filters, practices
from slihub.evidence.services import load_evidence
from slihub.places.importers import DataFileError
from tests.integration.evidence_fixtures import write_evidence

pytestmark = pytest.mark.django_db

POOLED = dict(
    measure="SMD", k=3, estimate=0.3, se=0.1, ci_lb=0.1, ci_ub=0.5, pi_lb=0.0, pi_ub=0.6, tau2=0.0, i2=0.0,
    certainty_start="high", eif_level="", rule="r", rule_reason="",
)  # fmt: skip


def outcome(slug, problem=""):
    found, _ = Outcome.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize(), "problem": problem}
    )
    return found


def make(slug, name, summary="", *, aliases="", pooled=(), studies=(), **fields):
    """A practice; ``pooled``: (outcome slug, problem, recommendation, certainty[, reproduces]);
    ``studies``: (outcome slug, problem) for a study of it with no pooled result."""
    made = Practice.objects.create(
        slug=slug, name=name, summary=summary, aliases=aliases, source="test", **fields
    )
    for slug_, problem, recommendation, certainty, *reproduces in pooled:
        Synthesis.objects.create(
            practice=made,
            outcome=outcome(slug_, problem),
            recommendation=recommendation,
            certainty=certainty,
            impact=f"Moderate impact: the {slug_} test figure.",
            reproduces=reproduces[0] if reproduces else None,
            **POOLED,
        )
    for i, (slug_, problem) in enumerate(studies):
        study = Study.objects.create(practice=made, key=f"s{i}", citation=f"{name} trial {i}", year=2020)
        EffectEstimate.objects.create(study=study, outcome=outcome(slug_, problem), statement="Better")
    return made


# (slug, name, summary): each says a thing in one source's words only
WORDED = [
    ("parent-training", "Incredible Toddlers", "Behavioural parent training for parents of toddlers."),
    ("parenting-programme", "Family Links", "A parenting programme run in children's centres."),
    ("in-care", "Stable Homes", "Support for children in care and their foster carers."),
    ("looked-after", "Virtual Heads", "Support for looked after children and their carers."),
    ("disruptive", "Good Behaviour Game", "A classroom game that reduces disruptive behaviour."),
    ("conduct", "Clinic Groups", "Groups for children with conduct problems."),
    ("delinquency", "Multisystemic Therapy", "Intensive family therapy for delinquency."),
    ("young-offenders", "Mentoring Plus", "Mentoring for young offenders after release."),
    ("out-of-home", "Keeping Together", "Intensive work that prevents out-of-home placement."),
    ("entry-to-care", "Family Group Conferencing", "Family meetings that reduce entry to care."),
    ("maltreatment", "SafeCare", "Home visits to prevent child maltreatment."),
    ("neglect", "Neglect Toolkit", "Assessing neglect with families."),
    ("attainment", "Tutoring Boost", "Small group tutoring that raises attainment."),
    ("education", "Virtual School", "Education support for pupils."),
    ("substance", "Teen Drug Prevention", "Prevention of substance abuse among adolescents."),
]


@pytest.fixture
def worded():
    for slug, name, summary in WORDED:
        make(slug, name, summary)
    make("aliased", "Positive Parenting Program", aliases="Triple P\nWebster-Stratton groups")
    search.reindex()


def found(query) -> set[str]:
    ids = search.search_ids(query)
    return set(Practice.objects.filter(pk__in=ids).values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the brief's examples, each way round
        ("parenting", {"parent-training", "parenting-programme"}),
        ("parent training", {"parent-training", "parenting-programme"}),
        ("looked after", {"in-care", "looked-after"}),
        ("children in care", {"in-care", "looked-after"}),
        ("looked after children", {"in-care", "looked-after"}),
        ("conduct problems", {"disruptive", "conduct"}),
        ("behaviour problems", {"disruptive", "conduct"}),
        ("disruptive behaviour", {"disruptive", "conduct"}),
        ("youth offending", {"delinquency", "young-offenders"}),
        ("young offenders", {"delinquency", "young-offenders"}),
        ("offending", {"delinquency", "young-offenders"}),
        ("delinquency", {"delinquency", "young-offenders"}),
        ("entry to care", {"out-of-home", "entry-to-care"}),
        ("out of home placement", {"out-of-home", "entry-to-care"}),
        ("care entry", {"out-of-home", "entry-to-care"}),
        ("placement", {"out-of-home", "entry-to-care"}),
        ("maltreatment", {"maltreatment", "neglect"}),
        ("child protection", {"maltreatment", "neglect"}),
        ("neglect", {"maltreatment", "neglect"}),
        ("school", {"attainment", "education"}),
        ("attainment", {"attainment", "education"}),
        ("education", {"attainment", "education"}),
    ],
)
def test_synonyms_find_each_other(worded, query, expected):
    assert expected <= found(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("preventing", {"out-of-home", "maltreatment", "substance"}),  # prevents, prevent, prevention
        ("reduced", {"disruptive", "entry-to-care"}),  # reduces, reduce: a stem, not a prefix
        ("programmes", {"parenting-programme"}),  # a plural
        ("tutor", {"attainment"}),  # a prefix of tutoring
        ("triple p", {"aliased"}),  # an alias
        ("webster stratton", {"aliased"}),
    ],
)
def test_stems_prefixes_and_aliases(worded, query, expected):
    assert found(query) == expected


def test_synonyms_stay_apart_where_they_should(worded):
    assert "substance" not in found("maltreatment")  # "abuse" alone is not searched for maltreatment
    assert "substance" in found("abuse")  # but a search for it finds it
    assert "substance" in found("substance misuse")
    assert not found("looked after zebra")  # every term must match


def test_query_syntax_never_reaches_the_index(worded):
    for query in ['"', "AND OR NOT", "*", "parent*)", "-", "a:b", "NEAR(x y)", "_", "!:*", "care & | !"]:
        search.search_ids(query)  # no error
    assert found("parent & | training") == found("parent training")


# --- ranking


@pytest.fixture
def ranked():
    make("empty", "Reading Reading", "Reading for reading's sake: reading every day.")
    make("studied", "Studied", "A reading scheme.", studies=[("reading-age", "education")])
    make("published", "Published", "A reading strand.", eef_months=3)
    make(
        "harmful",
        "Harmful",
        "A reading scheme.",
        pooled=[("reading-age", "education", "Do not offer", "high")],
    )
    make(
        "research",
        "Research",
        "A reading scheme.",
        pooled=[("reading-age", "education", "Only in research", "low")],
    )
    make("consider", "Consider", "Reading.", pooled=[("reading-age", "education", "Consider", "low")])
    make("offer", "Offer", "reading", pooled=[("reading-age", "education", "Offer", "moderate")])
    make(  # its only result fails to reproduce its source's pooled estimate: not a recommendation
        "unreproduced",
        "Unreproduced",
        "reading",
        pooled=[("reading-age", "education", "Offer", "high", False)],
        studies=[("reading-age", "education")],
    )
    search.reindex()


ORDER = ["offer", "consider", "research", "harmful"]


def slugs(found) -> list[str]:
    return [p.slug for p in found]


def test_a_recommendation_ranks_above_a_better_text_match(ranked):
    assert search.search_ids("reading")[0] == Practice.objects.get(slug="empty").pk  # the best text match
    order = slugs(practices(Filters(q="reading"))[:20])
    assert order[:4] == ORDER  # by usefulness
    assert set(order[4:7]) == {"studied", "published", "unreproduced"}  # studies or a publisher's rating
    assert order[-1] == "empty"


def test_the_library_without_a_query_ranks_alike(ranked):
    order = slugs(practices(Filters())[:20])
    assert order[:4] == ORDER and order[-1] == "empty"
    assert order[4:7] == ["published", "studied", "unreproduced"]  # then by name


def test_each_result_shows_its_recommendation_certainty_effect_and_studies(client, ranked):
    body = client.get("/evidence/", {"q": "reading"}).content.decode()
    offer = body.split('href="/evidence/offer/"')[1].split("</li>")[0]
    assert ">Offer</strong> · moderate certainty" in offer
    assert "Moderate impact: the reading-age test figure." in offer and "0 studies" in offer
    studied = body.split('href="/evidence/studied/"')[1].split("</li>")[0]
    assert "No recommendation yet" in studied and "1 study" in studied
    published = body.split('href="/evidence/published/"')[1].split("</li>")[0]
    assert "EEF Toolkit: +3 months" in published
    unreproduced = body.split('href="/evidence/unreproduced/"')[1].split("</li>")[0]
    assert "No recommendation yet" in unreproduced and "does not reproduce its source" in unreproduced
    empty = body.split('href="/evidence/empty/"')[1].split("</li>")[0]
    assert "Nothing pooled yet" in empty
    assert body.index('href="/evidence/offer/"') < body.index('href="/evidence/empty/"')


def test_the_api_ranks_alike_and_gives_each_practice_its_headline(client, ranked):
    items = client.get("/api/v1/evidence/practices", {"q": "reading"}).json()["items"]
    assert [p["slug"] for p in items[:4]] == ORDER and items[-1]["slug"] == "empty"
    assert (items[0]["recommendation"], items[0]["certainty"]) == ("Offer", "moderate")
    assert items[0]["effect"].startswith("Reading age: Moderate impact")
    studied = next(p for p in items if p["slug"] == "studied")
    assert studied["study_count"] == 1 and studied["recommendation"] == "No recommendation yet"


# --- filters


@pytest.fixture
def filtered():
    make(
        "school-offer",
        "School Offer",
        "A programme.",
        pooled=[
            ("reading-age", "education", "Offer", "high"),
            ("behaviour-score", "behaviour", "Consider", "low"),
        ],
        cost_rating=1,
        age_groups=keys(["5-11"]),
        themes=keys(["schools_communities"]),
    )
    make(
        "behaviour-mixed",
        "Behaviour Mixed",
        "A programme.",
        pooled=[
            ("behaviour-score", "behaviour", "Offer", "moderate"),
            ("reading-age", "education", "Do not offer", "low"),
        ],
        cost_rating=3,
        age_groups=keys(["0-4", "5-11"]),
        themes=keys(["parents_carers_families"]),
    )
    make(
        "offending-studied",
        "Offending Studied",
        "A programme.",
        studies=[("arrests", "offending")],
        cost_rating=5,
        age_groups=keys(["12-18"]),
        themes=keys(["youth"]),
    )
    make("eef-strand", "Strand", "A programme.", eef_months=4, cost_rating=2, age_groups=keys(["5-11"]))
    search.reindex()


def listed(client, params) -> set[str]:
    body = client.get("/evidence/", params).content.decode()
    results = body.split('id="results"')[1]
    return {
        slug
        for slug in ("school-offer", "behaviour-mixed", "offending-studied", "eef-strand")
        if f'"/evidence/{slug}/"' in results
    }


def api(client, params) -> set[str]:
    response = client.get("/api/v1/evidence/practices", params)
    assert response.status_code == 200, response.content
    return {p["slug"] for p in response.json()["items"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"problem": "offending"}, {"offending-studied"}),  # a study of an outcome on the problem
        ({"problem": "education"}, {"school-offer", "behaviour-mixed", "eef-strand"}),  # an EEF strand too
        ({"problem": ["offending", "behaviour"]}, {"offending-studied", "school-offer", "behaviour-mixed"}),
        ({"recommendation": "Offer"}, {"school-offer", "behaviour-mixed"}),
        ({"recommendation": ["Do not offer", "Consider"]}, {"school-offer", "behaviour-mixed"}),
        ({"problem": "education", "recommendation": "Offer"}, {"school-offer"}),  # on the same result
        ({"problem": "education", "recommendation": "Do not offer"}, {"behaviour-mixed"}),
        ({"certainty": "high"}, {"school-offer"}),
        ({"certainty": ["low", "moderate"]}, {"school-offer", "behaviour-mixed"}),
        ({"problem": "behaviour", "certainty": "high"}, set()),
        ({"cost_rating": "1"}, {"school-offer"}),
        ({"cost_rating": ["3", "5"]}, {"behaviour-mixed", "offending-studied"}),
        ({"age": "0-4"}, {"behaviour-mixed"}),
        ({"age": ["0-4", "12-18"]}, {"behaviour-mixed", "offending-studied"}),
        ({"theme": ["youth", "schools_communities"]}, {"school-offer", "offending-studied"}),
        ({"q": "programme", "age": "5-11", "cost_rating": ["1", "2"]}, {"school-offer", "eef-strand"}),
    ],
)
def test_each_filter_on_the_page_and_the_api(client, filtered, params, expected):
    assert listed(client, params) == expected
    assert api(client, params) == expected


def test_unknown_filter_values_are_ignored_on_the_page_and_refused_by_the_api(client, filtered):
    assert len(listed(client, {"problem": "nope", "cost_rating": "9", "age": "x"})) == 4
    for params in ({"problem": "nope"}, {"cost_rating": "9"}, {"recommendation": "Maybe"}):
        response = client.get("/api/v1/evidence/practices", params)
        assert response.status_code == 422 and response.json()["detail"]


def test_the_page_keeps_the_query_and_the_chosen_filters(client, filtered):
    body = client.get(
        "/evidence/", {"q": "programme", "problem": "education", "recommendation": ["Offer", "Consider"]}
    ).content.decode()
    assert 'name="q" type="search" value="programme"' in body
    assert 'name="problem" type="checkbox" value="education" checked' in body
    assert 'name="recommendation" type="checkbox" value="Offer" checked' in body
    assert 'name="recommendation" type="checkbox" value="Consider" checked' in body
    assert 'name="recommendation" type="checkbox" value="Do not offer">' in body
    assert "Filtered by what problem: School outcomes; recommendation: Offer or Consider." in body
    assert 'href="/evidence/?q=programme">Clear the filters' in body


def test_the_api_documents_its_filters(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/evidence/practices"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    for name in ("q", "problem", "recommendation", "certainty", "cost_rating", "age", "theme", "outcome"):
        assert parameters[name].get("description") or parameters[name]["schema"].get("description"), name
    assert parameters["problem"]["schema"]["type"] == "array"


# --- EEF strands renamed between toolkit versions

SPRING_2013 = "Sutton Trust-EEF Teaching and Learning Toolkit, Spring 2013 (PDF)"
OCTOBER_2014 = "Sutton Trust-EEF Teaching and Learning Toolkit, October 2014 (PDF)"
PDF_2018 = "Teaching & Learning Toolkit PDF generated 10 Oct 2018"


def strand(name, version, months, cost=3, padlocks=3, url=""):
    return {
        "toolkit": "Teaching and Learning",
        "strand": name,
        "toolkit_version": version,
        "impact_months": f"{months:+d}",
        "headline_verbatim": f"{name}: {months:+d} months",
        "cost_rating_1to5": str(cost),
        "evidence_padlocks_1to5": str(padlocks),
        "url": url,
    }


RENAMED = [
    strand("Extended school time", SPRING_2013, 2, padlocks=2, url="https://example.org/2013"),
    strand("Extending school time", OCTOBER_2014, 2, url="https://example.org/2014"),
    strand("Extending school time", PDF_2018, 3, url="https://example.org/2018"),
    strand("After school programmes", SPRING_2013, 2, cost=4),  # beside it in 2013: another strand
]
OLD = "eef-teaching-and-learning-extended-school-time"
NEW = "eef-teaching-and-learning-extending-school-time"


@pytest.fixture
def strands(tmp_path):
    load_evidence(write_evidence(tmp_path, strands=RENAMED))


def test_a_renamed_strand_is_one_practice_with_its_ratings_newest_first(strands):
    assert not Practice.objects.filter(slug=OLD).exists()
    merged = Practice.objects.get(slug=NEW)
    assert merged.name == "Extending school time (Teaching and Learning Toolkit)"
    assert merged.eef_months == 3 and merged.eef_padlocks == 3  # the newest version's figures
    assert [
        (r["version"], r["strand"], r["months"], r["cost"], r["evidence"]) for r in merged.rating_history
    ] == [
        (PDF_2018, "Extending school time", 3, 3, 3),
        (OCTOBER_2014, "Extending school time", 2, 3, 3),
        (SPRING_2013, "Extended school time", 2, 3, 2),
    ]
    assert merged.aliases == "Extended school time"
    assert Practice.objects.filter(slug="eef-teaching-and-learning-after-school-programmes").exists()
    assert search.search_ids("extended school time") == [merged.pk]  # found by its old name


def test_the_old_address_redirects_permanently(client, strands):
    response = client.get(f"/evidence/{OLD}/", {"page": "1"})
    assert response.status_code == 301 and response["Location"] == f"/evidence/{NEW}/?page=1"
    csv_response = client.get(f"/evidence/{OLD}/studies.csv")
    assert csv_response.status_code == 301 and csv_response["Location"] == f"/evidence/{NEW}/studies.csv"
    assert client.get(response["Location"]).status_code == 200
    data = client.get(f"/api/v1/evidence/practices/{OLD}").json()
    assert (
        data["slug"] == NEW
        and len(data["rating_history"]) == 3
        and data["aliases"] == ["Extended school time"]
    )


def test_a_renaming_is_refused_when_both_names_are_in_one_version(tmp_path):
    rows = [strand("Extended school time", SPRING_2013, 2), strand("Extending school time", SPRING_2013, 2)]
    with pytest.raises(
        DataFileError, match="'Extended school time' and 'Extending school time' are one strand renamed"
    ):
        load_evidence(write_evidence(tmp_path, strands=rows))


def test_the_ratings_table_can_be_included_on_a_practice_page(strands):
    from django.template.loader import render_to_string

    html = render_to_string("evidence/_rating_history.html", {"practice": Practice.objects.get(slug=NEW)})
    assert "Ratings across toolkit versions" in html
    assert html.index("10 Oct 2018") < html.index("Spring 2013")
    assert "“Extended school time”" in html and "+3" in html


STARTER = Path(
    os.environ.get("SLIHUB_EVIDENCE_DIR")
    or Path(os.environ.get("SLIHUB_DATA_DIR", "/nowhere")).parent / "evidence"
)


@pytest.mark.skipif(not (STARTER / importers.EEF_STRANDS).is_file(), reason="no starter content folder")
def test_every_near_duplicate_strand_name_in_the_real_file_is_decided():
    """Two names of one toolkit that are nearly the same and never in one version are a renaming: they
    must be in EEF_RENAMED. A renaming's old name must end before the new one starts."""
    with (STARTER / importers.EEF_STRANDS).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    versions: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        versions.setdefault((row["toolkit"], row["strand"]), set()).add(
            importers.EEF_VERSIONS.index(row["toolkit_version"])  # 0 is the newest
        )
    near = set()
    for (toolkit, a), (other, b) in itertools.combinations(sorted(versions), 2):
        similar = difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.8
        if toolkit == other and similar and not versions[toolkit, a] & versions[toolkit, b]:
            near.add((toolkit, *sorted([a, b])))
    decided = {(toolkit, *sorted([old, new])) for (toolkit, old), new in importers.EEF_RENAMED.items()}
    assert near == decided
    for (toolkit, old), new in importers.EEF_RENAMED.items():
        assert min(versions[toolkit, old]) > max(versions[toolkit, new])  # the old name is older throughout
    read = importers.read_eef_strands(STARTER / importers.EEF_STRANDS)
    assert len(read) == len(versions) - len(importers.EEF_RENAMED)
