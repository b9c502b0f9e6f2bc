from django.contrib.auth import views as auth_views
from django.urls import path

from tumbuh.accounts.forms import LoginForm
from tumbuh.accounts.twofactor import two_factor

app_name = "accounts"
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            redirect_authenticated_user=True,
            authentication_form=LoginForm,
            # LoginView puts the host name in site_name; the brand must stay "Tumbuh".
            extra_context={"site_name": "Tumbuh"},
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("dua-langkah/", two_factor, name="two_factor"),
]
