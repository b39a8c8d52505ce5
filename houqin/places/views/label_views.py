"""The QR label page: choose a subtree and kinds or equipment types, get an A4 PDF of
labels (the PDF itself is built in ``houqin.places.labels``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from houqin.accounts.models import AuditEvent
from houqin.accounts.services import audit_record
from houqin.common.decorators import perm_required
from houqin.places.forms import LabelForm
from houqin.places.labels import MAX_LABELS, PER_PAGE, labels_pdf, pdf_response
from houqin.places.models import Place
from houqin.places.selectors import (
    label_list,
    label_querysets,
    place_choices,
    place_get,
)
from houqin.places.views._shared import (
    VIEW_EQUIPMENT,
    VIEW_PLACE,
    _actor,
    _pk,
    _posted,
    _scan_url,
)


@perm_required(VIEW_PLACE)
def labels(request: HttpRequest) -> HttpResponse:
    """Choose labels (a subtree and kinds / equipment types) → an A4 PDF of QR labels."""
    user = _actor(request)
    choices = place_choices(organization_id=user.organization_id)
    wanted = request.POST.get("within") or request.GET.get("within", "")
    if wanted.isdigit() and int(wanted) not in {pk for pk, _ in choices}:
        point = place_get(user=user, pk=int(wanted))  # a point: offered only when asked for
        choices.append((point.pk, f"{point.code} {point.name}"))
    form = LabelForm(
        _posted(request),
        places=choices,
        initial={"within": request.GET.get("within", ""), "kinds": [Place.Kind.POINT]},
    )
    if not user.has_perm(VIEW_EQUIPMENT):
        del form.fields["types"]
    if request.method == "POST" and form.is_valid():
        within_id = form.cleaned_data["within"]
        within = place_get(user=user, pk=_pk(within_id)) if within_id else None
        places, equipment = label_querysets(
            user=user,
            within=within,
            kinds=form.cleaned_data["kinds"],
            types=form.cleaned_data.get("types", []),
        )
        count = places.count() + equipment.count()
        if count == 0:
            form.add_error(None, "所选范围内没有符合条件的场所或设备，请换一个范围或类型。")
        elif count > MAX_LABELS:
            form.add_error(
                None,
                f"所选范围共 {count} 个标签，一次最多打印 {MAX_LABELS} 个；请缩小范围或分批打印。",
            )
        else:
            chosen = label_list(places, equipment)
            audit_record(
                kind=AuditEvent.Kind.EXPORT,
                actor=user,
                request=request,
                detail={
                    "what": "qr_labels",
                    "within": str(within) if within else "全部场所",
                    "kinds": form.cleaned_data["kinds"],
                    "types": form.cleaned_data.get("types", []),
                    "rows": len(chosen),
                },
            )
            pdf = labels_pdf(chosen, url_for_token=lambda token: _scan_url(request, token))
            return pdf_response(pdf)
    return render(
        request,
        "places/labels.html",
        {"form": form, "per_page": PER_PAGE, "max_labels": MAX_LABELS},
    )
