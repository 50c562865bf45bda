"""The hub reads DfE's tidy files where LAIT has no figure yet (slihub.indicators.series, early
warning): each pairing must be the same statistic, so every cell the two sources share must hold the
same value."""

import pytest

from slihub.indicators.models import AreaType, Value
from slihub.indicators.series import PAIRS

pytestmark = pytest.mark.django_db


def cells(code: str) -> dict:
    rows = (
        Value.objects.filter(indicator__code=code, value__isnull=False)
        .exclude(area_type=AreaType.REGION)
        .values_list("area_type", "authority_id", "period__end_year", "value")
    )
    return {(area, authority, year): value for area, authority, year, value in rows}


@pytest.mark.parametrize(("lait", "dfe"), PAIRS.items())
def test_each_dfe_equivalent_equals_laits_figure_on_every_shared_cell(lait, dfe):
    ours, theirs = cells(lait), cells(dfe)
    shared = ours.keys() & theirs.keys()
    assert len(shared) > 500, "the two sources should share several years of every authority"
    assert any(area == AreaType.ENGLAND for area, _, _ in shared)
    different = {k: (ours[k], theirs[k]) for k in shared if ours[k] != theirs[k]}
    assert not different, (
        f"{lait} and {dfe} differ on {len(different)} cells, such as {next(iter(different.items()))}"
    )
