"""Server time of a regional improvement priority tracked over time with the full bank loaded: London's
33 councils, a priority of 12 indicators (the most a priority may name), every period of each, and the
list of priorities and the API (rendered afresh, without the page cache)."""

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 20


def main() -> None:
    if not _fixtures.load_public_data(alliances=True):
        return
    from django.conf import settings
    from django.test import Client

    from slihub.accounts.models import Role
    from slihub.accounts.services import ensure_user
    from slihub.alliances.models import Alliance
    from slihub.alliances.priorities import MAX_INDICATORS, save_priority
    from slihub.alliances.services import default_core_indicators

    london = Alliance.objects.select_related("region").get(region__slug="london")
    admin = ensure_user(
        username="bench.admin", full_name="Bench Admin", password="x" * 20, role=Role.NATIONAL_ADMIN
    )[0]
    slugs = default_core_indicators()[:MAX_INDICATORS]
    priority = save_priority(
        user=admin,
        alliance=london,
        title="Benchmark priority",
        description="",
        indicators=slugs,
        agreed_on=date(2022, 6, 1),
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PAGE_CACHE = False
    client = Client()
    councils = london.members().count()
    pages = [
        (
            f"priority page, London ({councils} councils x {len(slugs)} indicators, every period)",
            f"/alliances/london/priorities/{priority.pk}/",
        ),
        ("priority API, London", f"/api/v1/priorities/{priority.pk}"),
        ("priorities list, London", "/alliances/london/priorities/"),
    ]
    _django.print_page_medians(client, pages, REPEATS)


if __name__ == "__main__":
    main()
