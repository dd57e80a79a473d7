"""Celery beat with the notifications schedule, its sweeps every few seconds (for a test).

    python tests/notifications/run_beat.py SECONDS SCHEDULE_FILE
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

import django

django.setup()

from cse_platform.celery import app  # noqa: E402

from notifications.schedule import BEAT_SCHEDULE  # noqa: E402

seconds, schedule_file = float(sys.argv[1]), sys.argv[2]
app.conf.beat_schedule = {name: {**entry, "schedule": seconds} for name, entry in BEAT_SCHEDULE.items()
                          if entry["task"] == "notifications.sweep"}
app.conf.beat_scheduler = "notifications.beat:PlatformScheduler"
app.Beat(schedule=schedule_file, loglevel="INFO", max_interval=1).run()
