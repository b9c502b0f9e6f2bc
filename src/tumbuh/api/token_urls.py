from django.urls import path

from tumbuh.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:token_id>/cabut/", views.token_revoke_view, name="revoke"),
]
