from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    cancel_url: str = "",
    intro: str = "",
    submit: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render a single-form page (title, intro, error summary, fields, submit, cancel)."""
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "submit": submit,
        "cancel_url": cancel_url,
        "multipart": form.is_multipart(),
    }
    return render(request, "form_page.html", context, status=status)


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data for a bound form: the POST data on a POST, even an empty one (so the form
    shows what is missing instead of silently rendering unbound), else None."""
    return request.POST if request.method == "POST" else None
