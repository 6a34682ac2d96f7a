from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Model
from django_scopes import scopes_disabled

from vangnet.accounts.models import TOTPDevice, User
from vangnet.cells.models import Cell, Membership, Role
from vangnet.demo.people import DEMO_DOMAIN, DEMO_PASSWORD
from vangnet.demo.services import demo_cells
from vangnet.forum.models import Post, Thread
from vangnet.helpdesk.models import Attachment, CannedAnswer, Message, Question
from vangnet.knowledge.models import GoodPractice, Item, ItemFile

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    """Rows of the models the demo fills beyond the cells' own work (tested in their modules)."""
    models: list[type[Model]] = [User, Cell, Membership, Question, Message, Attachment]
    models += [CannedAnswer, Item, ItemFile, GoodPractice, Thread, Post]
    with scopes_disabled():
        return {model.__name__: model._default_manager.count() for model in models}


def test_it_loads_three_cells_with_every_role_and_is_idempotent():
    out = StringIO()
    call_command("demo", stdout=out)
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    assert demo_cells().count() == 3
    assert Cell.objects.get(name="LIVC R Lierde-Horebeke-Maarkedal").is_joint
    with scopes_disabled():
        for cell in demo_cells():
            roles = set(Membership.objects.filter(cell=cell).values_list("role", flat=True))
            assert roles == set(Role.values)
        # Every other cell only has the municipal-staff member who asks the helpdesk.
        # (The tabletop exercise's training cell is no cell of a local government.)
        others = Membership.objects.real().exclude(cell__in=demo_cells())
        assert others.count() == Cell.objects.real().count() - 3
        assert set(others.values_list("role", flat=True)) == {Role.MUNICIPAL_STAFF}
    assert User.objects.filter(platform_role="vvsg_staff").count() == 1
    assert User.objects.filter(email__startswith="buitenstaander@").exists()
    # Every persona can pass MFA: a confirmed authenticator exists for each.
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()
    text = out.getvalue()
    assert "coordinator.mechelen@demo.vangnet.invalid" in text
    assert "gemeente.mechelen@demo.vangnet.invalid" in text
    assert "demo_otp" in text
    # The support-desk personas sign in like the others.
    for local in ("gemeente.mechelen", "gemeente.antwerpen"):
        assert User.objects.get(email=f"{local}@{DEMO_DOMAIN}").check_password(DEMO_PASSWORD)


@pytest.mark.usefixtures("demo_without_support_desk")
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


@pytest.mark.usefixtures("demo_without_support_desk")
def test_it_gives_the_cells_realistic_networks_and_one_coverage_warning():
    from django_scopes import scope

    from vangnet.network.services import coverage_for_cell

    call_command("demo", stdout=StringIO())
    warnings = {}
    for cell in demo_cells():
        with scope(cell=cell.pk):
            warnings[cell.name] = coverage_for_cell(cell).warning
    assert warnings == {
        "LIVC R Mechelen": False,
        "LIVC R Wingene": True,
        "LIVC R Lierde-Horebeke-Maarkedal": False,
    }
