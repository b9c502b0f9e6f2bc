from django.urls import path

from tumbuh.messaging import views

app_name = "messaging"
urlpatterns = [
    path("chat/", views.chat, name="chat"),
    path("antrian-chat/", views.handoff_list, name="handoff_list"),
    path("antrian-chat/<int:pk>/", views.handoff_detail, name="handoff_detail"),
    path("antrian-chat/<int:pk>/<str:action>/", views.handoff_action, name="handoff_action"),
]
