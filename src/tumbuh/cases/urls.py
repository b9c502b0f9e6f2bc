"""Cases pages under ``/kasus/`` and the OPD inbox under ``/tugas/`` (included from
``config/urls.py`` at the root)."""

from django.urls import path

from tumbuh.cases.views import prevention

app_name = "cases"
urlpatterns = [
    path("kasus/berisiko/", prevention.prevention_list, name="prevention"),
]
