from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"class": "govuk-input", "autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "govuk-input", "autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password for this school or portal.",
        "inactive": "This account cannot sign in here.",
    }
