from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import login, password_reset, two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", login.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", password_reset.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        password_reset.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password_reset.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("two-factor/", two_factor.overview, name="two_factor"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/turn-off/", two_factor.turn_off, name="two_factor_turn_off"),
]
