"""A test-only email backend for the worker: writes emails to files, and holds a delivery while the
test's "hold" file exists, so that the test can kill the worker in the middle of it."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class HoldingFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        hold_dir = os.environ.get("CSE_TEST_EMAIL_HOLD_DIR")
        if hold_dir:
            hold = Path(hold_dir) / "hold"
            if hold.exists():
                (Path(hold_dir) / "started").write_text(str(os.getpid()))
                while hold.exists():
                    time.sleep(0.02)
        return super().send_messages(email_messages)
