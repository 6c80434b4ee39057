"""Headless games: one at a time or many, with results as plain data."""
