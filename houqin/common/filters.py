"""Filter-set base for business lists: drop-downs of related rows from the user's
organization, filled with one light query each."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db import models
from django.db.models import QuerySet

from houqin.common.forms import StyledForm
from houqin.common.statements import Ids, Rows


def _org_choices(ids: Ids, model: type[models.Model], label: str) -> QuerySet[Any, tuple[Any, str]]:
    return model._default_manager.filter(organization_id=ids.org).values_list("pk", label)


_ORG_CHOICES = Rows(_org_choices)  # every list page with a filter bar reads one or two


class OrgFilterSet(django_filters.FilterSet):
    """``org_choices`` maps a ChoiceFilter's name to (model, label field). A subclass whose
    other options depend on the request names its keyword arguments in ``options`` and
    returns those lists from ``choices_for`` (so a list can tell how the filter bar looks
    without building the filter set)."""

    org_choices: ClassVar[dict[str, tuple[type[models.Model], str]]] = {}
    options: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *args: Any,
        organization_id: int,
        choices: tuple[tuple[str, tuple[tuple[Any, str], ...]], ...] | None = None,
        **kwargs: Any,
    ) -> None:
        """``choices``: what choices_for(organization_id, ...) gives, when the caller has
        already read it."""
        options = {name: kwargs.pop(name) for name in self.options if name in kwargs}
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        if choices is None:
            choices = self.choices_for(organization_id, **options)
        for name, named in choices:
            self.set_choices(name, list(named))

    @classmethod
    def choices_for(
        cls, organization_id: int, **options: Any
    ) -> tuple[tuple[str, tuple[tuple[Any, str], ...]], ...]:
        """(filter name, choices) of every option list set per organization (and per
        ``options``)."""
        return org_choices(cls, organization_id)

    def set_choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        set_choices(self, name, choices)


def org_choices(
    filterset_class: type[OrgFilterSet], organization_id: int
) -> tuple[tuple[str, tuple[tuple[Any, str], ...]], ...]:
    """(filter name, choices) of each of the class's org_choices, for an organization."""
    ids = Ids(org=organization_id)
    return tuple(
        (name, tuple(_ORG_CHOICES.run(model, label, ids=ids)))
        for name, (model, label) in filterset_class.org_choices.items()
    )


def set_choices(filterset: django_filters.FilterSet, name: str, choices: list[Any]) -> None:
    """Give a filter its choices, dropping a form field that was built (and cached on the
    class's filter, e.g. by the schema generator) with the empty class-level ones."""
    filter_ = filterset.filters[name]
    filter_.extra["choices"] = choices
    filter_.__dict__.pop("_field", None)

    class Meta:
        form = StyledForm
