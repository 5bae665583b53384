from django.apps import AppConfig


class PostingsConfig(AppConfig):
    name = "postings"
    verbose_name = "Postings and organizations"
