"""The port of loopback-datasource-juggler 3.36.1's test suite (a package, so its
module names do not collide with tests/test_*.py)."""
