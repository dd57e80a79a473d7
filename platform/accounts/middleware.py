from django.contrib.auth import logout
from django.db import connection

SESSION_SCHEMA_KEY = "cse_schema"


class SchemaBoundSessionMiddleware:
    """A session belongs to the schema that issued it and means nothing elsewhere.

    Sessions are already stored per schema; this refuses any session whose recorded
    schema is not the one serving this request, whatever its origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and request.session.get(SESSION_SCHEMA_KEY) != connection.schema_name):
            logout(request)
        return self.get_response(request)
