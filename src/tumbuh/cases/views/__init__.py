"""Cases pages (thin: scoping in ``cases.selectors`` and ``cases.prevention``, writes in
``cases.services``): the prevention worklist, the case list and page, the OPD inbox."""
