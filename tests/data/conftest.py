"""The data tests load the real public files from SLIHUB_DATA_DIR once per session and check the import."""

import os
from pathlib import Path

import pytest

from slihub.indicators.services import load_indicator_data
from slihub.inspections.services import load_inspections
from slihub.places.services import load_reference_data


@pytest.fixture(scope="session")
def data_dir() -> Path:
    folder = os.environ.get("SLIHUB_DATA_DIR")
    if not folder or not Path(folder).is_dir():
        pytest.skip("SLIHUB_DATA_DIR does not name the folder of public files")
    return Path(folder)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, data_dir):
    """The test database with the real reference data loaded once; each test rolls back its own changes."""
    with django_db_blocker.unblock():
        load_reference_data(data_dir)
        load_inspections(data_dir)
        load_indicator_data(data_dir)
