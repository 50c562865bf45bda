from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from slihub.accounts.models import Contact, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["authority"]


@admin.register(User)
class HubUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (*UserAdmin.fieldsets, ("SLI Hub", {"fields": ["full_name"]}))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "authority", "region"]
    list_filter = ["role", "region"]
    autocomplete_fields = ["user", "authority"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "authority"]
    search_fields = ["name", "authority__name"]
