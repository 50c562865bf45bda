from django.contrib import admin

from slihub.exchange.models import HelpRequest, LedgerTransaction, Loan, MatchRun, Specialist


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "role", "seniority", "consent_to_list", "is_active"]
    list_filter = ["consent_to_list", "is_active"]
    search_fields = ["name", "authority__name", "swe_number"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "start", "end", "status"]
    list_filter = ["status"]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["id", "specialist", "lender", "borrower", "start", "end", "status"]
    list_filter = ["status"]


class ReadOnly(admin.ModelAdmin):
    """Runs and the ledger change only through the services (double entry, explanations)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(MatchRun, ReadOnly)
admin.site.register(LedgerTransaction, ReadOnly)
