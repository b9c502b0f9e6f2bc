"""URL map: the registry pages, login, the audit export and the Django admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tumbuh.dashboard.urls")),
    path("akun/", include("tumbuh.accounts.urls")),
    path("", include("tumbuh.registry.urls")),
    path("", include("tumbuh.cases.urls")),
    path("audit/", include("tumbuh.audit.urls")),
    path("impor/", include("tumbuh.imports.urls")),
    path("komando/", include("tumbuh.komando.urls")),
    path("api/v1/", include("tumbuh.api.urls")),
    path("akun/token-api/", include("tumbuh.api.token_urls")),
    path("", include("tumbuh.messaging.urls")),
    path("webhooks/", include("tumbuh.messaging.webhook_urls")),
    path("mitra/", include("tumbuh.partners.urls")),
    path("admin/", admin.site.urls),
]
