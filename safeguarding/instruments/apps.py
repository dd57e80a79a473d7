from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "safeguarding.instruments"
    label = "instruments"
    verbose_name = "Instruments (SERAT and personal quiz), owned by the authority"
