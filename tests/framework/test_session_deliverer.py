"""Who delivered a teaching session: yourself, or, for the DCPO, any member of staff whose role delivers
sessions. The API names them as the page does; the service refuses anyone else and saves nothing."""

from django_tenants.utils import schema_context

from safeguarding.models import TeachingSession
from tests.framework.conftest import plan_agreed_in_a_tutor_group, session


def with_the_group(client, plan, tutor_group, **fields):
    return session(client, plan, group="whole_tutor_group", tutor_group=tutor_group.pk, **fields)


def recorded(school, plan) -> list[int]:
    with schema_context(school.schema_name):
        return list(TeachingSession.objects.filter(plan_id=plan).values_list("delivered_by_id", flat=True))


def test_the_dcpo_records_a_session_a_tutor_delivered(team, young_person, tutor_group, school_a):
    plan, _ = plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school_a)
    response = with_the_group(team.dcpo, plan, tutor_group, delivered_by=team.staff_user.pk)
    assert response.status_code == 201, response.content
    assert response.json()["delivered_by"] == team.staff_user.pk
    assert recorded(school_a, plan) == [team.staff_user.pk]


def test_left_out_the_deliverer_is_whoever_records_it(team, young_person, tutor_group, school_a):
    plan, _ = plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school_a)
    assert with_the_group(team.staff, plan, tutor_group).status_code == 201
    assert recorded(school_a, plan) == [team.staff_user.pk]


def test_staff_record_only_the_sessions_they_delivered(team, young_person, tutor_group, school_a):
    plan, _ = plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school_a)
    response = with_the_group(team.staff, plan, tutor_group, delivered_by=team.dcpo_user.pk)
    assert response.status_code == 409
    assert response.json()["reasons"] == ["You can only record sessions you delivered yourself."]
    assert recorded(school_a, plan) == []


def test_a_deliverer_whose_role_does_not_teach_is_refused_naming_the_field(team, young_person, tutor_group,
                                                                          school_a):
    plan, _ = plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school_a)
    for outsider in (team.governor_user, team.admin_user):
        response = with_the_group(team.dcpo, plan, tutor_group, delivered_by=outsider.pk)
        assert response.status_code == 400 and "delivered_by" in response.json(), response.content
    assert recorded(school_a, plan) == []
