"""Synthetic demo data: generated families, children and weighings (never real people)."""
