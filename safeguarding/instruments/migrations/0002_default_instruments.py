from django.db import migrations
from django.utils import timezone

from safeguarding.rules.instruments import DEFAULT_QUIZ, DEFAULT_SERAT, items_to_data


def publish_defaults(apps, schema_editor):
    InstrumentVersion = apps.get_model("instruments", "InstrumentVersion")
    for instrument in (DEFAULT_SERAT, DEFAULT_QUIZ):
        InstrumentVersion.objects.get_or_create(
            kind=instrument.kind.value,
            version=1,
            defaults={
                "title": instrument.title,
                "items": items_to_data(instrument.items),
                "bands": [[band.level.value, band.minimum, band.maximum] for band in instrument.bands],
                "notice": instrument.notice,
                "status": "published",
                "published_at": timezone.now(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]
    operations = [migrations.RunPython(publish_defaults, migrations.RunPython.noop)]
