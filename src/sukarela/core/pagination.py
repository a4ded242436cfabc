"""The API's page parameters, bounded so no number overflows a database integer."""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.SUKARELA_PAGE_SIZE, ge=1, le=500, description="Rows per page (at most 500)")
        offset: int = Field(0, ge=0, le=10**9, description="Rows to skip")
