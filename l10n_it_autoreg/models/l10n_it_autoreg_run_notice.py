"""Registration runs: the accounting managers hear of the documents the
scheduled action could not register -- one activity each, kept up to date
(never one per document), or one e-mail a day (company option
``l10n_it_autoreg_failure_notice``).  Manual runs keep their outcome
notification only."""

from markupsafe import Markup

from odoo import api, fields, models

from .l10n_it_autoreg_run import TO_REGISTER_DOMAIN

ACTIVITY_TYPE = "l10n_it_autoreg.mail_activity_type_l10n_it_autoreg_failures"
# Documents named in one activity or e-mail (the others are counted).
NOTICE_ROWS = 50


class L10nItAutoregRun(models.Model):
    _inherit = "l10n_it_autoreg.run"

    def _notify_failures(self):
        """After a scheduled run that left documents not recognized: the
        activity of each accounting manager of the company, created on this
        run or, when one is still open, brought up to date (its note lists
        every document of the company still not recognized)."""
        self.ensure_one()
        company = self.company_id
        if company.l10n_it_autoreg_failure_notice != "activity":
            return  # the daily digest (_cron_failure_digest) tells them
        activity_type = self.env.ref(ACTIVITY_TYPE, raise_if_not_found=False)
        if not activity_type:
            return
        Activity = self.env["mail.activity"].sudo()
        moves = self._not_registered(company)
        note = self._failure_listing(company, moves)
        summary = self._company_env(company)._(
            "%(count)s e-invoices not registered", count=len(moves)
        )
        for user in self._accounting_managers(company):
            open_activity = Activity.search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    ("res_model", "=", self._name),
                    ("user_id", "=", user.id),
                ]
            ).filtered(lambda a: self.sudo().browse(a.res_id).company_id == company)[:1]
            if open_activity:
                open_activity.write(
                    {"note": note, "summary": summary, "date_deadline": fields.Date.today()}
                )
            else:
                self.sudo().activity_schedule(
                    ACTIVITY_TYPE, user_id=user.id, note=note, summary=summary
                )

    @api.model
    def _cron_failure_digest(self):
        """Daily: one e-mail to the accounting managers of each company that
        chose the digest, when scheduled runs left documents not recognized
        since the last digest."""
        Company = self.env["res.company"].sudo()
        for company in Company.search([("l10n_it_autoreg_failure_notice", "=", "digest")]):
            since = company.l10n_it_autoreg_digest_date
            domain = [
                ("company_id", "=", company.id),
                ("trigger", "=", "cron"),
                ("state", "=", "done"),
                ("unrecognized_count", ">", 0),
            ]
            if since:
                domain.append(("date_end", ">", since))
            if not self.sudo().search_count(domain):
                continue
            moves = self._not_registered(company)
            users = self._accounting_managers(company).filtered("email")
            if moves and users:
                self.env["mail.mail"].sudo().create(
                    {
                        "subject": self._company_env(company)._(
                            "%(company)s: %(count)s e-invoices not registered",
                            company=company.name,
                            count=len(moves),
                        ),
                        "body_html": self._failure_listing(company, moves),
                        "recipient_ids": [(6, 0, users.partner_id.ids)],
                        "email_from": company.email_formatted or company.partner_id.email_formatted,
                        "auto_delete": True,
                    }
                )
            company.l10n_it_autoreg_digest_date = fields.Datetime.now()

    @api.model
    def _company_env(self, company):
        """The environment in the company's language (the texts are read by
        its managers, written by OdooBot)."""
        return self.with_context(lang=company.partner_id.lang or self.env.lang).env

    @api.model
    def _not_registered(self, company):
        """The company's received e-invoices still not recognized, oldest first."""
        return (
            self.env["account.move"]
            .sudo()
            .search(
                TO_REGISTER_DOMAIN
                + [
                    ("company_id", "=", company.id),
                    ("l10n_it_autoreg_state", "=", "unrecognized"),
                ],
                order="l10n_it_autoreg_received_date, id",
            )
        )

    @api.model
    def _accounting_managers(self, company):
        """Internal users of ``company`` who are accounting managers."""
        group = self.env.ref("account.group_account_manager")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )

    @api.model
    def _failure_listing(self, company, moves):
        """HTML: the documents with their reasons and a link to To register."""
        env = self._company_env(company)
        rows = Markup("").join(
            Markup("<li><b>%s</b> %s %s: %s</li>")
            % (
                move.l10n_it_autoreg_supplier_display or move.partner_id.display_name or "",
                move.ref or "",
                move.invoice_date or "",
                move.l10n_it_autoreg_reason or move.l10n_it_autoreg_reason_code or "",
            )
            for move in moves[:NOTICE_ROWS]
        )
        more = (
            Markup("<p>%s</p>") % env._("… and %(count)s more.", count=len(moves) - NOTICE_ROWS)
            if len(moves) > NOTICE_ROWS
            else ""
        )
        action = env.ref("l10n_it_autoreg.action_l10n_it_autoreg_to_register")
        base_url = company.get_base_url()
        link = Markup('<p><a href="%s/odoo/action-%s">%s</a></p>') % (
            base_url,
            action.id,
            env._("Open To register"),
        )
        intro = Markup("<p>%s</p>") % env._(
            "The scheduled registration could not register these received e-invoices of "
            "%(company)s: correct them and register them again, or register them by hand.",
            company=company.name,
        )
        return intro + Markup("<ul>%s</ul>") % rows + more + link
