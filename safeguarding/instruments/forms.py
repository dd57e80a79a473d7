"""Forms for the authority's instrument pages. They turn what people type into the data the services take;
the rules decide whether a version can be published."""

from __future__ import annotations

import re

from django import forms
from django.forms import formset_factory

from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level

from .models import InstrumentVersion

INPUT = {"class": "govuk-input"}
TEXTAREA = {"class": "govuk-textarea", "rows": 3}


class DraftCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which instrument",
        choices=InstrumentKind.choices(),
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Leave it empty to keep the title of the version you copy.",
        widget=forms.TextInput(attrs=INPUT),
    )
    copy_of = forms.ModelChoiceField(
        label="Start from",
        queryset=InstrumentVersion.objects.none(),
        required=False,
        empty_label="An empty questionnaire",
        help_text="Copy the items and thresholds of an existing version of the same instrument, or start empty.",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_of"].queryset = InstrumentVersion.objects.order_by("kind", "-version")
        self.fields["copy_of"].label_from_instance = lambda version: (
            f"{version} – {version.title} ({version.get_status_display().lower()})"
        )


class DraftTitleForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, widget=forms.TextInput(attrs=INPUT))


def parse_scores(text: str) -> list[int]:
    parts = [part.strip() for part in re.split(r"[,\s]+", text or "") if part.strip()]
    if not parts:
        raise forms.ValidationError("Enter the allowed scores, separated by commas, for example 0, 1, 2, 3, 4, 5.")
    scores: list[int] = []
    for part in parts:
        try:
            scores.append(int(part))
        except ValueError:
            raise forms.ValidationError(
                f'"{part}" is not a whole number. Enter whole numbers separated by commas, for example 0, 1, 2.'
            ) from None
    return scores


def parse_guidance(text: str) -> dict[str, str]:
    guidance: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        score, colon, meaning = line.partition(":")
        if not colon or not meaning.strip():
            raise forms.ValidationError(
                f'Line {number} needs a score, a colon, then what it means, for example "0: No concern".'
            )
        try:
            value = int(score.strip())
        except ValueError:
            raise forms.ValidationError(f'Line {number}: "{score.strip()}" is not a whole number.') from None
        if str(value) in guidance:
            raise forms.ValidationError(f"Line {number}: the score {value} already has guidance.")
        guidance[str(value)] = meaning.strip()
    return guidance


def format_scores(scores) -> str:
    return ", ".join(str(score) for score in scores)


def format_guidance(guidance: dict) -> str:
    return "\n".join(f"{score}: {text}" for score, text in guidance.items())


class ItemForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=63,
        help_text="Lower-case letters, digits and underscores, starting with a letter, for example going_missing. "
        "Answers are stored under it.",
        widget=forms.TextInput(attrs={**INPUT, "class": "govuk-input govuk-input--width-20", "spellcheck": "false"}),
    )
    title = forms.CharField(
        label="Short title",
        max_length=200,
        required=False,
        help_text="Names the item in messages, for example Going missing.",
        widget=forms.TextInput(attrs=INPUT),
    )
    text = forms.CharField(label="Question or indicator", widget=forms.Textarea(attrs=TEXTAREA))
    allowed_scores = forms.CharField(
        label="Allowed scores",
        help_text="Whole numbers separated by commas, for example 0, 1, 2, 3, 4, 5.",
        widget=forms.TextInput(attrs={**INPUT, "class": "govuk-input govuk-input--width-20"}),
    )
    guidance = forms.CharField(
        label="Guidance for each score",
        required=False,
        help_text='One line per score: the score, a colon, then what it means, for example "0: No concern".',
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 6}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean_allowed_scores(self) -> list[int]:
        return parse_scores(self.cleaned_data["allowed_scores"])

    def clean_guidance(self) -> dict[str, str]:
        return parse_guidance(self.cleaned_data.get("guidance", ""))

    @staticmethod
    def initial_for(item: dict) -> dict:
        return {
            "code": item.get("code", ""),
            "title": item.get("title", ""),
            "text": item.get("text", ""),
            "allowed_scores": format_scores(item.get("allowed_scores", [])),
            "guidance": format_guidance(item.get("guidance", {})),
        }

    def as_item(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "title": data.get("title", "").strip(),
            "text": data["text"].strip(),
            "allowed_scores": data["allowed_scores"],
            "guidance": data.get("guidance", {}),
        }


class BaseItemFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "Position"
            form.fields["ORDER"].help_text = "Change the numbers to reorder the items."
            form.fields["ORDER"].widget.attrs.update({"class": "govuk-input govuk-input--width-3"})
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this item"
            form.fields["DELETE"].widget.attrs.update({"class": "govuk-checkboxes__input"})

    def items(self) -> list[dict]:
        """The items kept, in the order people gave them; blank new rows are ignored."""
        return [form.as_item() for form in self.ordered_forms]


ItemFormSet = formset_factory(ItemForm, formset=BaseItemFormSet, extra=1, can_order=True, can_delete=True)


class BandsForm(forms.Form):
    """The quiz's thresholds: the lowest and highest total for each level."""

    def __init__(self, *args, bands: list | None = None, **kwargs):
        initial = {}
        for level, low, high in bands or []:
            initial[f"{level}_minimum"], initial[f"{level}_maximum"] = low, high
        super().__init__(*args, initial=initial, **kwargs)
        for level in Level:
            for end, word in (("minimum", "from"), ("maximum", "to")):
                self.fields[f"{level.value}_{end}"] = forms.IntegerField(
                    label=f"{level.label}: {word}",
                    min_value=0,
                    widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
                )

    def rows(self):
        return [(level, self[f"{level.value}_minimum"], self[f"{level.value}_maximum"]) for level in Level]

    def bands(self) -> list[list]:
        return [
            [level.value, self.cleaned_data[f"{level.value}_minimum"], self.cleaned_data[f"{level.value}_maximum"]]
            for level in Level
        ]
