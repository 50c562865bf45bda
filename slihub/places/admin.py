from django.contrib import admin

from slihub.places.models import Authority, Region


class ReadOnlyAdminMixin:
    """For a model whose writes have rules (services that check, lock and validate) or come from the public
    files: the admin site may look it up but never add, change or delete it, not even for a superuser.

    Applied in every app's admin.py to all but people and their memberships (and councils' contacts), which
    national admins manage in the admin site."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Authority)
class AuthorityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reference data comes from the public files; the admin only looks it up."""

    list_display = ["name", "code", "ons_code", "la_type", "region", "is_current"]
    list_filter = ["is_current", "la_type", "region"]
    search_fields = ["name", "code", "ons_code"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
