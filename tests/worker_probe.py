"""A task the worker tests load with `--include`: it reports what its schema lets it see."""

import json
import os

import redis
from cse_platform.celery import app
from django.conf import settings
from django.db import connection


@app.task(name="tests.worker_probe.young_people_seen")
def young_people_seen(tag: str) -> None:
    from safeguarding.models import YoungPerson

    report = {
        "schema": connection.schema_name,
        "upns": sorted(YoungPerson.objects.values_list("upn", flat=True)),
        "pid": os.getpid(),
    }
    redis.Redis.from_url(settings.REDIS_URL).rpush(f"probe:{tag}", json.dumps(report))
