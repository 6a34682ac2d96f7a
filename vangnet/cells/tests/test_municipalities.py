from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from vangnet.cells.models import Municipality
from vangnet.cells.services import cell_create

pytestmark = pytest.mark.django_db


def test_it_loads_the_285_flemish_municipalities():
    assert Municipality.objects.count() == 285
    per_province = Counter(Municipality.objects.values_list("province_nl", flat=True))
    assert per_province == {
        "Antwerpen": 67,
        "Vlaams-Brabant": 63,
        "West-Vlaanderen": 62,
        "Oost-Vlaanderen": 55,
        "Limburg": 38,
    }


def test_it_knows_the_2025_mergers():
    merged = Municipality.objects.get(nis_code="46030")
    assert merged.name_nl == "Beveren-Kruibeke-Zwijndrecht"
    assert merged.province_nl == "Oost-Vlaanderen"


def test_it_creates_a_joint_cell_with_a_framework():
    cell = cell_create(name="LIVC R Lierde-Horebeke", nis_codes=["45063", "45062"])
    assert cell.is_joint
    from django_scopes import scope

    with scope(cell=cell.pk):
        assert cell.framework.finality.startswith("Preventie van terroristische misdrijven")


def test_it_refuses_an_unknown_municipality():
    with pytest.raises(ValidationError):
        cell_create(name="Nergens", nis_codes=["99999"])
