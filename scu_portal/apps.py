from django.apps import AppConfig


class ScuPortalConfig(AppConfig):
    name = "scu_portal"
    verbose_name = "Safeguarding Children Unit portal"
