/** @odoo-module **/
// The received e-invoice, readable: the tab "E-invoice" of a bill and the
// dialog opened from the lists show the HTML the server renders with QWeb
// from the reader's model (every text of the file escaped there), a page of
// lines at a time; "Print e-invoice" opens the report.
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, markup, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";

export class AutoregEinvoice extends Component {
    static template = "l10n_it_autoreg.Einvoice";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ html: null, loading: true, page: 1 });
        onWillStart(() => this.load(this.props.record, 1));
        onWillUpdateProps((next) => {
            if (next.record.resId !== this.resId) {
                return this.load(next.record, 1);
            }
        });
    }

    async load(record, page) {
        this.resId = record.resId;
        if (!record.resId) {
            this.state.html = null;
            this.state.loading = false;
            return;
        }
        this.state.loading = true;
        const html = await this.orm.call("account.move", "l10n_it_autoreg_einvoice_html", [
            [record.resId],
        ], { page });
        // the server's QWeb output: the file's texts are escaped there
        this.state.html = markup(html);
        this.state.page = page;
        this.state.loading = false;
    }

    onClick(ev) {
        const button = ev.target.closest("[data-l10n-it-autoreg-page]");
        if (button && !button.disabled) {
            ev.preventDefault();
            this.load(this.props.record, parseInt(button.dataset.l10nItAutoregPage, 10) || 1);
        }
    }

    async print() {
        const action = await this.orm.call("account.move", "action_l10n_it_autoreg_print_einvoice", [
            [this.props.record.resId],
        ]);
        await this.action.doAction(action);
    }
}

registry.category("view_widgets").add("l10n_it_autoreg_einvoice", {
    component: AutoregEinvoice,
});
