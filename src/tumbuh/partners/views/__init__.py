"""Pages of the partners area, thin: scoping in ``selectors``, writes in ``services``."""
