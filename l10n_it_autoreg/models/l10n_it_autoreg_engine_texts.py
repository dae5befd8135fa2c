"""Engine: the texts it stores -- reasons of the documents left pending and
the trace of the registered ones -- rendered in the company's language from
registration.outcome's Texts."""

from markupsafe import Markup

from odoo import models

from ..registration.outcome import Text
from ..registration.reasons import template_of
from ..registration.reviews import reviews_of


class L10nItAutoregEngine(models.AbstractModel):
    _inherit = "l10n_it_autoreg.engine"

    def _render(self, value):
        """A Text in the context's language (its parameters rendered too, a
        record by its name); other values as they are."""
        if isinstance(value, Text):
            translated = self.env._(value.template)  # pylint: disable=translation-not-lazy
            if not value.args and not value.params:
                return translated
            try:
                if value.args:
                    return translated % tuple(self._render(a) for a in value.args)
                return translated % _Params({k: self._render(v) for k, v in value.params.items()})
            except (TypeError, ValueError, KeyError):
                return translated
        if isinstance(value, models.BaseModel):
            return ", ".join(r.display_name or getattr(r, "ref", "") or "" for r in value)
        return value

    def _reason_text(self, refusal):
        """The reason stored on the bill for ``refusal``."""
        return self._render(Text(template_of(refusal), **refusal.params))

    def _write_refusals(self, refusals):
        """Mark {move: Refusal} not recognized with their code and reason,
        the key of the tax the document waits for (tax_not_found: what
        Create this tax creates) and where its figures did not match (the
        readable e-invoice highlights them)."""
        for move, refusal in refusals.items():
            other = refusal.params.get("other") if refusal.code == "duplicate" else None
            move.with_context(skip_invoice_sync=True).write(
                {
                    "l10n_it_autoreg_state": "unrecognized",
                    "l10n_it_autoreg_reason_code": refusal.code,
                    "l10n_it_autoreg_reason": self._reason_text(refusal),
                    "l10n_it_autoreg_missing_tax_key": refusal.missing_tax or False,
                    "l10n_it_autoreg_focus": refusal.focus or False,
                    "l10n_it_autoreg_duplicate_id": other.id
                    if isinstance(other, models.BaseModel)
                    else False,
                }
            )

    def _write_reviews(self, plans):
        """Store the review notes (registration.reviews) of the registered
        bills of ``plans``: their codes and their sentences."""
        for plan in plans:
            reviews = reviews_of(plan.trace)
            if reviews:
                codes = dict.fromkeys(r.code for r in reviews)
                plan.move.with_context(skip_invoice_sync=True).write(
                    {
                        "l10n_it_autoreg_review_codes": " ".join(codes),
                        "l10n_it_autoreg_review": "\n".join(self._render(r) for r in reviews),
                    }
                )

    def _trace_body(self, plan):
        """The chatter note of a registered bill: which rule decided what."""
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Registered automatically from the e-invoice."),
            Markup("").join(Markup("<li>%s</li>") % self._render(t) for t in plan.trace),
        )


class _Params(dict):
    def __missing__(self, key):
        return ""
