"""API tokens with the limits a session has.

A session ends after 30 minutes without a request; a token ends API_TOKEN_MAX_AGE after it was issued
(a working day unless the environment says otherwise), and only an account that may sign in here (active,
of this schema's audience) may use one. An expired token is deleted when it is next presented, and
/api/token/ never hands one out again (`api_token_issue`).
"""

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .backends import AudienceBackend
from .services import api_token_expires_at, api_tokens_end


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not AudienceBackend().user_can_authenticate(user):
            raise AuthenticationFailed("Invalid token.")
        if api_token_expires_at(token) <= timezone.now():
            api_tokens_end(user=user)
            raise AuthenticationFailed("This token has expired: ask /api/token/ for a new one.")
        return user, token
