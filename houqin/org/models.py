"""Organizations (the tenants) and their departments."""

from django.db import models

from houqin.common.models import OrgScoped


class Organization(models.Model):
    """A service center (the tenant) or the bureau above several centers."""

    class Kind(models.TextChoices):
        CENTER = "center", "机关事务服务中心"
        BUREAU = "bureau", "机关事务管理局"

    code = models.CharField("单位代码", max_length=32, unique=True)
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.CENTER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="上级单位",
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]
        permissions = [("read_member_centers", "只读查看所属各中心的数据")]

    def __str__(self) -> str:
        return self.name


class Department(OrgScoped):
    """A department (科室) of a center; codes are unique within the organization."""

    code = models.CharField("科室代码", max_length=32)
    name = models.CharField("科室名称", max_length=60)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="department_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name
