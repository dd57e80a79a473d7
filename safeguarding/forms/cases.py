"""Forms for the case pages. They only shape input: every check of the framework is in the services.

Choices come from the rules (levels, teaching options, groups, consent decisions) or from the models'
choices, never written out here. Fields a service checks (a SERAT item's score, a plan item's note) are
left optional, so that the service's own message, naming the field, is the one staff read.
"""

from __future__ import annotations

from django import forms

from safeguarding.models import ConcernSource, ConsentMethod, TutorGroup, YoungPerson
from safeguarding.models.choices import CONSENT_DECISIONS
from safeguarding.rules.instruments import Instrument, describe_scores
from safeguarding.rules.plans import TEACHING_OPTIONS, Group, PlanRequirements
from safeguarding.selectors.people import young_people_visible_to

INPUT = "govuk-input"
TEXTAREA = "govuk-textarea"
SELECT = "govuk-select"


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"class": TEXTAREA, "rows": rows})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": f"{INPUT} govuk-input--width-10"}, format="%Y-%m-%d")


class YoungPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: YoungPerson) -> str:
        group = f", {obj.tutor_group.name}" if obj.tutor_group_id else ""
        return f"{obj.full_name} (year {obj.year_group}{group})"


class YoungPeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: YoungPerson) -> str:
        group = f", {obj.tutor_group.name}" if obj.tutor_group_id else ""
        return f"{obj.full_name} (year {obj.year_group}{group})"


def _visible(user):
    return young_people_visible_to(user).select_related("tutor_group").order_by("last_name", "first_name", "pk")


# --- SERAT and the personal quiz ---------------------------------------------------------------------------


class InstrumentForm(forms.Form):
    """One radio question per item of an instrument, its field named by the item's code.

    SERAT (``answers_as_labels=False``): the legend is the item's title, the hint its text, each radio is a
    score with its guidance line under it. Personal quiz (``answers_as_labels=True``): the legend is the
    question the young person reads and each radio is the answer's wording.
    """

    def __init__(self, *args, instrument: Instrument, answers_as_labels: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.hints: dict[str, dict[str, str]] = {}
        for item in instrument.items:
            guidance = dict(item.guidance)
            if answers_as_labels:
                choices = [(str(score), guidance.get(score) or str(score)) for score in item.allowed_scores]
                label, help_text, hints = item.text, "", {}
            else:
                choices = [(str(score), str(score)) for score in item.allowed_scores]
                label, help_text = item.title or item.text, item.text if item.title else ""
                hints = {str(score): text for score, text in item.guidance}
            self.fields[item.code] = forms.TypedChoiceField(
                label=label, help_text=help_text, choices=choices, coerce=int, empty_value=None, required=False,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={"invalid_choice": f"Choose a score {describe_scores(item.allowed_scores)}."},
            )
            self.hints[item.code] = hints

    def answers(self) -> dict[str, int | None]:
        """Every item's answer (None where none was chosen), for the service to score and check."""
        return {item.code: self.cleaned_data.get(item.code) for item in self.instrument.items}

    def item_fields(self) -> list[dict]:
        return [{"item": item, "field": self[item.code], "hints": self.hints[item.code]}
                for item in self.instrument.items]


class QuizDeclineForm(forms.Form):
    note = forms.CharField(
        label="Note", required=False, widget=_textarea(3),
        help_text="For example, how and when the young person was asked, and anything they said.",
    )


# --- plans -------------------------------------------------------------------------------------------------


class AgreeForm(forms.Form):
    note = forms.CharField(label="Note", required=False, widget=_textarea(3),
                           help_text="Anything staff should know about your agreement.")


class OptionForm(forms.Form):
    option = forms.ChoiceField(label="Which option will be used?", widget=forms.RadioSelect,
                               error_messages={"required": "Choose which option will be used."})

    def __init__(self, *args, requirements: PlanRequirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(option.code, option.title) for option in requirements.teaching_options]
        self.hints = {"option": {option.code: " ".join(option.steps) for option in requirements.teaching_options}}


class PlanItemForm(forms.Form):
    note = forms.CharField(label="What was done", required=False, widget=_textarea(4),
                           help_text="Say what was done, by whom and when, and anything decided.")


class ConsentForm(forms.Form):
    young_person = YoungPersonChoiceField(
        queryset=YoungPerson.objects.none(), label="Young person", empty_label=None,
        widget=forms.Select(attrs={"class": SELECT}),
        help_text="Consent is recorded for each young person who will take part.",
        error_messages={"required": "Choose the young person.",
                        "invalid_choice": "Choose a young person you work with."},
    )
    decision = forms.ChoiceField(label="The parent's or carer's decision", choices=CONSENT_DECISIONS,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Choose whether consent was given, refused or "
                                                             "withdrawn."})
    given_by = forms.CharField(label="Name of the parent or carer", max_length=150,
                               widget=forms.TextInput(attrs={"class": INPUT, "autocomplete": "off"}),
                               error_messages={"required": "Enter the name of the parent or carer."})
    relationship = forms.CharField(label="Relationship to the young person", max_length=60,
                                   help_text="For example, mother, father, foster carer.",
                                   widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-20"}),
                                   error_messages={"required": "Enter their relationship to the young person."})
    method = forms.ChoiceField(label="How was the decision given?", choices=ConsentMethod.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose how the decision was given."})
    decided_on = forms.DateField(label="Date of the decision", widget=_date(),
                                 error_messages={"required": "Enter the date of the decision.",
                                                 "invalid": "Enter the date of the decision as a real date."})
    note = forms.CharField(label="Note", required=False, widget=_textarea(3))

    def __init__(self, *args, user, young_person: YoungPerson, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("young_person", young_person.pk)
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = _visible(user)


class SessionForm(forms.Form):
    option = forms.ChoiceField(label="Teaching action used", required=False, widget=forms.RadioSelect)
    group = forms.ChoiceField(label="Who was the session with?", widget=forms.RadioSelect,
                              error_messages={"required": "Choose who the session was with."})
    tutor_group = forms.ModelChoiceField(
        queryset=TutorGroup.objects.none(), required=False, label="Tutor group", empty_label="Not a tutor group",
        widget=forms.Select(attrs={"class": SELECT}),
        help_text="For a whole tutor group: everyone in it takes part.",
        error_messages={"invalid_choice": "Choose a tutor group of young people you work with."},
    )
    participants = YoungPeopleChoiceField(
        queryset=YoungPerson.objects.none(), required=False, label="Who took part",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        help_text="For a small group or 1:1: choose everyone who took part.",
        error_messages={"invalid_choice": "Choose only young people you work with.",
                        "invalid_pk_value": "Choose only young people you work with."},
    )
    delivered_by = forms.ModelChoiceField(
        queryset=None, label="Who delivered it", empty_label=None, widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"required": "Choose who delivered the session.",
                        "invalid_choice": "Choose who delivered the session."},
    )
    held_on = forms.DateField(label="Date of the session", widget=_date(),
                              error_messages={"required": "Enter the date of the session.",
                                              "invalid": "Enter the date of the session as a real date."})
    preview_confirmed = forms.BooleanField(
        required=False, label="I watched the full film first and planned where to pause it",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    notes = forms.CharField(label="Notes", required=False, widget=_textarea(4))

    def __init__(self, *args, user, plan, requirements: PlanRequirements, delivered_by_choices, **kwargs):
        options = requirements.teaching_options or tuple(TEACHING_OPTIONS.values())
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("option", plan.option or (options[0].code if len(options) == 1 else None))
        initial.setdefault("group", requirements.group.value if requirements.group is not Group.NONE else None)
        initial.setdefault("participants", [plan.young_person_id])
        initial.setdefault("delivered_by", user.pk)
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(option.code, option.title) for option in options]
        self.fields["group"].choices = [(group.value, group.label) for group in Group if group is not Group.NONE]
        visible = _visible(user)
        self.fields["participants"].queryset = visible
        self.fields["tutor_group"].queryset = (
            TutorGroup.objects.filter(young_people__in=visible.values("pk")).distinct().order_by("year_group", "name")
        )
        self.fields["delivered_by"].queryset = delivered_by_choices
        self.fields["delivered_by"].label_from_instance = lambda u: u.full_name
        if not requirements.staff_preview_required:
            del self.fields["preview_confirmed"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "option": data.get("option") or None,
            "group": data["group"],
            "tutor_group": data.get("tutor_group"),
            "participants": list(data.get("participants") or []),
            "delivered_by": data["delivered_by"],
            "held_on": data["held_on"],
            "preview_confirmed": bool(data.get("preview_confirmed")),
            "notes": data.get("notes", ""),
        }


# --- notes of concern --------------------------------------------------------------------------------------


class ConcernForm(forms.Form):
    young_person = YoungPersonChoiceField(
        queryset=YoungPerson.objects.none(), required=False, label="Young person",
        empty_label="Not one of the young people listed", widget=forms.Select(attrs={"class": SELECT}),
        help_text="Choose them if they are a young person you work with.",
        error_messages={"invalid_choice": "Choose a young person you work with, or describe who it is about."},
    )
    about = forms.CharField(
        label="Or describe who the concern is about", required=False, max_length=200,
        widget=forms.TextInput(attrs={"class": INPUT}),
        help_text="For example, when a pupil raises a concern on behalf of a friend: \"a friend of a year 9 "
                  "pupil\".",
    )
    source = forms.ChoiceField(label="How did the concern come to you?", choices=ConcernSource.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose how the concern came to you."})
    concern = forms.CharField(label="The concern", widget=_textarea(6),
                              help_text="What was seen or said, when, and by whom. Use the words that were used.",
                              error_messages={"required": "Describe the concern."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = _visible(user)


class ConcernReviewForm(forms.Form):
    young_person = YoungPersonChoiceField(
        queryset=YoungPerson.objects.none(), required=False, label="Link the note to a young person",
        empty_label="Leave it as it is", widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": "Choose a young person of this school."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = _visible(user)
