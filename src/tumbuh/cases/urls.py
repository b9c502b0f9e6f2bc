"""Cases pages under ``/kasus/`` and the OPD inbox under ``/tugas/`` (included from
``config/urls.py`` at the root)."""

from django.urls import path

from tumbuh.cases.views import cases, prevention, tasks

app_name = "cases"
urlpatterns = [
    path("kasus/", cases.case_index, name="case_list"),
    path("kasus/berisiko/", prevention.prevention_list, name="prevention"),
    path("kasus/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("kasus/<int:case_id>/verifikasi/", cases.case_verify_view, name="case_verify"),
    path("kasus/<int:case_id>/kebutuhan/", cases.case_needs_view, name="case_needs"),
    path("kasus/<int:case_id>/intervensi/", cases.case_intervention_view, name="case_intervention"),
    path("kasus/<int:case_id>/rujukan/", cases.case_referral_view, name="case_referral"),
    path(
        "kasus/<int:case_id>/rujukan/<int:referral_id>/hasil/",
        cases.referral_outcome_view,
        name="referral_outcome",
    ),
    path("kasus/<int:case_id>/tinjau/", cases.case_review_view, name="case_review"),
    path("kasus/<int:case_id>/tutup/", cases.case_close_view, name="case_close"),
    path("kasus/<int:case_id>/buka-kembali/", cases.case_reopen_view, name="case_reopen"),
    path("tugas/", tasks.task_index, name="task_list"),
    path("tugas/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("tugas/<int:task_id>/bukti/", tasks.task_evidence, name="task_evidence"),
    path("tugas/<int:task_id>/<slug:step>/", tasks.task_step, name="task_step"),
]
