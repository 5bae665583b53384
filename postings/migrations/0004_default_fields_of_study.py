"""A starting list of fields of study; staff edit it in the admin."""

from django.db import migrations
from django.utils.text import slugify

FIELDS = [
    "Aeronautics and Astronautics",
    "Architecture",
    "Biology",
    "Biological Engineering",
    "Brain and Cognitive Sciences",
    "Business and Management",
    "Chemical Engineering",
    "Chemistry",
    "Civil and Environmental Engineering",
    "Computer Science",
    "Data Science",
    "Earth and Planetary Sciences",
    "Economics",
    "Electrical Engineering",
    "Humanities and Writing",
    "Materials Science",
    "Mathematics",
    "Mechanical Engineering",
    "Media Arts and Design",
    "Nuclear Science",
    "Physics",
    "Policy and Urban Planning",
]


def add_fields(apps, schema_editor):
    FieldOfStudy = apps.get_model("postings", "FieldOfStudy")
    for name in FIELDS:
        FieldOfStudy.objects.get_or_create(name=name, defaults={"slug": slugify(name)})


def remove_fields(apps, schema_editor):
    apps.get_model("postings", "FieldOfStudy").objects.filter(
        name__in=FIELDS, postings=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("postings", "0003_search_gin_index")]
    operations = [migrations.RunPython(add_fields, remove_fields)]
