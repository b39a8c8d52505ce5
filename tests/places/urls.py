"""The project's routes plus the places API under /api/v1/places/, until the integrator
adds it to houqin/api_urls.py."""

from django.urls import include, path

from houqin.places.api import router
from houqin.urls import urlpatterns as project

urlpatterns = [*project, path("api/v1/places/", include(router.urls))]
