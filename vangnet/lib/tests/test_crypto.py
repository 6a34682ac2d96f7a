from __future__ import annotations

import base64

import pytest

from vangnet.lib.crypto import (
    DecryptionError,
    aead_decrypt,
    aead_encrypt,
    generate_key,
    parse_master_keys,
)

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def test_it_parses_a_ring_with_the_first_key_active():
    ring = parse_master_keys(f" new:{b64(KEY_B)},\n old:{b64(KEY_A)} ")
    assert ring.active_id == "new"
    assert ring.active_key == KEY_B
    assert dict(ring.keys) == {"new": KEY_B, "old": KEY_A}


def test_it_never_shows_key_material_in_repr():
    ring = parse_master_keys(f"k1:{b64(KEY_A)}")
    assert b64(KEY_A) not in repr(ring)
    assert "k1" in repr(ring)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (b64(KEY_A), "id:base64key"),
        (f":{b64(KEY_A)}", "the id must be"),
        (f"bad id:{b64(KEY_A)}", "the id must be"),
        (f"k1:{b64(KEY_A)},", "entry 2"),
        ("k1:not base64!", "not valid base64"),
        (f"k1:{b64(KEY_A[:16])}", "16 bytes long"),
        (f"k1:{b64(KEY_A)},k1:{b64(KEY_B)}", "more than once"),
    ],
)
def test_it_rejects_malformed_rings(raw, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_master_keys(raw)
    assert b64(KEY_A) not in str(error.value)


def test_it_round_trips():
    ciphertext = aead_encrypt(KEY_A, b"geheim", b"context")
    assert b"geheim" not in ciphertext
    assert aead_decrypt(KEY_A, ciphertext, b"context") == b"geheim"


def test_it_uses_a_fresh_nonce_for_every_message():
    assert aead_encrypt(KEY_A, b"x", b"") != aead_encrypt(KEY_A, b"x", b"")


def test_it_generates_distinct_full_length_keys():
    assert len(generate_key()) == 32
    assert generate_key() != generate_key()


@pytest.mark.parametrize(
    ("key", "aad", "tamper"),
    [(KEY_B, b"context", False), (KEY_A, b"other", False), (KEY_A, b"context", True)],
    ids=["wrong key", "wrong aad", "tampered"],
)
def test_it_refuses_to_decrypt_with_anything_wrong(key, aad, tamper):
    ciphertext = bytearray(aead_encrypt(KEY_A, b"geheim", b"context"))
    if tamper:
        ciphertext[-1] ^= 1
    with pytest.raises(DecryptionError, match="does not authenticate"):
        aead_decrypt(key, bytes(ciphertext), aad)


def test_it_refuses_truncated_ciphertext():
    with pytest.raises(DecryptionError, match="too short"):
        aead_decrypt(KEY_A, b"\x00" * 27, b"")


def test_it_refuses_keys_of_the_wrong_length():
    with pytest.raises(ValueError, match="32 bytes"):
        aead_encrypt(b"short", b"x", b"")
