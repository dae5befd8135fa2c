/** @odoo-module **/
// The due-date schedule of a registered bill (one row per installment of
// the e-invoice's DatiPagamento), with what is left to pay on each: the
// bill form shows it in a "Due dates" tab.
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";

export class AutoregDueDates extends Component {
    static template = "l10n_it_autoreg.DueDates";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ lines: [] });
        onWillStart(() => this.load(this.props.record));
        onWillUpdateProps((next) => this.load(next.record));
    }

    async load(record) {
        if (!record.resId) {
            this.state.lines = [];
            return;
        }
        const lines = await this.orm.searchRead(
            "account.move.line",
            [
                ["move_id", "=", record.resId],
                ["display_type", "=", "payment_term"],
            ],
            ["date_maturity", "amount_currency", "amount_residual_currency", "currency_id"],
            { order: "date_maturity asc, id asc" }
        );
        this.state.lines = lines.map((line) => {
            const currencyId = line.currency_id && line.currency_id[0];
            const residual = Math.abs(line.amount_residual_currency);
            return {
                id: line.id,
                date: formatDate(deserializeDate(line.date_maturity)),
                amount: formatMonetary(Math.abs(line.amount_currency), { currencyId }),
                residual: formatMonetary(residual, { currencyId }),
                paid: residual === 0,
                partial: residual !== 0 && residual !== Math.abs(line.amount_currency),
            };
        });
    }
}

registry.category("view_widgets").add("l10n_it_autoreg_due_dates", {
    component: AutoregDueDates,
});
