from django.urls import path

from tumbuh.registry import link_views, views, views_edit, views_measurements

app_name = "registry"
urlpatterns = [
    path("anak/", views.child_list, name="child_list"),
    path("anak/daftar/", views.child_create, name="child_create"),
    path("anak/<int:child_id>/", views.child_detail, name="child_detail"),
    path(
        "anak/<int:child_id>/timbang/",
        views_measurements.measurement_create,
        name="measurement_create",
    ),
    path(
        "anak/<int:child_id>/pengukuran/<int:measurement_id>/",
        views_measurements.measurement_result,
        name="measurement_result",
    ),
    path(
        "anak/<int:child_id>/pengukuran/<int:measurement_id>/perbaiki/",
        views_measurements.measurement_correct_view,
        name="measurement_correct",
    ),
    path(
        "anak/<int:child_id>/pengukuran/<int:measurement_id>/tarik/",
        views_measurements.measurement_withdraw_view,
        name="measurement_withdraw",
    ),
    path("anak/<int:child_id>/ubah/", views_edit.child_edit, name="child_edit"),
    path(
        "anak/<int:child_id>/menyusui/",
        views_edit.breastfeeding_create,
        name="breastfeeding_create",
    ),
    path(
        "ibu/<int:mother_id>/hamil/<int:pregnancy_id>/hasil/",
        views_edit.pregnancy_outcome,
        name="pregnancy_outcome",
    ),
    path("timbang/", views.weigh, name="weigh"),
    path("ibu/", views.mother_list, name="mother_list"),
    path("ibu/<int:mother_id>/", views.mother_detail, name="mother_detail"),
    path("ibu/<int:mother_id>/hamil/", views.pregnancy_check, name="pregnancy_check"),
    path("anak/tautan/", link_views.link_list, name="link_list"),
    path(
        "anak/tautan/<int:link_id>/<str:decision>/",
        link_views.link_decide,
        name="link_decide",
    ),
]
