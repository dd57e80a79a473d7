"""API routes of this area: (prefix, viewset, basename). Both hosts; failures answer on the central portal only."""

from cse_platform.accounts.schemas import current_audience
from cse_platform.permissions import capability_permission
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from safeguarding.rules.roles import Audience, Capability

from .events import Event
from .models import DeliveryFailure, InboxItem
from .selectors import delivery_failures, email_preferences_for, inbox_items_for, unread_count
from .services.failures import RetryNotQueued, delivery_failure_retry
from .services.inbox import email_preferences_set, inbox_item_open, inbox_mark_all_read


class InboxItemSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = InboxItem
        fields = ["id", "event", "title", "link", "urgent", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own notifications, unread first. Permission: signed in (own items only; anyone else's: 404)."""

    permission_classes = [IsAuthenticated]
    serializer_class = InboxItemSerializer
    queryset = InboxItem.objects.none()  # for the schema; the real one is the user's own

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InboxItem.objects.none()
        items = inbox_items_for(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            items = items.filter(read_at__isnull=True)
        return items

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only unread items.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your items read."""
        try:
            item = inbox_item_open(user=request.user, item_id=int(pk))
        except (InboxItem.DoesNotExist, ValueError):
            raise NotFound("No such notification.") from None
        return Response(InboxItemSerializer(item).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your items read."""
        return Response({"marked": inbox_mark_all_read(user=request.user)})

    @extend_schema(responses=UnreadSerializer)
    @action(detail=False, methods=["get"])
    def unread(self, request):
        """How many of your items are unread."""
        return Response({"unread": unread_count(user=request.user)})


class PreferenceSerializer(serializers.Serializer):
    event = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    email_on = serializers.BooleanField()
    urgent_always_emailed = serializers.BooleanField(read_only=True)


class PreferenceUpdateSerializer(serializers.Serializer):
    email_on = serializers.BooleanField()


class EmailPreferenceViewSet(viewsets.ViewSet):
    """Email on or off per kind of notification your role receives (urgent ones are always emailed).
    Permission: signed in (own preferences only)."""

    permission_classes = [IsAuthenticated]
    lookup_field = "event"
    lookup_value_regex = "[a-z_]+"

    def _rows(self, request):
        return [{"event": row.event.value, "title": row.title, "email_on": row.email_on,
                 "urgent_always_emailed": row.urgent_always_emailed}
                for row in email_preferences_for(user=request.user)]

    @extend_schema(responses=PreferenceSerializer(many=True))
    def list(self, request):
        return Response(PreferenceSerializer(self._rows(request), many=True).data)

    @extend_schema(request=PreferenceUpdateSerializer, responses=PreferenceSerializer,
                   parameters=[OpenApiParameter("event", str, OpenApiParameter.PATH,
                                                enum=[event.value for event in Event])])
    def partial_update(self, request, event=None):
        if event not in {e.value for e in Event}:
            raise NotFound("No such kind of notification.")
        serializer = PreferenceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email_preferences_set(user=request.user, email_on={event: serializer.validated_data["email_on"]})
        row = next(row for row in self._rows(request) if row["event"] == event)
        return Response(PreferenceSerializer(row).data)


class DeliveryFailureSerializer(serializers.ModelSerializer):
    school = serializers.SerializerMethodField()
    event_title = serializers.CharField(source="get_event_display", read_only=True)

    class Meta:
        model = DeliveryFailure
        fields = ["id", "school", "event", "event_title", "recipient_role", "urgent", "attempts", "reason",
                  "failed_at", "retried_at"]
        read_only_fields = fields

    def get_school(self, failure) -> str | None:
        return failure.school.slug if failure.school else None


class DeliveryFailureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Deliveries given up on, across the portal and every school; no names. Permission: delivery.oversee
    (authority admin), on the central portal only (at a school: 404)."""

    permission_classes = [capability_permission(Capability.DELIVERY_OVERSEE)]
    serializer_class = DeliveryFailureSerializer

    def initial(self, request, *args, **kwargs):
        if current_audience() != Audience.CENTRAL:
            raise Http404("Not here")
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return delivery_failures()

    @extend_schema(request=None, responses={202: None})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Try the failed delivery again, where it belongs."""
        try:
            delivery_failure_retry(failure=self.get_object())
        except RetryNotQueued:
            return Response({"detail": "The retry could not be queued just now; try again shortly."},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(status=status.HTTP_202_ACCEPTED)


ROUTES = [
    ("inbox", InboxViewSet, "inbox"),
    ("notification-preferences", EmailPreferenceViewSet, "notification-preference"),
    ("delivery-failures", DeliveryFailureViewSet, "delivery-failure"),
]
