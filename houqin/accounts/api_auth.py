"""Personal API tokens: ``Authorization: Bearer <token>``; failures are throttled per address."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from houqin.accounts.models import ApiToken
from houqin.accounts.services import token_digest

FAILURES_PER_MINUTE = 20


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(f"{self.keyword} "):
            return None
        ip = request.META.get("REMOTE_ADDR", "")
        failures_key = f"houqin:api-auth-failures:{ip}"
        if cache.get(failures_key, 0) >= FAILURES_PER_MINUTE:
            raise exceptions.Throttled(wait=60)
        raw = header[len(self.keyword) + 1 :].strip()
        token = (
            ApiToken.objects.select_related("user", "user__organization")
            .filter(digest=token_digest(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            cache.add(failures_key, 0, 60)
            cache.incr(failures_key)
            raise exceptions.AuthenticationFailed()
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the personal API token in the OpenAPI schema."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "个人接口令牌"}
