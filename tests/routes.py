"""How a route is guarded, for the URL sweep (tests/test_url_sweep.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """How a route is guarded: `public`, `signed_in` (any role) or a permission; whether it
    takes an org-A object (`sample`), and the method that exercises it."""

    guard: str
    sample: str = ""
    method: str = "get"
    denied: str = ""  # a signed-in person of org A who must get 403


PUBLIC = Route("public")


def object_routes(
    app_model: str, denied: str, workflow: bool = False, form: bool = True, delete: bool = True
) -> dict[str, Route]:
    """The routes an ObjectSet declares for a model, with the permission each needs."""
    app, model = app_model.split(".")
    routes = {
        f"{app}:{model}_list": Route(f"{app}.view_{model}", denied=denied),
        f"{app}:{model}_detail": Route(f"{app}.view_{model}", sample=app_model, denied=denied),
    }
    if delete:
        routes[f"{app}:{model}_delete"] = Route(
            f"{app}.delete_{model}", sample=app_model, method="post", denied="standards_officer"
        )
    if form:
        routes[f"{app}:{model}_create"] = Route(f"{app}.add_{model}", denied="standards_officer")
        routes[f"{app}:{model}_update"] = Route(
            f"{app}.change_{model}", sample=app_model, denied="standards_officer"
        )
    if workflow:
        routes[f"{app}:{model}_transition"] = Route(
            f"{app}.change_{model}", sample=app_model, method="post", denied="standards_officer"
        )
    return routes
