"""A real `prefect server` and `newsetl serve`: deployments registered, a run triggered, artifacts published."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from flows.demo.site import build_site, serve_site, write_sources_yaml

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str):
    """Poll check() until it returns a truthy value, or fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def call(client: httpx.Client, method: str, path: str, json=None, attempts: int = 5):
    """One API call, retried a bounded number of times on a server error; fails with the body otherwise."""
    # A loaded CI machine can make the server's SQLite answer 5xx ("database is locked") for a moment.
    for attempt in range(attempts):
        try:
            response = client.request(method, path, json=json)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code < 500:
            break
        time.sleep(2 * (attempt + 1))
    assert response is not None, f"{method} {path}: no answer after {attempts} attempts"
    assert response.is_success, f"{method} {path}: {response.status_code} {response.text[:500]}"
    return response.json()


@pytest.fixture
def prefect_server(tmp_path):
    """A real Prefect server on a free loopback port, with its own home; yields the API URL."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-server"), "PREFECT_UI_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api"

    def healthy():
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 180, "prefect server health")
        yield api
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_registers_deployments_and_a_triggered_run_publishes_artifacts(prefect_server, tmp_path):
    api = prefect_server
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp_path / "prefect-client")}
    site = build_site(7)
    with serve_site(site) as bases:
        write_sources_yaml(site, bases, tmp_path / "sources.yaml")
        serve = subprocess.Popen(
            [str(BIN / "newsetl"), "serve", "--sources", str(tmp_path / "sources.yaml"), "--db", str(tmp_path / "w.duckdb")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        lines: list[str] = []  # serve's output, read as it comes: its run lines follow the API by a poll or two
        reader = threading.Thread(target=lambda: lines.extend(serve.stdout), daemon=True)
        reader.start()
        try:
            client = httpx.Client(base_url=api, timeout=10)

            def registered():
                found = [d for d in call(client, "POST", "/deployments/filter", {}) if d["name"] in bases]
                return found if len(found) == len(bases) else None

            deployments = wait_for(registered, 120, "one deployment per source")
            assert sorted(d["name"] for d in deployments) == sorted(bases)
            target = next(d for d in deployments if d["name"] == "harbour-courier")
            assert target["parameters"]["only"] == ["harbour-courier"]
            run = call(client, "POST", f"/deployments/{target['id']}/create_flow_run", {})

            def finished():
                state = call(client, "GET", f"/flow_runs/{run['id']}")["state"]
                return state if state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

            state = wait_for(finished, 400, "the triggered flow run to finish")
            assert state["type"] == "COMPLETED", state
            artifacts = call(client, "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
            kinds = {a["key"]: a["type"] for a in artifacts}
            assert kinds == {"ingest-summary": "markdown", "ingest-top-entities-speakers": "table"}
            summary = next(a for a in artifacts if a["key"] == "ingest-summary")["data"]
            assert "URLs by terminal state" in summary and "loaded" in summary
            assert "| stage | wall | CPU |" in summary and "| enrich |" in summary
            # One line when the run starts, one when it ends with its state and the counts it recorded.
            finished = wait_for(lambda: next((line for line in list(lines)
                                              if f"finished ingest/harbour-courier ({run['name']})" in line), None),
                                60, "serve to print the end of the run")
        finally:
            serve.terminate()
            serve.wait(timeout=60)
            reader.join(timeout=10)
    output = "".join(lines)
    assert "Traceback" not in output, output[-3000:]
    assert f"started ingest/harbour-courier ({run['name']})" in output, output[-3000:]
    assert ": Completed in " in finished and "; run completed: discovered " in finished and " loaded " in finished
