"""An import never loses history: a release holding only its new year adds it and keeps the years before;
replacing a whole source takes --replace-source, which lists what it removes before removing it."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from slihub.indicators.models import Comparison, Value
from slihub.indicators.services import _plan, import_tidy_file
from slihub.jobs.models import Job
from slihub.places import releases
from slihub.places.importers import DataFileError
from tests.integration.test_indicator_importer import good_rows, row, write
from tests.integration.test_jobs import immediate, tidy_file, upload, uploads  # noqa: F401 (fixtures)

INDICATOR = "dfe:rereferral_percent"


def cells(**filters) -> dict:
    found = Value.objects.filter(indicator__source="cin_referrals", **filters)
    return {
        (v.indicator.code, v.period.label, v.area_type, v.authority and v.authority.code, v.region_id): (
            v.value,
            v.status,
        )
        for v in found.select_related("indicator", "period", "authority")
    }


def one_year(year="2025", camden="15", islington="x", leeds="28"):
    return [
        row(year, "National", percent="21"),
        row(year, "Regional", region="E12000007", percent="23"),
        row(year, "Local authority", "202", "E12000007", camden),
        row(year, "Local authority", "206", "E12000007", islington),
        row(year, "Local authority", "383", "E12000003", leeds),
    ]


@pytest.fixture
def loaded(places, tmp_path):
    """Three years (2022 to 2024) of the cin_referrals mapping, as a first release would bring them."""
    import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals")
    return cells()


def test_a_one_year_file_after_a_multi_year_one_keeps_every_earlier_value(loaded, tmp_path):
    report = import_tidy_file(write(tmp_path, one_year(), name="c1_2025.csv"), mapping="cin_referrals")
    now = cells()
    assert {key: now[key] for key in loaded} == loaded, "every earlier value is still there, unchanged"
    new = {key: cell for key, cell in now.items() if key[1] == "2025"}
    assert len(new) == len(now) - len(loaded) == 5 * 3  # 5 areas, 3 measures
    assert new[INDICATOR, "2025", "la", "206", None] == (None, "x")
    assert report.changed and not report.removed and not report.values_removed


def test_the_comparisons_of_a_partial_import_use_the_years_it_kept(loaded, tmp_path):
    import_tidy_file(write(tmp_path, one_year(), name="c1_2025.csv"), mapping="cin_referrals")
    camden = {
        c.period.label: c
        for c in Comparison.objects.filter(indicator__code=INDICATOR, authority__code="202").select_related(
            "period"
        )
    }
    assert set(camden) == {"2022", "2023", "2024", "2025"}
    assert camden["2025"].change == -1.0  # 15 against 2024's 16: the kept year is the comparator
    assert camden["2025"].trend_3 == "improving"  # 18, 16, 15 (lower is better)
    assert (camden["2025"].rank, camden["2025"].ranked) == (1, 2)  # Islington is suppressed
    assert (camden["2025"].region_value, camden["2025"].england_value) == (23.0, 21.0)


def test_a_file_holding_a_stored_year_updates_that_year_and_keeps_the_others(loaded, tmp_path):
    # A revised 2024: Camden's figure changes, Leeds's 2024 row is not in the file at all.
    revised = [line for line in one_year("2024", camden="17", islington="31") if ",383," not in line]
    import_tidy_file(write(tmp_path, revised, name="c1_2024_revised.csv"), mapping="cin_referrals")
    now = cells()
    assert now[INDICATOR, "2024", "la", "202", None] == (17.0, "")
    assert now[INDICATOR, "2024", "la", "383", None] == loaded[INDICATOR, "2024", "la", "383", None]
    assert len(now) == len(loaded)
    camden = Comparison.objects.get(indicator__code=INDICATOR, authority__code="202", period__label="2024")
    assert (camden.value, camden.change) == (17.0, -1.0)


def test_a_partial_import_releases_the_cached_pages_of_its_indicators(loaded, tmp_path):
    name = releases.indicator("dfe-rereferral-percent")
    before = releases.versions([name])[name]
    import_tidy_file(write(tmp_path, one_year(), name="c1_2025.csv"), mapping="cin_referrals")
    cache.clear()  # the versions are cached for a few seconds
    assert releases.versions([name])[name] != before


def test_replace_source_removes_what_the_file_does_not_hold_and_says_so_first(loaded, tmp_path, capsys):
    path = write(tmp_path, one_year(), name="c1_2025.csv")
    call_command("import-indicators", str(path), mapping="cin_referrals", replace_source=True)
    out = capsys.readouterr().out
    assert set(cells()) == {key for key in cells() if key[1] == "2025"} and len(cells()) == 15
    said = f"cin_referrals: {INDICATOR}: 15 values removed; periods removed: 2022, 2023, 2024"
    assert said in out
    assert out.index(said) < out.index("values 15 added"), "the removal is listed before it happens"
    assert "45 stored values removed, listed above" in out
    assert not Comparison.objects.exclude(period__label="2025").exists()


def test_replace_source_counts_cells_removed_from_a_period_the_file_keeps(loaded, tmp_path):
    lines = [line for line in good_rows() if not line.startswith("2022") and ",383," not in line]
    report = import_tidy_file(
        write(tmp_path, lines, name="less.csv"), mapping="cin_referrals", replace_source=True
    )
    assert report.removed["cin_referrals"][INDICATOR] == {"2022": 5, "2023": 1, "2024": 1}
    assert any(
        line.endswith("periods removed: 2022; cells removed from 2023 (1), 2024 (1)")
        for line in report.removal
    )


def test_replace_source_loads_even_the_file_loaded_last(loaded, tmp_path):
    """Reloading the same file with --replace-source is not skipped: the source may hold more."""
    import_tidy_file(write(tmp_path, one_year(), name="c1_2025.csv"), mapping="cin_referrals")
    report = import_tidy_file(write(tmp_path, good_rows()), mapping="cin_referrals", replace_source=True)
    assert not report.skipped and report.values_removed == 15
    assert {key[1] for key in cells()} == {"2022", "2023", "2024"}


def test_a_bad_one_year_file_changes_nothing(loaded, tmp_path):
    bad = one_year(camden="-3")
    with pytest.raises(DataFileError):
        import_tidy_file(write(tmp_path, bad, name="bad.csv"), mapping="cin_referrals", replace_source=True)
    assert cells() == loaded
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import-indicators", str(write(tmp_path, bad, name="bad.csv")), mapping="cin_referrals")
    assert cells() == loaded


def test_a_final_figure_supersedes_the_provisional_one_of_the_same_year():
    stored = {
        ("X", "2024 (prov)", "la", "202"): (1, 5.0, ""),
        ("X", "2023", "la", "202"): (2, 4.0, ""),
        ("Y", "2024 (prov)", "la", "202"): (3, 7.0, ""),
    }
    plan = _plan([("X", "2024", "la", "202", 6.0, None)], stored, replace=False)
    assert plan.delete_ids == [1] and plan.removed == {"X": {"2024 (prov)": 1}}
    assert (plan.added, plan.kept) == (1, 2)  # X 2023 and Y's provisional year are kept


def test_an_import_from_the_web_keeps_the_years_before(
    as_persona,
    loaded,
    uploads,  # noqa: F811 (the fixture imported above)
    django_capture_on_commit_callbacks,
    places,
):
    client = as_persona("national_admin")
    upload(client, tidy_file(places), capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    now = cells()
    assert {key: now[key] for key in loaded if key[1] != "2024"} == {
        key: cell for key, cell in loaded.items() if key[1] != "2024"
    }
    assert now[INDICATOR, "2024", "la", "202", None] == (20.0, "")  # the upload's 2024 figure
