"""Service endpoints, routing, the body limit and graceful shutdown."""

import re
import threading
import time

import pytest
import requests

from duban_client import (ADMIN_PASSWORD, HTTP_TIMEOUT, assert_error,
                          post_login, unique)


def metric_value(text, name, labels=None):
    """The value of one sample in Prometheus text, or None."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$", line)
        if not m or m.group(1) != name:
            continue
        if labels is not None and (m.group(2) or "") != labels:
            continue
        return float(m.group(3))
    return None


# --- /healthz and /metrics ------------------------------------------------

def test_healthz(server):
    r = requests.get(f"{server.url}/healthz", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"status": "ok"}


def test_metrics_counts_routes_and_reports_the_pool(server):
    for _ in range(3):
        assert requests.get(f"{server.url}/healthz",
                            timeout=HTTP_TIMEOUT).status_code == 200
    requests.get(f"{server.url}/api/v1/no/such/path", timeout=HTTP_TIMEOUT)
    r = requests.get(f"{server.url}/metrics", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    text = r.text
    hits = metric_value(text, "duban_http_requests_total",
                        '{route="GET /healthz",code="2xx"}')
    assert hits is not None and hits >= 3, text
    assert metric_value(text, "duban_http_requests_total",
                        '{route="unmatched",code="4xx"}') >= 1
    assert re.search(r'^duban_http_request_duration_seconds_bucket\{route="GET '
                     r'/healthz",le="\+Inf"\} (\d+)$', text, re.M), text
    buckets = re.findall(r'^duban_http_request_duration_seconds_bucket\{route='
                         r'"GET /healthz",le="[^"]+"\} (\d+)$', text, re.M)
    counts = [int(b) for b in buckets]
    assert counts == sorted(counts), "histogram buckets must be cumulative"
    readers = metric_value(text, "duban_db_readers")
    assert readers is not None and readers >= 1, text


def test_db_readers_flag_sizes_the_pool(make_server):
    """BUG candidate: `duban help` documents --db-readers (default 4, "read
    connections in the pool"), but cmd_serve opens the store through
    cli_open_store(), which always asks for one reader, so /metrics shows
    duban_db_readers 1 whatever the flag says."""
    srv = make_server("--db-readers", "3")
    r = requests.get(f"{srv.url}/metrics", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert metric_value(r.text, "duban_db_readers") == 3, (
        "--db-readers 3 is ignored: " +
        "\n".join(l for l in r.text.splitlines() if "db_readers" in l))


# --- routing --------------------------------------------------------------

def test_unknown_path_is_404_with_envelope(server):
    r = requests.get(f"{server.url}/api/v1/nothing-here", timeout=HTTP_TIMEOUT)
    assert_error(r, 404, code="not_found")


def test_non_numeric_id_is_404(server):
    for path in ("/api/v1/units/abc", "/api/v1/units/0", "/api/v1/units/-1"):
        r = requests.get(f"{server.url}{path}", timeout=HTTP_TIMEOUT)
        assert_error(r, 404)


def test_wrong_method_is_405(server):
    r = requests.put(f"{server.url}/api/v1/units", json={},
                     timeout=HTTP_TIMEOUT)
    assert_error(r, 405, code="method_not_allowed")
    r = requests.delete(f"{server.url}/healthz", timeout=HTTP_TIMEOUT)
    assert_error(r, 405)


def test_errors_carry_safe_headers(server):
    r = requests.get(f"{server.url}/api/v1/me", timeout=HTTP_TIMEOUT)
    assert r.status_code == 401
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Cache-Control") == "no-store"


# --- the body limit -------------------------------------------------------

def test_body_over_max_body_is_413(make_server):
    srv = make_server("--max-body", "2048")
    big = {"name": "x" * 10_000, "kind": "city", "parent_id": 1,
           "code": unique("BIG")}
    r = requests.post(f"{srv.url}/api/v1/units", json=big,
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 413)
    # the same on the public login route, before any authentication
    r = requests.post(f"{srv.url}/api/v1/session",
                      json={"username": "admin", "password": "p" * 10_000},
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 413)

    # a chunked body (no Content-Length) is cut off the same way
    def chunks():
        for _ in range(10):
            yield b" " * 1000
        yield b'{"username":"admin","password":"x"}'

    r = requests.post(f"{srv.url}/api/v1/session", data=chunks(),
                      headers={"Content-Type": "application/json"},
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 413)
    # a body under the limit still works on the same server
    r = post_login(srv.url, "admin", ADMIN_PASSWORD)
    assert r.status_code == 200, r.text


# --- graceful shutdown ----------------------------------------------------

def test_sigterm_finishes_the_request_in_flight(make_server):
    srv = make_server()
    result = {}

    def slow_login():
        # Argon2id makes a login take a good fraction of a second
        try:
            result["resp"] = post_login(srv.url, "admin", ADMIN_PASSWORD)
        except requests.RequestException as e:  # pragma: no cover
            result["exc"] = e

    t = threading.Thread(target=slow_login)
    t.start()
    # wait until the server counts the login as in flight (the /metrics
    # request itself is the other one), then stop it
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "resp" not in result:
        m = requests.get(f"{srv.url}/metrics", timeout=HTTP_TIMEOUT)
        if (metric_value(m.text, "duban_http_in_flight") or 0) >= 2:
            break
    rc = srv.stop()
    t.join(timeout=30)
    assert not t.is_alive(), "the request in flight never finished"
    assert rc == 0, f"duban serve exited with {rc} after SIGTERM"
    assert "exc" not in result, f"request in flight failed: {result['exc']!r}"
    assert result["resp"].status_code == 200, result["resp"].text
    assert "token" in result["resp"].json()
    # and it no longer listens
    try:
        requests.get(f"{srv.url}/healthz", timeout=2)
        raise AssertionError("server still answers after SIGTERM")
    except requests.ConnectionError:
        pass
