from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from vangnet.accounts.models import TOTPDevice, User
from vangnet.cells.models import Cell, Membership, Role

pytestmark = pytest.mark.django_db


def test_it_loads_three_cells_with_every_role_and_is_idempotent():
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())
    assert Cell.objects.count() == 3
    assert Cell.objects.get(name="LIVC R Lierde-Horebeke-Maarkedal").is_joint
    with scopes_disabled():
        for cell in Cell.objects.all():
            roles = set(Membership.objects.filter(cell=cell).values_list("role", flat=True))
            assert roles == set(Role.values)
    assert User.objects.filter(platform_role="vvsg_staff").count() == 1
    assert User.objects.filter(email__startswith="buitenstaander@").exists()
    # Every persona can pass MFA: a confirmed authenticator exists for each.
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()
    text = out.getvalue()
    assert "coordinator.mechelen@demo.vangnet.invalid" in text
    assert "demo_otp" in text


def test_it_prints_the_current_code_of_a_demo_persona():
    call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command(
        "demo_otp", "coordinator.mechelen@demo.vangnet.invalid", stdout=out, stderr=StringIO()
    )
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    device = TOTPDevice.objects.get(user__email="coordinator.mechelen@demo.vangnet.invalid")
    assert device.verify_token(code)


def test_it_refuses_codes_for_accounts_outside_the_demo(personas):
    with pytest.raises(CommandError):
        call_command("demo_otp", "alice@example.org", stdout=StringIO(), stderr=StringIO())


def test_it_refuses_to_load_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="production"):
        call_command("demo", stdout=StringIO())


def test_it_gives_the_cells_realistic_networks_and_one_coverage_warning():
    from django_scopes import scope

    from vangnet.network.services import coverage_for_cell

    call_command("demo", stdout=StringIO())
    warnings = {}
    for cell in Cell.objects.all():
        with scope(cell=cell.pk):
            warnings[cell.name] = coverage_for_cell(cell).warning
    assert warnings == {
        "LIVC R Mechelen": False,
        "LIVC R Wingene": True,
        "LIVC R Lierde-Horebeke-Maarkedal": False,
    }
