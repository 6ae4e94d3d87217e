"""Deployment settings that keep the app safe to share and offline by default."""

import tomllib

from tests.conftest import REPO


def test_streamlit_config_is_safe_for_a_shared_deployment() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["address"] == "127.0.0.1"  # behind a reverse proxy, never bare on the network
    assert server["maxUploadSize"] <= 1  # no uploads are needed
    assert config["browser"]["gatherUsageStats"] is False  # no telemetry requests


def test_requirements_are_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text("utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"
