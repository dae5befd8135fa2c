/** @odoo-module **/
// The outcome of a registration run processed in the background (cron, or
// a large selection): a sticky notification with View details, for the
// user who started it and, for scheduled runs, the accounting managers.
// Only the outcomes sent after the page loaded (models/ir_http.py): Odoo's bus
// replays the last 50 seconds to a browser that never connected before.
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { session } from "@web/session";

export const autoregOutcomeService = {
    dependencies: ["bus_service", "notification", "action"],
    start(env, { bus_service, notification, action }) {
        const lastIdAtLoad = session.l10n_it_autoreg_bus_last_id || 0;
        bus_service.subscribe("l10n_it_autoreg/run_done", (payload, { id }) => {
            if (id <= lastIdAtLoad) {
                return;
            }
            const close = notification.add(payload.message, {
                title: payload.title,
                type: payload.type,
                sticky: true,
                className: "o_l10n_it_autoreg_outcome_notification",
                buttons: [
                    {
                        name: _t("View details"),
                        primary: true,
                        onClick: () => {
                            close();
                            action.doAction({
                                type: "ir.actions.act_window",
                                res_model: "l10n_it_autoreg.run",
                                res_id: payload.run_id,
                                views: [[false, "form"]],
                                target: "current",
                            });
                        },
                    },
                ],
            });
        });
        bus_service.start();
    },
};

registry.category("services").add("l10n_it_autoreg_outcome", autoregOutcomeService);
