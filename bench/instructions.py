"""CPU instructions per request of benchmarked pages: `python -m bench.instructions [page ...]`.

Times on a shared machine move by a quarter within minutes; the number of instructions the
app's process executes for a request does not (valgrind's callgrind counts them; the same count,
within about 1 %, whatever else the machine is doing). It is how a small change to a page is
judged: run it before and after. It counts this process only (not PostgreSQL's, not waiting).

Each page is requested in-process as by `bench.profile` (same settings, data and sessions; run
`make bench` once first): one run under callgrind warms up and stops, another warms up and then
makes `-n` requests; the difference over `-n` is the count per request. The two runs go in
parallel. The floor is measured too, for the ratio.

    python -m bench.instructions case_detail scan_results -n 20
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gc
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 10
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _requests(page_key: str, count: int) -> None:
    """Inside valgrind: warm the page up, then request it ``count`` times."""
    from bench.profile import _client, pages_in_process

    emails, pages = pages_in_process()
    page = next(page for page in pages if page.key == page_key)
    client = _client(page, emails)
    for _ in range(WARM_UP):
        client.get(page.path)
    gc.collect()
    gc.freeze()  # as the gunicorn workers do (vangnet/wsgi.py)
    for _ in range(count):
        client.get(page.path)


def _counted(page_key: str, count: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--inner",
        page_key,
        str(count),
    ]
    # Our own module under valgrind, with this interpreter: no outside input in the command.
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{page_key}: the run under valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_request(page_key: str, n: int) -> int:
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        base = pool.submit(_counted, page_key, 0)
        loaded = pool.submit(_counted, page_key, n)
        return (loaded.result() - base.result()) // n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help="page keys (default: every page)")
    parser.add_argument("-n", type=int, default=20, help="requests counted per page (20)")
    parser.add_argument("--inner", nargs=2, metavar=("PAGE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _requests(args.inner[0], int(args.inner[1]))
        return 0
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (Debian: apt-get install valgrind)")
    if args.n < 1:
        parser.error("-n must be at least 1")
    from bench import PAGE_KEYS

    wanted = args.pages or [key for key in PAGE_KEYS if key != "floor"]
    unknown = [key for key in wanted if key not in PAGE_KEYS]
    if unknown:
        parser.error(f"no such page: {', '.join(unknown)}; pages: {', '.join(PAGE_KEYS)}")
    floor = per_request("floor", args.n)
    print(f"{'floor':18} {floor / 1e6:7.2f} M instructions per request")
    for key in wanted:
        if key == "floor":
            continue
        count = per_request(key, args.n)
        ratio = count / floor
        print(f"{key:18} {count / 1e6:7.2f} M instructions per request: {ratio:.2f} x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
