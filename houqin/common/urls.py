"""Routes of the shared machinery: attachments and notifications (included at the root)."""

from django.urls import path

from houqin.common import attachment_views, notification_views
from houqin.common.webhook_views import Webhooks

app_name = "common"

urlpatterns = [
    path(
        "files/upload/<str:app_label>/<str:model>/<str:object_id>/",
        attachment_views.attachment_upload_view,
        name="attachment_upload",
    ),
    path("files/<int:pk>/", attachment_views.attachment_download_view, name="attachment_download"),
    path("files/<int:pk>/thumb/", attachment_views.attachment_thumb_view, name="attachment_thumb"),
    path(
        "files/<int:pk>/delete/", attachment_views.attachment_delete_view, name="attachment_delete"
    ),
    path("notifications/", notification_views.notification_list_view, name="notification_list"),
    path(
        "notifications/read-all/",
        notification_views.notification_read_all_view,
        name="notification_read_all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read_view,
        name="notification_read",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings_view,
        name="notification_settings",
    ),
    *Webhooks.urls(),
]
