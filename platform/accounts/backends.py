from django.contrib.auth.backends import ModelBackend

from .schemas import current_audience


class AudienceBackend(ModelBackend):
    """Only accounts of the current schema's audience may sign in or stay signed in.

    The schema already keeps one school's accounts from another; this also keeps a
    school role from ever acting on the central portal, and a central role at a school.
    ModelBackend asks `user_can_authenticate` both at sign-in and for every request's
    session (`get_user`), so one check covers both.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and user.audience == current_audience()
