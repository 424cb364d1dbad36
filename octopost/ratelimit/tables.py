"""Rate-limit counters: one row per (API key, budget), a fixed window anchored at the key's first request."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class RateLimitCounter(SQLModel, table=True):
    __tablename__ = "rate_limit_counter"

    key_id: str = Field(foreign_key="api_key.id", primary_key=True, max_length=40, ondelete="CASCADE")
    bucket: str = Field(primary_key=True, max_length=20)  # api | publish
    # Milliseconds since the epoch (integers compare and add the same on every dialect).
    window_start_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    hits: int = 0
