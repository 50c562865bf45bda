"""The command line a user meets: `slihub load-public-data` and `slihub create-demo-accounts`."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from slihub.accounts.models import Membership, Role, User
from slihub.places.models import Authority
from tests.integration.test_loader import LA_FILE, write_files

SLIHUB = Path(sys.executable).with_name("slihub")


def run_slihub(*args, tmp_path, **env) -> subprocess.CompletedProcess:
    """The installed console script, on a SQLite database in its own var folder: never the developer's."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {"SLIHUB_VAR_DIR": str(tmp_path / "var")} | env
    return subprocess.run(
        [str(SLIHUB), *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


def call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_load_public_data_explains_itself(tmp_path):
    result = run_slihub("load-public-data", "--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--data-dir" in result.stdout
    assert "Idempotent and all-or-nothing" in " ".join(result.stdout.split())


def test_load_public_data_refuses_a_missing_folder_with_a_clear_message(tmp_path):
    result = run_slihub("load-public-data", "--data-dir", "/nonexistent", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "The data folder /nonexistent does not exist" in result.stderr
    assert "derived_la_reference.csv" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert "Traceback" not in result.stderr


def test_load_public_data_raises_a_command_error_naming_the_folder(empty_places):
    with pytest.raises(CommandError, match="The data folder /nonexistent does not exist"):
        call("load-public-data", "--data-dir", "/nonexistent")


def test_load_public_data_names_the_bad_line_and_changes_nothing(tmp_path, empty_places):
    folder = write_files(tmp_path)
    path = folder / LA_FILE
    path.write_text(path.read_text().replace("380,E08000032", "380,E08000032X", 1))
    with pytest.raises(CommandError) as refused:
        call("load-public-data", "--only", "reference", "--data-dir", str(folder))
    assert str(refused.value).startswith(f"{LA_FILE}, line 4, column 2: new_la_code:")
    assert str(refused.value).endswith("Nothing was changed.")
    assert not Authority.objects.exists()


def test_load_public_data_loads_then_finds_nothing_to_do(tmp_path, empty_places):
    folder = write_files(tmp_path)
    first = call("load-public-data", "--only", "reference", "--data-dir", str(folder))
    assert "Read derived_la_reference.csv: 12 authorities" in first
    assert "nothing changed" not in first
    assert Authority.objects.current().count() == 12
    second = call("load-public-data", "--only", "reference", "--data-dir", str(folder))
    assert second.strip().splitlines()[-1].endswith("nothing changed.")


def test_load_public_data_makes_one_alliance_per_english_region_once(tmp_path, empty_places):
    from slihub.alliances.models import Alliance
    from slihub.places.models import Region

    folder = write_files(tmp_path)
    call("load-public-data", "--only", "reference", "--data-dir", str(folder))
    regions = Region.objects.filter(parent=None)
    made = sorted(Alliance.objects.values_list("region__code", "name"))
    assert made == sorted((r.code, f"{r.name} improvement alliance") for r in regions)
    assert made  # the files hold regions
    call("load-public-data", "--only", "reference", "--data-dir", str(folder))
    assert sorted(Alliance.objects.values_list("region__code", "name")) == made


@pytest.fixture
def demo_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # where the demo password is kept
    return tmp_path


def test_create_demo_accounts_makes_both_sides_of_every_journey_once(places, demo_var):
    first = call("create-demo-accounts")
    second = call("create-demo-accounts")

    assert User.objects.count() == 12
    assert sorted(
        Membership.objects.values_list("user__username", "role", "authority__code", "region__code")
    ) == [
        ("camden.admin", Role.COUNCIL_ADMIN, "202", None),
        ("camden.analyst", Role.COUNCIL_MEMBER, "202", None),
        ("camden.chief.executive", Role.CHIEF_EXECUTIVE, "202", None),
        ("camden.director", Role.DIRECTOR, "202", None),
        ("camden.lead.member", Role.LEAD_MEMBER, "202", None),
        ("evidence.editor", Role.EVIDENCE_EDITOR, None, None),
        ("islington.admin", Role.COUNCIL_ADMIN, "206", None),
        ("islington.analyst", Role.COUNCIL_MEMBER, "206", None),
        ("leeds.admin", Role.COUNCIL_ADMIN, "383", None),
        ("leeds.analyst", Role.COUNCIL_MEMBER, "383", None),
        ("london.coordinator", Role.ALLIANCE_COORDINATOR, None, "E12000007"),
        ("national.admin", Role.NATIONAL_ADMIN, None, None),
    ]
    assert first.count("(new)") == 12
    assert "evidence.editor" in first and "Evidence editor" in first
    assert "(new)" not in second
    # grouped by council, each login with what it can do in plain words
    camden, islington, leeds = (first.index(f"\n{name}\n") for name in ("Camden", "Islington", "Leeds"))
    assert camden < first.index("camden.admin") < first.index("camden.lead.member") < islington
    assert islington < first.index("islington.analyst") < leeds < first.index("leeds.analyst")
    assert first.index("\nLondon alliance\n") < first.index("london.coordinator")
    assert first.index("\nAcross England\n") < first.index("national.admin")
    assert "accepting loans" in first and "publishes councils' study uploads" in first
    password = (demo_var / "demo-password").read_text().strip()
    assert password in first and password in second
    assert User.objects.get(username="national.admin").check_password(password)
    assert User.objects.get(username="islington.admin").check_password(password)
    assert User.objects.get(username="national.admin").is_staff
    assert not User.objects.get(username="leeds.admin").is_staff
    assert not User.objects.get(username="evidence.editor").is_staff  # no admin site: reviews in the hub


def test_create_demo_accounts_asks_for_the_reference_data_first(empty_places, demo_var):
    with pytest.raises(CommandError, match="Load the reference data first"):
        call("create-demo-accounts")
    assert not User.objects.exists()


def test_create_demo_accounts_is_refused_in_production(places, demo_var, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never made in production"):
        call("create-demo-accounts")
    assert not User.objects.exists()
