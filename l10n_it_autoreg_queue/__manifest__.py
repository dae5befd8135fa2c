# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Italy - Automatic registration of electronic purchase invoices: job queue",
    "summary": "Registers received e-invoices with OCA queue_job: one job per chunk of "
    "documents on the channel root.l10n_it_autoreg, on as many workers as configured",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/l10n-it-autoreg/l10n_it_autoreg",
    "author": "l10n_it_autoreg developers",
    "license": "LGPL-3",
    "countries": ["it"],
    "depends": [
        "l10n_it_autoreg",
        "queue_job",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
    ],
    "auto_install": True,
    "installable": True,
    "application": False,
}
