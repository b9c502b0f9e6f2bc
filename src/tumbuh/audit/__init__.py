"""Audit: the append-only log of who created, changed, viewed, was denied or exported what."""
