"""Dashboard fixtures: the curated dataset built once, caches cleared between AppTests."""

from __future__ import annotations

import pytest
import streamlit as st

from dashboard.dataset import build_dataset
from tests.conftest import CURATED_DIR


@pytest.fixture(scope="session")
def dataset():
    return build_dataset(CURATED_DIR)


@pytest.fixture
def clear_caches():
    """AppTest runs share Streamlit's caches within a process; start each test clean."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
