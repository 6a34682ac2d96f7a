"""Creating, opening and sending surveys: audiences, single-use links, no double invites."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Membership, Role
from vangnet.cells.services import cell_create, membership_add
from vangnet.events.models import BodyMembership, BodyRole, NetworkBody
from vangnet.questionnaires.services import template_current
from vangnet.surveys import services
from vangnet.surveys.models import Audience, Status, Survey, SurveyInvitation
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = pytest.mark.django_db


def _emails(start: int = 0) -> set[str]:
    return {m.to[0] for m in mail.outbox[start:]}


def test_it_creates_a_cell_survey_from_the_library_through_the_form(personas, client):
    sign_in(client, personas.alice)
    template = template_current("partner-collaboration", survey=True)
    response = client.post(
        f"/cells/{personas.mechelen.pk}/surveys/new/",
        {
            "template": str(template.pk),
            "title": "Partners 2025",
            "intro": "Short and anonymous.",
            "audience": Audience.CELL_PARTNERS,
            "anonymous_link": "on",
        },
    )
    assert response.status_code == 302
    with scope(cell=personas.mechelen.pk):
        survey = Survey.objects.get()
    assert survey.cell == personas.mechelen and survey.template == template
    assert survey.status == Status.DRAFT and survey.anonymous_link
    assert survey.created_by == personas.alice
    event = AuditEvent.objects.get(action="surveys.survey.created")
    assert "Partners" not in str(event.data)


def test_it_refuses_a_vvsg_audience_for_a_cell_and_a_past_closing_date(personas, client):
    sign_in(client, personas.alice)
    template = template_current("partner-collaboration", survey=True)
    url = f"/cells/{personas.mechelen.pk}/surveys/new/"
    data = {"template": str(template.pk), "title": "X", "audience": Audience.ALL_MEMBERS}
    assert client.post(url, data).status_code == 400
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data.update(audience=Audience.CELL_MEMBERS, closes_on=yesterday.isoformat())
    response = client.post(url, data)
    assert response.status_code == 400 and b"in the past" in response.content
    assert client.post(url, {**data, "template": "nonsense"}).status_code == 400
    with scopes_disabled():
        assert not Survey.objects.exists()


def test_it_sends_one_content_free_single_use_link_to_every_member(personas, make_survey):
    survey, tokens = make_survey(audience=Audience.CELL_MEMBERS)
    # Alice, Bob, Ilse and Pim; Mona (municipal staff) is not a member of the cell's pages.
    assert _emails() == {
        u.email for u in (personas.alice, personas.bob, personas.ilse, personas.pim)
    }
    assert len(set(tokens)) == 4
    body = mail.outbox[0].body
    assert "Signals 2025" in body and "anonymous" in body
    assert "Mechelen" not in body and "Alice" not in body
    with scopes_disabled():
        stored = set(SurveyInvitation.objects.values_list("token_hash", flat=True))
    assert not any(token in stored for token in tokens)  # only hashes are stored
    assert survey.invited_user_ids == sorted(survey.invited_user_ids)


def test_partners_only_leaves_out_managers_and_the_mayor(personas, make_survey):
    make_survey(audience=Audience.CELL_PARTNERS)
    assert _emails() == {personas.ilse.email, personas.pim.email}


def test_sending_again_only_invites_people_not_yet_invited(
    personas, make_survey, django_capture_on_commit_callbacks
):
    survey, _tokens = make_survey()
    newcomer = make_user("nora@example.org", "Nora Nieuw")
    with scopes_disabled():
        membership_add(cell=personas.mechelen, user=newcomer, role=Role.MEMBER)
    start = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        assert services.survey_invite(survey=survey, user=personas.alice) == 1
        assert services.survey_invite(survey=survey, user=personas.alice) == 0
    assert _emails(start) == {newcomer.email}


def test_links_are_sent_only_while_the_survey_is_open(personas, make_survey):
    survey, _tokens = make_survey(send=False)
    with scopes_disabled():
        draft = services.survey_create(
            cell=personas.mechelen,
            template=survey.template,
            title="Draft",
            intro="",
            audience=Audience.CELL_MEMBERS,
            anonymous_link=False,
            closes_on=None,
            user=personas.alice,
        )
        with pytest.raises(ValidationError):
            services.survey_invite(survey=draft, user=personas.alice)
        services.survey_close(survey=survey, user=personas.alice)
        with pytest.raises(ValidationError):
            services.survey_invite(survey=survey, user=personas.alice)
        with pytest.raises(ValidationError):
            services.survey_open(survey=survey, user=personas.alice)


def test_the_send_button_works_for_the_coordinator(personas, client, make_survey):
    survey, _tokens = make_survey(send=False)
    sign_in(client, personas.alice)
    base = f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/"
    response = client.post(base + "send/", follow=True)
    assert b"4 personal links were sent" in response.content
    assert AuditEvent.objects.get(action="surveys.survey.invited").data == {"count": 4}


def _vvsg_world(personas):
    """A sandbox cell and an ended membership beside the personas."""
    with scopes_disabled():
        sandbox = cell_create(name="Oefencel", nis_codes=["11002"])
        sandbox.is_sandbox = True
        sandbox.save(update_fields=["is_sandbox"])
        sam = make_user("sam@example.org", "Sam Sandbox")
        membership_add(cell=sandbox, user=sam, role=Role.COORDINATOR)
        membership_add(cell=sandbox, user=personas.alice, role=Role.COORDINATOR)  # also real
        eddy = make_user("eddy@example.org", "Eddy Ended")
        ended = membership_add(cell=personas.wingene, user=eddy, role=Role.DEPUTY_COORDINATOR)
        Membership.objects.filter(pk=ended.pk).update(ended_at=timezone.now())
    return sam, eddy


def test_vvsg_reaches_coordinators_of_real_cells_once_never_sandboxes_or_ended_members(
    personas, make_survey
):
    _sam, _eddy = _vvsg_world(personas)
    survey, tokens = make_survey(cell=None, audience=Audience.COORDINATORS, slug="cell-needs")
    assert _emails() == {personas.alice.email, personas.walter.email}
    assert len(tokens) == 2  # Alice coordinates a real cell and a sandbox: one link
    assert survey.cell_id is None


def test_vvsg_reaches_all_members_of_all_real_cells(personas, make_survey):
    _sam, _eddy = _vvsg_world(personas)
    make_survey(cell=None, audience=Audience.ALL_MEMBERS)
    expected = {personas.alice, personas.bob, personas.ilse, personas.pim, personas.walter}
    assert _emails() == {u.email for u in expected}  # not Mona (municipal staff), Sam, Eddy


def test_vvsg_reaches_the_active_members_of_a_network_body(personas, make_survey):
    body = NetworkBody.objects.create(kind="working_group", name="Werkgroep LIVC")
    BodyMembership.objects.create(body=body, user=personas.walter, role=BodyRole.CHAIR)
    BodyMembership.objects.create(body=body, user=personas.pim, role=BodyRole.MEMBER)
    BodyMembership.objects.create(
        body=body, user=personas.ilse, role=BodyRole.MEMBER, ended_at=timezone.now()
    )
    make_survey(cell=None, audience=Audience.BODY, body=body)
    assert _emails() == {personas.walter.email, personas.pim.email}


def test_a_body_survey_needs_a_body(personas):
    with scopes_disabled(), pytest.raises(ValidationError):
        services.survey_create(
            cell=None,
            template=template_current("cell-needs", survey=True),
            title="X",
            intro="",
            audience=Audience.BODY,
            anonymous_link=False,
            closes_on=None,
            user=personas.vera,
        )


def test_vvsg_creates_opens_and_sends_through_the_support_pages(personas, client):
    sign_in(client, personas.vera)
    template = template_current("cell-needs", survey=True)
    response = client.post(
        "/support/surveys/new/",
        {"template": str(template.pk), "title": "Needs 2025", "audience": Audience.COORDINATORS},
    )
    assert response.status_code == 302
    with scopes_disabled():
        survey = Survey.objects.get()
    assert survey.cell_id is None
    assert client.post(f"/support/surveys/{survey.pk}/open/").status_code == 302
    response = client.post(f"/support/surveys/{survey.pk}/send/", follow=True)
    assert b"2 personal links were sent" in response.content


def test_the_personal_data_check_guards_title_and_intro(personas, client):
    sign_in(client, personas.alice)
    template = template_current("partner-collaboration", survey=True)
    response = client.post(
        f"/cells/{personas.mechelen.pk}/surveys/new/",
        {
            "template": str(template.pk),
            "title": "Survey",
            "intro": "Questions? Call 0475 12 34 56",
            "audience": Audience.CELL_MEMBERS,
        },
    )
    assert response.status_code == 400 and b"personal data" in response.content
