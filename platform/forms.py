"""What every area's pages share for their forms."""

from cse_platform.errors import ActionRefused
from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError | ActionRefused) -> None:
    """A service's error on the form, so the page shows it with the form: each message of a ValidationError on
    the field it names (at the top of the form when the form has no such field, or it names none); the reasons
    of an ActionRefused at the top."""
    if isinstance(error, ActionRefused):
        problems = {None: list(error.reasons)}
    elif hasattr(error, "error_dict"):
        problems = error.message_dict
    else:
        problems = {None: error.messages}
    for name, found in problems.items():
        form.add_error(name if name in form.fields else None, found)
