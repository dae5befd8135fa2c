from . import test_install
from . import test_ux_automation
from . import test_engine_basic
from . import test_tour_autoreg
from . import test_ux_end_to_end
from . import test_engine_rules
from . import test_receive_channels
