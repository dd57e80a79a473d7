"""Every page and endpoint states the capability it needs (FRAMEWORK.md §5)."""

from django.contrib.auth.mixins import AccessMixin
from rest_framework.permissions import BasePermission

from safeguarding.rules.roles import Capability


def has_capability(user, capability: Capability) -> bool:
    return bool(user and user.is_authenticated and user.can(capability))


def capability_permission(*capabilities: Capability) -> type[BasePermission]:
    """A DRF permission class granting access to holders of any of the capabilities."""

    class HasCapability(BasePermission):
        message = "Your role does not allow this."

        def has_permission(self, request, view) -> bool:
            return any(has_capability(request.user, capability) for capability in capabilities)

    HasCapability.__name__ = "Has_" + "_or_".join(c.name for c in capabilities)
    return HasCapability


class CapabilityRequiredMixin(AccessMixin):
    """Pages: sign-in required, then one of `capabilities`, else 403."""

    capabilities: tuple[Capability, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capabilities and not any(has_capability(request.user, c) for c in self.capabilities):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
