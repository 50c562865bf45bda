"""Server time of the tartan rug with the full bank loaded: London's 33 councils against 30 core
indicators (target: under 300 ms median on SQLite, rendered afresh, without the page cache)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 20
COLUMNS = 30


def main() -> None:
    if not _fixtures.load_public_data(alliances=True):
        return
    from django.conf import settings
    from django.test import Client

    from slihub.alliances.models import Alliance
    from slihub.alliances.services import default_core_indicators
    from slihub.indicators.models import Comparison, Indicator

    london = Alliance.objects.select_related("region").get(region__slug="london")
    # The default core indicators, topped up to 30 with other banded indicators London has figures for.
    slugs = default_core_indicators()
    extra = (
        Indicator.objects.exclude(slug__in=slugs)
        .exclude(polarity="none")
        .filter(id__in=Comparison.objects.filter(authority__region=london.region).values("indicator_id"))
        .order_by("code")
        .values_list("slug", flat=True)
    )
    london.core_indicators = (slugs + list(extra))[:COLUMNS]
    london.save()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PAGE_CACHE = False  # the server's own time, as a signed-in visitor or a fresh release sees it
    client = Client()
    councils = london.members().count()
    pages = [
        (
            f"tartan rug, London ({councils} councils x {len(london.core_indicators)} indicators)",
            "/alliances/london/tartan-rug/",
        ),
        ("tartan rug CSV, London", "/alliances/london/tartan-rug.csv"),
        ("alliance page, London", "/alliances/london/"),
        ("alliance list", "/alliances/"),
        ("tartan rug API, London", "/api/v1/alliances/london/tartan-rug"),
    ]
    _django.print_page_medians(client, pages, REPEATS)


if __name__ == "__main__":
    main()
