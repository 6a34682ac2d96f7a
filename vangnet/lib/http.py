"""Facts about the client that depend on the reverse-proxy set-up."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def behind_proxy() -> bool:
    return int(settings.VANGNET_PROXY_COUNT) > 0


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For.

    With N trusted proxies, the client address is the N-th entry from the right; anything to
    its left was written by the client and is ignored. Used by the lockout (django-axes).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(settings.VANGNET_PROXY_COUNT)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate
