from django.contrib import admin
from django.urls import include, path

from slihub.accounts import comparator_group_views as comparator_groups
from slihub.accounts import views as accounts
from slihub.api.urls import api
from slihub.audit import views as audit
from slihub.evidence import compare_views as evidence_compare
from slihub.evidence import redirects as evidence_redirects
from slihub.evidence import upload_views as evidence_uploads
from slihub.evidence import views as evidence
from slihub.indicators import authority_indicator_views, catalogue_views, compare_views, profile_views
from slihub.indicators import views as indicators
from slihub.places import views as places
from slihub.web import favicon, health
from slihub.web import views as web

admin.site.site_header = "SLI Hub administration"
admin.site.site_title = "SLI Hub"

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("data-sources/", web.data_sources, name="data-sources"),
    path("authorities/", places.authority_list, name="authority-list"),
    path("authorities/<str:code>/", web.authority_detail, name="authority-detail"),
    path("authorities/<str:code>/profile/", profile_views.profile, name="authority-profile"),
    path(
        "authorities/<str:code>/indicators/<slug:slug>/",
        authority_indicator_views.authority_indicator,
        name="authority-indicator",
    ),
    path(
        "authorities/<str:code>/indicators/<slug:slug>/table.csv",
        authority_indicator_views.authority_indicator_csv,
        name="authority-indicator-csv",
    ),
    path("authorities/<str:code>/contacts/", accounts.contact_list, name="contact-list"),
    path("authorities/<str:code>/contacts/add/", accounts.contact_add, name="contact-add"),
    path(
        "authorities/<str:code>/contacts/<int:contact_id>/delete/",
        accounts.contact_delete,
        name="contact-delete",
    ),
    path("regions/", places.region_list, name="region-list"),
    path("regions/<slug:slug>/", places.region_detail, name="region-detail"),
    path("map/", places.national_map, name="national-map"),
    path("compare/", compare_views.compare, name="compare"),
    path("compare/comparison.csv", compare_views.compare_csv, name="compare-csv"),
    path("compare/comparison.xlsx", compare_views.compare_xlsx, name="compare-xlsx"),
    path("compare/groups/", comparator_groups.group_list, name="compare-groups"),
    path("compare/groups/new/", comparator_groups.group_new, name="compare-group-new"),
    path("compare/groups/<str:token>/", comparator_groups.group_detail, name="compare-group"),
    path("compare/groups/<str:token>/rename/", comparator_groups.group_rename, name="compare-group-rename"),
    path("compare/groups/<str:token>/delete/", comparator_groups.group_delete, name="compare-group-delete"),
    path("indicators/", catalogue_views.catalogue, name="indicator-catalogue"),
    path("indicators/<slug:slug>/", indicators.indicator_map, name="indicator-map"),
    path("indicators/<slug:slug>/table.csv", indicators.table_csv, name="indicator-table-csv"),
    path("indicators/<slug:slug>/table.xlsx", indicators.table_xlsx, name="indicator-table-xlsx"),
    path("indicators/<slug:slug>/tidy.csv", indicators.tidy_csv, name="indicator-tidy-csv"),
    path("evidence/", evidence.library, name="evidence-library"),
    path("evidence/how-we-judge/", evidence.rules, name="evidence-rules"),
    path("evidence/compare/", evidence_compare.compare, name="evidence-compare"),
    path("evidence/upload/", evidence_uploads.upload_studies, name="evidence-upload"),
    path("evidence/upload/template.csv", evidence_uploads.upload_template, name="evidence-upload-template"),
    path("evidence/uploads/", evidence_uploads.upload_list, name="evidence-uploads"),
    path("evidence/uploads/<int:pk>/", evidence_uploads.upload_detail, name="evidence-upload-detail"),
    path("evidence/local/", evidence.local_practice_list, name="evidence-local"),
    path("evidence/local/submit/", evidence.local_practice_submit, name="evidence-local-submit"),
    path("evidence/local/<int:pk>/", evidence.local_practice_detail, name="evidence-local-detail"),
    path("evidence/local/<int:pk>/assign/", evidence.local_practice_assign, name="evidence-local-assign"),
    path(
        "evidence/local/<int:pk>/validators/<int:validation_id>/release/",
        evidence.local_practice_release,
        name="evidence-local-release",
    ),
    *evidence_redirects.urlpatterns,  # renamed practices' old addresses
    path("evidence/<slug:slug>/", evidence.practice_detail, name="evidence-practice"),
    path("evidence/<slug:slug>/studies.csv", evidence.practice_studies_csv, name="evidence-practice-studies"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.auth_views.LogoutView.as_view(), name="logout"),
    path("", include("slihub.accounts.people_urls")),  # people/, a council's people/, invitations, reset
    path("audit/", audit.log, name="audit-log"),
    path("admin/", admin.site.urls),
    path("exchange/", include("slihub.exchange.urls")),
    path("warning/", include("slihub.warning.urls")),
    # partner_urls first: its fixed words (partners-in-practice/, interventions/) come before an
    # alliance's /alliances/<region-slug>/ in slihub.alliances.urls
    path("alliances/", include("slihub.alliances.partner_urls")),
    path("alliances/", include("slihub.alliances.watch_urls")),  # watch/, directors/: before the slugs
    path("alliances/", include("slihub.alliances.menu_urls")),  # menu of support: before menu/ is a slug
    path("alliances/", include("slihub.alliances.support_urls")),  # support/...: before the slugs
    path("alliances/", include("slihub.alliances.urls")),
    path("jobs/", include("slihub.jobs.urls")),
    path("survey/", include("slihub.survey.manage_urls")),  # manage/...: before a year
    path("survey/", include("slihub.survey.results_urls")),
    path("survey/", include("slihub.survey.answer_urls")),
    path("workshops/", include("slihub.workshops.urls")),
    path("workshops/", include("slihub.workshops.after_urls")),  # attendance, materials, feedback
    path("forecast/", include("slihub.forecast.urls")),
    path("api/v1/", api.urls),
]

handler403 = "slihub.web.views.error_403"
handler404 = "slihub.web.not_found.page_not_found"
