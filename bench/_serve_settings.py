"""Settings for the throughput benchmark's server: the hub's own, with DEBUG off and static files served by
WhiteNoise from the apps' folders (no collectstatic needed), as a deployment serves them."""

import os

from slihub.settings import *  # noqa: F403
from slihub.settings import CACHES

DEBUG = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

if os.environ.get("REDIS_URL"):
    # Each run keeps its entries under a prefix of its own, deleted when it ends.
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "slihub")
