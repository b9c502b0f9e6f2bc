"""One ninja Router per area of the API."""
