from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
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
