"""Registration runs: their outcome -- who is told, the notification, the
outcome dialog and the To register banner's status."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .l10n_it_autoreg_run import BUS_RUN_DONE


class L10nItAutoregRun(models.Model):
    _inherit = "l10n_it_autoreg.run"

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------
    def _outcome_recipients(self):
        """The user who started the run; for a scheduled run, the
        accounting managers of the company."""
        self.ensure_one()
        users = self.user_id
        if self.trigger == "cron":
            managers = self.env.ref("account.group_account_manager").sudo().users
            users |= managers.filtered(lambda u: self.company_id in u.company_ids and u.active)
        return users.filtered(lambda u: not u.share)

    def _notify_outcome(self):
        self.ensure_one()
        for user in self._outcome_recipients():
            run = self.with_user(user).with_context(lang=user.lang).sudo()
            user._bus_send(
                BUS_RUN_DONE,
                {
                    "run_id": run.id,
                    "company_id": run.company_id.id,
                    "type": "success" if run.outcome in ("success", "empty") else "warning",
                    "title": run.outcome_message,
                    "message": run._outcome_summary(),
                },
            )

    def _outcome_summary(self):
        self.ensure_one()
        return _(
            "%(company)s: %(recognized)s registered, %(unrecognized)s not recognized.",
            company=self.company_id.name,
            recognized=self.recognized_count,
            unrecognized=self.unrecognized_count,
        )

    def _action_outcome(self):
        """The outcome dialog of ``self`` (several runs: their list)."""
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "name": _("Automatic registration"),
                "res_model": self._name,
                "res_id": self.id,
                "views": [
                    (
                        self.env.ref("l10n_it_autoreg.view_l10n_it_autoreg_run_form_outcome").id,
                        "form",
                    )
                ],
                "target": "new",
            }
        return {
            "type": "ir.actions.act_window",
            "name": _("Registration runs"),
            "res_model": self._name,
            "domain": [("id", "in", self.ids)],
            "views": [(False, "list"), (False, "form")],
        }

    def action_view_details(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
            "views": [
                (
                    self.env.ref("l10n_it_autoreg.view_l10n_it_autoreg_run_form").id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_retry(self):
        """Register again the not recognized documents of the run."""
        self.ensure_one()
        moves = self.unrecognized_move_ids.filtered_domain(self._to_register_domain())
        if not moves:
            raise UserError(_("No document of this run is still waiting to be registered."))
        return self._action_register_moves(moves)

    @api.model
    def get_to_register_status(self):
        """What the To register list shows on top (banner): the state of the
        switch, the runs in progress and the last outcome, for the current
        company."""
        company = self.env.company
        running = self.search([("company_id", "=", company.id), ("state", "=", "running")])
        last = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "!=", "running"),
            ],
            limit=1,
        )
        since = company.l10n_it_autoreg_enabled_since
        return {
            "enabled": company.l10n_it_autoreg_enabled,
            "enabled_since": since
            and fields.Datetime.to_string(fields.Datetime.context_timestamp(self, since))[:16],
            "running": bool(running),
            "remaining": sum(run.remaining_count for run in running),
            "last_run": last
            and {
                "id": last.id,
                "outcome": last.outcome,
                "message": last.outcome_message,
                "summary": last._outcome_summary(),
                "date": fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(self, last.date_end or last.date_start)
                )[:16],
            },
        }
