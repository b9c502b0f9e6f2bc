from django.urls import path

from tumbuh.messaging import lead_views, views

app_name = "messaging"
urlpatterns = [
    path("chat/", views.chat, name="chat"),
    path("chat/balasan/", views.chat_replies, name="chat_replies"),
    path("antrian-chat/", views.handoff_list, name="handoff_list"),
    path("antrian-chat/<int:pk>/", views.handoff_detail, name="handoff_detail"),
    path("antrian-chat/<int:pk>/<str:action>/", views.handoff_action, name="handoff_action"),
    path("kunjungan-chat/", lead_views.lead_list, name="lead_list"),
    path("kunjungan-chat/<int:pk>/", lead_views.lead_detail, name="lead_detail"),
    path("kunjungan-chat/<int:pk>/status/", lead_views.lead_status, name="lead_status"),
]
