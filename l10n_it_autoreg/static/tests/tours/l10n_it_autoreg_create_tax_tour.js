/** @odoo-module **/
// Browser tour of "Create this tax" (tests/test_tour_autoreg.py
// TestTourCreateMissingTax): a split payment bill is not recognized for lack
// of a purchase tax; from To register, open it, press Create this tax, check
// the pre-filled form (+100% / -100%), save: the bill is registered.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_create_tax", {
    steps: () => [
        {
            content: "The split payment bill waits in To register, not recognized",
            trigger: ".o_data_row:contains(SP-TOUR-1) .o_l10n_it_autoreg_state_icon[data-state=unrecognized]",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains(SP-TOUR-1) td.o_data_cell[name=ref]",
            run: "click",
        },
        {
            content: "The bill says which tax is missing",
            trigger: ".o_form_view .o_l10n_it_autoreg_reason:contains(split payment)",
        },
        {
            content: "Create this tax",
            trigger: ".o_form_view .o_statusbar_buttons button.o_l10n_it_autoreg_create_tax",
            run: "click",
        },
        {
            content: "The tax form, pre-filled from the e-invoice, says one bill waits for it",
            trigger: ".modal .o_l10n_it_autoreg_missing_tax [name=l10n_it_autoreg_waiting_count]:contains(1)",
        },
        {
            content: "Named like the chart's taxes",
            trigger: ".modal .o_field_widget[name=name] input:value(22% SP)",
        },
        {
            content: "The VAT owed to the Treasury: -100%",
            trigger: ".modal .o_field_widget[name=invoice_repartition_line_ids] .o_data_row:contains(-100)",
        },
        {
            content: "Save: the waiting bills are registered again",
            trigger: ".modal .o_l10n_it_autoreg_save_tax",
            run: "click",
        },
        {
            content: "The dialog closed, the bill is registered (posted)",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current[data-value=posted]",
        },
        {
            content: "No reason left on the bill",
            trigger: ".o_form_view:not(:has(.o_l10n_it_autoreg_reason))",
        },
    ],
});
