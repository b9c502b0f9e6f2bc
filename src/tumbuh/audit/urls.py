from django.urls import path

from tumbuh.audit import views

app_name = "audit"
urlpatterns = [path("ekspor.csv", views.export_csv, name="export")]
