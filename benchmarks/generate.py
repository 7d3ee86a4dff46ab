#!/usr/bin/env python3
"""Generate a corpus of about N triples with the real corpus's shape.

    .venv/bin/python benchmarks/generate.py --triples 100000 [--out benchmarks/generated/100k]

The output is a project folder (ontology/, data/, shapes/, queries/) the whole stack runs on:
ontology/, shapes/ and queries/ are copied; data/ holds the real data plus replicas ``r1``,
``r2``, ... of every data file in which every thing's IRI gets a replica suffix
(``id/doc/convenant-ciic-2020`` becomes ``id/doc/convenant-ciic-2020-r7``, its articles and lids
follow), so each replica adds new convenants, parties, articles, norms and cases that link to
each other like the originals do; terms defined in ontology/ (concept schemes, roles, classes)
keep their IRIs, so replicas share the vocabulary as real new convenants would (a statement
about shared terms only is not repeated: each triple is stated in one file). Perturbation:
about 2 % of a replica's statements are dropped (seeded), so replicas are not exact copies. Files are N-Triples (valid Turtle), one per source
file per replica. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
THING = re.compile(rb"(<https://w3id\.org/wivgraph/id/[a-z-]+/)([A-Za-z0-9._-]+)")


def replica(text: bytes, k: int, rng: random.Random, drop: float, keep: frozenset = frozenset()) -> bytes:
    suffix = b"-r" + str(k).encode()

    def rename(m: re.Match) -> bytes:
        if m.group(1)[1:] + m.group(2) in keep:  # a term of the ontology: shared, not copied
            return m.group(0)
        return m.group(1) + m.group(2) + suffix

    # a line that renaming leaves as it was (only shared terms, no blank node) states a triple
    # the original file states already: left out, as every triple is stated in one file only
    # (the fast store's union of named graphs counts a triple in two graphs twice)
    lines = [
        renamed
        for line in text.splitlines(keepends=True)
        if (renamed := THING.sub(rename, line)) != line or b"_:" in line
    ]
    return b"".join(line for line in lines if rng.random() >= drop)


def generate(triples: int, out: Path, *, seed: int = 13, drop: float = 0.02) -> dict:
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, out / folder)
    (out / "data").mkdir(parents=True)
    sources = []
    base = 0
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        text = ox.serialize(
            ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()),
            format=ox.RdfFormat.N_TRIPLES,
        )
        relative = path.relative_to(ROOT / "data")
        (out / "data" / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / "data" / relative)
        sources.append((relative, text))
        base += text.count(b"\n")
    ontology = 0
    keep = set()
    for path in (ROOT / "ontology").rglob("*.ttl"):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            ontology += 1
            if isinstance(triple.subject, ox.NamedNode):
                keep.add(triple.subject.value.encode())
    rng = random.Random(seed)
    total = base + ontology
    k = 0
    while total < triples:
        k += 1
        for relative, text in sources:
            body = replica(text, k, rng, drop, frozenset(keep))
            target = out / "data" / f"r{k}" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            total += body.count(b"\n")
    return {"triples": total, "replicas": k, "corpus": base + ontology}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    name = f"{args.triples // 1_000_000}m" if args.triples >= 1_000_000 else f"{args.triples // 1000}k"
    out = args.out or ROOT / "benchmarks" / "generated" / name
    info = generate(args.triples, out, seed=args.seed)
    print(f"{out}: {info['triples']} triples ({info['replicas']} replicas of {info['corpus']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
