/** @odoo-module **/
// Browser tours of the run outcome notification (tests/test_tour_autoreg.py
// TestTourOutcomeNotification): an outcome sent before the page loaded is
// not shown again (Odoo's bus replays the last 50 seconds to a new browser);
// one sent after it is, with View details.
import { registry } from "@web/core/registry";
import { pause } from "./l10n_it_autoreg_tour_utils";

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_outcome_not_replayed", {
    steps: () => [
        {
            content: "To register is open; the bus connects and hands its replay",
            trigger: ".o_list_view",
            run: () => pause(4000),
        },
        {
            content: "The outcome sent before the page loaded is not shown",
            trigger: "body:not(:has(.o_l10n_it_autoreg_outcome_notification))",
        },
    ],
});

registry.category("web_tour.tours").add("l10n_it_autoreg_tour_outcome_shown", {
    steps: () => [
        {
            content: "The outcome is shown, with View details",
            trigger: ".o_l10n_it_autoreg_outcome_notification button:contains(View details)",
            run: "click",
        },
        {
            content: "The run's outcome opens",
            trigger: ".o_form_view .o_field_widget[name=outcome_message]",
        },
    ],
});
