"""``python3 -m odoo.addons.l10n_it_autoreg.fatturapa FILE...``"""

import sys

from .cli import main

sys.exit(main())
