# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import importlib.util

# The FatturaPA reader (fatturapa/) is pure Python and must stay usable where
# Odoo is not installed (the `fatturapa-inspect` console script): only load
# the Odoo models when Odoo itself is importable.
if importlib.util.find_spec("odoo.models") is not None:
    from . import controllers
    from . import models
    from .hooks import post_init_hook
