"""``/mitra/``: sign-up, open needs, pledges, verification, the portal and TPPS pages."""

from django.urls import path

from tumbuh.partners.views import ledger, portal, public, tpps

app_name = "partners"

urlpatterns = [
    path("daftar/", public.signup, name="signup"),
    path("daftar/terima-kasih/", public.signup_done, name="signup_done"),
    path("penghargaan/", public.recognition, name="recognition"),
    path("kebutuhan/", ledger.need_list, name="needs"),
    path("kebutuhan/<int:need_id>/janji/", ledger.pledge_new, name="pledge_new"),
    path("janji/", ledger.pledge_list, name="pledges"),
    path("janji/<int:pk>/", ledger.pledge_detail, name="pledge_detail"),
    path("verifikasi/", ledger.verify_list, name="verify_list"),
    path("pengantaran/<int:pk>/verifikasi/", ledger.delivery_verify_view, name="verify"),
    path("anak-asuh/", portal.my_children, name="my_children"),
    path("anak-asuh/<int:child_id>/", portal.child_page, name="child"),
    path("kontribusi/", portal.my_contributions, name="my_contributions"),
    path("kontribusi/piagam-<int:year>.pdf", portal.certificate, name="certificate"),
    path("tpps/mitra/", tpps.partner_list, name="tpps_partners"),
    path(
        "tpps/pendaftaran/<int:pk>/<str:decision>/",
        tpps.application_decide,
        name="application_decide",
    ),
    path("tpps/janji/", tpps.pledge_queue, name="tpps_pledges"),
    path("tpps/janji/<int:pk>/<str:decision>/", tpps.pledge_decide, name="pledge_decide"),
    path("tpps/dana-bersama/<int:pk>/bagi/", tpps.pool_allocate_view, name="pool_allocate"),
    path("tpps/anak-asuh/baru/", tpps.assign, name="assign"),
    path("tpps/kunjungan/", tpps.overdue_visits, name="tpps_visits"),
    path("pengasuhan/<int:pk>/tarik-persetujuan/", tpps.withdraw, name="withdraw"),
]
