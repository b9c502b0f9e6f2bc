from django.urls import path

from tumbuh.messaging import webhooks

urlpatterns = [
    path("whatsapp", webhooks.whatsapp, name="webhook_whatsapp"),
    path("telegram", webhooks.telegram, name="webhook_telegram"),
]
