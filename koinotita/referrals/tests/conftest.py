# The browser fixtures of the web app's browser tests, reused as they are (Debian's
# Chromium, the same launch flags).
from koinotita.web.tests.test_browser import browser, page  # noqa: F401
