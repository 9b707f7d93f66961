"""The administrator's overview of reference data (read-only until the admin screens exist)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col
from starlette.responses import Response

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.access import scope
from mux_scheduler.auth.models import Role, User
from mux_scheduler.channels.models import Multiplex, Operator
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.web.deps import SignedInDep

router = APIRouter()


@router.get("/admin")
def admin_overview(viewer: SignedInDep, session: SessionDep) -> Response:
    principal = viewer.signed_in
    principal.require(Role.ADMIN)
    operators = list(session.exec(scope(Operator, principal).order_by(col(Operator.name))))
    return viewer.render(
        "admin.html",
        active="admin",
        operators={o.id: o for o in operators},
        multiplexes=list(session.exec(scope(Multiplex, principal).order_by(col(Multiplex.name)))),
        agencies={
            a.id: a for a in session.exec(scope(Agency, principal).order_by(col(Agency.name)))
        },
        users=list(session.exec(scope(User, principal).order_by(col(User.username)))),
    )
