"""Sphinx configuration for the oslo-incubator documentation."""

project = "oslo-incubator"
copyright = "oslo-incubator developers"
extensions: list[str] = []
master_doc = "index"
exclude_patterns: list[str] = []
html_theme = "alabaster"
