from __future__ import annotations

from mux_scheduler.agencies.models import Agency
from mux_scheduler.agencies.schemas import AgencyCreate, AgencyPublic, AgencyUpdate
from mux_scheduler.core.crud import Resource, crud_router

router = crud_router(
    Resource(Agency, "/agencies", AgencyCreate, AgencyUpdate, AgencyPublic, order_by=Agency.name),
    tags=["agencies"],
)
