from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from .forms import SignInForm
from .services import session_start


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        session_start(request=self.request, user=form.get_user())
        return HttpResponseRedirect(self.get_success_url())


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]
