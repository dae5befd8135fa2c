/** @odoo-module **/
// "Create this tax" (views/account_tax_views.xml): the purchase tax form in a
// dialog creates the tax only with its "Save and register" button. Odoo's form
// saves a pending record when the page is left (reload, tab closed: the
// beforeunload event) or hidden; a tax is the company's decision, and saving
// it registers bills, so leaving the page here discards it, like "Discard".
import { registry } from "@web/core/registry";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

export class MissingTaxFormController extends FormController {
    beforeUnload() {}

    beforeVisibilityChange() {}
}

registry.category("views").add("l10n_it_autoreg_missing_tax_form", {
    ...formView,
    Controller: MissingTaxFormController,
});
