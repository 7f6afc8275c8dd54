"""The viewer of a page, as a dependency (kept on the request for error pages)."""

from typing import Annotated

from fastapi import Depends, Request

from api.deps import SessionDep
from api.web.security import Viewer, viewer_of


def get_viewer(request: Request, session: SessionDep) -> Viewer:
    viewer = viewer_of(request, session)
    request.state.viewer = viewer
    return viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
