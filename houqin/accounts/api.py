"""The API of accounts: who am I."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from houqin.accounts.models import User
from houqin.accounts.roles import ROLE_BY_CODE
from houqin.accounts.selectors import user_roles
from houqin.common.masking import mask_phone


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="脱敏后的手机号")
    organization = serializers.CharField()
    organization_code = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    roles = RoleSerializer(many=True)
    is_demo = serializers.BooleanField()


class MeView(APIView):
    """The signed-in user and their roles."""

    @extend_schema(responses=MeSerializer, summary="当前用户")
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        roles = sorted(user_roles(user))
        data = {
            "id": user.pk,
            "username": user.username,
            "name": user.name,
            "phone": mask_phone(user.phone),
            "organization": user.organization.name,
            "organization_code": user.organization.code,
            "department": str(user.department) if user.department_id else None,
            "roles": [
                {"code": c, "label": ROLE_BY_CODE[c].label} for c in roles if c in ROLE_BY_CODE
            ],
            "is_demo": user.is_demo,
        }
        return Response(MeSerializer(data).data)
