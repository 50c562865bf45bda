from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "slihub.places"
    verbose_name = "Places"
