"""Forms of standards: 立项, registering an adopted external standard, editing metadata.
They check the shape of the input; the services check the rules (number format, unique
number, retired nodes, what may change in which state) and their errors are shown on the
same fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from houqin.common.forms import DATE_INPUT, OrgModelForm
from houqin.org.models import ServiceLine
from houqin.standards.models import Standard, StandardNode
from houqin.standards.numbers import EXAMPLES, normalized, number_error
from houqin.standards.selectors import node_choices, proposer_choices

PROPOSE_FIELDS = (
    "title",
    "node",
    "level",
    "owner_department",
    "proposer",
    "reason",
    "scope",
    "due_on",
    "number",
    "lines",
    "posts",
    "replaces",
)
ADOPT_FIELDS = (
    "number",
    "title",
    "level",
    "node",
    "owner_department",
    "issuing_body",
    "published_on",
    "effective_on",
    "lines",
    "posts",
    "replaces",
    "pdf",
)
ADOPTED_EDIT_FIELDS = (
    "number",
    "title",
    "english_title",
    "level",
    "node",
    "owner_department",
    "issuing_body",
    "published_on",
    "effective_on",
    "review_years",
    "lines",
    "posts",
    "replaces",
)
DRAFT_EDIT_FIELDS = (
    "title",
    "english_title",
    "number",
    "node",
    "owner_department",
    "proposer",
    "due_on",
    "issuing_body",
    "drafting_units",
    "drafters",
    "review_years",
    "lines",
    "posts",
    "replaces",
)
IN_FORCE_EDIT_FIELDS = ("node", "owner_department", "review_years", "lines", "posts", "replaces")
RELATIONS = ("lines", "posts", "replaces")
EXTERNAL_LEVELS = [(v, label) for v, label in Standard.Level.choices if v != "internal"]


def edit_fields(standard: Standard, has_published: bool) -> tuple[str, ...]:
    """The fields that may be edited in the standard's state: a proposal all of its own;
    an adopted external standard its registration data; a draft its metadata (the number
    until a version is published); a standard in force only how it is classified and whom
    it governs (its title and number were fixed when it was published)."""
    if standard.status == Standard.Status.PROPOSED:
        return PROPOSE_FIELDS
    if standard.is_adopted:
        return ADOPTED_EDIT_FIELDS
    if standard.status == Standard.Status.IN_FORCE:
        return IN_FORCE_EDIT_FIELDS
    if has_published:
        return tuple(f for f in DRAFT_EDIT_FIELDS if f != "number")
    return DRAFT_EDIT_FIELDS


def number_hint(level: str | None, prefix: str) -> str:
    """Examples of the number format: of one level, of the external levels ("external") or
    of all of them (None)."""
    examples = [f"{label}如“{EXAMPLES[v]}”" for v, label in EXTERNAL_LEVELS]
    internal = f"内部标准如“{prefix}/FW 003—2026”"
    if level == "internal":
        return f"{internal}；年号为四位，与顺序号之间用“—”连接。"
    if level in EXAMPLES:
        examples = [f"如“{EXAMPLES[level]}”"]
    elif level != "external":
        examples.append(internal)
    return "；".join(examples) + "。代号与顺序号之间空一格，年号为四位。"


class StandardForm(OrgModelForm):
    """Every field a standard's pages edit; each page keeps the ones it needs
    (``field_names``)."""

    lines = forms.MultipleChoiceField(
        label="适用服务条线",
        choices=ServiceLine.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pdf = forms.FileField(
        label="标准文本（PDF）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text="选填。只接受 PDF 文件，保存后可在“附件”中查看和下载。",
    )

    class Meta:
        model = Standard
        fields = [
            "number",
            "title",
            "english_title",
            "level",
            "node",
            "owner_department",
            "issuing_body",
            "drafting_units",
            "drafters",
            "proposer",
            "reason",
            "scope",
            "due_on",
            "published_on",
            "effective_on",
            "review_years",
            "posts",
            "replaces",
        ]
        labels = {"proposer": "负责人", "number": "标准编号"}
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "due_on": DATE_INPUT,
            "published_on": DATE_INPUT,
            "effective_on": DATE_INPUT,
            "posts": forms.CheckboxSelectMultiple,
            "replaces": forms.SelectMultiple(attrs={"size": 5}),
        }
        help_texts = {
            "drafting_units": "多个单位用顿号分隔。",
            "drafters": "多人用顿号分隔。",
            "review_years": "实施后每隔几年复审一次，一般为 5 年。",
        }

    def __init__(
        self,
        *args: Any,
        organization_id: int,
        field_names: tuple[str, ...],
        internal_prefix: str = "JGSW",
        **kwargs: Any,
    ) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and "initial" not in kwargs:
            kwargs["initial"] = {"lines": [line.line for line in instance.lines.all()]}
        super().__init__(*args, organization_id=organization_id, **kwargs)
        self.internal_prefix = internal_prefix
        for name in list(self.fields):
            if name not in field_names:
                del self.fields[name]
        self.order_fields(field_names)
        current = instance.pk if instance is not None else None
        if "node" in self.fields:
            node = cast(forms.ModelChoiceField, self.fields["node"])
            kept = instance.node_id if instance is not None and current else None
            rows = StandardNode.objects.filter(organization_id=organization_id)
            node.queryset = (
                rows.filter(Q(retired=False) | Q(pk=kept)) if kept else rows.filter(retired=False)
            )
            node.choices = [
                ("", "请选择体系节点"),
                *node_choices(organization_id=organization_id, active_only=True, keep=kept),
            ]
            node.help_text = "标准放在体系的哪个节点下；已停用的节点不能再放新标准。"
        if "proposer" in self.fields:
            proposer = cast(forms.ModelChoiceField, self.fields["proposer"])
            proposer.queryset = proposer.queryset.filter(is_active=True).exclude(  # type: ignore[union-attr]
                memberships__is_admin_role=True
            )
            proposer.choices = [
                ("", "（不指定）"),
                *proposer_choices(organization_id=organization_id),
            ]
        if "replaces" in self.fields:
            replaces = cast(forms.ModelMultipleChoiceField, self.fields["replaces"])
            rows = Standard.objects.filter(organization_id=organization_id).order_by(
                "number", "title"
            )
            if current:
                rows = rows.exclude(pk=current)
            replaces.queryset = rows.only("pk", "number", "title")
            replaces.empty_label = None
            replaces.help_text = "新标准发布后代替的旧标准；可多选（电脑上按住 Ctrl 点选）。"
        if "posts" in self.fields:
            posts = cast(forms.ModelMultipleChoiceField, self.fields["posts"])
            posts.queryset = posts.queryset.order_by("code")  # type: ignore[union-attr]
            posts.empty_label = None
            posts.help_text = "岗位工作标准适用的岗位；实施后这些岗位的人员要阅读确认。"
        if "number" in self.fields:
            level = getattr(instance, "level", None) if current else None
            self.fields["number"].help_text = number_hint(level, internal_prefix)
        if "reason" in self.fields:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "请填写立项理由。"

    def relations(self) -> dict[str, Any]:
        """The lines, posts and replaced standards chosen (only those the form shows)."""
        data = self.cleaned_data
        return {name: list(data[name]) for name in RELATIONS if name in self.fields}

    def service_data(self) -> dict[str, Any]:
        """The model fields to hand to the service (``replaces`` included)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and name not in ("lines", "posts", "pdf")
        }
        if "replaces" in data:
            data["replaces"] = list(data["replaces"])
        return data

    def clean_number(self) -> str:
        return (self.cleaned_data.get("number") or "").strip()

    def clean(self) -> dict[str, Any]:
        """The number's format is checked here too, so that it is reported together with
        the other mistakes (the service checks it again, with uniqueness)."""
        data = super().clean() or {}
        number = data.get("number")
        level = data.get("level") or getattr(self.instance, "level", "")
        if number and level and "number" not in self.errors:
            message = number_error(normalized(number), level, self.internal_prefix)
            if message:
                self.add_error("number", message)
        published, effective = data.get("published_on"), data.get("effective_on")
        if published and effective and effective < published:
            self.add_error("effective_on", "实施日期不能早于发布日期。")
        return data

    def _post_clean(self) -> None:
        """Model validation is the service's: it knows the number format of each level and
        the rules of each state. Keep the form from writing into the instance."""


class ProposeForm(StandardForm):
    """立项: a new standard of the center, internal by default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"level": Standard.Level.INTERNAL})
        super().__init__(*args, field_names=PROPOSE_FIELDS, **kwargs)
        self.fields["number"].label = "拟定编号"
        self.fields["number"].help_text = (
            "可不填，批准发布时再确定。" + self.fields["number"].help_text
        )
        self.fields["title"].help_text = "例如：公共卫生间保洁服务规范。"


class AdoptForm(StandardForm):
    """An adopted national, industry, local or group standard, with its PDF."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, field_names=ADOPT_FIELDS, **kwargs)
        level = cast(forms.ChoiceField, self.fields["level"])
        level.choices = [("", "请选择层级"), *EXTERNAL_LEVELS]
        self.fields["number"].required = True
        self.fields["number"].help_text = number_hint("external", self.internal_prefix)
        self.fields["number"].error_messages["required"] = "请填写标准编号。"
        self.fields["issuing_body"].help_text = "例如：国家市场监督管理总局、国家标准化管理委员会。"


class EditForm(StandardForm):
    """A standard's metadata, the fields its state allows (``edit_fields``)."""

    def __init__(self, *args: Any, has_published: bool, **kwargs: Any) -> None:
        standard = kwargs["instance"]
        super().__init__(*args, field_names=edit_fields(standard, has_published), **kwargs)
        if "level" in self.fields and standard.status != Standard.Status.PROPOSED:
            cast(forms.ChoiceField, self.fields["level"]).choices = EXTERNAL_LEVELS
