"""Mastodon's post features against mastodon_mock: the options (visibility, content warning, sensitive media, language)
on every segment of a thread, a native poll on the main post, the declared poll rules read against the instance's,
the content warning counted with the text, and the options' schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.base import Poll, ReplyPolicy
from adapters.mastodon import MastodonAdapter, MastodonOptions
from adapters.validation import OptionsInvalid, PostShape, SegmentShape, decode_options, validate
from tests.adapters.masto.support import MakeAdapter, publish_thread, request
from tests.media import png
from tests.peers.mastodon import MastodonAccount, MastodonPeer

INFO = MastodonAdapter.info


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_the_options_go_with_every_segment_of_a_thread(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    options = MastodonOptions(visibility="unlisted", spoiler_text="finale spoilers", sensitive=True, language="fr")
    segments = [("1/ la fin de la série", ()), ("2/ et la photo", (png("the last scene"),))]

    refs = await publish_thread(make_adapter(), segments, "options", options=options)

    statuses = [mastodon_peer.status(ref.id, mastodon_account.token) for ref in refs]
    assert [s["in_reply_to_id"] for s in statuses] == [None, refs[0].id]
    for status in statuses:
        seen = (status["visibility"], status["spoiler_text"], status["sensitive"], status["language"])
        assert seen == ("unlisted", "finale spoilers", True, "fr")
    assert [m["description"] for m in statuses[1]["media_attachments"]] == ["the last scene"]


async def test_without_options_a_status_takes_the_accounts_defaults(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    ref = await make_adapter().publish(request("plain", "no-options"))

    status = mastodon_peer.status(ref.id, mastodon_account.token)
    assert (status["visibility"], status["spoiler_text"], status["sensitive"], status["poll"]) == (
        "public",
        "",
        False,
        None,
    )


async def test_a_poll_is_published_natively_on_the_main_post_only(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    poll = Poll(options=("tabs", "spaces", "both, chaotically"), duration_minutes=90)
    before = datetime.now(UTC)

    main, reply = await publish_thread(
        make_adapter(), [("Which one?", ()), ("(results tomorrow)", ())], "poll", poll=poll
    )

    status = mastodon_peer.status(main.id, mastodon_account.token)
    assert [option["title"] for option in status["poll"]["options"]] == list(poll.options)
    assert status["poll"]["multiple"] is False
    closes = _moment(status["poll"]["expires_at"])
    assert before + timedelta(minutes=90) <= closes + timedelta(seconds=1)
    assert closes <= datetime.now(UTC) + timedelta(minutes=90, seconds=1)
    assert mastodon_peer.status(reply.id, mastodon_account.token)["poll"] is None


def test_the_declared_poll_rules_are_the_instances(mastodon_peer: MastodonPeer) -> None:
    """mastodon_mock publishes Mastodon's default poll limits in its instance document, as Mastodon does."""
    limits = mastodon_peer.instance()["configuration"]["polls"]
    rules = INFO.polls
    assert rules is not None
    assert (rules.max_options, rules.max_option_chars) == (limits["max_options"], limits["max_characters_per_option"])
    assert rules.min_duration_minutes * 60 == limits["min_expiration"]
    assert rules.max_duration_minutes == limits["max_expiration"] // 60  # whole minutes within the limit
    assert rules.with_media is False
    assert INFO.reply_policies == frozenset({ReplyPolicy.EVERYONE})


async def test_the_content_warning_counts_with_the_text_against_the_limit(
    make_adapter: MakeAdapter, mastodon_peer: MastodonPeer, mastodon_account: MastodonAccount
) -> None:
    adapter = make_adapter()
    warning = MastodonOptions(spoiler_text="x" * 20)
    rules = await adapter.text_rules()

    thread = PostShape([SegmentShape("y" * 480), SegmentShape("y" * 481)], options=warning)
    (over,) = validate(INFO, thread, rules)
    assert over.describe() == (
        "mastodon: platform_options.mastodon spoiler_text: segments[0] is 501 characters with its content warning "
        "(Mastodon counts both); the limit is 500"
    )
    fits = await adapter.publish(request("y" * 480, "cw-fits", options=warning))
    assert mastodon_peer.status(fits.id, mastodon_account.token)["spoiler_text"] == "x" * 20


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"visibility": "bogus"}, r"Invalid enum value 'bogus' - at `\$.visibility`"),
        ({"visibility": "followers"}, r"at `\$.visibility`"),
        ({"language": "English"}, r"at `\$.language`"),
        ({"language": "eng-"}, r"at `\$.language`"),
        ({"sensitive": "yes"}, r"Expected `bool \| null`, got `str` - at `\$.sensitive`"),
        ({"spoiler_text": 3}, r"at `\$.spoiler_text`"),
        ({"content_warning": "x"}, r"unknown field `content_warning`"),
    ],
)
def test_options_outside_mastodons_schema_are_refused_naming_the_field(raw: dict[str, object], message: str) -> None:
    with pytest.raises(OptionsInvalid, match=message):
        decode_options(INFO, raw)


def test_options_mastodon_takes_are_decoded() -> None:
    raw = {"visibility": "direct", "spoiler_text": "", "sensitive": False, "language": "pt-BR"}
    assert decode_options(INFO, raw) == MastodonOptions(
        visibility="direct", spoiler_text="", sensitive=False, language="pt-BR"
    )
    assert decode_options(INFO, {"language": "kab"}) == MastodonOptions(language="kab")  # ISO 639-3
