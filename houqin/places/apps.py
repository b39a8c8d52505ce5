from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "houqin.places"
    label = "places"
    verbose_name = "场所与设备"
