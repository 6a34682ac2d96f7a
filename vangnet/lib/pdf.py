"""HTML to PDF with WeasyPrint, never fetching anything (no URLs, no files, no network)."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """Render self-contained HTML (inline styles and SVG) as PDF bytes."""
    from weasyprint import HTML  # imported late: heavy, and only needed for documents

    def no_fetch(url: str, **kwargs: object) -> dict[str, object]:
        raise ValueError("external resources are not fetched")

    return bytes(HTML(string=html, base_url=None, url_fetcher=no_fetch).write_pdf())
