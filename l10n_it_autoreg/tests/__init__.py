from . import test_install
from . import test_company_setup
from . import test_payments
from . import test_ux_automation
from . import test_ux_end_to_end
from . import test_ux_i18n
from . import test_tour_autoreg
from . import test_engine_basic
from . import test_engine_rules
from . import test_receive_channels
from . import test_samples_registration
from . import test_samples_demo
from . import test_engine_adversarial
from . import test_engine_attacks
# database-free (unittest cases of pure.PureCase), also run without a
# database by plain pytest
from . import test_reader_fuzz
from . import test_reader_leniency
from . import test_reader_samples
from . import test_reader_traps
