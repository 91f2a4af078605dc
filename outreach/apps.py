from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Tổ công nghệ số cộng đồng và hướng dẫn người dân"
