/** @odoo-module **/
// Status icon of a received e-invoice in the To register list: the reason
// why it was not recognized shows on hover.
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { Component } from "@odoo/owl";

const ICONS = {
    pending: { icon: "fa-clock-o", color: "text-info" },
    unrecognized: { icon: "fa-exclamation-triangle", color: "text-warning" },
    registered: { icon: "fa-check-circle", color: "text-success" },
};

export class AutoregStateIconField extends Component {
    static template = "l10n_it_autoreg.StateIconField";
    static props = { ...standardFieldProps };

    get state() {
        return this.props.record.data[this.props.name];
    }

    get icon() {
        return ICONS[this.state] || null;
    }

    get title() {
        const data = this.props.record.data;
        if (this.state === "unrecognized") {
            return data.l10n_it_autoreg_reason || _t("Not recognized");
        }
        if (this.state === "pending") {
            return _t("Waiting to be registered");
        }
        const selection = this.props.record.fields[this.props.name].selection || [];
        const item = selection.find(([value]) => value === this.state);
        return item ? item[1] : "";
    }
}

export const autoregStateIconField = {
    component: AutoregStateIconField,
    displayName: _t("Registration status icon"),
    supportedTypes: ["selection"],
    listViewWidth: 24,
    fieldDependencies: [{ name: "l10n_it_autoreg_reason", type: "text" }],
};

registry.category("fields").add("l10n_it_autoreg_state_icon", autoregStateIconField);
