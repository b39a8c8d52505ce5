"""Form helpers: Tabler classes on every widget and Chinese "required" messages, so that
templates render every field the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A drop-down rendered by string building instead of one template per option: list
    pages render several on every request (see STYLE.md, Speed)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in selected else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        attributes = format_html_join(" ", '{}="{}"', sorted(final.items()))
        return format_html(
            '<select name="{}" {}>{}</select>',
            name,
            attributes,
            mark_safe(options),  # noqa: S308
        )


class StyledFormMixin:
    """Adds Tabler's CSS classes to each widget and marks the invalid ones as errors are added."""

    fields: dict[str, forms.Field]
    errors: Any
    _errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if type(widget) is forms.Select:
                widget.__class__ = FastSelect
            choosing = isinstance(widget, forms.Select | forms.CheckboxSelectMultiple)
            field.error_messages["required"] = f"请{'选择' if choosing else '填写'}{field.label}。"
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        """Every error, from cleaning or from a service afterwards, marks its field; and a
        form that puts the cursor somewhere puts it on the first field to mend."""
        super().add_error(field, error)  # type: ignore[misc]
        invalid = [name for name in self.fields if name in self._errors]
        for name in invalid:
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", "").split():
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"id_{name}_error"
        widgets = [field.widget for field in self.fields.values()]
        if invalid and any("autofocus" in widget.attrs for widget in widgets):
            for widget in widgets:
                widget.attrs.pop("autofocus", None)
            self.fields[invalid[0]].widget.attrs["autofocus"] = ""


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgModelForm(StyledModelForm):
    """A model form whose choices of related rows come from the user's organization only,
    and which checks "unique within the organization" with the other fields."""

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self.instance, "organization_id", None) is None:
            self.instance.organization_id = organization_id
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and any(
                f.name == "organization" for f in queryset.model._meta.concrete_fields
            ):
                field.queryset = queryset.filter(organization_id=organization_id)  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField) and not field.required:
                field.empty_label = "（无）"

    def _get_validation_exclusions(self) -> Any:
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.discard("organization")
        return exclude

    def _update_errors(self, errors: Any) -> None:
        from houqin.common.services import friendly_errors

        if hasattr(errors, "error_dict"):
            errors = forms.ValidationError(friendly_errors(self.instance, errors))
        super()._update_errors(errors)  # type: ignore[misc]
