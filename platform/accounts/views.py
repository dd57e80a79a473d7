from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from .forms import SignInForm
from .services import api_token_expires_at, api_token_issue, session_start


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        session_start(request=self.request, user=form.get_user())
        return HttpResponseRedirect(self.get_success_url())


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class ApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenView(ObtainAuthToken):
    """An API token for the email address and password the sign-in page takes, locked out with it.
    Permission: none; the credentials are the check. The token lasts API_TOKEN_HOURS from when it was made."""

    @extend_schema(request=AuthTokenSerializer, responses=ApiTokenSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = api_token_issue(user=serializer.validated_data["user"])
        return Response(ApiTokenSerializer({"token": token.key, "expires_at": api_token_expires_at(token)}).data)
