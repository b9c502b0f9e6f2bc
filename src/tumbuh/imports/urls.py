from django.urls import path

from tumbuh.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/status.json", views.job_status, name="job_status"),
    path("<int:job_id>/kesalahan.csv", views.error_report, name="error_report"),
    path("ganda/", views.duplicate_list, name="duplicate_list"),
    path("ganda/<int:candidate_id>/", views.duplicate_detail, name="duplicate_detail"),
]
