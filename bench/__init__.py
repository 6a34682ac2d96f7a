"""`make bench`: the pages that matter, under production settings, gunicorn and wrk.

Not part of the application: nothing here is imported by `vangnet` or collected by pytest.
See docs/performance.md.
"""
