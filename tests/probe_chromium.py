"""Not collected by `pytest` (the name does not start with test_): tests/test_ci.py runs it
with the browser hidden to prove that a missing Chromium fails under CI=true."""


def test_needs_chromium(chromium):
    assert chromium.version
