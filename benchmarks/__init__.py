"""Reproducible figures for coreplan_analysis (speed, memory, scale): see README.md here."""
