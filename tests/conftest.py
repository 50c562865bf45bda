"""Fixtures for every test folder."""

import pytest

TEST_CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty local cache (never Redis, even when REDIS_URL is set), and with the
    page cache off: most tests write their data with factories, not through the importers that bump the
    data releases, so a page cached before such a write would hide it. tests/integration/
    test_page_cache.py turns it on (the `page_cache` fixture) and checks the releases that do the work."""
    from django.core.cache import cache

    settings.CACHES = TEST_CACHES
    settings.PAGE_CACHE = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production."""
    settings.PAGE_CACHE = True
