/** @odoo-module **/
// Browser tour (tests/test_tour_autoreg.py TestTourCreateMissingTax): leaving
// the page while "Create this tax" is open must not create the tax. The tour
// opens the dialog, sends the events a reload and a hidden tab send, then
// discards; the test checks that no tax was created and the bill still waits.
import { registry } from "@web/core/registry";
import { pause } from "./l10n_it_autoreg_tour_utils";

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_create_tax_leave", {
    steps: () => [
        {
            content: "Open the split payment bill from To register",
            trigger: ".o_data_row:contains(SP-TOUR-2) td.o_data_cell[name=ref]",
            run: "click",
        },
        {
            content: "Create this tax",
            trigger: ".o_form_view .o_statusbar_buttons button.o_l10n_it_autoreg_create_tax",
            run: "click",
        },
        {
            content: "The pre-filled tax form is open",
            trigger: ".modal .o_l10n_it_autoreg_missing_tax [name=l10n_it_autoreg_waiting_count]:contains(1)",
        },
        {
            content: "The page is left (reload, tab closed) and the tab hidden",
            trigger: ".modal .o_field_widget[name=name] input:value(22% SP)",
            run() {
                // after this step: a beforeunload during a step makes the tour
                // wait for a new page (web_tour's callWithUnloadCheck)
                setTimeout(() => {
                    window.dispatchEvent(new Event("beforeunload", { cancelable: true }));
                    document.dispatchEvent(new Event("visibilitychange"));
                    document.body.classList.add("o_l10n_it_autoreg_left");
                }, 0);
            },
        },
        {
            content: "Whatever the form would save on leaving has reached the server",
            trigger: "body.o_l10n_it_autoreg_left",
            run: () => pause(1000),
        },
        {
            content: "Discard",
            trigger: ".modal .modal-footer button.o_l10n_it_autoreg_discard_tax",
            run: "click",
        },
        {
            content: "The dialog closed, the bill still waits for its tax",
            trigger: "body:not(:has(.modal)) .o_form_view button.o_l10n_it_autoreg_create_tax",
        },
    ],
});
