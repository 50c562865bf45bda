from django.contrib import admin

from slihub.places.models import Authority, Region


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    """Reference data comes from the public files; the admin only looks it up."""

    list_display = ["name", "code", "ons_code", "la_type", "region", "is_current"]
    list_filter = ["is_current", "la_type", "region"]
    search_fields = ["name", "code", "ons_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
