from . import l10n_it_autoreg_run_chunk
from . import l10n_it_autoreg_run
