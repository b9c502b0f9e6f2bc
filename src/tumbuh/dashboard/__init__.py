"""Dashboard: the site shell (base template, CSS, checks) and the landing page per role."""
