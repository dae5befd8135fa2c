/** @odoo-module **/
// Shared by the tours: wait for what the page does in the background (an
// RPC, the bus connection) before checking that something did not happen.

export function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
