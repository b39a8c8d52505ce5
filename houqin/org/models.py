"""Organizations (the tenants) and their departments."""

from typing import Any

from django.db import models

from houqin.common.models import OrgScoped
from houqin.common.workflow import Transition, Workflow


class ServiceLine(models.TextChoices):
    """The service lines (服务条线) a center runs; standards, checklists and scores carry
    them."""

    VEHICLES = "vehicles", "公务用车"
    CANTEEN = "canteen", "机关食堂"
    MEETINGS = "meetings", "会议服务"
    RECEPTION = "reception", "公务接待"
    PROPERTY = "property", "物业保洁"
    SECURITY = "security", "安全保卫"
    MAINTENANCE = "maintenance", "设施设备维护"
    GENERAL = "general", "综合管理"


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


class Team(OrgScoped):
    """A crew (班组) inside a department."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name="科室"
    )
    name = models.CharField("班组名称", max_length=60)

    class Meta:
        verbose_name = "班组"
        verbose_name_plural = "班组"
        ordering = ["department__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Post(OrgScoped):
    """A job post (岗位); 岗位工作标准 attach here."""

    code = models.CharField("岗位代码", max_length=32)
    name = models.CharField("岗位名称", max_length=60)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="post_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Vendor(OrgScoped):
    """An outsourced service company (外包服务商) contracted through 政府购买服务."""

    code = models.CharField("服务商代码", max_length=32)
    name = models.CharField("公司名称", max_length=100)
    contact = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    scope = models.CharField("服务范围", max_length=200, blank=True)
    active = models.BooleanField("合作中", default=True)

    class Meta:
        verbose_name = "外包服务商"
        verbose_name_plural = "外包服务商"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="vendor_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Staff(OrgScoped):
    """A person who works for the center (职工), employed directly or through a vendor.
    Leaving staff are marked left and their account disabled, never deleted."""

    class Employment(models.TextChoices):
        CIVIL_SERVANT = "civil_servant", "公务员"
        INSTITUTION = "institution", "事业编制"
        CONTRACT = "contract", "编外临聘"
        OUTSOURCED = "outsourced", "外包"

    class Status(models.TextChoices):
        ACTIVE = "active", "在岗"
        LEFT = "left", "离职"

    number = models.CharField("工号", max_length=32)
    name = models.CharField("姓名", max_length=40)
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="登录账号",
    )
    employment = models.CharField("编制类型", max_length=16, choices=Employment.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="科室",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="班组",
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="岗位",
    )
    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="外包服务商",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)

    bureau_visible = False  # personal data stays with the center

    class Meta:
        verbose_name = "职工"
        verbose_name_plural = "职工"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="staff_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(employment="outsourced") | models.Q(vendor__isnull=False),
                name="staff_outsourced_has_vendor",
                violation_error_message="外包人员须填写所属外包服务商。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"


class ServedUnit(OrgScoped):
    """A served body or department (服务单位), grouped under one of the 市"四大家"."""

    class Body(models.TextChoices):
        PARTY = "party", "市委"
        CONGRESS = "congress", "市人大"
        GOVERNMENT = "government", "市政府"
        CPPCC = "cppcc", "市政协"

    code = models.CharField("单位代码", max_length=32)
    name = models.CharField("单位名称", max_length=100)
    body = models.CharField("所属", max_length=16, choices=Body.choices)
    contact = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    requesters = models.ManyToManyField(
        "accounts.User", blank=True, related_name="served_units", verbose_name="可申请服务的人员"
    )

    class Meta:
        verbose_name = "服务单位"
        verbose_name_plural = "服务单位"
        ordering = ["body", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="served_unit_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContractWorkflow(Workflow):
    field = "status"
    transitions = {
        "activate": Transition(
            ("draft",), "active", "org.change_contract", "生效", "生效后合同内容不能再修改。"
        ),
        "end": Transition(
            ("active",), "ended", "org.change_contract", "终止", "终止后合同不能恢复。", True
        ),
    }

    @classmethod
    def after(cls, obj: Any, name: str, transition: Transition, actor: Any) -> None:
        from houqin.org.services import contract_notify

        contract_notify(contract=obj, transition=transition, actor=actor)


class Contract(OrgScoped):
    """A vendor contract (服务合同): scope, period, amount. Draft → active → ended through the
    workflow; only a draft can be edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "生效"
        ENDED = "ended", "已终止"

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="contracts", verbose_name="外包服务商"
    )
    number = models.CharField("合同编号", max_length=40)
    title = models.CharField("合同名称", max_length=100)
    scope = models.CharField("服务内容", max_length=300, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    amount = models.DecimalField("合同金额（元）", max_digits=14, decimal_places=2)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT)

    workflow = ContractWorkflow
    editable_states = ("draft",)

    class Meta:
        verbose_name = "服务合同"
        verbose_name_plural = "服务合同"
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="contract_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_period_valid",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="contract_amount_not_negative",
                violation_error_message="合同金额不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"
