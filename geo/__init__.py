"""Seamark's core: curated incident data, validation and geodesic measurement. No UI imports.

Public surface
--------------
load_catalog, Catalog, data_dir_from_env
    Load and validate a data directory (incidents, places, boundaries, territorial seas).
Problem, Severity, ValidationError
    What validation reports.
models
    The pydantic models of the curated files.
"""

from geo import models
from geo.catalog import Catalog, data_dir_from_env, load_catalog
from geo.problems import Problem, Severity, ValidationError

__all__ = [
    "Catalog",
    "Problem",
    "Severity",
    "ValidationError",
    "data_dir_from_env",
    "load_catalog",
    "models",
]
