"""Filter-set base for business lists: drop-downs of related rows from the user's
organization, filled with one light query each."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db import models

from houqin.common.forms import StyledForm


class OrgFilterSet(django_filters.FilterSet):
    """``org_choices`` maps a ChoiceFilter's name to (model, label field)."""

    org_choices: ClassVar[dict[str, tuple[type[models.Model], str]]] = {}

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (model, label) in self.org_choices.items():
            rows = model._default_manager.filter(organization_id=organization_id)
            self.set_choices(name, list(rows.values_list("pk", label)))

    def set_choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        set_choices(self, name, choices)


def set_choices(filterset: django_filters.FilterSet, name: str, choices: list[Any]) -> None:
    """Give a filter its choices, dropping a form field that was built (and cached on the
    class's filter, e.g. by the schema generator) with the empty class-level ones."""
    filter_ = filterset.filters[name]
    filter_.extra["choices"] = choices
    filter_.__dict__.pop("_field", None)

    class Meta:
        form = StyledForm
