"""EncryptedTextField: text stored as AES-256-GCM ciphertext, bound to its row.

The column holds ``vangnet.keyring.services`` ciphertext (format byte, data key id, nonce,
ciphertext, tag). On the model instance ``instance.__dict__[attname]`` holds what the database
holds (ciphertext ``bytes``, or ``None``) or a :class:`PendingPlaintext` that ``pre_save``
encrypts. Attribute access always gives plaintext ``str`` (or ``None``), decrypted lazily on
first read and cached on the instance.

The associated data (AAD) binds each value to model, field, cell and primary key, so ciphertext
copied to another row, field or cell does not decrypt. Models therefore need a primary key with
a Python default (a UUID), known before the insert.

Notes for users of the field:

* No filtering on plaintext: the database only sees ciphertext. Only ``isnull`` (and ``exact``
  on raw ciphertext bytes, used by the key ring itself) are allowed.
* ``values()`` / ``values_list()`` return raw ciphertext; ``QuerySet.update()`` and
  ``bulk_update()`` bypass encryption and refuse plaintext: assign on instances and ``save()``.
* Moving a row to another cell: read its encrypted values first (e.g. through a form) so the
  field can re-encrypt them for the new cell; saving an unread value whose context changed
  raises DecryptionError instead of silently writing unreadable data.
* Serialisation (``dumpdata``) writes the stored ciphertext, base64-encoded, never plaintext.
  ``loaddata`` (raw saves) is not supported for these fields: restore from database backups.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any, cast

from django import forms
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

AAD_PREFIX = b"vangnet|v1|"
_ALLOWED_LOOKUPS = frozenset({"isnull", "exact"})


class PendingPlaintext(str):
    """A plaintext value assigned in Python and not yet encrypted."""

    __slots__ = ()


class EncryptedAttribute(DeferredAttribute):
    """Data descriptor translating between stored ciphertext and plaintext ``str``."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)  # loads a deferred field if needed
        if value is None:
            return None
        if isinstance(value, str):
            return str(value)
        return self.field.plaintext_of(instance, value)

    def __set__(self, instance: Any, value: Any) -> None:
        attname = self.field.attname
        if isinstance(value, memoryview | bytearray):
            value = bytes(value)
        if value is None or isinstance(value, bytes):
            # From the database (or raw ciphertext assigned on purpose): decrypt on read.
            instance.__dict__[attname] = value
        elif isinstance(value, str):
            cached = instance.__dict__.get(self.field.cache_name)
            current = instance.__dict__.get(attname)
            if cached is not None and cached[0] == current and cached[1] == value:
                # Re-assigning the value already stored (forms, full_clean): no re-encryption.
                return
            instance.__dict__[attname] = PendingPlaintext(value)
        else:
            raise TypeError(
                f"{self.field.model._meta.label}.{self.field.name} takes str or None, "
                f"not {type(value).__name__}"
            )


class EncryptedTextField(models.BinaryField):
    """Free text encrypted at rest with the data key of the row's cell (or the platform).

    ``cell_field`` names the attribute holding the row's cell id (default ``"cell_id"``);
    ``None`` puts the value in the platform scope (e.g. users' TOTP secrets).
    ``row_field`` names the field whose value identifies the row in the AAD (default: the
    primary key). It must have a Python default so it is known before the first INSERT;
    django-otp devices need an integer primary key, so they bind to a UUID field instead.
    """

    descriptor_class = EncryptedAttribute
    description = "Encrypted text"
    # Validation sees plaintext, so the empty string is the blank value (not b"").
    empty_values = [None, ""]

    def __init__(
        self,
        *args: Any,
        cell_field: str | None = "cell_id",
        row_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.cell_field = cell_field
        self.row_field = row_field
        # BinaryField is not editable by default; encrypted text is ordinary text in forms.
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    @property
    def cache_name(self) -> str:
        return f"_{self.attname}_decrypted"

    def deconstruct(self) -> Any:
        # Skip BinaryField.deconstruct: it inverts the meaning of the editable default.
        name, path, args, kwargs = models.Field.deconstruct(self)
        if self.cell_field != "cell_id":
            kwargs["cell_field"] = self.cell_field
        if self.row_field is not None:
            kwargs["row_field"] = self.row_field
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        opts = self.model._meta
        pk = (
            cast("models.Field[Any, Any]", opts.get_field(self.row_field))
            if self.row_field
            else opts.pk
        )
        parent_link = pk is not None and pk.remote_field is not None and pk.remote_field.parent_link
        if pk is None or not (pk.has_default() or parent_link):
            errors.append(
                checks.Error(
                    "A model with an EncryptedTextField needs a primary key (or row_field) "
                    "with a Python default (e.g. UUIDField(default=uuid.uuid4)): it is part "
                    "of the AAD.",
                    obj=self,
                    id="keyring.E001",
                )
            )
        if self.cell_field and self.cell_field not in {f.attname for f in opts.concrete_fields}:
            errors.append(
                checks.Error(
                    f"cell_field {self.cell_field!r} is not a concrete field attribute of "
                    f"{opts.label}; use e.g. 'cell_id', or None for the platform scope.",
                    obj=self,
                    id="keyring.E002",
                )
            )
        return errors

    # -- Encryption context -------------------------------------------------------------

    def cell_id_of(self, instance: models.Model) -> uuid.UUID | None:
        if not self.cell_field:
            return None
        value = getattr(instance, self.cell_field)
        if value is None:
            return None
        # Normalise ("ABC..." strings from forms) so the AAD is canonical.
        field = next(f for f in instance._meta.concrete_fields if f.attname == self.cell_field)
        normalised = field.to_python(value)
        return normalised if isinstance(normalised, uuid.UUID) else uuid.UUID(str(normalised))

    def aad_for(self, instance: models.Model) -> bytes:
        if self.row_field:
            pk = getattr(instance, self.row_field)
            cell_id = self.cell_id_of(instance)
            return self.aad_from(pk=pk, cell_id=cell_id)
        pk = instance.pk
        if pk is None:
            raise ValueError(
                f"{self.model._meta.label}.{self.name}: the primary key must be set before "
                "encrypting or decrypting (give the model a UUID primary key with a default)"
            )
        pk = instance._meta.pk.to_python(pk) if instance._meta.pk else pk
        cell_id = self.cell_id_of(instance)
        return self.aad_from(pk=pk, cell_id=cell_id)

    def aad_from(self, *, pk: Any, cell_id: uuid.UUID | None) -> bytes:
        context = f"{self.model._meta.label_lower}|{self.name}|{cell_id or '-'}|{pk}"
        return AAD_PREFIX + context.encode()

    def plaintext_of(self, instance: models.Model, ciphertext: bytes) -> str:
        from vangnet.keyring.services import value_decrypt

        aad = self.aad_for(instance)
        cached = instance.__dict__.get(self.cache_name)
        if cached is not None and cached[0] == ciphertext and cached[2] == aad:
            return str(cached[1])
        plaintext = value_decrypt(ciphertext=ciphertext, aad=aad)
        instance.__dict__[self.cache_name] = (ciphertext, plaintext, aad)
        return plaintext

    # -- Saving -------------------------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes | None:
        from vangnet.keyring.services import value_encrypt

        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        aad = self.aad_for(model_instance)
        if isinstance(value, bytes):
            cached = model_instance.__dict__.get(self.cache_name)
            if cached is None or cached[0] != value:
                # Never read: check it still belongs to this row before writing it back.
                self.plaintext_of(model_instance, value)
                return value
            if cached[2] == aad:
                return value
            plaintext = str(cached[1])  # the row moved (pk or cell): re-encrypt
        else:
            plaintext = str(value)
        ciphertext = value_encrypt(
            plaintext=plaintext, cell_id=self.cell_id_of(model_instance), aad=aad
        )
        model_instance.__dict__[self.attname] = ciphertext
        model_instance.__dict__[self.cache_name] = (ciphertext, plaintext, aad)
        return ciphertext

    def get_default(self) -> Any:
        # BinaryField turns the empty default into b"", which would pass for ciphertext.
        return models.Field.get_default(self)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if isinstance(value, str):
            raise TypeError(
                f"{self.model._meta.label}.{self.name} is encrypted: plaintext cannot be used "
                "in queries or QuerySet.update(); assign it on an instance and save()"
            )
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in _ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.model._meta.label}.{self.name} is encrypted: the database holds "
                f"ciphertext only, so '{lookup_name}' lookups are not supported"
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None

    # -- Python side: validation, forms, serialisation -----------------------------------

    def to_python(self, value: Any) -> Any:
        # Plaintext, unlike BinaryField which expects base64 here.
        if isinstance(value, memoryview | bytearray):
            return bytes(value)
        return value

    def value_to_string(self, obj: models.Model) -> Any:
        # Dumps must not become a plaintext copy of special-category data.
        stored = obj.__dict__.get(self.attname)
        if stored is None:
            return None
        if not isinstance(stored, bytes):
            raise ValueError(f"{self.model._meta.label}.{self.name}: save before serialising")
        return base64.b64encode(stored).decode("ascii")

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Like TextField: a textarea limited to max_length characters of plaintext.
        defaults: dict[str, Any] = {"max_length": self.max_length}
        if self.choices is None:
            defaults["widget"] = forms.Textarea
        return models.Field.formfield(
            self, form_class, choices_form_class, **{**defaults, **kwargs}
        )
