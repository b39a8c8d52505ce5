from django.urls import path

from houqin.places import views

app_name = "places"

urlpatterns = [
    path("places/", views.place_tree, name="place_tree"),
    path("places/new/", views.place_create, name="place_create"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", views.place_update, name="place_update"),
    path("places/<int:pk>/move/", views.place_move, name="place_move"),
    path("places/<int:pk>/qr/", views.place_qr_regenerate, name="place_qr_regenerate"),
    path("places/<int:pk>/delete/", views.place_delete, name="place_delete"),
    path("places/equipment/", views.equipment_list_view, name="equipment_list"),
    path("places/equipment/export/", views.equipment_export, name="equipment_export"),
    path("places/equipment/new/", views.equipment_create, name="equipment_create"),
    path("places/equipment/<int:pk>/", views.equipment_detail, name="equipment_detail"),
    path("places/equipment/<int:pk>/edit/", views.equipment_update, name="equipment_update"),
    path("places/equipment/<int:pk>/status/", views.equipment_status, name="equipment_status"),
    path(
        "places/equipment/<int:pk>/qr/",
        views.equipment_qr_regenerate,
        name="equipment_qr_regenerate",
    ),
    path("places/equipment/<int:pk>/delete/", views.equipment_delete, name="equipment_delete"),
    path("places/labels/", views.labels, name="labels"),
    path("q/<str:token>", views.scan, name="scan"),
    path("q/<str:token>/", views.scan),
]
