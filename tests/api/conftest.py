"""pytest fixtures for the black-box suite; the helpers live in
duban_client.py (see its docstring for how servers are started and stopped).
"""

import os
import sqlite3
import subprocess
import urllib.parse
import uuid
from pathlib import Path

import pytest

import duban_client
from duban_client import ADMIN_PASSWORD, login, start_server

# --- PostgreSQL -----------------------------------------------------------
#
# DUBAN_TEST_PG_URI names a PostgreSQL server by an admin database's URI (as
# scripts/pg-test-cluster.sh prints it).  When it is set, every server the
# fixtures start gets a fresh database there, made with psql (Debian's
# postgresql-client), and `--db` is that database's URI instead of a SQLite
# file; the databases are dropped when the session ends.  A test that opens
# the database file with the sqlite3 module is skipped when it does.

PG_ADMIN_URI = os.environ.get("DUBAN_TEST_PG_URI") or None
_pg_databases = []


def _psql(sql):
    cp = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                         "-d", PG_ADMIN_URI, "-c", sql],
                        capture_output=True, text=True, timeout=60)
    assert cp.returncode == 0, f"psql: {sql}: {cp.stderr}"


class PgUri(str):
    """A database URI standing in for the Path that init_db returns: its
    .parent is the folder the server runs in."""

    def __new__(cls, uri, directory):
        self = super().__new__(cls, uri)
        self.parent = Path(directory)
        return self


def _pg_init_db(directory, password=ADMIN_PASSWORD, clock=None):
    """init_db's twin: ``duban init`` on a new database; returns its URI."""
    name = f"duban_api_{uuid.uuid4().hex[:16]}"
    _psql(f"CREATE DATABASE {name}")
    _pg_databases.append(name)
    uri = PgUri(urllib.parse.urlunsplit(
        urllib.parse.urlsplit(PG_ADMIN_URI)._replace(path="/" + name)),
        directory)
    cp = duban_client.run_cli(
        "init", "--db", uri,
        env=duban_client.clean_env(
            DUBAN_ADMIN_PASSWORD=password,
            **(duban_client.clock_env(clock) if clock else {})))
    assert cp.returncode == 0, f"duban init failed: {cp.stdout}{cp.stderr}"
    return uri


if PG_ADMIN_URI:
    # start_server() looks init_db up when it runs; test modules import it
    # after this file
    duban_client.init_db = _pg_init_db
    _server_init = duban_client.DubanServer.__init__

    def _server_init_keeping_uri(self, directory, db, *args, **kwargs):
        _server_init(self, directory, db, *args, **kwargs)
        if isinstance(db, PgUri):
            self.db = db  # Path() would fold the URI's "//"

    duban_client.DubanServer.__init__ = _server_init_keeping_uri


def _sqlite3_connect_or_skip(database, *args, **kwargs):
    """sqlite3.connect, except that a test opening a PostgreSQL database
    with it is skipped there."""
    if "postgresql://" in str(database):
        pytest.skip("opens the database with Python's sqlite3 module, and it "
                    "is on PostgreSQL (DUBAN_TEST_PG_URI); there the "
                    "append-only audit triggers are checked by "
                    "tests/unit/test_pg.c")
    return _sqlite3_connect(database, *args, **kwargs)


_sqlite3_connect = sqlite3.connect
if PG_ADMIN_URI:
    sqlite3.connect = _sqlite3_connect_or_skip


@pytest.fixture(scope="session", autouse=True)
def _drop_pg_databases():
    yield
    for name in _pg_databases:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def make_server(tmp_path_factory):
    """Factory: ``make_server(*extra_args, clock=None)`` starts a server on a
    fresh database, its clock at ``clock`` when given (duban_client's
    clock_env); every server it started is stopped at the end of the module
    and must exit 0."""
    servers = []

    def factory(*extra_args, clock=None):
        srv = start_server(tmp_path_factory.mktemp("duban"), extra_args,
                           clock=clock)
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
