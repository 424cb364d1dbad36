"""LinkedIn: posts through the versioned REST API (``/rest/posts``) as a member or an organization (adapter.py),
comments as the thread (``socialActions``), images and one video uploaded first (media.py), the commentary's
"little text format" escaped (text.py), and what LinkedIn's answers mean (api.py, errors.py)."""

from adapters.linkedin.adapter import LinkedInAdapter

__all__ = ["LinkedInAdapter"]
