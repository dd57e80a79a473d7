"""Provisioning a school both ways, in one run: cloning the base schema vs running every migration.

    make bench BENCH=provisioning ARGS="--rounds 7"
    make bench BENCH=provisioning ARGS="--growth 20,60,100"

Prints the median time of each way and their ratio. With --growth, then provisions schools (by cloning) up
to each count in turn and prints how long the next clone takes there: a clone reads the catalogue of every
schema, so it slows as schools are added.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

import django

django.setup()

from tenants.services import platform_migrate, schema_unapplied_migrations, school_provision  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--growth", default="", help="school counts at which to time the next clone, e.g. 20,60")
    args = parser.parse_args()
    rounds = args.rounds
    platform_migrate()
    timings: dict[str, list[float]] = {"clone": [], "migrations": []}
    for n in range(rounds):
        for way in ("clone", "migrations"):  # interleaved, so drift hits both alike
            slug = f"bench-{way}-{n}"
            started = time.perf_counter()
            school = school_provision(name=f"Bench {way} {n}", urn=f"{700000 + n * 2 + (way == 'clone'):06d}",
                                      kind="academy", slug=slug, clone=way == "clone")
            timings[way].append(time.perf_counter() - started)
            assert schema_unapplied_migrations(school.schema_name) == []
    clone, full = statistics.median(timings["clone"]), statistics.median(timings["migrations"])
    print(f"schools provisioned per way: {rounds}")
    print(f"clone of the base schema:  median {clone * 1000:8.1f} ms  (all: {fmt(timings['clone'])})")
    print(f"every migration:           median {full * 1000:8.1f} ms  (all: {fmt(timings['migrations'])})")
    print(f"ratio (migrations / clone): {full / clone:.1f}x")
    if args.growth:
        growth([int(count) for count in args.growth.split(",")], rounds)


def growth(counts: list[int], rounds: int) -> None:
    made = 2 * rounds
    print("clone time as schools are added (median of the next 3 clones at each count):")
    for count in counts:
        while made < count:
            school_provision(name=f"Grow {made}", urn=f"{600000 + made:06d}", kind="academy", slug=f"grow-{made}")
            made += 1
        next_three = []
        for _ in range(3):
            started = time.perf_counter()
            school_provision(name=f"Grow {made}", urn=f"{600000 + made:06d}", kind="academy", slug=f"grow-{made}")
            next_three.append(time.perf_counter() - started)
            made += 1
        print(f"  {count:>4} schools: {statistics.median(next_three) * 1000:8.0f} ms")


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v * 1000:.0f}" for v in values)


if __name__ == "__main__":
    main()
