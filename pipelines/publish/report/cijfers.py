"""The values the report shows: a figure of the mart with its status, and a published figure
that differs from the computed one. A module of their own, without the warehouse: the PDF
workers unpickle the charts that hold them, and need not import what reads the warehouse."""

from __future__ import annotations

from dataclasses import dataclass


class Cijfer(float):
    """A figure of the mart: its value, whether it is voorlopig, whether its area was not
    served whole (reeksbreuk, with its cell key to say which), and its cell (what the
    verkenner opens on)."""

    voorlopig: bool = False
    reeksbreuk: bool = False
    sleutel: tuple | None = None
    cel: tuple | None = None  # the cell of the mart it is (none for a sum or difference)

    def __new__(
        cls,
        value: float,
        voorlopig: bool = False,
        reeksbreuk: bool = False,
        sleutel: tuple | None = None,
        cel: tuple | None = None,
    ) -> Cijfer:
        cijfer = super().__new__(cls, value)
        cijfer.voorlopig, cijfer.reeksbreuk, cijfer.sleutel = voorlopig, reeksbreuk, sleutel
        cijfer.cel = cel
        return cijfer


def voorlopig(*values: float | None) -> bool:
    return any(getattr(v, "voorlopig", False) for v in values)


@dataclass(frozen=True)
class Afwijking:
    """A published figure that differs from the computed one."""

    gepubliceerd: float
    berekend: float | None
    publicatie: str
    toelichting: str | None
