"""`make bench`: the pages that matter, under production settings, gunicorn and wrk.

Not part of the application: nothing here is imported by `vangnet` or collected by pytest.
See docs/performance.md.
"""

# The keys of `bench.pages.resolve_pages`, in its order: for command lines, before Django is
# set up (bench.pages imports models).
PAGE_KEYS = (
    "floor",
    "coordinator_home",
    "case_list",
    "case_detail",
    "meeting_agenda",
    "partner_map_data",
    "scan_results",
    "helpdesk_queue",
    "knowledge_search",
    "vvsg_dashboard",
    "login",
)
