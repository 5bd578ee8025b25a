"""Aftercheck's web layer: thin blueprints over the checker package.

To add a blueprint, import it here and append it to BLUEPRINTS; `create_app` registers them in
this order. Pages for a report are rendered with `web.pages.render_result`.
"""

from . import api, auth, importer, pages, photo, shelf
from .common import current_checker

BLUEPRINTS = [pages.bp, api.bp, importer.bp, auth.bp, shelf.bp, photo.bp]

__all__ = ["BLUEPRINTS", "current_checker"]
