"""Suite-wide settings.

The suite's older tests read English messages; govpub speaks Chinese by
default. Each test process therefore starts in English (``GOVPUB_LANG=en``,
inherited by every ``govpub`` subprocess), and the tests of the Chinese texts
set the language they check explicitly (see tests/test_i18n_catalogs.py).
"""

import os

os.environ["GOVPUB_LANG"] = "en"
