"""Server time of the indicator pages with the full bank loaded: LAIT's 'LAC' map and the catalogue."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
import _fixtures  # noqa: E402

REPEATS = 20


def main() -> None:
    if not _fixtures.load_public_data():
        return
    from django.conf import settings
    from django.test import Client

    from slihub.indicators.models import Indicator

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    lac = Indicator.objects.get(code="LAC")
    pages = [
        (f"map of {lac.code}, latest period", lac.get_absolute_url()),
        (f"map of {lac.code}, sorted by value", lac.get_absolute_url() + "?sort=value&order=desc"),
        (f"map of {lac.code}, Camden's neighbours", lac.get_absolute_url() + "?la=202&show=neighbours"),
        ("catalogue", "/indicators/"),
        ("catalogue search", "/indicators/?q=looked+after&theme=vulnerable_children"),
        ("table CSV", f"/indicators/{lac.slug}/table.csv"),
        ("table Excel", f"/indicators/{lac.slug}/table.xlsx"),
        ("tidy CSV, every period", f"/indicators/{lac.slug}/tidy.csv"),
    ]
    _django.print_page_medians(client, pages, REPEATS)


if __name__ == "__main__":
    main()
