"""Explorer timings with Streamlit's AppTest: ``python -m wivgraph.app.measure [--repeat N]``.

Prints the cold first load and, after it, the median time of one rerun per page (what a page
switch costs on the server) and of answering each catalogue question on the Vragen page.
Numbers go to docs/explorer.md; no test asserts on them.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from streamlit.testing.v1 import AppTest


def _script(start: str) -> None:
    from wivgraph.app.main import main

    main(start)


def time_page(page: str, **state) -> float:
    """Seconds for one full script run of ``page`` in a fresh AppTest session."""
    at = AppTest.from_function(_script, args=(page,), default_timeout=600)
    for key, value in state.items():
        at.session_state[key] = value
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return elapsed


def main() -> None:
    from wivgraph.app.main import PAGES
    from wivgraph.query import catalogue

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}"
    )
    print(f"first load (overview, cold): {time_page('overview'):.2f} s")
    for key, *_ in PAGES:
        time_page(key)  # warm the page's own caches (validation, inference are one-off)
        runs = [time_page(key) for _ in range(args.repeat)]
        print(f"page {key:<11} median {statistics.median(runs) * 1000:7.0f} ms")
    for name in catalogue():
        time_page("questions", q_pick=name)
        runs = [time_page("questions", q_pick=name) for _ in range(args.repeat)]
        print(f"question {name:<40} median {statistics.median(runs) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
