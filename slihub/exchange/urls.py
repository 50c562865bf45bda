from django.urls import path

from slihub.exchange import views

urlpatterns = [
    path("", views.home, name="exchange-home"),
    path("specialists/", views.specialist_list, name="exchange-specialists"),
    path("specialists/<int:pk>/", views.specialist_detail, name="exchange-specialist"),
    path("specialists/<int:pk>/change/", views.specialist_change, name="exchange-specialist-change"),
    path("specialists/<int:pk>/withdraw/", views.specialist_withdraw, name="exchange-specialist-withdraw"),
    path("specialists/<int:pk>/reinstate/", views.specialist_reinstate, name="exchange-specialist-reinstate"),
    path("specialists/<int:pk>/windows/add/", views.window_add, name="exchange-window-add"),
    path(
        "specialists/<int:pk>/windows/<int:window_id>/remove/",
        views.window_remove,
        name="exchange-window-remove",
    ),
    path("banks/", views.bank_pick, name="exchange-bank-pick"),
    path("banks/<str:code>/", views.bank, name="exchange-bank"),
    path("banks/<str:code>/add/", views.specialist_add, name="exchange-specialist-add"),
    path("requests/", views.request_list, name="exchange-requests"),
    path("requests/<int:pk>/", views.request_detail, name="exchange-request"),
    path("requests/<int:pk>/offer/", views.request_offer, name="exchange-request-offer"),
    path("councils/<str:code>/ask/", views.request_add, name="exchange-request-add"),
    path("loans/", views.loan_list, name="exchange-loans"),
    path("loans/<int:pk>/", views.loan_detail, name="exchange-loan"),
    path("loans/<int:pk>/accept/", views.loan_accept, name="exchange-loan-accept"),
    path("loans/<int:pk>/decline/", views.loan_decline, name="exchange-loan-decline"),
    path("loans/<int:pk>/deliver/", views.loan_deliver, name="exchange-loan-deliver"),
    path("loans/<int:pk>/backfill/", views.loan_backfill, name="exchange-loan-backfill"),
    path("loans/<int:pk>/end/", views.loan_end, name="exchange-loan-end"),
    path("loans/<int:pk>/extend/", views.loan_extend, name="exchange-loan-extend"),
    path("matching/", views.matching, name="exchange-matching"),
    path("ledger/<str:code>/", views.ledger, name="exchange-ledger"),
    path("ledger/<str:code>/redeem/", views.ledger_redeem, name="exchange-ledger-redeem"),
    path("overview/", views.overview, name="exchange-overview"),
    path("concentration/", views.concentration, name="exchange-concentration"),
]
