"""Form pieces shared by every app."""

from __future__ import annotations

from django import forms

# The browser's own date picker; ISO dates in and out.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
