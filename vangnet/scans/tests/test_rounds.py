from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cells.services import cell_create, membership_add
from vangnet.questionnaires.models import Template
from vangnet.questionnaires.services import template_current
from vangnet.scans import services
from vangnet.scans.models import Answer, Response, Round
from vangnet.tests_support.personas import make_user, sign_in

pytestmark = pytest.mark.django_db


def open_round(cell, user, title="Ronde") -> Round:
    with scope(cell=cell.pk):
        return services.round_open(
            cell=cell, title=title, does_case_management=True, opened_by=user
        )


def answer_all(client: Client, path: str, value: str = "4") -> None:
    page = client.get(path).content.decode()
    data = {}
    for name in set(re.findall(r'name="(a__[^"]+)"', page)):
        options = re.findall(rf'name="{re.escape(name)}" value="([^"]+)"', page)
        if not options:
            data[name] = "Meer partners aan tafel"
        else:
            data[name] = value if value in options else options[0]
    response = client.post(path, data)
    assert response.status_code == 200, response.status_code
    assert "error-summary" not in response.content.decode()


class TestLinks:
    def test_a_personal_link_works_once_without_an_account(
        self, personas, client, django_capture_on_commit_callbacks
    ):
        scan_round = open_round(personas.mechelen, personas.alice)
        with django_capture_on_commit_callbacks(execute=True), scope(cell=personas.mechelen.pk):
            sent = services.round_invite(scan_round=scan_round, user=personas.alice)
        assert sent == 4 and len(mail.outbox) == 4
        assert all("Fictief" not in m.body for m in mail.outbox)
        path = re.search(r"(/scan/[^/\s]+/)", mail.outbox[0].body).group(1)
        anonymous = Client()
        answer_all(anonymous, path)
        assert anonymous.get(path).status_code == 410
        assert anonymous.post(path, {}).status_code == 410
        with scopes_disabled():
            response = Response.objects.get()
            assert Answer.objects.filter(response=response).count() > 10
        # Only role and sector are kept: nothing links the response to a person.
        field_names = {f.name for f in Response._meta.get_fields()}
        assert not {"user", "email", "invitation"} & field_names

    def test_inviting_twice_sends_no_second_link(
        self, personas, django_capture_on_commit_callbacks
    ):
        scan_round = open_round(personas.mechelen, personas.alice)
        with django_capture_on_commit_callbacks(execute=True), scope(cell=personas.mechelen.pk):
            services.round_invite(scan_round=scan_round, user=personas.alice)
            assert services.round_invite(scan_round=scan_round, user=personas.alice) == 0

    def test_a_forged_or_closed_link_is_refused(
        self, personas, client, django_capture_on_commit_callbacks
    ):
        assert client.get("/scan/forged/").status_code == 410
        scan_round = open_round(personas.mechelen, personas.alice)
        with django_capture_on_commit_callbacks(execute=True), scope(cell=personas.mechelen.pk):
            services.round_invite(scan_round=scan_round, user=personas.alice)
            services.round_close(scan_round=scan_round, user=personas.alice)
        path = re.search(r"(/scan/[^/\s]+/)", mail.outbox[0].body).group(1)
        assert client.get(path).status_code == 410

    def test_bad_values_are_refused_and_nothing_is_stored(
        self, personas, client, django_capture_on_commit_callbacks
    ):
        scan_round = open_round(personas.mechelen, personas.alice)
        with django_capture_on_commit_callbacks(execute=True), scope(cell=personas.mechelen.pk):
            services.round_invite(scan_round=scan_round, user=personas.alice)
        path = re.search(r"(/scan/[^/\s]+/)", mail.outbox[0].body).group(1)
        page = client.get(path).content.decode()
        name = re.findall(r'name="(a__structure__[^"]+)"', page)[0]
        assert client.post(path, {name: "9"}).status_code == 200
        with scopes_disabled():
            assert not Response.objects.exists()
        assert client.get(path).status_code == 200  # still usable


class TestBenchmark:
    def closed_round_with(self, cell, user, value: int) -> Round:
        scan_round = open_round(cell, user)
        template = scan_round.template.definition
        with scope(cell=cell.pk):
            invitation = services.RespondentInvitation.objects.create(
                cell=cell, round=scan_round, token_hash=f"{cell.pk}{value}", role="member"
            )
        answers: dict[tuple[str, str, str], tuple[int | None, str]] = {
            (m["key"], s, i["key"]): (value, "")
            for m in template["modules"]
            for s in (m["situations"] or [""])
            for i in m["indicators"]
            if i["kind"] == "likert"
        }
        services.response_submit(invitation=invitation, answers=answers)
        with scope(cell=cell.pk):
            services.round_close(scan_round=scan_round, user=user)
        return scan_round

    def cells(self, count, offset=0):
        from vangnet.cells.models import Municipality

        codes = list(Municipality.objects.order_by("nis_code").values_list("nis_code", flat=True))
        return [
            cell_create(name=f"Cel {offset + i}", nis_codes=[codes[offset + i]])
            for i in range(count)
        ]

    def test_four_cells_show_no_benchmark_and_five_do(self, personas):
        user = personas.alice
        others = self.cells(4)
        rounds = [self.closed_round_with(cell, user, 3) for cell in others]
        with scope(cell=others[0].pk):
            bench = services.benchmark(rounds[0])
        assert all(v["flanders"] is None for v in bench.values())
        fifth = self.cells(1, offset=4)[0]
        self.closed_round_with(fifth, user, 5)
        with scope(cell=others[0].pk):
            bench = services.benchmark(rounds[0])
        # four cells at 50 and one at 100 → 60
        assert bench["structure"]["flanders"] == 60.0
        assert bench["structure"]["flanders_cells"] == 5


class TestAccessAndSharing:
    def test_vvsg_sees_results_only_when_shared(self, personas, client):
        scan_round = open_round(personas.mechelen, personas.alice)
        sign_in(client, personas.vera)
        assert client.get(f"/support/scans/{scan_round.pk}/").status_code == 404
        coordinator = Client()
        sign_in(coordinator, personas.alice)
        share = f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/share/"
        coordinator.post(share, {"shared": "1"})  # refused: the round is still open
        assert client.get(f"/support/scans/{scan_round.pk}/").status_code == 404
        with scope(cell=personas.mechelen.pk):
            services.round_close(scan_round=scan_round, user=personas.alice)
        coordinator.post(share, {"shared": "1"})
        assert client.get(f"/support/scans/{scan_round.pk}/").status_code == 200
        assert AuditEvent.objects.filter(action="scans.round.shared").exists()
        assert client.get(f"/cells/{personas.mechelen.pk}/scans/").status_code == 404

    def test_members_do_not_see_results_and_other_cells_get_404(self, personas, client):
        scan_round = open_round(personas.mechelen, personas.alice)
        sign_in(client, personas.pim)
        assert (
            client.get(f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/").status_code == 403
        )
        sign_in(client, personas.walter)
        assert (
            client.get(f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/").status_code == 404
        )

    def test_the_coordinator_sees_results_and_adds_an_improvement(self, personas, client):
        scan_round = open_round(personas.mechelen, personas.alice)
        sign_in(client, personas.alice)
        page = client.get(f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/")
        assert page.status_code == 200
        assert b'data-chart="radar"' not in page.content  # no results while the round is open
        response = client.post(
            f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/improvements/",
            {
                "module": "structure",
                "description": "Adjunct aanduiden",
                "owner": "Preventiedienst",
                "due_date": "2027-03-01",
                "category": "optimise",
            },
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            assert scan_round.improvements.count() == 1


class TestTemplateVersions:
    def test_vvsg_edits_make_a_new_version_and_old_rounds_keep_theirs(self, personas, client):
        scan_round = open_round(personas.mechelen, personas.alice)
        first = template_current()
        sign_in(client, personas.vera)
        source = first.source.replace("title:", "title:", 1)
        edited = source.replace(first.definition["title"]["nl"], "Aangepaste scan", 1)
        assert client.post("/support/scan-template/", {"source": edited}).status_code == 302
        assert Template.objects.count() == 2
        assert template_current().version == 2
        with scope(cell=personas.mechelen.pk):
            assert Round.objects.get(pk=scan_round.pk).template_id == first.pk
        broken = client.post("/support/scan-template/", {"source": "slug: [broken"})
        assert broken.status_code == 400 and Template.objects.count() == 2

    def test_only_vvsg_staff_edit_the_template(self, personas, client):
        sign_in(client, personas.alice)
        assert client.get("/support/scan-template/").status_code == 404


def test_a_deputy_member_list_is_invited_with_roles(personas, django_capture_on_commit_callbacks):
    deputy = make_user("deputy@example.org", "Dirk Deputy")
    membership_add(cell=personas.mechelen, user=deputy, role="deputy_coordinator")
    scan_round = open_round(personas.mechelen, personas.alice)
    with django_capture_on_commit_callbacks(execute=True), scope(cell=personas.mechelen.pk):
        services.round_invite(scan_round=scan_round, user=personas.alice)
        roles = sorted(scan_round.invitations.values_list("role", flat=True))
        coordinators = scan_round.invitations.filter(is_coordinator=True).count()
    assert roles == sorted(["coordinator", "coordinator", "partner", "partner", "partner"])
    assert coordinators == 2


class TestAnonymity:
    def submit(self, scan_round, cell, count, value=4, text=""):
        definition = scan_round.template.definition
        for number in range(count):
            with scope(cell=cell.pk):
                invitation = services.RespondentInvitation.objects.create(
                    cell=cell,
                    round=scan_round,
                    token_hash=f"t{scan_round.pk}{number}",
                    role="partner",
                )
            answers = {
                (m["key"], s, i["key"]): (value, "")
                for m in definition["modules"]
                for s in (m["situations"] or [""])
                for i in m["indicators"]
                if i["kind"] == "likert"
            }
            if text:
                last = definition["modules"][0]["indicators"][-1]["key"]
                answers[("structure", "", last)] = (None, f"{text} {number}")
            services.response_submit(invitation=invitation, answers=answers)

    def test_results_wait_for_closing_and_three_responses(self, personas):
        scan_round = open_round(personas.mechelen, personas.alice)
        self.submit(scan_round, personas.mechelen, 2)
        with scope(cell=personas.mechelen.pk):
            assert not services.results_visible(scan_round)
            services.round_close(scan_round=scan_round, user=personas.alice)
            assert not services.results_visible(scan_round)  # two answers: too few
        second = open_round(personas.mechelen, personas.alice, title="Tweede")
        self.submit(second, personas.mechelen, 3)
        with scope(cell=personas.mechelen.pk):
            assert not services.results_visible(second)  # still open
            services.round_close(scan_round=second, user=personas.alice)
            assert services.results_visible(second)

    def test_the_results_page_counts_responses_not_invitations(self, personas, client):
        import uuid

        scan_round = open_round(personas.mechelen, personas.alice)
        self.submit(scan_round, personas.mechelen, 2)
        with scope(cell=personas.mechelen.pk):
            # Many invited, two answered: still too few to show anything.
            scan_round.invited_user_ids = [str(uuid.uuid4()) for _ in range(6)]
            scan_round.save(update_fields=["invited_user_ids"])
            services.round_close(scan_round=scan_round, user=personas.alice)
            assert not services.results_visible(scan_round, responses=2)
            assert services.results_visible(scan_round, responses=3)
        sign_in(client, personas.alice)
        page = client.get(f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/")
        assert page.status_code == 200
        assert page.context["visible"] is False and page.context["rows"] == []
        assert 'id="results-heading"' not in page.content.decode()

    def test_a_used_link_is_deleted_and_a_response_keeps_no_time(self, personas):
        scan_round = open_round(personas.mechelen, personas.alice)
        self.submit(scan_round, personas.mechelen, 1)
        with scope(cell=personas.mechelen.pk):
            assert not scan_round.invitations.exists()
        fields = {f.name for f in Response._meta.get_fields()}
        assert not {"submitted_at", "created_at", "user"} & fields
        assert not AuditEvent.objects.filter(action="scans.response.submitted").exists()

    def test_the_results_page_heads_the_free_texts_with_their_modules_title(self, personas, client):
        scan_round = open_round(personas.mechelen, personas.alice)
        self.submit(scan_round, personas.mechelen, 3, text="Meer <overleg>")
        with scope(cell=personas.mechelen.pk):
            services.round_close(scan_round=scan_round, user=personas.alice)
        title = next(
            m["title"]["nl"]
            for m in scan_round.template.definition["modules"]
            if m["key"] == "structure"
        )
        sign_in(client, personas.alice)
        page = client.get(f"/cells/{personas.mechelen.pk}/scans/{scan_round.pk}/").content.decode()
        section = page[page.index('id="texts-heading"') :]
        assert section.index(f"<h3>{title}</h3>") < section.index("Meer &lt;overleg&gt; 0")

    def test_free_texts_come_out_sorted_not_in_arrival_order(self, personas):
        scan_round = open_round(personas.mechelen, personas.alice)
        self.submit(scan_round, personas.mechelen, 3, text="zeta")
        with scope(cell=personas.mechelen.pk):
            texts = services.free_texts(scan_round)["structure"]
        assert texts == sorted(texts)


@pytest.mark.parametrize("broken", ["a: " + "[" * 5000, "x" * 100_001])
def test_the_template_editor_refuses_abusive_input_without_error(personas, client, broken):
    sign_in(client, personas.vera)
    response = client.post("/support/scan-template/", {"source": broken})
    assert response.status_code == 400
