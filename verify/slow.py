"""The slow parts of `make verify` in their own process (production settings, PostgreSQL):
crash safety, then load. Prints one `VERIFY_RESULT <json>` line for `verify/run.py`."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else default


def main() -> int:
    from verify.stage import log, prepare_database, production_environment

    production_environment()
    result: dict[str, Any] = {}
    started = time.monotonic()
    prepare_database()
    from verify.crash import run_crash_checks

    result["crash"] = run_crash_checks(_int("VERIFY_CRASH_RUNS", 3))
    from verify.load import run_load

    result["load"] = run_load(_int("VERIFY_LOAD_USERS", 50), _int("VERIFY_LOAD_SECONDS", 300))
    log(f"slow checks done in {time.monotonic() - started:.0f} s")
    print("VERIFY_RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
