"""The `octopost` client commands against a real `octopost serve` and the Bluesky and Mastodon fakes: a post
followed to its links (--wait), scheduling in a zone, the queue, validation counters, retry after a failure,
--json for scripts, and errors as the API words them (never a traceback)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.cli.support import Cli, run_in_terminal, table_rows
from tests.fakes.core import Conditions
from tests.fakes.running import RunningFake, running_fake
from tests.media import make_png
from tests.peers.app import OctopostProcess, make_octopost
from tests.peers.ports import free_port
from tests.scheduler.flows import connect

AUTHORIZE_URL = "https://auth.example.test/oauth2/authorize"


@pytest.fixture(scope="module")
def bluesky(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("bluesky", tmp_path_factory.mktemp("fake-bluesky")) as fake:
        yield fake


@pytest.fixture(scope="module")
def mastodon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFake]:
    with running_fake("mastodon", tmp_path_factory.mktemp("fake-mastodon")) as fake:
        yield fake


@pytest.fixture(scope="module")
def octopost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OctopostProcess]:
    """One attempt per target (a platform's 500 fails the post at once, for retry), and an X app for connect."""
    service = make_octopost(
        tmp_path_factory.mktemp("octopost-cli"),
        OCTOPOST_MAX_ATTEMPTS="1",
        OCTOPOST_TWITTER_CLIENT_ID="cli-app",
        OCTOPOST_TWITTER_CLIENT_SECRET="cli-app-secret",
        OCTOPOST_TWITTER_AUTHORIZE_URL=AUTHORIZE_URL,
    ).start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def key(octopost: OctopostProcess, bluesky: RunningFake, mastodon: RunningFake) -> str:
    """A key of the module's workspace, with a Bluesky and a Mastodon account connected."""
    secret = octopost.new_key("ws-cli")
    api = octopost.client(secret)
    connect(api, "bluesky", bluesky.url, {"identifier": "cli.fake.test", "password": "cli-password"})
    connect(api, "mastodon", mastodon.url, {"access_token": "cli-token"})
    return secret


@pytest.fixture
def cli(octopost: OctopostProcess, key: str, tmp_path: Path, mastodon: RunningFake) -> Cli:
    mastodon.set_conditions(Conditions())
    return Cli.at(tmp_path / "home", url=octopost.url, key=key)


def test_post_with_wait_publishes_to_both_fakes_and_shows_the_links(
    cli: Cli, bluesky: RunningFake, mastodon: RunningFake
) -> None:
    done = cli.run(
        "post", "Hello from the command line", "--to", "bluesky,mastodon", "--thread", "and a reply", "--wait"
    )

    rows = table_rows(done.stdout, {"bluesky", "mastodon"})
    assert set(rows) == {"bluesky", "mastodon"}, done.stdout
    assert rows["bluesky"][1] == rows["mastodon"][1] == "published"
    assert rows["bluesky"][2].startswith("https://bsky.app/profile/cli.fake.test/post/")
    assert rows["mastodon"][2].startswith("https://fake.invalid/@")
    for fake in (bluesky, mastodon):
        texts = [item["text"] for item in fake.created()]
        assert texts[-2:] == ["Hello from the command line", "and a reply"]
        assert fake.created()[-1]["reply_to"] == fake.created()[-2]["id"]  # the thread, as a reply chain
    mastodon_id = rows["mastodon"][2].rsplit("/", 1)[-1]
    assert mastodon_id == mastodon.created()[-2]["id"]  # the link is the main post's


def test_on_a_terminal_the_progress_is_live_and_the_table_coloured(cli: Cli) -> None:
    code, seen = run_in_terminal(cli, "post", "Watched on a terminal", "--to", "bluesky,mastodon", "--wait")

    assert code == 0, seen
    assert "\x1b[" in seen  # a terminal gets colours (and the live display's cursor movements)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen)
    assert "Traceback" not in plain
    assert re.search(r"bluesky\s+publishing", plain), plain  # the live display's first frame, then erased
    assert re.search(r"bluesky\s+published\s+https://bsky\.app/profile/", plain), plain
    assert re.search(r"mastodon\s+published\s+https://fake\.invalid/@", plain), plain


def test_post_json_is_the_settled_post(cli: Cli) -> None:
    post = json.loads(cli.run("post", "JSON for scripts", "--to", "mastodon", "--wait", "--json").stdout)

    assert post["status"] == "published"
    assert post["platform_results"]["mastodon"]["success"] is True
    shown = json.loads(cli.run("posts", "show", post["id"], "--json").stdout)
    assert shown == post
    listed = json.loads(cli.run("posts", "list", "--status", "published", "--limit", "100", "--json").stdout)
    assert post["id"] in [item["id"] for item in listed["posts"]]
    assert listed["total"] >= 1
    table = cli.run("posts", "list", "--status", "published").stdout
    assert post["id"] in table
    assert "JSON for scripts" in table


def test_unpublish_asks_the_scheduler_to_take_a_post_down(cli: Cli) -> None:
    post = json.loads(cli.run("post", "Here briefly", "--to", "mastodon", "--wait", "--json").stdout)

    asked = cli.run("posts", "unpublish", post["id"])

    shown = table_rows(asked.stdout, {"mastodon"})["mastodon"][1]
    assert shown in ("pending", "running", "done", "failed")
    after = json.loads(cli.run("posts", "show", post["id"], "--json").stdout)
    assert after["platform_results"]["mastodon"]["unpublish_status"] in ("pending", "running", "done", "failed")
    again = cli.run("posts", "unpublish", post["id"], "--platform", "bluesky", "--json", code=1)
    assert "bluesky" in again.stderr  # not a platform of this post: the API's refusal, as it words it


def test_posts_show_prints_text_thread_and_results(cli: Cli) -> None:
    posted = cli.run("post", "Show me", "--to", "mastodon", "--thread", "the reply", "--wait", "--json")
    post = json.loads(posted.stdout)

    shown = cli.run("posts", "show", post["id"]).stdout

    assert "Show me" in shown
    assert "reply 1: the reply" in shown
    assert table_rows(shown, {"mastodon"})["mastodon"][1:3] == [
        "published",
        post["platform_results"]["mastodon"]["post_url"],
    ]


def test_images_are_uploaded_with_their_alt_text(cli: Cli, octopost: OctopostProcess, key: str) -> None:
    picture = cli.home / "picture.png"
    picture.write_bytes(make_png(6, 4))

    draft = json.loads(
        cli.run(
            "post", "With pictures", "--to", "mastodon", "--draft", "--json",
            "--image", str(picture), "--alt", "Six by four",
            "--image", "https://example.com/second.png",
        ).stdout
    )  # fmt: skip

    assert draft["status"] == "draft"
    first, second = draft["media"]["images"]
    assert first["alt_text"] == "Six by four"
    upload_id = first["url"].split("/v1/media/")[1].split("/")[0]  # {public_url}/v1/media/{id}/file.png
    uploaded = octopost.client(key).get(f"/v1/media/{upload_id}").json()
    assert (uploaded["content_type"], uploaded["width"], uploaded["height"]) == ("image/png", 6, 4)
    assert second == {"url": "https://example.com/second.png", "alt_text": None}
    too_many = cli.run("post", "x", "--to", "mastodon", "--image", str(picture), "--alt", "a", "--alt", "b", code=1)
    assert "2 --alt for 1 --image" in too_many.stderr
    missing = cli.run("post", "x", "--to", "mastodon", "--image", str(cli.home / "nope.png"), code=1)
    assert "No such file" in missing.stderr


def test_a_preset_by_name_gives_the_platforms(cli: Cli, octopost: OctopostProcess, key: str) -> None:
    made = octopost.client(key).post("/v1/presets", json={"name": "everywhere", "platforms": ["bluesky", "mastodon"]})
    assert made.status_code == 201, made.text

    draft = json.loads(cli.run("post", "Preset", "--preset", "everywhere", "--draft", "--json").stdout)

    assert draft["preset_id"] == made.json()["id"]
    assert sorted(draft["platforms"]) == ["bluesky", "mastodon"]
    unknown = cli.run("validate", "x", "--preset", "nowhere", code=1)
    assert "no preset named 'nowhere'" in unknown.stderr
    assert "everywhere" in unknown.stderr
    nowhere = cli.run("post", "x", code=1)
    assert "give --to" in nowhere.stderr


def _zone_change(year: int, month: int) -> date:
    """The last Sunday of the month: when the EU's clocks change."""
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def test_at_in_a_zone_schedules_that_instant_and_refuses_impossible_times(cli: Cli) -> None:
    year = datetime.now(UTC).year + 1
    scheduled = json.loads(
        cli.run(
            "post", "Later", "--to", "mastodon", "--at", f"{year}-01-15 09:00", "--tz", "Europe/Berlin", "--json"
        ).stdout
    )
    assert (scheduled["status"], scheduled["scheduled_for"]) == ("scheduled", f"{year}-01-15T08:00:00Z")  # CET

    spring, autumn = _zone_change(year, 3), _zone_change(year, 10)
    for at, says in (
        (f"{spring} 02:30", "does not exist in Europe/Berlin"),
        (f"{autumn} 02:30", "happens twice in Europe/Berlin"),
        ("2020-01-01 09:00", "is in the past"),
        ("tomorrow at nine", "YYYY-MM-DD HH:MM"),
    ):
        refused = cli.run("post", "Never", "--to", "mastodon", "--at", at, "--tz", "Europe/Berlin", code=1)
        assert says in refused.stderr, refused.stderr
        assert refused.stdout == ""
    bad_zone = cli.run("post", "Never", "--to", "mastodon", "--at", f"{year}-01-15 09:00", "--tz", "Mars/Base", code=1)
    assert "not an IANA time zone" in bad_zone.stderr


def test_queue_and_next_slot(cli: Cli, octopost: OctopostProcess, key: str) -> None:
    slots = [{"day": "mon", "time": "09:00"}, {"day": "thu", "time": "17:30"}]
    put = octopost.client(key).put("/v1/queue", json={"timezone": "Europe/Berlin", "slots": slots})
    assert put.status_code == 200, put.text

    queue = json.loads(cli.run("queue", "--count", "3", "--json").stdout)
    assert queue["timezone"] == "Europe/Berlin"
    assert queue["slots"] == slots
    assert len(queue["next_free"]) == 3
    taken = json.loads(cli.run("post", "Queued", "--to", "mastodon", "--next-slot", "--json").stdout)
    assert taken["scheduled_for"] == queue["next_free"][0]["scheduled_for"]

    printed = cli.run("queue").stdout
    assert "Weekly slots (Europe/Berlin)" in printed
    assert queue["next_free"][1]["scheduled_for"] in printed  # the first free one is taken now


def test_validate_shows_the_counters_and_a_limit_exceeded(cli: Cli) -> None:
    text = "x" * 400

    over = cli.run("validate", text, "--to", "bluesky,mastodon", code=1)

    rows = [line.split()[:6] for line in over.stdout.splitlines() if line.startswith(("bluesky", "mastodon"))]
    assert rows == [
        ["bluesky", "main", "400", "300", "graphemes", "-100"],
        ["bluesky", "main", "400", "3000", "bytes", "2600"],  # Bluesky counts both
        ["mastodon", "main", "400", "500", "characters", "100"],
    ], over.stdout
    assert "-100 (over by 100)" in over.stdout
    assert "✗ bluesky: content is 400 characters; the limit is 300 (graphemes)" in over.stdout
    assert over.stdout.strip().endswith("not valid")
    preview = json.loads(cli.run("validate", text, "--to", "bluesky,mastodon", "--json", code=1).stdout)
    assert preview["valid"] is False
    assert preview["platforms"]["bluesky"]["segments"][0] == {
        "index": 0,
        "count": 400,
        "limit": 300,
        "unit": "graphemes",
        "remaining": -100,
    }
    assert preview["platforms"]["mastodon"]["valid"] is True
    fits = cli.run("validate", "Short", "--to", "bluesky", "--thread", "reply")
    assert "valid: every platform takes it" in fits.stdout
    assert "reply 1" in fits.stdout


def test_retry_publishes_a_failed_post(cli: Cli, mastodon: RunningFake) -> None:
    mastodon.set_conditions(Conditions(fault_rate=1.0, faults=["500"]))
    failed = cli.run("post", "Try again", "--to", "mastodon", "--wait", code=1)
    row = table_rows(failed.stdout, {"mastodon"})["mastodon"]
    assert row[1] == "failed"
    assert "[transient]" in failed.stdout
    post_id = failed.stdout.split(":", 1)[0].strip()

    mastodon.set_conditions(Conditions())
    retried = cli.run("posts", "retry", post_id, "--wait", "--json")

    post = json.loads(retried.stdout)
    assert (post["id"], post["status"]) == (post_id, "published")
    assert post["platform_results"]["mastodon"]["post_url"].startswith("https://fake.invalid/@")
    assert [item["text"] for item in mastodon.created()][-1] == "Try again"


def test_accounts_list_and_connect(cli: Cli) -> None:
    accounts = json.loads(cli.run("accounts", "list", "--json").stdout)["accounts"]
    assert sorted(a["platform"] for a in accounts) == ["bluesky", "mastodon"]
    printed = table_rows(cli.run("accounts", "list").stdout, {a["id"] for a in accounts})
    assert {cells[1] for cells in printed.values()} == {"bluesky", "mastodon"}

    started = cli.run("accounts", "connect", "twitter")
    link = started.stdout.strip().splitlines()[-1]
    assert link.startswith(AUTHORIZE_URL + "?")
    assert "client_id=cli-app" in link
    as_json = json.loads(cli.run("accounts", "connect", "twitter", "--json").stdout)
    assert as_json["authorize_url"].startswith(AUTHORIZE_URL)
    assert as_json["state"]


def test_api_errors_print_the_api_message_and_exit_1(cli: Cli, octopost: OctopostProcess, key: str) -> None:
    expected = octopost.client(key).get("/v1/posts/post_nothing_here").json()

    missing = cli.run("posts", "show", "post_nothing_here", code=1)

    assert missing.stdout == ""
    assert missing.stderr.startswith(f"error: {expected['error']} (not_found, HTTP 404)")
    invalid = cli.run("post", "Somewhere", "--to", "myspace", code=1)
    assert "(validation_error, HTTP 422)" in invalid.stderr
    assert "myspace" in invalid.stderr
    no_app = cli.run("accounts", "connect", "linkedin", code=1)
    assert "linkedin" in no_app.stderr.lower()
    assert "HTTP 422" in no_app.stderr
    for run in (missing, invalid, no_app):
        assert cli.env["OCTOPOST_API_KEY"] not in run.stdout + run.stderr


def test_a_bad_or_missing_key_and_an_unreachable_server(cli: Cli, tmp_path: Path) -> None:
    refused = cli.run("posts", "list", "--key", "oct_live_not_a_key", code=1)
    assert "(unauthorized, HTTP 401)" in refused.stderr
    assert "oct_live_not_a_key" not in refused.stderr

    nobody = f"http://127.0.0.1:{free_port()}"
    unreachable = cli.run("posts", "list", "--url", nobody, "--json", code=1)
    assert unreachable.stderr.strip() == f"error: cannot reach {nobody}: is `octopost serve` running there?"
    assert unreachable.stdout == ""

    keyless = Cli.at(tmp_path / "keyless", url=nobody).run("posts", "list", code=1)
    assert "no API key" in keyless.stderr


def test_login_saves_a_private_profile_that_commands_use(octopost: OctopostProcess, key: str, tmp_path: Path) -> None:
    bare = Cli.at(tmp_path / "bare")  # neither OCTOPOST_URL nor OCTOPOST_API_KEY

    wrong = bare.run("login", "--url", octopost.url, "--key", "oct_live_wrong", "--profile", "ci", code=1)
    assert "refused the key" in wrong.stderr
    profiles = tmp_path / "bare" / "config" / "octopost" / "profiles.toml"
    assert not profiles.exists()

    saved = bare.run("login", "--url", octopost.url, "--key", "-", "--profile", "ci", stdin=key + "\n")
    assert key not in saved.stdout + saved.stderr
    assert profiles.stat().st_mode & 0o777 == 0o600
    listed = json.loads(bare.run("accounts", "list", "--profile", "ci", "--json").stdout)
    assert len(listed["accounts"]) == 2
    missing = bare.run("accounts", "list", code=1)  # no default profile, no environment: no key
    assert "no API key" in missing.stderr
    bare.run("login", "--url", octopost.url, "--key", key)  # the profile 'default' is used when none is named
    assert len(json.loads(bare.run("accounts", "list", "--json").stdout)["accounts"]) == 2
    assert profiles.stat().st_mode & 0o777 == 0o600
    unknown = bare.run("accounts", "list", "--profile", "nope", code=1)
    assert "no profile 'nope'" in unknown.stderr
    assert "ci, default" in unknown.stderr


def test_usage_errors_exit_2_naming_the_option(cli: Cli) -> None:
    done = cli.run("post", "x", "--to", "mastodon", "--timeout", "-1", code=2)
    assert "--timeout" in done.stderr
    both = cli.run("post", "x", "--to", "mastodon", "--at", "2099-01-01 09:00", "--next-slot", code=1)
    assert "--at and --next-slot" in both.stderr
    assert httpx.get(cli.env["OCTOPOST_URL"] + "/healthz").status_code == 200
