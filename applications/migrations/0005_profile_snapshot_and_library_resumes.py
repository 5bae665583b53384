"""Each application keeps a snapshot of the student's profile; the one "resume on file"
becomes the student's default resume in their document library (accounts.Document), which
takes over the same stored file."""

from django.db import migrations, models

DEGREES = {"undergraduate": "Undergraduate", "masters": "Master's", "phd": "PhD"}


def resumes_into_library(apps, schema_editor):
    ResumeOnFile = apps.get_model("applications", "ResumeOnFile")
    Document = apps.get_model("accounts", "Document")
    for on_file in ResumeOnFile.objects.iterator():
        if Document.objects.filter(student_id=on_file.student_id, file=on_file.file.name).exists():
            continue
        has_default = Document.objects.filter(student_id=on_file.student_id, is_default=True)
        name = (
            on_file.original_name[:-4]
            if on_file.original_name.lower().endswith(".pdf")
            else on_file.original_name
        )
        Document.objects.create(
            student_id=on_file.student_id,
            kind="resume",
            name=(name or "Resume")[:120],
            file=on_file.file.name,
            original_name=on_file.original_name or "resume.pdf",
            size=on_file.size,
            is_default=not has_default.exists(),
            uploaded_at=on_file.uploaded_at,
        )


def library_resumes_back(apps, schema_editor):
    ResumeOnFile = apps.get_model("applications", "ResumeOnFile")
    Document = apps.get_model("accounts", "Document")
    for document in Document.objects.filter(kind="resume", is_default=True).iterator():
        ResumeOnFile.objects.update_or_create(
            student_id=document.student_id,
            defaults={
                "file": document.file.name,
                "original_name": document.original_name,
                "size": document.size,
                "uploaded_at": document.uploaded_at,
            },
        )


def snapshots_from_profiles(apps, schema_editor):
    """Applications sent before snapshots existed show the profile as it is now: the best
    record there is of what the employer saw."""
    Application = apps.get_model("applications", "Application")
    StudentProfile = apps.get_model("accounts", "StudentProfile")
    User = apps.get_model("accounts", "User")
    profiles = {p.user_id: p for p in StudentProfile.objects.all()}
    names = dict(User.objects.filter(role="student").values_list("pk", "full_name"))
    batch = []
    for application in Application.objects.filter(profile_snapshot={}).only("pk", "student_id"):
        profile = profiles.get(application.student_id)
        snapshot = {"name": names.get(application.student_id) or "", "majors": [], "links": []}
        if profile is not None:
            snapshot.update(
                degree_level=DEGREES.get(profile.degree_level, ""),
                majors=[m.strip() for m in profile.field_of_study.split(",") if m.strip()],
                class_year=profile.class_year,
            )
        application.profile_snapshot = snapshot
        batch.append(application)
        if len(batch) >= 1000:
            Application.objects.bulk_update(batch, ["profile_snapshot"])
            batch = []
    Application.objects.bulk_update(batch, ["profile_snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_recent_index"),
        ("accounts", "0002_profile_and_document_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="profile_snapshot",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(snapshots_from_profiles, migrations.RunPython.noop),
        migrations.RunPython(resumes_into_library, library_resumes_back),
        migrations.DeleteModel(name="ResumeOnFile"),
    ]
