"""What the platform must refuse: one test per gate of FRAMEWORK.md §4, then properties over all facts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.rules import (
    HEADTEACHER_NOT_AGREED,
    NO_PARTICIPANTS,
    PLAN_ITEMS,
    PREVIEW_NOT_CONFIRMED,
    RESOURCES,
    SCU_ADVICE_NOT_RECORDED,
    SCU_NOT_AGREED,
    TEACHING_OPTIONS,
    ConsentStatus,
    Decision,
    Group,
    Level,
    Participant,
    consent_decision,
    consent_required,
    governors_acknowledged,
    group_decision,
    high_session_decision,
    materials_view_decision,
    medium_consent_decision,
    plan_action_decision,
    plan_for,
    session_decision,
    very_high_teaching_decision,
)
from safeguarding.rules.gates import NO_PARTICIPANTS_MASE

VL, L, M, H, VH = Level.VERY_LOW, Level.LOW, Level.MEDIUM, Level.HIGH, Level.VERY_HIGH
GIVEN, REFUSED, WITHDRAWN = ConsentStatus.GIVEN, ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN
ASHA, BEN = Participant("Asha", GIVEN), Participant("Ben", GIVEN)


def mentions(decision: Decision, words: str) -> bool:
    return any(words in reason for reason in decision.reasons)


# --- Decision -------------------------------------------------------------------------------------


def test_decision_allow_and_refuse():
    assert Decision.allow() and Decision.allow().reasons == ()
    refusal = Decision.refuse("One.", "Two.")
    assert not refusal and refusal.reasons == ("One.", "Two.") and refusal.message == "One. Two."


def test_a_refusal_must_say_why_and_an_allowance_must_not():
    with pytest.raises(ValueError):
        Decision.refuse()
    with pytest.raises(ValueError):
        Decision(allowed=True, reasons=("Why?",))
    with pytest.raises(ValueError):
        Decision.refuse("")


def test_combine_keeps_every_reason_once_in_order():
    combined = Decision.combine(Decision.refuse("A.", "B."), Decision.allow(), Decision.refuse("B.", "C."))
    assert combined.reasons == ("A.", "B.", "C.")
    assert Decision.combine(Decision.allow(), Decision.allow())
    assert Decision.combine()


# --- gate 1: the headteacher's agreement ----------------------------------------------------------


@pytest.mark.parametrize("action", sorted(TEACHING_OPTIONS))
def test_no_teaching_action_without_the_headteachers_agreement(action):
    refusal = plan_action_decision(action=action, headteacher_agreed=False)
    assert refusal.reasons == (HEADTEACHER_NOT_AGREED,)
    assert not plan_action_decision(action=action)  # agreement not stated means not given
    assert plan_action_decision(action=action, headteacher_agreed=True)


@pytest.mark.parametrize(
    "action", sorted(code for code, i in PLAN_ITEMS.items() if i.needs_headteacher_agreement)
)
def test_no_plan_process_without_the_headteachers_agreement(action):
    assert plan_action_decision(action=action, headteacher_agreed=False).reasons == (HEADTEACHER_NOT_AGREED,)
    assert plan_action_decision(action=action, headteacher_agreed=True)


@pytest.mark.parametrize(
    "action",
    [
        "inform_dcpo",
        "notes_of_concern",
        "phone_scu",
        "mase_referral",
        "consult_scu_mase",
        "consent_refused_mase_referral",
    ],
)
def test_safeguarding_duties_do_not_wait_for_the_headteacher(action):
    assert plan_action_decision(action=action, headteacher_agreed=False)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        plan_action_decision(action="bake_a_cake", headteacher_agreed=True)


# --- gate 2: materials only for trained staff -----------------------------------------------------


TRAINING = "has not completed the authority's detailed training"


@pytest.mark.parametrize(("level", "restricted"), [(VL, False), (L, True), (M, True), (H, True), (VH, False)])
def test_untrained_staff_cannot_deliver_restricted_materials(level, restricted):
    chosen = plan_for(level).teaching_options[0].code if plan_for(level).choose_one_option else None
    untrained = session_decision(level=level, staff_trained=False, chosen_option=chosen)
    assert mentions(untrained, TRAINING) is restricted
    if restricted:
        assert mentions(untrained, "My Dangerous Lover Boy")
    assert not mentions(session_decision(level=level, staff_trained=True, chosen_option=chosen), TRAINING)


def test_the_training_refusal_names_the_packs_of_the_chosen_option():
    option_2 = session_decision(level=M, staff_trained=False, chosen_option="option_2_be_wise")
    assert mentions(option_2, "BWise 2")
    option_1 = session_decision(level=M, staff_trained=False, chosen_option="option_1_leanne_liam")
    assert not mentions(option_1, "BWise 2") and mentions(option_1, "My Dangerous Lover Boy")
    with pytest.raises(ValueError):
        session_decision(level=M, staff_trained=True, chosen_option="mdlb_full_film")


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_untrained_staff_cannot_see_restricted_materials(resource):
    untrained = materials_view_decision(resource=resource, staff_trained=False)
    assert bool(untrained) is (resource == "ceop_resource")
    if not untrained:
        assert mentions(untrained, RESOURCES[resource].title)
    assert materials_view_decision(resource=resource, staff_trained=True)


def test_viewing_an_unknown_resource_is_a_programming_error():
    with pytest.raises(ValueError):
        materials_view_decision(resource="nope", staff_trained=True)


# --- gate 3: a medium session needs every participant's consent -----------------------------------


@pytest.mark.parametrize(("level", "needed"), [(VL, False), (L, False), (M, True), (H, True), (VH, False)])
def test_consent_required(level, needed):
    assert consent_required(level) is needed


def test_medium_session_with_every_consent_given():
    assert medium_consent_decision(participants=[ASHA, BEN])


@pytest.mark.parametrize("status", [s for s in ConsentStatus if s is not GIVEN])
def test_medium_session_refused_while_any_consent_is_not_given(status):
    decision = medium_consent_decision(participants=[ASHA, Participant("Ben", status)])
    assert not decision
    assert len(decision.reasons) == 1 and "Ben" in decision.reasons[0] and "Asha" not in decision.reasons[0]


@pytest.mark.parametrize("status", [REFUSED, WITHDRAWN])
def test_medium_refusal_points_to_a_mase_referral_and_no_mase_plan_overrides_it(status):
    decision = medium_consent_decision(participants=[Participant("Ben", status, mase_plan_authorises=True)])
    assert not decision
    assert mentions(decision, "referral to MASE")
    assert mentions(decision, "cannot take part")


def test_medium_session_with_nobody_is_refused():
    assert medium_consent_decision(participants=[]).reasons == (NO_PARTICIPANTS,)


@pytest.mark.parametrize("level", [VL, L, VH])
def test_no_consent_check_where_consent_is_not_needed_or_not_sought(level):
    assert consent_decision(level=level, participants=[])
    assert consent_decision(level=level, participants=[Participant("Ben", REFUSED)])


participants = st.lists(
    st.builds(
        Participant,
        name=st.just("?"),
        consent=st.sampled_from(list(ConsentStatus)),
        mase_plan_authorises=st.booleans(),
    ),
    max_size=6,
).map(lambda people: [Participant(f"YP{n}", p.consent, p.mase_plan_authorises) for n, p in enumerate(people)])


@given(participants)
def test_medium_consent_names_exactly_those_without_consent(people):
    decision = medium_consent_decision(participants=people)
    lacking = [p.name for p in people if p.consent is not GIVEN]
    assert bool(decision) is (bool(people) and not lacking)
    for person in people:
        naming = [reason for reason in decision.reasons if person.name in reason]
        assert len(naming) == (0 if person.consent is GIVEN else 1)
    assert len(decision.reasons) == (len(lacking) if people else 1)


@given(participants)
def test_high_consent_allows_refusal_only_with_a_mase_plan(people):
    decision = consent_decision(level=H, participants=people)
    ok = [p.consent is GIVEN or (p.consent.refused and p.mase_plan_authorises) for p in people]
    assert bool(decision) is (bool(people) and all(ok))
    assert len(decision.reasons) == (ok.count(False) if people else 1)


# --- gate 4: a high session -----------------------------------------------------------------------

HIGH_FACTS = {
    "headteacher_agreed": (True, HEADTEACHER_NOT_AGREED),
    "scu_agreed": (True, SCU_NOT_AGREED),
    "staff_confirmed_preview": (True, PREVIEW_NOT_CONFIRMED),
}


def test_high_session_with_everything_in_place():
    assert high_session_decision(
        headteacher_agreed=True, scu_agreed=True, staff_confirmed_preview=True, participants=[ASHA]
    )


@pytest.mark.parametrize("missing", sorted(HIGH_FACTS))
def test_high_session_refused_without_each_fact(missing):
    facts = {name: value for name, (value, _) in HIGH_FACTS.items()} | {missing: False}
    decision = high_session_decision(participants=[ASHA], **facts)
    assert decision.reasons == (HIGH_FACTS[missing][1],)


def test_high_session_refused_without_consent():
    facts = {name: value for name, (value, _) in HIGH_FACTS.items()}
    decision = high_session_decision(participants=[Participant("Ben", ConsentStatus.REQUESTED)], **facts)
    assert decision.reasons == ("Parental consent for Ben has not been recorded as given.",)


@pytest.mark.parametrize("status", [REFUSED, WITHDRAWN])
def test_high_session_after_refusal_needs_a_mase_plan_that_authorises_it(status):
    facts = {name: value for name, (value, _) in HIGH_FACTS.items()}
    without = high_session_decision(participants=[Participant("Ben", status)], **facts)
    assert not without and mentions(without, "no MASE plan says the film may be used with Ben")
    with_plan = high_session_decision(
        participants=[Participant("Ben", status, mase_plan_authorises=True)], **facts
    )
    assert with_plan


def test_a_mase_plan_does_not_replace_consent_never_asked():
    facts = {name: value for name, (value, _) in HIGH_FACTS.items()}
    decision = high_session_decision(
        participants=[Participant("Ben", ConsentStatus.NOT_REQUESTED, mase_plan_authorises=True)], **facts
    )
    assert not decision


def test_high_session_with_nothing_gives_every_reason():
    decision = high_session_decision()
    assert decision.reasons == (
        HEADTEACHER_NOT_AGREED,
        SCU_NOT_AGREED,
        PREVIEW_NOT_CONFIRMED,
        NO_PARTICIPANTS,
    )


# --- gate 5: very high waits for SCU advice -------------------------------------------------------


def test_very_high_teaching_waits_for_scu_advice():
    assert very_high_teaching_decision(scu_advice_recorded=False).reasons == (SCU_ADVICE_NOT_RECORDED,)
    assert not very_high_teaching_decision()
    assert very_high_teaching_decision(scu_advice_recorded=True)


# --- gate 6: governors ----------------------------------------------------------------------------


def test_governors_must_acknowledge_the_version_in_force():
    assert governors_acknowledged(acknowledged_versions={"2024-1", "2025-1"}, version_in_force="2025-1")
    assert not governors_acknowledged(acknowledged_versions={"2024-1"}, version_in_force="2025-1")
    assert not governors_acknowledged(acknowledged_versions=(), version_in_force="2025-1")


# --- the combined session decision ----------------------------------------------------------------

# For each level: every fact a session needs, its present value, and its missing value.
REQUIRED = {
    VL: {"headteacher_agreed": (True, False)},
    L: {"headteacher_agreed": (True, False), "staff_trained": (True, False)},
    M: {
        "headteacher_agreed": (True, False),
        "staff_trained": (True, False),
        "chosen_option": ("option_2_be_wise", None),
        "participants": ((ASHA, BEN), (ASHA, Participant("Ben", REFUSED))),
    },
    H: {
        "headteacher_agreed": (True, False),
        "staff_trained": (True, False),
        "scu_agreed": (True, False),
        "staff_confirmed_preview": (True, False),
        "participants": ((ASHA,), ()),
    },
    VH: {"headteacher_agreed": (True, False), "scu_advice_recorded": (True, False)},
}


def present(level):
    return {fact: values[0] for fact, values in REQUIRED[level].items()}


@pytest.mark.parametrize("level", list(Level))
def test_session_allowed_when_every_fact_is_present(level):
    assert session_decision(level=level, **present(level))


@pytest.mark.parametrize(("level", "fact"), [(lvl, f) for lvl in Level for f in REQUIRED[lvl]])
def test_session_refused_when_any_single_fact_is_missing(level, fact):
    facts = present(level) | {fact: REQUIRED[level][fact][1]}
    decision = session_decision(level=level, **facts)
    assert not decision
    assert len(decision.reasons) == 1


@given(st.data())
def test_session_gives_one_reason_per_missing_fact(data):
    level = data.draw(st.sampled_from(list(Level)))
    missing = data.draw(st.sets(st.sampled_from(sorted(REQUIRED[level]))))
    facts = present(level) | {fact: REQUIRED[level][fact][1] for fact in missing}
    decision = session_decision(level=level, **facts)
    assert bool(decision) is (not missing)
    assert len(decision.reasons) == len(missing)


@given(st.sampled_from(list(Level)), st.booleans(), st.booleans(), st.booleans(), st.booleans(), participants)
def test_session_never_allowed_without_the_headteacher(level, trained, scu, preview, advice, people):
    decision = session_decision(
        level=level,
        headteacher_agreed=False,
        staff_trained=trained,
        scu_agreed=scu,
        staff_confirmed_preview=preview,
        scu_advice_recorded=advice,
        participants=people,
    )
    assert not decision and HEADTEACHER_NOT_AGREED in decision.reasons


DCPO_NOT_CHOSEN = "The designated child protection officer has not yet chosen Option 1 or Option 2 for this plan."


@pytest.mark.parametrize("option", [None, "option_1_leanne_liam", "option_2_be_wise"])
def test_session_at_medium_waits_for_the_dcpo_to_choose_the_option(option):
    decision = session_decision(level=M, **(present(M) | {"chosen_option": None}), option=option)
    assert decision.reasons == (DCPO_NOT_CHOSEN,)


def test_session_at_medium_uses_the_option_the_dcpo_chose():
    assert session_decision(level=M, **present(M))
    assert session_decision(level=M, **present(M), option="option_2_be_wise")
    other = session_decision(level=M, **present(M), option="option_1_leanne_liam")
    assert other.reasons == (
        "The designated child protection officer chose Option 2: Be Wise, then the music video for this plan.",
    )


@pytest.mark.parametrize(
    ("level", "chosen"), [(M, "mdlb_full_film"), (L, "option_1_leanne_liam"), (VH, "option_2_be_wise")]
)
def test_a_chosen_option_outside_the_plan_is_a_programming_error(level, chosen):
    with pytest.raises(ValueError):
        session_decision(level=level, chosen_option=chosen)


def test_session_refuses_a_teaching_action_from_another_level():
    decision = session_decision(level=L, **present(L), option="mdlb_full_film")
    assert decision.reasons == ("My Dangerous Lover Boy full film is not part of the plan at Low Risk.",)
    unknown = session_decision(level=L, **present(L), option="dance")
    assert unknown.reasons == ('"dance" is not a teaching action of the framework.',)


def test_session_at_a_single_option_level_may_name_it():
    assert session_decision(level=H, **present(H), option="mdlb_full_film")


def test_session_with_nothing_at_high_gives_every_reason():
    decision = session_decision(level=H)
    assert set(decision.reasons) >= {
        HEADTEACHER_NOT_AGREED,
        SCU_NOT_AGREED,
        PREVIEW_NOT_CONFIRMED,
        NO_PARTICIPANTS,
    }
    assert mentions(decision, "detailed training")
    assert len(decision.reasons) == 5


@pytest.mark.parametrize("option", ["me_jenny_and_kate", "option_1_leanne_liam", "option_2_be_wise"])
def test_very_high_session_checks_training_for_the_material_the_scu_advised(option):
    # Consent is not sought at very high, so these packs need only the training (gate 2) and the advice.
    facts = present(VH) | {"option": option, "participants": [Participant("Ben")]}
    decision = session_decision(level=VH, **facts)
    assert mentions(decision, "detailed training") and len(decision.reasons) == 1
    assert session_decision(level=VH, **facts, staff_trained=True)
    assert session_decision(level=VH, **present(VH), option="ceop_resource_discussion")


# At very high the full film still needs everything gate 4 asks; consent is not sought at very high, so
# only a MASE plan can stand in for it.
FILM_AT_VERY_HIGH = present(VH) | {
    "option": "mdlb_full_film",
    "staff_trained": True,
    "scu_agreed": True,
    "staff_confirmed_preview": True,
    "participants": (Participant("Ben", mase_plan_authorises=True),),
}


def test_very_high_session_with_the_full_film_and_everything_in_place():
    assert session_decision(level=VH, **FILM_AT_VERY_HIGH)


def test_scu_advice_alone_does_not_open_the_full_film_at_very_high():
    decision = session_decision(level=VH, **present(VH), option="mdlb_full_film", staff_trained=True,
                                participants=[Participant("Ben")])
    assert decision.reasons == (
        SCU_NOT_AGREED,
        PREVIEW_NOT_CONFIRMED,
        "Parental consent is not sought at Very High Risk, so the film may be used with Ben only if a MASE plan "
        "says so.",
    )


@pytest.mark.parametrize(
    ("fact", "missing", "reason"),
    [
        ("headteacher_agreed", False, HEADTEACHER_NOT_AGREED),
        ("scu_advice_recorded", False, SCU_ADVICE_NOT_RECORDED),
        ("scu_agreed", False, SCU_NOT_AGREED),
        ("staff_confirmed_preview", False, PREVIEW_NOT_CONFIRMED),
        ("participants", (), NO_PARTICIPANTS_MASE),
    ],
)
def test_very_high_session_with_the_full_film_refused_without_each_fact(fact, missing, reason):
    assert session_decision(level=VH, **(FILM_AT_VERY_HIGH | {fact: missing})).reasons == (reason,)


@pytest.mark.parametrize("status", list(ConsentStatus))
def test_at_very_high_only_a_mase_plan_lets_the_full_film_be_used_with_someone(status):
    facts = FILM_AT_VERY_HIGH | {"participants": (Participant("Ben", status),)}
    decision = session_decision(level=VH, **facts)
    assert not decision and mentions(decision, "only if a MASE plan says so")


@given(
    st.sampled_from(list(Level)),
    st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans(),
    participants,
)
def test_the_full_film_is_never_allowed_without_everything_gate_4_asks(
    level, head, trained, scu, preview, advice, named, people
):
    decision = session_decision(
        level=level,
        option="mdlb_full_film" if named else None,
        headteacher_agreed=head,
        staff_trained=trained,
        scu_agreed=scu,
        staff_confirmed_preview=preview,
        scu_advice_recorded=advice,
        participants=people,
    )
    uses_film = named or level is H
    if decision and uses_film:
        assert level in (H, VH)
        assert head and trained and scu and preview and people
        if level is H:
            assert all(p.consent is GIVEN or (p.consent.refused and p.mase_plan_authorises) for p in people)
        else:
            assert advice and all(p.mase_plan_authorises for p in people)


def test_very_high_session_with_nothing_gives_every_reason():
    assert session_decision(level=VH).reasons == (SCU_ADVICE_NOT_RECORDED, HEADTEACHER_NOT_AGREED)


def test_session_accepts_a_stored_level_value():
    assert session_decision(level="low", **present(L))


# --- the group each level prescribes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        (Level.VERY_LOW, Group.WHOLE_TUTOR_GROUP),
        (Level.LOW, Group.WHOLE_TUTOR_GROUP),
        (Level.MEDIUM, Group.SMALL_TUTOR_GROUP),
        (Level.HIGH, Group.ONE_TO_ONE_OR_SMALL_GROUP),
    ],
)
def test_sessions_are_with_the_group_the_level_prescribes(level, allowed):
    for group in Group:
        decision = group_decision(level=level, group=group)
        assert bool(decision) == (group is allowed), (level, group)
        if not decision:
            assert level.label in decision.reasons[0]


def test_at_very_high_the_scu_advice_says_who_takes_part():
    assert all(group_decision(level=Level.VERY_HIGH, group=group) for group in Group)
