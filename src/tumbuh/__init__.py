"""Tumbuh: satu komando penanganan stunting."""

__version__ = "0.1.0"
