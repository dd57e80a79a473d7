"""Instruments (the SERAT and the personal quiz) as plain data: their validation, and scoring a response.

An instrument is an ordered tuple of items. Each item has a stable ``code`` (a response is keyed by
it), a ``text``, a short ``title`` used to name it in messages, its allowed scores, and optional
guidance per score (for SERAT, what the score means; for the quiz, the answer the young person picks).

The authority owns the instruments and publishes them as versions; the defaults below are shipped only
so the platform works before the authority's approved items are loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .decision import Decision
from .levels import DEFAULT_QUIZ_BANDS, SERAT_BANDS, SERAT_MAX, Band, bands_maximum, bands_problems

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

DEFAULT_NOTICE = (
    "These are the platform's default items, to be replaced by the authority's approved items. "
    "They are drawn from warning signs that published UK child sexual exploitation screening tools use."
)


class InstrumentKind(StrEnum):
    SERAT = "serat"
    PERSONAL_QUIZ = "personal_quiz"

    @property
    def label(self) -> str:
        return {
            InstrumentKind.SERAT: "Sexual Exploitation Risk Assessment Tool (SERAT)",
            InstrumentKind.PERSONAL_QUIZ: "Personal quiz",
        }[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs, for form and serializer choices."""
        return [(kind.value, kind.label) for kind in cls]


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    text: str
    allowed_scores: tuple[int, ...]
    title: str = ""
    guidance: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.allowed_scores, tuple):
            object.__setattr__(self, "allowed_scores", tuple(self.allowed_scores))
        if not isinstance(self.guidance, tuple):
            pairs = self.guidance.items() if isinstance(self.guidance, Mapping) else self.guidance
            object.__setattr__(self, "guidance", tuple(tuple(pair) for pair in pairs))

    @property
    def name(self) -> str:
        """How messages name the item: its title, or its text if it has no title."""
        return self.title or self.text

    def guidance_for(self, score: int) -> str | None:
        return next((text for value, text in self.guidance if value == score), None)


@dataclass(frozen=True, slots=True)
class Instrument:
    kind: InstrumentKind
    title: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = SERAT_BANDS
    notice: str = ""

    @property
    def is_default(self) -> bool:
        return self.notice == DEFAULT_NOTICE

    @property
    def max_total(self) -> int:
        return instrument_max_total(self.items)


class InstrumentInvalid(ValueError):
    """An instrument definition that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(self.problems))


class ResponseInvalid(ValueError):
    """A response that cannot be scored. ``errors`` maps each item code to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__(" ".join(self.errors.values()))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _label(position: int, item: Item) -> str:
    return f'Item {position}, "{item.name}"' if item.name else f"Item {position}"


def describe_scores(scores: Iterable[int]) -> str:
    """ "from 0 to 5" for a run of whole numbers, "0, 1, 3 or 5" otherwise."""
    values = sorted(set(scores))
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"from {values[0]} to {values[-1]}"
    words = [str(value) for value in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def instrument_problems(items: Sequence[Item]) -> tuple[str, ...]:
    """Everything wrong with the items' structure (not their total), in plain English."""
    if not items:
        return ("The questionnaire has no items.",)
    problems: list[str] = []
    seen: dict[str, int] = {}
    for position, item in enumerate(items, start=1):
        label = _label(position, item)
        if not isinstance(item.code, str) or not CODE_PATTERN.match(item.code):
            problems.append(
                f"{label} needs a code of lower-case letters, digits and underscores, starting with a letter."
            )
        elif item.code in seen:
            problems.append(f'{label} uses the code "{item.code}", already used by item {seen[item.code]}.')
        else:
            seen[item.code] = position
        if not isinstance(item.text, str) or not item.text.strip():
            problems.append(f"{label} has no text.")
        if not item.allowed_scores:
            problems.append(f"{label} has no allowed scores.")
        not_whole = [score for score in item.allowed_scores if not _is_int(score)]
        for score in not_whole:
            problems.append(f"{label}: the allowed score {score!r} is not a whole number.")
        whole = [score for score in item.allowed_scores if _is_int(score)]
        for score in sorted({score for score in whole if score < 0}):
            problems.append(f"{label}: the allowed score {score} is below 0.")
        for score in sorted({score for score in whole if whole.count(score) > 1}):
            problems.append(f"{label} lists the score {score} more than once.")
        guided = [value for value, _ in item.guidance]
        for value in guided:
            if value not in whole:
                problems.append(f"{label} has guidance for {value!r}, which is not an allowed score.")
        for value in sorted({v for v in guided if _is_int(v) and guided.count(v) > 1}):
            problems.append(f"{label} has guidance for {value} more than once.")
        if any(not isinstance(text, str) or not text.strip() for _, text in item.guidance):
            problems.append(f"{label} has an empty guidance line.")
    return tuple(problems)


def instrument_max_total(items: Sequence[Item]) -> int:
    """The highest total a response can reach: the sum of each item's highest allowed score."""
    problems = instrument_problems(items)
    if problems:
        raise InstrumentInvalid(problems)
    return sum(max(item.allowed_scores) for item in items)


def instrument_min_total(items: Sequence[Item]) -> int:
    problems = instrument_problems(items)
    if problems:
        raise InstrumentInvalid(problems)
    return sum(min(item.allowed_scores) for item in items)


def serat_publishable(items: Sequence[Item]) -> Decision:
    """A SERAT version can be published only if it is well formed, every item lets staff record no
    concern (0), and its maximum total is exactly 55: the level bands are in points."""
    problems = instrument_problems(items)
    if problems:
        return Decision.refuse(*problems)
    reasons: list[str] = []
    for position, item in enumerate(items, start=1):
        if 0 not in item.allowed_scores:
            reasons.append(f"{_label(position, item)} must allow 0, so that staff can record no concern.")
    total = instrument_max_total(items)
    if total != SERAT_MAX:
        reasons.append(
            f"The highest possible total is {total}; a SERAT must total exactly {SERAT_MAX}, because the "
            "level bands are in points."
        )
    return Decision.from_reasons(reasons)


def quiz_publishable(items: Sequence[Item], bands: Sequence[Band] = DEFAULT_QUIZ_BANDS) -> Decision:
    """A personal quiz version can be published if it is well formed, its thresholds are valid, and its
    highest possible total is exactly the top of its thresholds (55 with the default thresholds)."""
    problems = instrument_problems(items) + bands_problems(bands)
    if problems:
        return Decision.refuse(*problems)
    total, top = instrument_max_total(items), bands_maximum(bands)
    if total != top:
        return Decision.refuse(
            f"The highest possible total is {total}; this quiz's thresholds go up to {top}, so it must "
            f"total exactly {top}."
        )
    return Decision.allow()


def instrument_publishable(instrument: Instrument) -> Decision:
    if instrument.kind is InstrumentKind.SERAT:
        if tuple(instrument.bands) != SERAT_BANDS:
            return Decision.refuse("A SERAT uses the framework's bands (0-11, 12-22, 23-33, 34-44, 45-55).")
        return serat_publishable(instrument.items)
    return quiz_publishable(instrument.items, instrument.bands)


def score_response(items: Sequence[Item], answers: Mapping[str, object]) -> int:
    """The total of a complete, valid response; otherwise ResponseInvalid naming every problem.

    Scores must already be ints: converting form input is the form's job. An answer of None counts as
    no answer. Unknown codes are reported under their own key.
    """
    problems = instrument_problems(items)
    if problems:
        raise InstrumentInvalid(problems)
    errors: dict[str, str] = {}
    total = 0
    for position, item in enumerate(items, start=1):
        label = _label(position, item)
        choose = f"Choose a score {describe_scores(item.allowed_scores)}."
        value = answers.get(item.code)
        if value is None:
            errors[item.code] = f"{label} has no score. {choose}"
        elif not _is_int(value):
            errors[item.code] = f'{label}: "{value}" is not a whole number. {choose}'
        elif value not in item.allowed_scores:
            errors[item.code] = f"{label}: {value} is not an allowed score. {choose}"
        else:
            total += value  # type: ignore[operator]
    known = {item.code for item in items}
    for code in answers:
        if code not in known:
            errors[str(code)] = f'"{code}" is not an item of this questionnaire.'
    if errors:
        raise ResponseInvalid(errors)
    return total


# --- storage as JSON-safe data ---------------------------------------------------------------------


def items_to_data(items: Sequence[Item]) -> list[dict[str, object]]:
    return [
        {
            "code": item.code,
            "title": item.title,
            "text": item.text,
            "allowed_scores": list(item.allowed_scores),
            "guidance": {str(score): text for score, text in item.guidance},
        }
        for item in items
    ]


def items_from_data(data: object) -> tuple[Item, ...]:
    """Items from stored or uploaded data (as written by ``items_to_data``); InstrumentInvalid if the
    data is not shaped like items. Whether the items can be published is a separate question."""
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise InstrumentInvalid(["The items must be a list."])
    items: list[Item] = []
    problems: list[str] = []
    for position, entry in enumerate(data, start=1):
        if not isinstance(entry, Mapping):
            problems.append(f"Item {position} is not a set of fields.")
            continue
        unknown = sorted(set(entry) - {"code", "title", "text", "allowed_scores", "guidance"})
        if unknown:
            problems.append(f"Item {position} has unknown fields: {', '.join(map(str, unknown))}.")
        scores = entry.get("allowed_scores", ())
        if not isinstance(scores, Sequence) or isinstance(scores, str | bytes):
            problems.append(f"Item {position}: the allowed scores must be a list.")
            scores = ()
        guidance = entry.get("guidance", {})
        pairs: list[tuple[int, str]] = []
        if isinstance(guidance, Mapping):
            for key, text in guidance.items():
                try:
                    pairs.append((int(key), text))
                except (TypeError, ValueError):
                    problems.append(f"Item {position} has guidance for {key!r}, which is not a score.")
        else:
            problems.append(f"Item {position}: the guidance must map scores to text.")
        items.append(
            Item(
                code=entry.get("code", ""),
                text=entry.get("text", ""),
                title=entry.get("title", "") or "",
                allowed_scores=tuple(scores),
                guidance=tuple(pairs),
            )
        )
    if problems:
        raise InstrumentInvalid(problems)
    return tuple(items)


# --- the defaults ----------------------------------------------------------------------------------

SERAT_SCORES = (0, 1, 2, 3, 4, 5)


def _serat_item(code: str, title: str, text: str, *guidance: str) -> Item:
    return Item(code, text, SERAT_SCORES, title, tuple(zip(SERAT_SCORES, guidance, strict=True)))


DEFAULT_SERAT_ITEMS: tuple[Item, ...] = (
    _serat_item(
        "going_missing",
        "Going missing",
        "Goes missing from home, care or school, stays out late or overnight, or cannot say where they "
        "have been.",
        "No concern.",
        "Has come home late once or twice without a clear explanation.",
        "Often comes home late, or has been out overnight once without the family knowing where.",
        "Has gone missing from home, care or school more than once.",
        "Goes missing often or for long periods, or is found far from home.",
        "Serious or confirmed concern: repeatedly missing and found with people or in places linked to "
        "exploitation.",
    ),
    _serat_item(
        "older_or_controlling_people",
        "Relationships with older or controlling people",
        "Has a relationship or friendship with someone noticeably older, or with someone who controls them.",
        "No concern.",
        "Mentions new friends who are older, with no other worry.",
        "Spends time with older people the family or school do not know.",
        "Has a 'boyfriend' or 'girlfriend' who is much older, or is secretive about an older friend.",
        "Is controlled by an older person: who they see, where they go, their phone.",
        "Serious or confirmed concern: a relationship with an adult who is known or believed to be "
        "exploiting them.",
    ),
    _serat_item(
        "money_gifts_phones",
        "Unexplained money, gifts or phones",
        "Has money, gifts, clothes, phones, credit, drugs or alcohol they cannot account for.",
        "No concern.",
        "Has had a gift or money once that they could not easily explain.",
        "Has new things now and then that they cannot account for.",
        "Regularly has money, gifts or a second phone they cannot account for.",
        "Has expensive items or large sums, or owes someone money or favours.",
        "Serious or confirmed concern: gifts or money are known to be given in exchange for sexual "
        "activity or to groom them.",
    ),
    _serat_item(
        "online_or_phone_contact",
        "Online or phone contact causing concern",
        "Has contact online or by phone that worries staff: strangers, secrecy, sexual messages or images, "
        "many calls or messages.",
        "No concern.",
        "Uses social media a great deal, with no known risky contact.",
        "Is secretive about their phone or online contacts.",
        "Is in contact with adults or strangers they met online, or receives many calls or messages.",
        "Has sent or been asked for sexual images, or has arranged to meet someone met online.",
        "Serious or confirmed concern: sexual images are being shared or used to control them, or they "
        "have met people online who are exploiting them.",
    ),
    _serat_item(
        "school_absence_or_exclusion",
        "School absence or exclusion",
        "Misses school or lessons, arrives late, leaves during the day, or has been excluded.",
        "No concern.",
        "Attendance has dipped a little.",
        "Often late or missing some lessons, or attendance is falling.",
        "Persistent absence or truancy, or a recent fixed-term exclusion.",
        "Regularly leaves school during the day, sometimes collected by others, or repeated exclusions.",
        "Serious or confirmed concern: not attending at all, or absence known to be linked to exploitation.",
    ),
    _serat_item(
        "drugs_or_alcohol",
        "Drug or alcohol misuse",
        "Uses drugs or alcohol, or has been given them by others.",
        "No concern.",
        "Has tried alcohol or drugs once, with peers of the same age.",
        "Drinks or uses drugs now and then.",
        "Uses drugs or alcohol regularly, or has been given them by older people.",
        "Is often intoxicated, or has been found drunk or drugged in a place of concern.",
        "Serious or confirmed concern: drugs or alcohol are used to control them or in exchange for sex.",
    ),
    _serat_item(
        "sexual_health",
        "Sexual health",
        "Shows signs of sexual activity or sexual health concerns that are worrying for their age.",
        "No concern.",
        "Talks about sexual matters in a way that seems beyond their age.",
        "Is believed to be sexually active, or asks for emergency contraception.",
        "Has a sexually transmitted infection, repeated emergency contraception, or a pregnancy.",
        "Has had repeated infections or pregnancies, or sexual activity with several partners or adults.",
        "Serious or confirmed concern: known to have been sexually exploited or assaulted.",
    ),
    _serat_item(
        "self_harm_or_distress",
        "Self-harm or emotional distress",
        "Shows signs of self-harm, low mood, anxiety, anger, or a sudden change in behaviour.",
        "No concern.",
        "Seems low or unsettled now and then.",
        "A noticeable change in mood or behaviour, or withdrawing from friends.",
        "Self-harms, or shows lasting distress, anger or anxiety.",
        "Repeated or serious self-harm, or an eating disorder.",
        "Serious or confirmed concern: has attempted suicide or is at immediate risk of serious harm to "
        "themselves.",
    ),
    _serat_item(
        "family_breakdown_or_abuse",
        "Family breakdown or abuse",
        "Home life is difficult: family breakdown, conflict, domestic abuse, neglect, or being looked after.",
        "No concern.",
        "Some family difficulties, such as a recent separation.",
        "Ongoing conflict at home, or a family known to services.",
        "Domestic abuse, neglect, or a parent's substance misuse; or is looked after.",
        "Has run away from home or care, or the family cannot keep them safe.",
        "Serious or confirmed concern: past or current abuse within the family, including sexual abuse.",
    ),
    _serat_item(
        "peers_involved_in_exploitation",
        "Peers involved in exploitation",
        "Has friends or siblings who are being exploited, or who introduce them to older people.",
        "No concern.",
        "Has friends who go missing or spend time with older people.",
        "Spends time with a friendship group that causes concern.",
        "Close friends or siblings are known to be involved in exploitation.",
        "Friends are introducing them to older people, parties or places of concern.",
        "Serious or confirmed concern: part of a group that is being exploited, or being used to recruit "
        "others.",
    ),
    _serat_item(
        "vehicles_hotels_places",
        "Vehicles, hotels or places of concern",
        "Is seen getting into cars with unknown people, or goes to hotels, houses, parties or places linked "
        "to exploitation.",
        "No concern.",
        "Has once been seen with people in a car the school does not know.",
        "Is sometimes collected by unknown people, or goes to parties with older people.",
        "Is regularly picked up by unknown people or cars, or goes to addresses of concern.",
        "Has been found at a hotel, a house or a place known for exploitation.",
        "Serious or confirmed concern: is taken to places where they are known to be sexually exploited.",
    ),
)

QUIZ_SCORES = (0, 1, 3, 5)
QUIZ_ANSWERS = ("No, never", "I'm not sure", "Sometimes", "Yes, often")


def _quiz_item(code: str, title: str, text: str) -> Item:
    return Item(code, text, QUIZ_SCORES, title, tuple(zip(QUIZ_SCORES, QUIZ_ANSWERS, strict=True)))


DEFAULT_QUIZ_ITEMS: tuple[Item, ...] = (
    _quiz_item(
        "staying_out",
        "Staying out",
        "Do you stay out late or overnight without your family knowing where you are?",
    ),
    _quiz_item(
        "older_friends",
        "Older friends",
        "Do you have a boyfriend, girlfriend or friend who is a lot older than you?",
    ),
    _quiz_item(
        "gifts_and_money",
        "Presents and money",
        "Has someone given you presents, money, a phone or phone credit, and you're not sure why?",
    ),
    _quiz_item(
        "online_contact",
        "Online contact",
        "Has someone you only know online asked you to keep secrets, meet up, or send photos of yourself?",
    ),
    _quiz_item(
        "pressure",
        "Being pressured",
        "Has anyone pushed you to do something sexual, or to send a sexual picture, when you didn't want to?",
    ),
    _quiz_item(
        "being_controlled",
        "Being controlled",
        "Does someone tell you who you can see, where you can go, or check your phone?",
    ),
    _quiz_item(
        "drink_and_drugs",
        "Drink and drugs",
        "Do people give you alcohol or drugs, or take you to parties with older people?",
    ),
    _quiz_item(
        "cars_and_places",
        "Cars and places",
        "Do you get into cars with people you don't know well, or go to houses or hotels you don't know?",
    ),
    _quiz_item(
        "missing_school",
        "Missing school",
        "Do you miss school or lessons to be with someone?",
    ),
    _quiz_item(
        "friends",
        "Friends",
        "Do any of your friends go missing, or spend time with older people who give them things?",
    ),
    _quiz_item(
        "feelings",
        "How you feel",
        "Do you feel scared, very sad or alone, or like hurting yourself?",
    ),
)

DEFAULT_SERAT = Instrument(
    kind=InstrumentKind.SERAT,
    title="Sexual Exploitation Risk Assessment Tool (default)",
    items=DEFAULT_SERAT_ITEMS,
    bands=SERAT_BANDS,
    notice=DEFAULT_NOTICE,
)
DEFAULT_QUIZ = Instrument(
    kind=InstrumentKind.PERSONAL_QUIZ,
    title="Personal quiz (default)",
    items=DEFAULT_QUIZ_ITEMS,
    bands=DEFAULT_QUIZ_BANDS,
    notice=DEFAULT_NOTICE,
)


def answers_totalling(items: Sequence[Item], total: int) -> dict[str, int]:
    """Answers that add up to ``total``, filling items in order with the highest score that fits.

    For demonstrations, tests and benchmarks: a real response comes from a person.
    """
    answers, remaining = {}, total
    for item in items:
        answers[item.code] = max((score for score in item.allowed_scores if score <= remaining), default=0)
        remaining -= answers[item.code]
    if remaining:
        raise ValueError(f"No answers to these items add up to {total}.")
    return answers
