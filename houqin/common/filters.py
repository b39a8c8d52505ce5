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
            self.filters[name].extra["choices"] = list(rows.values_list("pk", label))

    class Meta:
        form = StyledForm
