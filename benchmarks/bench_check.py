"""Checks per second for 10,000 generated scenarios (one checker per store, then the batch).

The checker is the ODRL evaluator over an embedded oxigraph store (what `wivgraph check` uses).

Run: .venv/bin/python benchmarks/bench_check.py [N]
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import time

from wivgraph.check import check_scenarios, checker_for, checker_store
from wivgraph.check.scenarios import scenarios_from_data

ACTORS = ["AIVD", "MIVD", "CIIC", "Politie", "IND", "NCSC", "OM"]
ACTIONS = ["provide", "pass-onward", "make-known", "exchange", "support", "request", "grant-inspection"]
DATA = ["data", "personal-data", "general-data", "ciic-data", "ciic-analyses", "raw-data",
        "exchanged-service-data", "aivd-data-for-ind", "cyber-threat-data"]
KINDS = ["domestic-party", "same-service-other-unit", "foreign-service",
         "foreign-investigative-service", "other-aivd-units", "third-parties"]
STATUS = ["yes", "no", "unknown"]


def generate(n: int, seed: int = 8) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        out.append({
            "id": f"gen-{i}", "actor": rnd.choice(ACTORS), "action": rnd.choice(ACTIONS),
            "data_category": rnd.choice(DATA), "originating_party": rnd.choice(ACTORS),
            "recipient_kind": rnd.choice(KINDS), "ministerial_permission": rnd.choice(STATUS),
            "recipient": rnd.choice(ACTORS),
            "consents": rnd.sample(ACTORS, rnd.randint(0, 2)),
            "third_party_rule": rnd.choice(["named-services", "countries", "absent"]),
            "date": f"{rnd.randint(2004, 2024)}-{rnd.randint(1, 12):02d}-15",
        })
    return out


def main(n: int = 10_000, repeats: int = 3) -> None:
    t0 = time.perf_counter()
    store = checker_store()
    t1 = time.perf_counter()
    checker = checker_for(store, "nl")
    t2 = time.perf_counter()
    raws = scenarios_from_data({"scenarios": generate(n)}, "generated")
    t3 = time.perf_counter()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        verdicts = check_scenarios(checker, raws, "nl")
        rates.append(len(verdicts) / (time.perf_counter() - start))
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"load store {t1 - t0:.2f}s, checker (vocabularies) {t2 - t1:.2f}s, "
          f"schema-validate {n} scenarios {t3 - t2:.2f}s")
    print(f"check {n} scenarios (resolve + evaluate): median {statistics.median(rates):,.0f} "
          f"scenarios/s over {repeats} runs (min {min(rates):,.0f}, max {max(rates):,.0f})")
    print("verdicts:", counts)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
