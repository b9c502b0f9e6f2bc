"""``/api/v1`` routes of the partners area (ARCHITECTURE.md contract): open needs, pledges,
approval, deliveries, verification, visits, partner sign-up. Scoped by the same selectors
as the pages; another area's object is 404 with an audited ``denied``; a step out of order
is 409; bad values 422 with Indonesian messages. Mounted from ``tumbuh.api.api.ROUTERS``."""

from tumbuh.partners.api.ledger import deliveries_router, needs_router, pledges_router
from tumbuh.partners.api.signup import partners_router
from tumbuh.partners.api.visits import child_visits_router, patronages_router, visits_router

__all__ = [
    "child_visits_router",
    "deliveries_router",
    "needs_router",
    "partners_router",
    "patronages_router",
    "pledges_router",
    "visits_router",
]
