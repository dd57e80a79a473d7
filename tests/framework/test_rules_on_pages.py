"""Pages outside safeguarding show the framework's rules from safeguarding/rules, never a copy of them."""

from safeguarding.rules.reviews import REVIEW_DUE_FROM_WEEKS, REVIEW_OVERDUE_AFTER_WEEKS


def test_the_term_calendar_states_the_review_window_of_the_rules(team, monkeypatch):
    page = team.admin.get("/school/calendar/").content.decode()
    assert f"A SERAT is redone {REVIEW_DUE_FROM_WEEKS} to {REVIEW_OVERDUE_AFTER_WEEKS} weeks after it was done" in page
    # The words follow the rules, not a copy of them in the template.
    monkeypatch.setattr("tenants.views_school.REVIEW_DUE_FROM_WEEKS", 5)
    monkeypatch.setattr("tenants.views_school.REVIEW_OVERDUE_AFTER_WEEKS", 9)
    assert "A SERAT is redone 5 to 9 weeks" in team.admin.get("/school/calendar/").content.decode()
