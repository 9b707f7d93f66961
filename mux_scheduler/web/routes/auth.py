"""Log-in, log-out and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from mux_scheduler.auth import service as auth_service
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import Unauthenticated
from mux_scheduler.web.csrf import ANON_COOKIE, SESSION_COOKIE
from mux_scheduler.web.deps import ViewerDep
from mux_scheduler.web.i18n import N_, normalise_locale
from mux_scheduler.web.session import end_session, safe_next, set_language_cookie, start_session

router = APIRouter()

FormStr = Annotated[str, Form()]


@router.get("/login")
def login_page(
    viewer: ViewerDep, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    if viewer.user is not None:
        return RedirectResponse(safe_next(next_path), status_code=303)
    return viewer.render("login.html", next_path=safe_next(next_path), username="", error=None)


@router.post("/login")
def login(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    username: FormStr = "",
    password: FormStr = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    key = f"{username.lower()}|{client}"

    def form_again(error: str, status_code: int) -> Response:
        return viewer.render(
            "login.html",
            status_code=status_code,
            next_path=safe_next(next_path),
            username=username,
            error=error,
        )

    if throttle.blocked(key):
        return form_again(N_("Too many failed log-ins. Wait a minute and try again."), 429)
    try:
        user = auth_service.authenticate(session, username=username, password=password)
    except Unauthenticated:
        throttle.failed(key)
        return form_again(N_("Wrong user name or password."), 400)
    throttle.succeeded(key)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    start_session(session, user=user, settings=viewer.settings, response=response)
    set_language_cookie(response, normalise_locale(user.locale), viewer.settings)
    response.delete_cookie(ANON_COOKIE, path="/")
    session.commit()
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(session, token=request.cookies.get(SESSION_COOKIE), response=response)
    session.commit()
    return response


@router.post("/language")
def switch_language(
    viewer: ViewerDep,
    session: SessionDep,
    lang: FormStr = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Remembered in a cookie, and on the user's profile when logged in."""
    locale = normalise_locale(lang, viewer.locale)
    if viewer.user is not None:
        viewer.user.locale = locale
        session.add(viewer.user)
        session.commit()
    response = RedirectResponse(safe_next(next_path), status_code=303)
    set_language_cookie(response, locale, viewer.settings)
    return response
