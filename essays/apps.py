from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "Cuộc thi viết và chia sẻ kinh nghiệm"
