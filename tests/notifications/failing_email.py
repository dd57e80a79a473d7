"""A test-only email backend whose mail server refuses every recipient, naming the address."""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        refused = {address: (550, f"5.1.1 <{address}>: mailbox unavailable".encode())
                   for message in email_messages for address in message.recipients()}
        raise SMTPRecipientsRefused(refused)
