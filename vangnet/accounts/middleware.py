"""Server-side session checks: MFA done, session still registered, idle and absolute timeouts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.services import session_current, session_end

# Writing last_seen_at on every request would add a write per page; a minute is precise enough.
_LAST_SEEN_PRECISION = timedelta(seconds=60)


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            problem = self._problem(request)
            if problem is not None:
                session_end(request=request, reason=problem)
                messages.info(request, self._message(problem))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    def _problem(self, request: HttpRequest) -> str | None:
        if not request.user.is_verified():  # type: ignore[union-attr]
            return "mfa_missing"
        user_session = session_current(request)
        if user_session is None or user_session.user_id != request.user.pk:
            return "revoked"
        now = timezone.now()
        if now - user_session.created_at > timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
            return "absolute_timeout"
        if now - user_session.last_seen_at > timedelta(seconds=settings.SESSION_COOKIE_AGE):
            return "idle_timeout"
        if now - user_session.last_seen_at > _LAST_SEEN_PRECISION:
            user_session.last_seen_at = now
            user_session.save(update_fields=["last_seen_at"])
        return None

    @staticmethod
    def _message(problem: str) -> str:
        if problem in ("absolute_timeout", "idle_timeout"):
            return _("Your session has expired. Please sign in again.")
        return _("Your session has ended. Please sign in again.")
