"""Suite-wide settings.

The suite's older tests read English messages; govpub speaks Chinese by
default. Each test process therefore starts in English (``GOVPUB_LANG=en``,
inherited by every ``govpub`` subprocess), and the tests of the Chinese texts
set the language they check explicitly (see tests/test_i18n_catalogs.py).

Property tests (hypothesis) never depend on the machine's speed or on luck:
no per-example deadline, no "too slow" health check, and the same examples on
every run (a fresh clone must pass or fail the same way each time).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

os.environ["GOVPUB_LANG"] = "en"

settings.register_profile("govpub", deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("govpub")


@pytest.fixture(autouse=True)
def _language_of_the_process_restored():
    """A test that chose a language (``i18n.set_language``, or ``--lang`` in an in-process
    CLI run) must not choose it for the tests after it in the same worker: the choice
    outranks GOVPUB_LANG, so a later test setting GOVPUB_LANG=zh-CN would read English."""
    from govpub import i18n

    yield
    i18n.set_language(None)
    i18n.set_site_language(None)


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory):
    """govpub's caches (govpub.cachedir) in a folder of this test run, never the user's."""
    previous = os.environ.get("GOVPUB_CACHE_DIR")
    os.environ["GOVPUB_CACHE_DIR"] = str(tmp_path_factory.mktemp("govpub-cache"))
    yield
    if previous is None:
        os.environ.pop("GOVPUB_CACHE_DIR", None)
    else:
        os.environ["GOVPUB_CACHE_DIR"] = previous
