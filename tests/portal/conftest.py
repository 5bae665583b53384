"""The portal's tests: the key-date tests (moved from tests/postings) use the cast of
tests/cast.py, as the postings tests did."""

from tests.cast import employer, org_a, student  # noqa: F401 (fixtures)
