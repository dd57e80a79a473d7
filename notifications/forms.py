from django import forms

from .selectors import PreferenceRow


class EmailPreferencesForm(forms.Form):
    """One checkbox per kind of notification the user may receive: "also email me"."""

    def __init__(self, *args, rows: list[PreferenceRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.event.value] = forms.BooleanField(
                label=row.title, required=False, initial=row.email_on,
                help_text="Urgent ones are always emailed, whatever you choose." if row.urgent_always_emailed else "",
                widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            )

    def choices(self) -> dict[str, bool]:
        return {row.event.value: bool(self.cleaned_data.get(row.event.value)) for row in self.rows}
