"""Aftercheck's web layer: thin blueprints over the checker, sources and shelf packages.

Blueprints: patient (label form, result, timeline), api (JSON check), importer (bookmarklet, page
and URL import), auth (staff login), shelf (staff shelf check), protocols (staff: the protocols side
by side), photo (label photos), plan (the patient's routine and aftercare plan, its calendar, staff
overrides), result_links (a result's own address, the treatment date bar). To add one, import it
here and append it to BLUEPRINTS; `create_app` registers them in this order.
Shared by the blueprints, each module named for what it holds: current (the app's Checker and
Shelf), days (treatment day and dates, the remembered treatment date), results (the result page
and the label form), links (data packed into a link), plan_links (a routine and a signed override in
a plan's link), timeline (the timeline's stages from the protocol), json_body (the API's JSON
bodies), errors (error answers), templating (template filters), logs (the app's log), limits (rate
limits), slow_work (slots for URL imports and photos), headers (security headers).
"""

from . import api, auth, importer, patient, photo, plan, protocols, result_links, shelf

BLUEPRINTS = [patient.bp, api.bp, importer.bp, auth.bp, shelf.bp, protocols.bp, photo.bp, plan.bp, result_links.bp]

__all__ = ["BLUEPRINTS"]
