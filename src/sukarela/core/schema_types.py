"""Field types shared by API schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here, naming the field, rather than fail in the database.
    if "\x00" in value:
        raise ValueError("NUL character not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


# A row key as a client sends it: bounded, so an absurd number is a 422 naming the field, not a
# database overflow.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
