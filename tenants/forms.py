"""Forms of the school administrator's pages: staff accounts, the term calendar, and setting a password.
They only shape input; the services check it."""

from cse_platform.accounts.staff import school_roles
from django import forms
from django.contrib.auth.forms import SetPasswordForm

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in school_roles()]


class StaffAccountForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150,
                                error_messages={"required": "Enter the member of staff's full name."},
                                widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off",
                                                              "spellcheck": "false"}))
    email = forms.EmailField(label="Email address", help_text="They sign in with it, at this school only.",
                             error_messages={"required": "Enter the member of staff's email address.",
                                             "invalid": "Enter an email address like name@example.org."},
                             widget=forms.EmailInput(attrs={"class": "govuk-input", "autocomplete": "off",
                                                            "spellcheck": "false"}))
    role = forms.ChoiceField(label="Role", choices=_role_choices,
                             error_messages={"required": "Choose the role.",
                                             "invalid_choice": "Choose one of the school's roles."},
                             widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}))


class StaffAccountEditForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150,
                                widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}))
    role = forms.ChoiceField(label="Role", choices=_role_choices,
                             widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}))


class TermHolidayForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="For example, October half term.",
                           error_messages={"required": "Enter the holiday's name, for example “October half term”."},
                           widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds",
                                                         "autocomplete": "off"}))
    starts_on = forms.DateField(label="First day", input_formats=DATE_FORMATS, help_text="For example, 27/10/2025.",
                                error_messages={"required": "Enter the first day of the holiday.",
                                                "invalid": "Enter the first day as a real date, for example "
                                                           "27/10/2025."},
                                widget=forms.DateInput(format="%d/%m/%Y",
                                                       attrs={"class": "govuk-input govuk-input--width-10",
                                                              "autocomplete": "off"}))
    ends_on = forms.DateField(label="Last day", input_formats=DATE_FORMATS,
                              error_messages={"required": "Enter the last day of the holiday.",
                                              "invalid": "Enter the last day as a real date, for example 02/11/2025."},
                              help_text="The last day of the holiday, weekends included: for a week off, the "
                                        "Sunday. For one day, the same as the first day.",
                              widget=forms.DateInput(format="%d/%m/%Y",
                                                     attrs={"class": "govuk-input govuk-input--width-10",
                                                            "autocomplete": "off"}))


class StaffSetPasswordForm(SetPasswordForm):
    """Django's set-password form (its validators apply), with GOV.UK classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Type the new password again"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-password-input__input",
                                                   "autocomplete": "new-password", "spellcheck": "false"})
