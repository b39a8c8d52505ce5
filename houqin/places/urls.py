from django.urls import path

from houqin.places.views import equipment, label_views, scan, tree

app_name = "places"

urlpatterns = [
    path("places/", tree.place_tree, name="place_tree"),
    path("places/new/", tree.place_create, name="place_create"),
    path("places/<int:pk>/", tree.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", tree.place_update, name="place_update"),
    path("places/<int:pk>/move/", tree.place_move, name="place_move"),
    path("places/<int:pk>/qr/", tree.place_qr_regenerate, name="place_qr_regenerate"),
    path("places/<int:pk>/delete/", tree.place_delete, name="place_delete"),
    path("places/equipment/", equipment.equipment_list_view, name="equipment_list"),
    path("places/equipment/export/", equipment.equipment_export, name="equipment_export"),
    path("places/equipment/new/", equipment.equipment_create, name="equipment_create"),
    path("places/equipment/<int:pk>/", equipment.equipment_detail, name="equipment_detail"),
    path("places/equipment/<int:pk>/edit/", equipment.equipment_update, name="equipment_update"),
    path("places/equipment/<int:pk>/status/", equipment.equipment_status, name="equipment_status"),
    path(
        "places/equipment/<int:pk>/qr/",
        equipment.equipment_qr_regenerate,
        name="equipment_qr_regenerate",
    ),
    path("places/equipment/<int:pk>/delete/", equipment.equipment_delete, name="equipment_delete"),
    path("places/labels/", label_views.labels, name="labels"),
    path("q/<str:token>", scan.scan, name="scan"),
    path("q/<str:token>/", scan.scan),
]
