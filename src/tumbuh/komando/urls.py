from django.urls import path

from tumbuh.komando import views

app_name = "komando"
urlpatterns = [
    path("", views.home, name="home"),
    path("daftar/", views.drill, name="drill"),
    path("rakor.<str:fmt>", views.rakor_download, name="rakor"),
    path("publik/", views.public_stats, name="public"),
]
