/** @odoo-module **/
// Browser tour of the automatic registration, in three legs driven by
// tests/test_tour_autoreg.py (the Python side "receives" documents and runs
// the cron between them):
//  1. settings: switch automatic registration on;
//  2. To register: the banner "Processing documents…" while the cron run
//     has documents left;
//  3. outcome: the last run "Some registrations failed", View details, both
//     tabs, open the not recognized bill; then register a document received
//     before the activation with Register automatically (outcome dialog).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_settings", {
    steps: () => [
        {
            content: "The setting is in the Vendor Bills block",
            trigger: "#l10n_it_autoreg .o_field_boolean[name=l10n_it_autoreg_enabled] input:not(:checked)",
            run: "click",
        },
        {
            content: "Save the settings",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Switched on, with the activation moment",
            trigger: "#l10n_it_autoreg .o_field_boolean[name=l10n_it_autoreg_enabled] input:checked",
        },
        {
            trigger: "#l10n_it_autoreg [name=l10n_it_autoreg_enabled_since]:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_banner", {
    steps: () => [
        {
            content: "The documents received after the activation are being processed",
            trigger: ".o_l10n_it_autoreg_banner .o_l10n_it_autoreg_processing:contains(Processing documents)",
        },
        {
            content: "The switch is shown on top",
            trigger: ".o_l10n_it_autoreg_banner .o_l10n_it_autoreg_switch[data-enabled='1']",
        },
        {
            content: "The received documents wait in the list",
            trigger: ".o_list_renderer .o_data_row:contains(OK-TOUR-1) .o_l10n_it_autoreg_state_icon[data-state=pending]",
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains(OK-TOUR-OLD)",
        },
    ],
});

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_outcome", {
    steps: () => [
        {
            content: "The run is over: no banner, the outcome instead",
            trigger: ".o_l10n_it_autoreg_banner:not(:has(.o_l10n_it_autoreg_processing)) .o_l10n_it_autoreg_last_run[data-outcome=partial]:contains(Some registrations failed)",
        },
        {
            content: "The not recognized document stays, its reason on hover",
            trigger: ".o_data_row:contains(KO-TOUR-3) .o_l10n_it_autoreg_state_icon[data-state=unrecognized][title*='rate 4%']",
        },
        {
            content: "Registered documents left the list",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains(OK-TOUR-1)))",
        },
        {
            content: "View details of the run",
            trigger: ".o_l10n_it_autoreg_view_details",
            run: "click",
        },
        {
            content: "Tab Recognized",
            trigger: ".o_notebook .nav-link:contains(Recognized):not(:contains(Not))",
            run: "click",
        },
        {
            trigger: ".o_l10n_it_autoreg_recognized .o_data_row:contains(OK-TOUR-1)",
        },
        {
            trigger: ".o_l10n_it_autoreg_recognized .o_data_row:contains(OK-TOUR-2)",
        },
        {
            content: "Tab Not recognized",
            trigger: ".o_notebook .nav-link:contains(Not recognized)",
            run: "click",
        },
        {
            content: "Each with its problem",
            trigger: ".o_l10n_it_autoreg_unrecognized .o_data_row:contains(KO-TOUR-3):contains(rate 4%)",
        },
        {
            content: "Open the bill to register it by hand",
            trigger: ".o_l10n_it_autoreg_unrecognized .o_data_row:contains(KO-TOUR-3) .o_l10n_it_autoreg_open",
            run: "click",
        },
        {
            content: "The bill shows why it was not recognized",
            trigger: ".o_form_view .o_l10n_it_autoreg_reason:contains(rate 4%)",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb a:contains(To register)",
            run: "click",
        },
        {
            content: "Select the document received before the activation",
            trigger: ".o_data_row:contains(OK-TOUR-OLD) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Register it automatically",
            trigger: ".o_control_panel button:contains(Register automatically)",
            run: "click",
        },
        {
            content: "The outcome dialog",
            trigger: ".modal .o_l10n_it_autoreg_outcome:contains(All registrations were completed successfully)",
        },
        {
            trigger: ".modal button[name=action_view_details]",
            run: "click",
        },
        {
            content: "The run, with the registered bill",
            trigger: ".o_l10n_it_autoreg_recognized .o_data_row:contains(OK-TOUR-OLD)",
        },
    ],
});
