from django.apps import AppConfig
from django.db.models.signals import post_save


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = "Truyền thông"

    def ready(self) -> None:
        from accounts.models import Consent
        from communications.stories import on_consent_saved

        # A withdrawn PUBLIC_NAME consent takes the person's exemplary stories off the site.
        post_save.connect(on_consent_saved, sender=Consent, dispatch_uid="stories_on_consent")
