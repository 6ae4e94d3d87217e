"""Seamark dashboard entry point: ``python -m streamlit run dashboard/app.py``."""

import streamlit as st

from geo import load_catalog

st.set_page_config(page_title="Seamark", layout="wide")
catalog = load_catalog()
st.title("Seamark")
st.caption(catalog.summary())
for problem in catalog.errors:
    st.error(problem.format())
st.dataframe(catalog.locations().drop(columns="geometry"), hide_index=True)
