"""Every stored field of every model is classified by a human: personal or not, and how.

When a test here fails after you added a field or a model: add the field to its model's entry
in ``vangnet/privacy/classification.py`` (personal, with whose data and which category, or in
the entry's ``not_personal`` / ``secret`` string). The register of processing activities is
generated from that classification.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import models

from vangnet.accounts.models import User
from vangnet.cases.models import Case
from vangnet.keyring.fields import EncryptedTextField
from vangnet.privacy import classification
from vangnet.privacy.classification import (
    ACTIVITY_OF_APP,
    CATEGORY_EXPLANATION,
    REGISTRY,
    SUBJECT_EXPLANATION,
    DataCategory,
    Personal,
    Secret,
    Subject,
    classified_models,
    model_fields,
    personal_fields,
    stale_entries,
    unassigned_apps,
    unclassified_fields,
)


def _stored_fields():
    for model in classified_models():
        for field in model_fields(model):
            yield model._meta.label, field


def _points_to_user(field) -> bool:
    related = field.related_model if field.is_relation else None
    return related is not None and related._meta.label == settings.AUTH_USER_MODEL


def test_every_stored_field_is_classified():
    missing = unclassified_fields()
    assert not missing, (
        "Classify these fields in vangnet/privacy/classification.py (personal or not): "
        + ", ".join(missing)
    )


def test_the_registry_names_no_field_that_no_longer_exists():
    stale = stale_entries()
    assert not stale, "Remove from vangnet/privacy/classification.py: " + ", ".join(stale)


def test_every_app_belongs_to_a_processing_activity():
    assert not unassigned_apps(), "Add to ACTIVITY_OF_APP: " + ", ".join(unassigned_apps())


def test_it_covers_the_project_and_the_third_party_models():
    labels = {model._meta.label for model in classified_models()}
    assert {"cases.Case", "intake.Signal", "accounts.User", "axes.AccessAttempt"} <= labels
    assert "sessions.Session" in labels


def test_every_encrypted_field_is_personal_or_an_explicit_secret():
    wrong = []
    for label, field in _stored_fields():
        entry = REGISTRY.get(label, {}).get(field.name)
        # An unclassified field is reported by test_every_stored_field_is_classified.
        encrypted = isinstance(field, EncryptedTextField) and entry is not None
        if encrypted and not isinstance(entry, Personal | Secret):
            wrong.append(f"{label}.{field.name}")
    assert not wrong, wrong


def test_every_link_to_a_user_is_personal_data_of_a_professional_or_vvsg_staff():
    wrong = []
    for label, field in _stored_fields():
        entry = REGISTRY.get(label, {}).get(field.name)
        if not _points_to_user(field) or entry is None:
            continue
        professional = {Subject.PROFESSIONAL, Subject.VVSG_STAFF}
        if not isinstance(entry, Personal) or not professional & set(entry.subjects):
            wrong.append(f"{label}.{field.name}")
    assert not wrong, wrong


def test_the_identity_of_a_person_discussed_is_personal_and_encrypted():
    by_path = {f.path: f for f in personal_fields()}
    for path in (
        "cases.Case.person_name",
        "cases.Case.person_birth_date",
        "cases.Case.person_address",
        "cases.Case.summary",
        "intake.Signal.person_name",
        "intake.Signal.description",
    ):
        found = by_path[path]
        assert Subject.DISCUSSED in found.subjects, path
        assert found.encrypted, path
    assert by_path["intake.Signal.known_to_police"].category == DataCategory.CRIMINAL
    assert by_path["cases.Factor.dimension"].category == DataCategory.SPECIAL


def test_personal_fields_carry_a_description_and_known_subjects():
    found = personal_fields()
    assert len(found) > 100
    for item in found:
        assert str(item.description).strip(), item.path
        assert item.subjects, item.path
        assert item.activity is not None, item.path
    assert set(SUBJECT_EXPLANATION) == set(Subject.values)
    assert set(CATEGORY_EXPLANATION) == set(DataCategory.values)


def test_it_reports_a_new_field_that_nobody_classified(monkeypatch):
    field = models.CharField(max_length=100, blank=True)
    field.set_attributes_from_name("nickname")
    field.model = Case
    meta = Case._meta
    # Options caches its field lists in the instance: put the new field in the cached list.
    before = set(unclassified_fields())
    monkeypatch.setitem(meta.__dict__, "concrete_fields", (*meta.concrete_fields, field))
    assert set(unclassified_fields()) - before == {"cases.Case.nickname"}
    monkeypatch.undo()
    assert "cases.Case.nickname" not in unclassified_fields()


def test_it_reports_a_field_dropped_from_the_registry(monkeypatch):
    before = set(unclassified_fields())
    entry = dict(REGISTRY["accounts.User"])
    del entry["email"]
    monkeypatch.setitem(REGISTRY, "accounts.User", entry)
    assert set(unclassified_fields()) - before == {"accounts.User.email"}
    assert "accounts.User.email" not in {f.path for f in personal_fields()}


def test_it_reports_an_entry_whose_field_is_gone(monkeypatch):
    entry = {**REGISTRY["accounts.User"], "nickname": classification.NOT_PERSONAL}
    monkeypatch.setitem(REGISTRY, "accounts.User", entry)
    assert stale_entries() == ["accounts.User.nickname"]


def test_a_field_named_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        classification._model(not_personal="id status", secret="status")


def test_the_user_model_is_the_one_checked():
    assert User._meta.label == settings.AUTH_USER_MODEL
    assert set(ACTIVITY_OF_APP) >= {m._meta.app_label for m in classified_models()}


def test_it_reports_a_new_many_to_many_field_that_nobody_classified(monkeypatch):
    field = models.ManyToManyField("network.Organisation", related_name="+")
    field.set_attributes_from_name("informed_organisations")
    field.model = Case
    meta = Case._meta
    before = set(unclassified_fields())
    monkeypatch.setitem(meta.__dict__, "local_many_to_many", [*meta.local_many_to_many, field])
    assert set(unclassified_fields()) - before == {"cases.Case.informed_organisations"}
