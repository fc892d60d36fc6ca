"""Where the public datasets live: URL templates and release calendars.

Every function returns candidate URLs in order of preference for a snapshot date: the RIB nearest
to the date's 00:00 UTC, and for the other datasets the newest release on or before the date,
walking back release by release. `base` (or `$ONPATH_SOURCE_BASE`) mirrors every host under one
URL as `<base>/<host>/<path>`: tests serve a fake archive tree that way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

ROUTEVIEWS = "http://archive.routeviews.org"
RIS = "https://data.ris.ripe.net"
CAIDA = "https://publicdata.caida.org/datasets"
RIPE_RPKI = "https://ftp.ripe.net/rpki"
STATE_OWNED = ("https://raw.githubusercontent.com/estcarisimo/state-owned-ases/"
               "a4d6136ef8a4892b7646f3120e60915cf92fcaa7/data/state_owned_ases.csv")
RIRS = {
    "afrinic": "https://ftp.afrinic.net/pub/stats/afrinic/{y}/delegated-afrinic-extended-{ymd}",
    "apnic": "https://ftp.apnic.net/stats/apnic/{y}/delegated-apnic-extended-{ymd}.gz",
    "arin": "https://ftp.arin.net/pub/stats/arin/delegated-arin-extended-{ymd}",
    "lacnic": "https://ftp.lacnic.net/pub/stats/lacnic/delegated-lacnic-extended-{ymd}",
    "ripencc": "https://ftp.ripe.net/pub/stats/ripencc/{y}/delegated-ripencc-extended-{ymd}.bz2",
}
TRUST_ANCHORS = ("afrinic", "apnic", "arin", "lacnic", "ripencc")
RIB_EVERY = {"routeviews": timedelta(hours=2), "ris": timedelta(hours=8)}
UPDATES_EVERY = {"routeviews": timedelta(minutes=15), "ris": timedelta(minutes=5)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One URL that may hold a dataset release.

    Attributes
    ----------
    dataset : str
        Label of the dataset (`rib:route-views2`, `as-rel2`, `rir:apnic`, ...).
    kind : str
        SPEC §1 ingest kind.
    url : str
    when : datetime
        The release time the name carries (UTC).
    collector : str or None
    checksum_url : str or None
        A published checksum file (RIR `.md5`).
    """

    dataset: str
    kind: str
    url: str
    when: datetime
    collector: str | None = None
    checksum_url: str | None = None


def rebase(url: str, base: str | None = None) -> str:
    """`url` mirrored under `base` (or `$ONPATH_SOURCE_BASE`) as `<base>/<host><path>`."""
    base = base if base is not None else os.environ.get("ONPATH_SOURCE_BASE")
    if not base:
        return url
    parts = urlsplit(url)
    return f"{base.rstrip('/')}/{parts.netloc}{parts.path}"


def midnight(date: str) -> datetime:
    """`YYYY-MM-DD` as 00:00 UTC of that day."""
    return datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=UTC)


def archive_of(collector: str) -> str:
    """`ris` for `rrcNN`, else `routeviews`."""
    return "ris" if collector.startswith("rrc") else "routeviews"


def mrt_url(collector: str, t: datetime, what: str = "rib") -> str:
    """URL of a RIB (`what="rib"`) or UPDATES file of a collector at time `t`.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> mrt_url("route-views2", datetime(2025, 1, 1, tzinfo=UTC))
    'http://archive.routeviews.org/bgpdata/2025.01/RIBS/rib.20250101.0000.bz2'
    >>> mrt_url("rrc00", datetime(2025, 1, 1, 8, tzinfo=UTC))
    'https://data.ris.ripe.net/rrc00/2025.01/bview.20250101.0800.gz'
    """
    stamp = t.strftime("%Y%m%d.%H%M")
    month = t.strftime("%Y.%m")
    if archive_of(collector) == "ris":
        name = f"bview.{stamp}.gz" if what == "rib" else f"updates.{stamp}.gz"
        return f"{RIS}/{collector}/{month}/{name}"
    folder = "" if collector == "route-views2" else f"/{collector}"
    sub, name = ("RIBS", f"rib.{stamp}.bz2") if what == "rib" else ("UPDATES", f"updates.{stamp}.bz2")
    return f"{ROUTEVIEWS}{folder}/bgpdata/{month}/{sub}/{name}"


def rib_candidates(collector: str, date: str, base: str | None = None, span_hours: int = 24) -> list[Candidate]:
    """RIBs within `span_hours` of the date's 00:00 UTC, nearest first (earlier wins a tie)."""
    t0 = midnight(date)
    step = RIB_EVERY[archive_of(collector)]
    n = int(timedelta(hours=span_hours) / step)
    times = sorted((t0 + k * step for k in range(-n, n + 1)), key=lambda t: (abs(t - t0), t))
    return [Candidate(f"rib:{collector}", "mrt", rebase(mrt_url(collector, t), base), t, collector)
            for t in times]


def update_candidates(collector: str, start: datetime, hours: float, base: str | None = None) -> list[Candidate]:
    """UPDATES files from `start` (the RIB's time) for `hours`, in time order."""
    step = UPDATES_EVERY[archive_of(collector)]
    out, t = [], start
    while t < start + timedelta(hours=hours):
        out.append(Candidate(f"updates:{collector}", "mrt", rebase(mrt_url(collector, t, "updates"), base), t, collector))
        t += step
    return out


def _months_back(t: datetime, n: int, every: int = 1):
    y, m = t.year, t.month
    m -= (m - 1) % every
    for _ in range(n):
        yield datetime(y, m, 1, tzinfo=UTC)
        m -= every
        while m < 1:
            m += 12
            y -= 1


def as_rel_candidates(date: str, base: str | None = None, back: int = 12) -> list[Candidate]:
    """CAIDA serial-2 AS relationships (monthly, `YYYYMM01.as-rel2.txt.bz2`), newest first."""
    return [Candidate("as-rel2", "as-rel",
                      rebase(f"{CAIDA}/as-relationships/serial-2/{t:%Y%m%d}.as-rel2.txt.bz2", base), t)
            for t in _months_back(midnight(date), back)]


def as_org_candidates(date: str, base: str | None = None, back: int = 8) -> list[Candidate]:
    """CAIDA AS-to-organization (quarterly; `.jsonl.gz`, else the older `.txt.gz`), newest first."""
    out = []
    for t in _months_back(midnight(date), back, every=3):
        for ext in ("jsonl.gz", "txt.gz"):
            out.append(Candidate("as-org", "as-org",
                                 rebase(f"{CAIDA}/as-organizations/{t:%Y%m%d}.as-org2info.{ext}", base), t))
    return out


def _days_back(date: str, back: int):
    t0 = midnight(date)
    return [t0 - timedelta(days=k) for k in range(back)]


def peeringdb_candidates(date: str, base: str | None = None, back: int = 14) -> list[Candidate]:
    """CAIDA's PeeringDB archive (daily JSON dumps), newest first."""
    return [Candidate("peeringdb", "peeringdb",
                      rebase(f"{CAIDA}/peeringdb/{t:%Y/%m}/peeringdb_2_dump_{t:%Y_%m_%d}.json", base), t)
            for t in _days_back(date, back)]


def rir_candidates(rir: str, date: str, base: str | None = None, back: int = 14) -> list[Candidate]:
    """One RIR's delegated-extended file (daily; checksum `<url>.md5`), newest first."""
    out = []
    for t in _days_back(date, back):
        url = rebase(RIRS[rir].format(y=t.year, ymd=t.strftime("%Y%m%d")), base)
        out.append(Candidate(f"rir:{rir}", "rir", url, t, checksum_url=url + ".md5"))
    return out


def vrp_candidates(ta: str, date: str, base: str | None = None, back: int = 14) -> list[Candidate]:
    """RIPE NCC RPKI archive `roas.csv` of one trust anchor (daily; `.xz` in later years), newest first."""
    return [Candidate(f"vrp:{ta}", "vrp", rebase(f"{RIPE_RPKI}/{ta}.tal/{t:%Y/%m/%d}/roas.csv{ext}", base), t)
            for t in _days_back(date, back) for ext in (".xz", "")]


def state_owned_candidates(base: str | None = None) -> list[Candidate]:
    """The IMC 2021 state-owned ASes dataset (one release, pinned commit)."""
    return [Candidate("state-owned", "state-owned", rebase(STATE_OWNED, base), datetime(2022, 2, 11, tzinfo=UTC))]


def dataset_plan(date: str, base: str | None = None) -> list[list[Candidate]]:
    """Candidate lists of every non-MRT dataset of a snapshot date (one list per dataset)."""
    plan = [as_rel_candidates(date, base), as_org_candidates(date, base), peeringdb_candidates(date, base)]
    plan += [rir_candidates(r, date, base) for r in RIRS]
    plan += [vrp_candidates(ta, date, base) for ta in TRUST_ANCHORS]
    plan.append(state_owned_candidates(base))
    return plan
