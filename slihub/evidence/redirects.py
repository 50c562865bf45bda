"""Old addresses of practices that are now part of another (EEF strands renamed between toolkit versions,
merged into their newest name: importers.EEF_RENAMED): each redirects permanently, query string kept, so
that bookmarks and links from elsewhere keep working."""

from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from slihub.evidence.importers import MOVED_SLUGS


def _moved(old: str, new: str) -> list:
    return [
        path(
            f"evidence/{old}/",
            RedirectView.as_view(
                url=reverse_lazy("evidence-practice", args=[new]), permanent=True, query_string=True
            ),
        ),
        path(
            f"evidence/{old}/studies.csv",
            RedirectView.as_view(
                url=reverse_lazy("evidence-practice-studies", args=[new]), permanent=True, query_string=True
            ),
        ),
    ]


urlpatterns = [pattern for old, new in sorted(MOVED_SLUGS.items()) for pattern in _moved(old, new)]
