from . import res_company
from . import res_partner
from . import res_config_settings
from . import l10n_it_autoreg_run
from . import account_move
from . import l10n_it_autoreg_preview
from . import account_journal
from . import l10n_it_autoreg_engine
