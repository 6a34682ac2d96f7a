from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from vangnet.accounts import views

app_name = "accounts"

login_urls = [
    path("login/", views.login, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("login/recovery/", views.login_recovery, name="login_recovery"),
    path("login/setup/", views.login_setup, name="login_setup"),
    path("login/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "login/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "login/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]

account_urls = [
    path("logout/", views.logout, name="logout"),
    path("account/", views.profile, name="profile"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/mfa/replace/", views.mfa_replace, name="mfa_replace"),
    path(
        "account/recovery-codes/regenerate/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("account/sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
]

urlpatterns = login_urls + account_urls
