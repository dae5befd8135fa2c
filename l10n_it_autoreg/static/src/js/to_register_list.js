/** @odoo-module **/
// The To register list: a banner on top shows whether automatic
// registration is on, "Processing documents…" while a run works for the
// company (refreshed every few seconds and on run notifications), and the
// outcome of the last run with View details.
import { formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";
import { Component, onWillStart, onMounted, onWillUnmount, useState } from "@odoo/owl";

const REFRESH_RUNNING_MS = 3000;
const REFRESH_IDLE_MS = 15000;

export class AutoregBanner extends Component {
    static template = "l10n_it_autoreg.Banner";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.busService = useService("bus_service");
        this.state = useState({ status: null });
        this.onRunDone = () => this.refresh();
        onWillStart(() => this.refresh());
        onMounted(() => {
            this.busService.subscribe("l10n_it_autoreg/run_done", this.onRunDone);
            this.schedule();
        });
        onWillUnmount(() => {
            this.busService.unsubscribe("l10n_it_autoreg/run_done", this.onRunDone);
            clearTimeout(this.timer);
            this.unmounted = true;
        });
    }

    schedule() {
        clearTimeout(this.timer);
        const delay = this.state.status?.running ? REFRESH_RUNNING_MS : REFRESH_IDLE_MS;
        this.timer = setTimeout(async () => {
            await this.refresh();
            if (!this.unmounted) {
                this.schedule();
            }
        }, delay);
    }

    async refresh() {
        const previous = this.state.status;
        const status = await this.orm.silent.call(
            "l10n_it_autoreg.run",
            "get_to_register_status",
            []
        );
        if (this.unmounted) {
            return;
        }
        this.state.status = status;
        const changed =
            previous &&
            (previous.running !== status.running ||
                previous.remaining !== status.remaining ||
                previous.last_run?.id !== status.last_run?.id);
        if (changed) {
            // documents were registered meanwhile: reload the list
            this.env.searchModel?.search();
        }
    }

    /** "YYYY-MM-DD HH:MM" (user's time zone, from the server) in the user's format */
    formatDate(value) {
        const date = value && luxon.DateTime.fromFormat(value, "yyyy-MM-dd HH:mm");
        return date && date.isValid ? formatDateTime(date, { showSeconds: false }) : value || "";
    }

    openRun() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "l10n_it_autoreg.run",
            res_id: this.state.status.last_run.id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export class AutoregToRegisterListRenderer extends ListRenderer {
    static template = "l10n_it_autoreg.ToRegisterListRenderer";
    static components = { ...ListRenderer.components, AutoregBanner };
}

registry.category("views").add("l10n_it_autoreg_to_register_list", {
    ...listView,
    Renderer: AutoregToRegisterListRenderer,
});
