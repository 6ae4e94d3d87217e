"""Pure logic of the "Draft from an article" page: draft, check, preview. No Streamlit calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from dashboard.dataset import Dataset, derive_dataset
from dashboard.view import build_deck, fit_view
from geo.draft import DraftError, check_drafts, draft_article, draft_yaml
from geo.problems import Problem

__all__ = ["Checked", "check_texts", "claim_rows", "make_drafts", "preview_deck"]

ALLOWED_SUFFIXES = (".txt", ".html", ".htm")


def make_drafts(
    data: bytes,
    dataset: Dataset,
    *,
    name: str,
    url: str | None,
    outlet: str | None,
    published: dt.date | None,
    language: str | None,
) -> tuple[list[str], str]:
    """Return the YAML text of each draft of an article and a one-line summary.

    Raises
    ------
    DraftError
        As :func:`geo.draft.draft_article` does, and for a file that is not .txt or .html.
    """
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise DraftError(f"{name}: only .txt and .html files are read")
    drafts = draft_article(
        data,
        dataset.catalog,
        name=name,
        url=url or None,
        outlet=outlet or None,
        published=published,
        language=language or None,
    )
    return [draft_yaml(d) for d in drafts.drafts], drafts.summary()


@dataclass(frozen=True)
class Checked:
    """The drafts as loaded by the real validator: catalog, problems per draft, file names."""

    dataset: Dataset
    problems: dict[str, list[Problem]]  # draft index (str) -> its problems
    names: dict[str, str]  # draft index (str) -> the id it was checked as


def check_texts(texts: list[str], base: Dataset, data_dir: str) -> Checked:
    """Validate the (edited) draft texts against ``data_dir`` and measure them for the map."""
    catalog, names = check_drafts(texts, data_dir)
    problems: dict[str, list[Problem]] = {index: [] for index in names}
    for problem in catalog.problems:
        for index, stem in names.items():
            if problem.path.endswith(f"{stem}.yaml"):
                problems[index].append(problem)
    return Checked(derive_dataset(base, catalog), problems, names)


def preview_deck(checked: Checked, selected: str | None) -> pdk.Deck:
    """Return the map of the drafts: hollow markers, the selected draft's claims drawn."""
    dataset = checked.dataset
    shown = dataset.incidents
    located = dataset.locations.dropna(subset=["lon"])
    focus = located[located["incident_id"] == selected] if selected else located
    if focus.empty:
        focus = located
    view = fit_view(focus["lon"].to_numpy(), focus["lat"].to_numpy(), pad_km=80.0)
    enabled = {"layer_rings": False}
    return build_deck(dataset, shown, selected=selected, enabled=enabled, view=view)


def claim_rows(checked: Checked) -> pd.DataFrame:
    """Return the claim checks of the drafts for a table (verdicts against the geometry)."""
    checks = checked.dataset.checks
    columns = ["incident_id", "text", "kind", "stated", "computed", "verdict", "basis"]
    return checks[columns] if len(checks) else pd.DataFrame(columns=columns)
