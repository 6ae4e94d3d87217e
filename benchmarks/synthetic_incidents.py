"""Write a data directory with N synthetic incidents for load and payload tests (not committed).

    python -m benchmarks.synthetic_incidents --n 100000 --out /tmp/seamark-100k

The places, boundaries, territorial-sea rules and basemap are copied from data/; the incidents
are invented, reproducible (seeded), spread over the boundaries' region and one week, and say
so in their titles and sources. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import yaml
from tqdm import tqdm

CATEGORIES = [
    "missile_launch",
    "artillery_fire",
    "air_raid_alert",
    "military_response",
    "incursion",
]
ROLES = {
    "missile_launch": "impact",
    "artillery_fire": "impact",
    "air_raid_alert": "alert_area",
    "military_response": "target_area",
    "incursion": "site",
}


def synthetic_incident(index: int, rng: np.random.Generator) -> dict:
    """Return one invented incident as plain data (valid against the schema)."""
    category = CATEGORIES[index % len(CATEGORIES)]
    minute = int(rng.integers(0, 7 * 24 * 60))
    day, rest = divmod(minute, 24 * 60)
    time = f"2022-11-{2 + day:02d}T{rest // 60:02d}:{rest % 60:02d}:00+09:00"
    incident_id = f"synthetic-{index:06d}"
    return {
        "id": incident_id,
        "title": f"Synthetic {category.replace('_', ' ')} #{index}",
        "category": category,
        "actor": ["DPRK", "ROK", "Unknown"][index % 3],
        "time": time,
        "time_precision": "minute",
        "status": "unconfirmed",
        "locations": [
            {
                "role": ROLES[category],
                "lat": round(float(rng.uniform(34.0, 41.5)), 4),
                "lon": round(float(rng.uniform(123.5, 132.5)), 4),
                "precision_km": float(rng.choice([1, 2, 5, 10])),
            }
        ],
        "sources": [
            {
                "id": "generator",
                "outlet": "Seamark synthetic data generator",
                "url": "https://example.org/seamark-synthetic",
                "published": "2022-11-09",
                "language": "en",
                "quotes": [
                    {"text": f"Invented incident {index} for load tests.", "speaker": "nobody"}
                ],
            }
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", type=Path, default=Path("data"))
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(args.source, args.out, ignore=shutil.ignore_patterns("incidents"))
    (args.out / "incidents").mkdir()
    rng = np.random.default_rng(args.seed)
    for index in tqdm(range(args.n), desc="writing incidents", file=sys.stderr):
        incident = synthetic_incident(index, rng)
        path = args.out / "incidents" / f"{incident['id']}.yaml"
        path.write_text(yaml.safe_dump(incident, sort_keys=False), encoding="utf-8")
    print(f"{args.out}: {args.n:,} synthetic incidents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
