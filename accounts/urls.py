from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", two_factor_views.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/turn-off/", two_factor_views.turn_off, name="two_factor_turn_off"),
]
