"""Places (one tree per organization: campus → building → floor → room → point) and the
equipment installed in them. Both carry an unguessable QR token printed on their label."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from houqin.common.models import OrgScoped, OrgScopedQuerySet
from houqin.common.workflow import Transition, Workflow

EQUIPMENT_CHANGE = "places.change_equipment"


def new_qr_token() -> str:
    """An unguessable token for a QR label (192 random bits, URL-safe)."""
    return secrets.token_urlsafe(24)


def _untracked(field: Any) -> Any:
    """Keep a field out of the change log (tree bookkeeping, secrets)."""
    field.changelog_exclude = True
    return field


class PlaceQuerySet(MP_NodeQuerySet, OrgScopedQuerySet):
    """Tree-aware deletes (treebeard) and organization scoping (``for_user``)."""


class PlaceManager(MP_NodeManager):
    """Treebeard's manager (rows ordered by path) with ``for_user`` scoping."""

    def get_queryset(self) -> PlaceQuerySet:
        return PlaceQuerySet(self.model, using=self._db).order_by("path")

    def for_user(self, user: Any, action: str = "view") -> PlaceQuerySet:
        return self.get_queryset().for_user(user, action)  # type: ignore[return-value]


class Place(MP_Node, OrgScoped):
    """A place in the organization's tree. A child's kind is below its parent's
    (园区 > 楼宇 > 楼层 > 房间 > 点位, levels may be skipped; a point hangs under any other
    kind); codes are unique within the organization; the QR token is unguessable and
    changes when the label is regenerated (the old label stops working)."""

    class Kind(models.TextChoices):
        CAMPUS = "campus", "园区"
        BUILDING = "building", "楼宇"
        FLOOR = "floor", "楼层"
        ROOM = "room", "房间"
        POINT = "point", "点位"

    node_order_by = ["code"]

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    code = models.CharField("编号", max_length=32)
    name = models.CharField("名称", max_length=100)
    area_m2 = models.DecimalField(
        "面积（平方米）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任科室",
    )
    qr_token = _untracked(
        models.CharField(
            "二维码令牌", max_length=64, unique=True, default=new_qr_token, editable=False
        )
    )
    active = models.BooleanField("启用", default=True)

    objects: ClassVar[PlaceManager] = PlaceManager()

    class Meta:
        verbose_name = "场所"
        verbose_name_plural = "场所"
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="place_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


for _name in Place._TREE_FIELDS:
    _untracked(Place._meta.get_field(_name))

KIND_RANK: dict[str, int] = {kind.value: rank for rank, kind in enumerate(Place.Kind)}


def kind_allowed(*, parent_kind: str | None, child_kind: str) -> bool:
    """A child's kind must be below its parent's (any kind may be at the top)."""
    return parent_kind is None or KIND_RANK[child_kind] > KIND_RANK[parent_kind]


class EquipmentWorkflow(Workflow):
    field = "status"
    transitions = {
        "repair": Transition(
            ("in_service", "out_of_service"),
            "under_repair",
            EQUIPMENT_CHANGE,
            "送修",
            confirm="设备状态改为“维修中”。",
        ),
        "resume": Transition(
            ("under_repair", "out_of_service"),
            "in_service",
            EQUIPMENT_CHANGE,
            "恢复在用",
            confirm="设备状态改为“在用”。",
        ),
        "retire": Transition(
            ("in_service", "under_repair"),
            "out_of_service",
            EQUIPMENT_CHANGE,
            "停用",
            confirm="设备状态改为“停用”，停用的设备不再打印标签。",
            needs_note=True,
        ),
    }


class Equipment(OrgScoped):
    """An installed piece of equipment (elevator, AC unit, extinguisher …) at one place.
    Codes are unique within the organization; the status changes only through the
    workflow (送修 / 恢复在用 / 停用); the QR token works like a place's."""

    class Type(models.TextChoices):
        ELEVATOR = "elevator", "电梯"
        AIR_CONDITIONER = "air_conditioner", "空调"
        FIRE_EXTINGUISHER = "fire_extinguisher", "灭火器"
        HYDRANT = "hydrant", "消火栓"
        PUMP = "pump", "水泵"
        GENERATOR = "generator", "发电机"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", "在用"
        UNDER_REPAIR = "under_repair", "维修中"
        OUT_OF_SERVICE = "out_of_service", "停用"

    workflow = EquipmentWorkflow

    code = models.CharField("编号", max_length=32)
    type = models.CharField("类型", max_length=24, choices=Type.choices)
    name = models.CharField("名称", max_length=100)
    model = models.CharField("型号", max_length=100, blank=True)
    serial = models.CharField("出厂编号", max_length=100, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="equipment", verbose_name="所在场所"
    )
    installed_on = models.DateField("安装日期", null=True, blank=True)
    certificate_no = models.CharField("检验证书编号", max_length=100, blank=True)
    certificate_expires = models.DateField("证书有效期至", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.IN_SERVICE
    )
    qr_token = _untracked(
        models.CharField(
            "二维码令牌", max_length=64, unique=True, default=new_qr_token, editable=False
        )
    )

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = "设备"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="equipment_code_unique"),
        ]
        indexes = [
            models.Index(fields=["organization", "certificate_expires"], name="equipment_cert_idx")
        ]

    def __str__(self) -> str:
        return self.name
