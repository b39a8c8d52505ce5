"""Pages of the standards app, one module per area; each module holds its ``urlpatterns``."""
