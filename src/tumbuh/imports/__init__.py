"""Import of e-PPGBM-style spreadsheets (XLSX, CSV) into the registry: validated row by row,
all-or-nothing, idempotent, with probable duplicates queued for a person to decide."""
