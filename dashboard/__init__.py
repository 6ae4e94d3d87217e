"""Seamark's Streamlit dashboard (entry: dashboard/app.py). Imports geo; geo never imports it."""
