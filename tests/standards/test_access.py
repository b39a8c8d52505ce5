"""Who reaches which standards: frontline staff only those in force (their drafts and
draft versions are 404 everywhere), attachments of a standard only for those who may change
it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from houqin.common.models import Attachment
from houqin.standards.models import Standard
from houqin.standards.services import version_new_draft
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_frontline_staff_reach_only_standards_in_force(draft, in_force, worker, leader) -> None:
    assert list(Standard.objects.for_user(worker)) == [in_force]
    assert set(Standard.objects.for_user(leader)) == {draft, in_force}


def test_frontline_staff_cannot_download_a_draft_version(in_force, worker, standards_officer):
    revision = version_new_draft(standard=in_force, actor=standards_officer)
    published = in_force.versions.published().get()
    client = signed_in(worker)
    assert client.get(reverse("standards:version_docx", args=[revision.pk])).status_code == 404
    assert client.get(reverse("standards:version_docx", args=[published.pk])).status_code == 200


def test_only_those_who_may_change_a_standard_attach_files(in_force, worker, standards_officer):
    url = reverse("common:attachment_upload", args=["standards", "standard", in_force.pk])
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = signed_in(worker).post(url, {"file": SimpleUploadedFile("a.pdf", pdf)})
    assert response.status_code == 403
    signed_in(standards_officer).post(url, {"file": SimpleUploadedFile("a.pdf", pdf)})
    assert Attachment.objects.count() == 1
