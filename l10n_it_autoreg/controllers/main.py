"""Download of an attachment (Allegati) of a received e-invoice, from its
readable view: decoded from the bill's file on demand, always as a download
(never shown inline: its content is the supplier's)."""

from odoo import http
from odoo.http import content_disposition, request


class L10nItAutoregEinvoice(http.Controller):
    @http.route(
        "/l10n_it_autoreg/einvoice/<int:move_id>/attachment/<int:body_index>/<int:index>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def einvoice_attachment(self, move_id, body_index, index, **_kwargs):
        move = request.env["account.move"].browse(move_id).exists()
        if not move:
            raise request.not_found()
        move.check_access("read")
        found = move._l10n_it_autoreg_einvoice_attachment(body_index, index)
        if found is None:
            raise request.not_found()
        data, name = found
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", content_disposition(name)),
                ("X-Content-Type-Options", "nosniff"),
                ("Content-Security-Policy", "sandbox"),
            ],
        )
