"""Pages of an organization's group robots (企业微信 / 钉钉 style webhooks), kept by the
security admin: https only, and only to the hosts allowed in HOUQIN_WEBHOOK_HOSTS."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings

from houqin.common.forms import OrgModelForm
from houqin.common.generic import Col, ObjectSet
from houqin.common.models import WebhookEndpoint
from houqin.common.notifications import NOTIFICATION_KINDS


def masked_url(url: str) -> str:
    """Scheme and host only: the rest of a robot address is its secret key."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "—"


class WebhookForm(OrgModelForm):
    url = forms.URLField(label="地址", max_length=500, assume_scheme="https")
    kind = forms.ChoiceField(label="通知类别", required=False)

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "kind", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部类别"), *NOTIFICATION_KINDS.items()]  # type: ignore[attr-defined]
        self.fields[
            "url"
        ].help_text = "只能填写允许的机器人地址（https），如企业微信、钉钉群机器人的 Webhook 地址。"

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        host = (urlsplit(url).hostname or "").lower()
        allowed = settings.HOUQIN_WEBHOOK_HOSTS
        if urlsplit(url).scheme != "https" or host not in allowed:
            raise forms.ValidationError(
                f"只能填写以下主机的 https 地址：{'、'.join(allowed)}；"
                "如需其他地址，请在服务器配置 HOUQIN_WEBHOOK_HOSTS。"
            )
        return url


class Webhooks(ObjectSet):
    model = WebhookEndpoint
    slug = "settings/webhooks"
    columns = [
        Col("名称", lambda r: r.name, "name"),
        Col("地址", lambda r: masked_url(r.url)),
        Col("通知类别", lambda r: NOTIFICATION_KINDS.get(r.kind, "全部类别"), "kind"),
        Col("启用", lambda r: "是" if r.active else "否", "active"),
    ]
    default_sort = "name"
    detail_fields = ["name", "kind", "active"]
    form_class = WebhookForm
    search_fields = ("name",)
    search_hint = "名称"
    empty_text = "添加单位工作群的机器人地址后，通知可以同时发到群里。"
