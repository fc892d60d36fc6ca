"""Prefix and AS countries for the metrics, with the basis of each (SPEC §4).

A thin seam over engineer C's `onpath.metrics.country` (geolocation -> RIR delegated-extended ->
the `iptocc` package -> unknown; AS: RIR ASN record -> AS-to-org), so the metric code names one
place for "what country is this".
"""

from __future__ import annotations

import pyarrow as pa

from onpath.metrics import country as _country


def prefix_countries(snap, prefixes: pa.Array) -> pa.Table:
    """`prefix`, `cc`, `basis` for each prefix (basis: geo | rir | iptocc <version> | unknown)."""
    return _country.prefix_country_table(snap, prefixes)


def as_countries(snap, asns) -> tuple[dict[int, str], dict[int, str]]:
    """({asn: cc}, {asn: basis}) from the RIR ASN records, otherwise AS-to-org; unknown ASes absent."""
    return _country.as_country_map(snap, sorted({int(a) for a in asns}))
