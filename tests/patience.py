"""The suite's one time limit for things that do finish: a hang guard, never a verdict.

A test whose outcome depended on how fast the machine is (a server answering
within 2 s, a rebuild within 90 s) failed on a busy CI machine with nothing
wrong. So a limit on a local server that does answer, or on a subprocess that
does end, is this generous constant; the result is decided by what happened.
A test *about* a time limit makes the limit the only way out (a server that
never finishes answering, a daemon that sleeps a day), never a race with a
timer. pytest-timeout (pyproject: ``timeout``) is the last guard against a hang.
"""

PATIENT_SECONDS = 120


def patient_page(browser, **kwargs):
    """A Playwright page whose waits give up after PATIENT_SECONDS (Playwright's own: 30 s)."""
    page = browser.new_page(**kwargs)
    page.set_default_timeout(PATIENT_SECONDS * 1000)
    return page
