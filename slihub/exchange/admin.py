"""The exchange in the admin site: to look things up only. Specialists, requests, loans and the ledger change
through the services (permissions, overlapping bookings, double entry, the audit log), never here: adding a
loan in the admin once made an overlapping agreed loan."""

from django.contrib import admin

from slihub.exchange.models import (
    AvailabilityWindow,
    Backfill,
    Decline,
    HelpRequest,
    LedgerEntry,
    LedgerTransaction,
    Loan,
    MatchRun,
    Specialist,
)
from slihub.places.admin import ReadOnlyAdminMixin


@admin.register(Specialist)
class SpecialistAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "authority", "role", "seniority", "consent_to_list", "is_active"]
    list_filter = ["consent_to_list", "is_active"]
    search_fields = ["name", "authority__name", "swe_number"]


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "authority", "start", "end", "status"]
    list_filter = ["status"]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "specialist", "lender", "borrower", "start", "end", "status"]
    list_filter = ["status"]


class ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


for model in (MatchRun, LedgerTransaction, LedgerEntry, AvailabilityWindow, Decline, Backfill):
    admin.site.register(model, ReadOnly)
