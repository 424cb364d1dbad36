"""What a command can fail with: a message for stderr and an exit code, never a traceback."""

from __future__ import annotations

from typing import Any

import httpx


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class ApiError(CliError):
    """The server answered with an error: its envelope (`error`, `code`, `details`) as the message."""

    def __init__(self, status: int, message: str, code: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details

    @classmethod
    def of(cls, response: httpx.Response) -> ApiError:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            details = body.get("details") if isinstance(body.get("details"), dict) else {}
            return cls(response.status_code, body["error"], str(body.get("code", "")), details or {})
        reason = response.reason_phrase or "error"
        return cls(response.status_code, f"HTTP {response.status_code} {reason} from {response.url}", "", {})

    def lines(self) -> list[str]:
        """The message, then what the details add: every validation problem, the scope a key lacks, ..."""
        code = f" ({self.code}, HTTP {self.status})" if self.code else ""
        lines = [f"{self.message}{code}"]
        for name, value in self.details.items():
            if name == "errors" and isinstance(value, list):
                lines.extend(f"  - {problem}" for problem in value if str(problem) not in self.message)
            else:
                lines.append(f"  {name}: {value}")
        return lines
