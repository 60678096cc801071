"""pytest fixtures for the black-box suite; the helpers live in
duban_client.py (see its docstring for how servers are started and stopped).
"""

import pytest

from duban_client import ADMIN_PASSWORD, login, start_server


@pytest.fixture(scope="module")
def make_server(tmp_path_factory):
    """Factory: ``make_server(*extra_args)`` starts a server on a fresh
    database; every server it started is stopped at the end of the module
    and must exit 0."""
    servers = []

    def factory(*extra_args):
        srv = start_server(tmp_path_factory.mktemp("duban"), extra_args)
        servers.append(srv)
        return srv

    yield factory
    failures = [p for p in (srv.exit_problem() for srv in servers) if p]
    assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="module")
def server(make_server):
    """The module's default server, on a database of its own."""
    return make_server()


@pytest.fixture(scope="module")
def admin(server):
    """A bearer session for 'admin' (sysadmin, secadmin, auditor, office at
    the root unit) on the module's server."""
    return login(server.url, "admin", ADMIN_PASSWORD)
