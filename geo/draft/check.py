"""Validate drafts exactly as ``python -m geo validate`` would, without touching the data.

The drafts are written into a temporary data directory whose gazetteer, boundaries and settings
are links to the real ones (the incidents directory is the temporary one's own), and loaded with
:func:`geo.catalog.load_catalog`. Incidents of the data directory that a draft relates to are
linked in too, so that ``related`` ids resolve. The data directory itself is never written.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml

from geo.catalog import Catalog, load_catalog
from geo.problems import Problem

__all__ = ["check_drafts"]

_LINKED = ("places.yaml", "boundaries", "territorial_seas.yaml", "dataset.yaml")


def _draft_id(text: str, index: int) -> str:
    match = re.search(r"^id:\s*['\"]?([a-z0-9-]+)['\"]?\s*$", text, re.MULTILINE)
    return match.group(1) if match else f"draft-{index + 1}"


def _related_ids(text: str) -> set[str]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return set()
    if not isinstance(data, dict) or not isinstance(data.get("related"), list):
        return set()
    return {
        r.get("id") for r in data["related"] if isinstance(r, dict) and isinstance(r.get("id"), str)
    }


def check_drafts(
    texts: Mapping[str, str] | list[str], data_dir: str | Path
) -> tuple[Catalog, dict[str, str]]:
    """Load draft YAML texts against ``data_dir``; return the catalog and file name per draft.

    Parameters
    ----------
    texts : list of str
        One YAML document per draft (as ``geo draft`` writes them, or as edited).
    data_dir : path
        The data directory whose places, boundaries and settings the drafts refer to.

    Returns
    -------
    (Catalog, dict)
        The catalog of the drafts (problems name the files ``incidents/<id>.yaml``), and for
        each draft index (as a string) the file name it was checked as. A draft whose id is
        already used by a file of the data directory gets an error.
    """
    items = list(texts.values()) if isinstance(texts, Mapping) else list(texts)
    data_dir = Path(data_dir)
    existing = {p.stem: p for p in (data_dir / "incidents").glob("*.yaml")}
    names: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="seamark-draft-") as folder:
        root = Path(folder)
        for name in _LINKED:
            if (data_dir / name).exists():
                (root / name).symlink_to((data_dir / name).resolve())
        incidents = root / "incidents"
        incidents.mkdir()
        linked: set[str] = set()
        for index, text in enumerate(items):
            stem = _draft_id(text, index)
            while stem in names.values():
                stem += "-copy"
            names[str(index)] = stem
            (incidents / f"{stem}.yaml").write_text(text, encoding="utf-8")
            for other in _related_ids(text) - set(names.values()):
                if other in existing and other not in linked:
                    linked.add(other)
        for other in linked - set(names.values()):
            (incidents / f"{other}.yaml").symlink_to(existing[other].resolve())
        catalog = load_catalog(root)
    for stem in names.values():
        if stem in existing:
            message = f"id already used by {existing[stem]}; rename the draft"
            catalog.problems.append(Problem(f"incidents/{stem}.yaml", 1, stem, "id", message))
            catalog.incidents.pop(stem, None)
    for other in linked - set(names.values()):
        catalog.incidents.pop(other, None)
    drafted = {f"{stem}.yaml" for stem in names.values()}
    catalog.problems = [
        _relative(p, root)
        for p in catalog.problems
        if Path(p.path).name in drafted or not p.path.startswith(("incidents", str(root)))
    ]
    return catalog, names


def _relative(problem: Problem, root: Path) -> Problem:
    from dataclasses import replace

    path = problem.path
    for prefix in (str(root) + "/", str(root.resolve()) + "/"):
        path = path.replace(prefix, "")
    return replace(problem, path=path)
