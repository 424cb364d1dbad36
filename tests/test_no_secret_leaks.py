"""No secret ever shows: a full flow through a real `octopost serve` at DEBUG log level, then the service's whole
log, every API response and the database file are searched for every secret the flow handled."""

from __future__ import annotations

import re
import secrets
import sqlite3
import subprocess
from pathlib import Path

import httpx
from atproto_client.client.session import Session

from octopost.crypto import CredentialCipher
from tests.peers.app import OCTOPOST, OctopostProcess, make_octopost
from tests.peers.bluesky import BskyPds
from tests.peers.mastodon import MastodonAccount, MastodonPeer
from tests.scheduler.flows import connect, wait_for_status
from tests.webhooks.flows import database_bytes


class Recorder:
    """Every response the test client received: status line, headers and body."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []  # (what, text)

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        what = f"{response.request.method} {response.request.url.path} → {response.status_code}"
        self.seen.append((what, f"{response.headers}\n{response.text}"))


def client(service: OctopostProcess, key: str, recorder: Recorder) -> httpx.Client:
    return httpx.Client(
        base_url=service.url,
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
        event_hooks={"response": [recorder]},
    )


def cli(service: OctopostProcess, *args: str) -> str:
    done = subprocess.run(
        [str(OCTOPOST), *args], env=service.env, cwd=service.data_dir, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def stored_bluesky_session(service: OctopostProcess) -> Session:
    with sqlite3.connect(service.data_dir / "octopost.db") as db:
        (encrypted,) = db.execute(
            "SELECT credentials_encrypted FROM account WHERE platform = 'bluesky' AND is_active"
        ).fetchone()
    credentials = CredentialCipher(service.env["OCTOPOST_SECRET_KEY"]).decrypt(encrypted)
    return Session.decode(credentials["session"])


def test_no_secret_in_logs_responses_or_the_database(
    tmp_path: Path,
    bsky_pds: BskyPds,
    mastodon_peer: MastodonPeer,
    mastodon_account: MastodonAccount,
) -> None:
    service = make_octopost(tmp_path, OCTOPOST_LOG_LEVEL="DEBUG").start()
    recorder = Recorder()
    secret_values: dict[str, str] = {}
    try:
        key = service.new_key(workspace="leaks")
        api = client(service, key, recorder)
        service._clients.append(api)  # closed by service.stop()
        bsky = bsky_pds.create_account("leak")
        wrong_password, wrong_token = f"wrong-{secrets.token_urlsafe(12)}", f"wrong-{secrets.token_urlsafe(12)}"

        # Connects, good and bad (a wrong secret is still a secret the user typed).
        connect(api, "bluesky", bsky_pds.url, bsky.credentials)
        connect(api, "mastodon", mastodon_peer.url, mastodon_account.credentials)
        for platform, base_url, credentials in [
            ("bluesky", bsky_pds.url, {"identifier": bsky.handle, "password": wrong_password}),
            ("mastodon", mastodon_peer.url, {"access_token": wrong_token}),
        ]:
            answer = api.post(
                "/v1/accounts", json={"platform": platform, "base_url": base_url, "credentials": credentials}
            )
            assert answer.status_code == 422, answer.text

        # A webhook (its secret is shown once, in the create answer) whose receiver is not there.
        hook = api.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["post.published"]})
        assert hook.status_code == 201, hook.text
        webhook_secret = hook.json()["secret"]

        # A thread published on both platforms.
        post = api.post(
            "/v1/posts",
            json={
                "content": "secrets stay secret",
                "platforms": ["bluesky", "mastodon"],
                "segments": [{"content": "second"}, {"content": "third"}],
            },
        ).json()
        assert api.post(f"/v1/posts/{post['id']}/publish").status_code == 200
        done = wait_for_status(api, post["id"], "published", "failed", timeout=90)
        assert done["status"] == "published", done

        # A revoked key.
        created = cli(service, "keys", "create", "--name", "soon-revoked", "--workspace", "leaks")
        revoked_key = created.strip().splitlines()[-1]
        assert revoked_key.startswith("oct_live_"), created
        key_id = re.search(r"Created key (\S+)", created)
        assert key_id is not None, created
        cli(service, "keys", "revoke", key_id.group(1))
        with client(service, revoked_key, recorder) as revoked:
            assert revoked.get("/v1/posts").status_code == 401

        session = stored_bluesky_session(service)
        secret_values = {
            "API key": key,
            "revoked API key": revoked_key,
            "Bluesky password": bsky.password,
            "wrong Bluesky password": wrong_password,
            "Mastodon token": mastodon_account.token,
            "wrong Mastodon token": wrong_token,
            "Bluesky access JWT": session.access_jwt,
            "Bluesky refresh JWT": session.refresh_jwt,
            "webhook secret": webhook_secret,
        }
        # A truncated secret is still a leak: the tail of each (a JWT's signature, a key's random part) too.
        secret_values |= {f"end of the {name}": value[-16:] for name, value in list(secret_values.items())}
        assert all(len(value) >= 16 for value in secret_values.values())
    finally:
        service.stop()  # every log line is written by now

    log = service.log_text()
    assert " DEBUG " in log  # the run really logged at DEBUG
    database = database_bytes(service)  # the file and its write-ahead log
    for name, value in secret_values.items():
        assert value not in log, f"the {name} is in the service log"
        assert value.encode() not in database, f"the {name} is stored in clear"
        for what, text in recorder.seen:
            if "webhook secret" in name and what.startswith("POST /v1/webhooks "):
                continue  # the one answer that shows it, by design
            assert value not in text, f"the {name} is in the answer to {what}"
    assert len(recorder.seen) >= 8
