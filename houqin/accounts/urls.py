from django.urls import path

from houqin.accounts.views import audit, auth, profile, security, users

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/otp/", auth.login_otp_view, name="login_otp"),
    path("login/otp/setup/", auth.login_otp_setup_view, name="login_otp_setup"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/change/", auth.password_change_view, name="password_change"),
    path("profile/", profile.profile_view, name="profile"),
    path("sessions/", profile.sessions_view, name="sessions"),
    path("sessions/<int:pk>/end/", profile.session_end_view, name="session_end"),
    path("two-factor/", profile.two_factor_view, name="two_factor"),
    path("two-factor/recovery-codes/", profile.recovery_codes_view, name="recovery_codes"),
    path("two-factor/disable/", profile.two_factor_disable_view, name="two_factor_disable"),
    path("users/", users.user_list_view, name="user_list"),
    path("users/export/", users.user_export_view, name="user_export"),
    path("users/new/", users.user_create_view, name="user_create"),
    path("users/<int:pk>/", users.user_detail_view, name="user_detail"),
    path("users/<int:pk>/roles/", users.user_roles_view, name="user_roles"),
    path("users/<int:pk>/active/", users.user_set_active_view, name="user_set_active"),
    path(
        "users/<int:pk>/reset-password/", users.user_reset_password_view, name="user_reset_password"
    ),
    path("roles/", security.role_list_view, name="role_list"),
    path("policy/", security.policy_view, name="policy"),
    path("lockouts/", security.lockout_list_view, name="lockouts"),
    path("lockouts/clear/", security.lockout_clear_view, name="lockout_clear"),
    path("audit/", audit.audit_list_view, name="audit_list"),
    path("audit/export/", audit.audit_export_view, name="audit_export"),
]
