"""Factories for applications and interviews: one subclass per application state. Users come
from tests/factories.py, organizations and postings from tests/postings/factories.py."""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from applications.models import (
    Application,
    ApplicationNote,
    ApplicationStatus,
    ApplicationStatusChange,
    Interview,
    InterviewFormat,
    InterviewSlot,
    MaterialRole,
    SubmittedMaterial,
)
from tests.factories import (  # noqa: F401 (re-exported for the tests)
    EmployerFactory,
    StaffFactory,
    StudentFactory,
)
from tests.postings.factories import (  # noqa: F401 (re-exported for the tests)
    MembershipFactory,
    OrganizationFactory,
    PostingMaterialFactory,
    PublishedPostingFactory,
)


def pdf_bytes(pages: int = 1) -> bytes:
    """A real, small PDF made with pypdf."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "resume.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, pdf_bytes() if content is None else content, content_type="application/pdf"
    )


def library_document(
    student, name: str = "resume.pdf", kind: str = "resume", content: bytes | None = None, **kw
):
    """A document in the student's library, stored by the library's own service."""
    from microintern.accounts import services as library

    return library.document_add(student=student, kind=kind, upload=pdf_upload(name, content), **kw)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    posting = factory.SubFactory(PublishedPostingFactory)
    student = factory.SubFactory(StudentFactory)
    status = ApplicationStatus.SUBMITTED
    cover_letter_text = "I would love to help with your sensor data."
    submitted_at = factory.LazyFunction(timezone.now)


class SubmittedApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.SUBMITTED


class UnderReviewApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.UNDER_REVIEW


class InterviewingApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.INTERVIEWING


class OfferedApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.OFFERED


class HiredApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.HIRED


class NotSelectedApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.NOT_SELECTED


class WithdrawnApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.WITHDRAWN


FACTORY_BY_STATUS = {
    ApplicationStatus.SUBMITTED: SubmittedApplicationFactory,
    ApplicationStatus.UNDER_REVIEW: UnderReviewApplicationFactory,
    ApplicationStatus.INTERVIEWING: InterviewingApplicationFactory,
    ApplicationStatus.OFFERED: OfferedApplicationFactory,
    ApplicationStatus.HIRED: HiredApplicationFactory,
    ApplicationStatus.NOT_SELECTED: NotSelectedApplicationFactory,
    ApplicationStatus.WITHDRAWN: WithdrawnApplicationFactory,
}


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationStatusChange

    application = factory.SubFactory(ApplicationFactory)
    from_status = ""
    to_status = ApplicationStatus.SUBMITTED


class ResumeMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubmittedMaterial

    application = factory.SubFactory(ApplicationFactory)
    role = MaterialRole.RESUME
    label = "Resume"
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="resume.pdf"))
    original_name = "resume.pdf"
    size = 500


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationNote

    application = factory.SubFactory(ApplicationFactory)
    body = "Strong Python; ask about the robotics club."


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewSlot
        skip_postgeneration_save = True

    posting = factory.SubFactory(PublishedPostingFactory)
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=30))
    format = InterviewFormat.VIDEO
    location = "https://meet.example.com/abc"

    @factory.post_generation
    def offered_to(self, create: bool, extracted: list[Application] | None, **kwargs: object):
        if create and extracted:
            self.offered_to.set(extracted)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    application = factory.SubFactory(InterviewingApplicationFactory)
    slot = factory.SubFactory(SlotFactory, posting=factory.SelfAttribute("..application.posting"))

    @factory.post_generation
    def offered(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.slot.offered_to.add(self.application)


class HeldInterviewFactory(InterviewFactory):
    """An interview that took place: booked, never cancelled, and its time is over."""

    slot = factory.SubFactory(
        SlotFactory,
        posting=factory.SelfAttribute("..application.posting"),
        start=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2)),
    )


class InterviewedApplicationFactory(InterviewingApplicationFactory):
    """Interviewing, with a held interview: what an offer follows."""

    class Meta:
        skip_postgeneration_save = True

    held_interview = factory.RelatedFactory(
        HeldInterviewFactory, factory_related_name="application"
    )
