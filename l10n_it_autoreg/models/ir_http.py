"""The web client's session: the last bus notification id when the page
loads, so that the outcome service (static/src/js/outcome_service.js) shows
only the run outcomes sent after it.  Odoo's bus hands a browser that never
connected before the notifications of the last 50 seconds, which would show a
run's outcome again on another browser (the same idiom as mail's
``counter_bus_id``)."""

from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        # EXTENDS web
        info = super().session_info()
        if self.env.user._is_internal():
            # sudo: bus.bus, the last id (no content read)
            info["l10n_it_autoreg_bus_last_id"] = self.env["bus.bus"].sudo()._bus_last_id()
        return info
