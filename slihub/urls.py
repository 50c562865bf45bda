from django.contrib import admin
from django.urls import path

from slihub.accounts import views as accounts
from slihub.api.urls import api
from slihub.places import views as places
from slihub.web import views as web

admin.site.site_header = "SLI Hub administration"
admin.site.site_title = "SLI Hub"

urlpatterns = [
    path("", web.home, name="home"),
    path("data-sources/", web.data_sources, name="data-sources"),
    path("authorities/", places.authority_list, name="authority-list"),
    path("authorities/<str:code>/", web.authority_detail, name="authority-detail"),
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
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "slihub.web.views.error_403"
handler404 = "slihub.web.views.error_404"
