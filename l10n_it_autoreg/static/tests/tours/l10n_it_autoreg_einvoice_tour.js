/** @odoo-module **/
// Browser tours of the readable e-invoice (tests/test_einvoice_view.py
// TestTourEinvoice): from To register, the eye of a not recognized bill
// opens its e-invoice in a dialog, the rate that did not match highlighted;
// the bill's tab "E-invoice" shows it too; from a run, the eye of a
// registered bill opens it in a dialog.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_einvoice", {
    steps: () => [
        {
            content: "The not recognized bill waits in To register",
            trigger: ".o_data_row:contains(KO-VIEW-TOUR) .o_l10n_it_autoreg_state_icon[data-state=unrecognized]",
        },
        {
            content: "Its eye opens the e-invoice",
            trigger: ".o_data_row:contains(KO-VIEW-TOUR) button.o_l10n_it_autoreg_view_einvoice",
            run: "click",
        },
        {
            content: "In a dialog: the supplier as the e-invoice writes it",
            trigger: ".modal .o_l10n_it_autoreg_einvoice [data-party=seller]:contains(Fornitore Tour Srl)",
        },
        {
            content: "The rate no tax matches is highlighted, in the lines and in the VAT summary",
            trigger: ".modal .o_l10n_it_autoreg_einvoice_lines tr.o_l10n_it_autoreg_mismatch:contains(Aliquota inventata)",
        },
        {
            trigger: ".modal .o_l10n_it_autoreg_einvoice_summary tr.o_l10n_it_autoreg_mismatch:contains(15.55)",
        },
        {
            content: "The other rate is not",
            trigger: ".modal .o_l10n_it_autoreg_einvoice_lines tr:not(.o_l10n_it_autoreg_mismatch):contains(Servizio ordinario)",
        },
        {
            content: "The IBAN of the installment",
            trigger: ".modal .o_l10n_it_autoreg_iban:contains(IT60X0542811101000000123456)",
        },
        {
            content: "Close the dialog",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "Open the bill",
            trigger: "body:not(:has(.modal)) .o_data_row:contains(KO-VIEW-TOUR) td.o_data_cell[name=ref]",
            run: "click",
        },
        {
            content: "Its tab E-invoice",
            trigger: ".o_form_view .o_notebook a[name=l10n_it_autoreg_einvoice]",
            run: "click",
        },
        {
            content: "The e-invoice in the tab, with its number",
            trigger: ".o_form_view .o_l10n_it_autoreg_einvoice_widget .o_l10n_it_autoreg_einvoice_body[data-own]:contains(KO-VIEW-TOUR)",
        },
        {
            trigger: ".o_form_view .o_l10n_it_autoreg_einvoice_widget button.o_l10n_it_autoreg_print_einvoice",
        },
    ],
});

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_einvoice_run", {
    steps: () => [
        {
            content: "The run's Recognized tab",
            trigger: ".o_notebook .nav-link:contains(Recognized):not(:contains(Not))",
            run: "click",
        },
        {
            content: "The eye of the registered bill",
            trigger: ".o_l10n_it_autoreg_recognized .o_data_row:contains(OK-VIEW-TOUR) button.o_l10n_it_autoreg_view_einvoice",
            run: "click",
        },
        {
            content: "Its e-invoice in a dialog, nothing highlighted",
            trigger: ".modal .o_l10n_it_autoreg_einvoice:not(:has(.o_l10n_it_autoreg_mismatch)) .o_l10n_it_autoreg_einvoice_body:contains(OK-VIEW-TOUR)",
        },
        {
            content: "The Not recognized tab has the eye too",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_notebook .nav-link:contains(Not recognized)",
            run: "click",
        },
        {
            trigger: ".o_l10n_it_autoreg_unrecognized .o_data_row:contains(KO-VIEW-TOUR) button.o_l10n_it_autoreg_view_einvoice",
            run: "click",
        },
        {
            trigger: ".modal .o_l10n_it_autoreg_einvoice .o_l10n_it_autoreg_einvoice_reason",
        },
    ],
});
