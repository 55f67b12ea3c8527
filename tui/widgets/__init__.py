"""Widgets of the terminal UI: the Line API lists, form fields, suggestions."""
