"""Content detection across the registry formats: each file is claimed by its own loader only."""

from __future__ import annotations

import importlib

import pytest
from conftest import SHARED_DATA

from onpath.ingest import asorg, asrel, geo, peeringdb, rir, stateowned, vantage, vrp
from onpath.ingest.base import LOADER_MODULES, detect_kind, read_head


def _written(tmp_path):
    d = tmp_path
    return {
        "as-rel": asrel.write_as_rel2([{"asn1": 1, "asn2": 2, "rel": -1, "source": "bgp"}], d / "20250101.as-rel2.txt.bz2"),
        "as-org": asorg.write_as_org_txt([{"asn": 1, "org_id": "O", "org_name": "n", "country": "US", "source": "ARIN"}],
                                         d / "20250101.as-org2info.txt.gz"),
        "as-org-jsonl": asorg.write_as_org_jsonl([{"asn": 1, "org_id": "O", "org_name": "n", "country": "US", "source": "ARIN"}],
                                                 d / "20250101.as-org2info.jsonl.gz"),
        "peeringdb": peeringdb.write_peeringdb_dump({"org": [{"id": 1, "name": "o"}], "net": [{"id": 1, "asn": 1}]},
                                                    d / "peeringdb_2_dump_2025_01_01.json"),
        "rir": rir.write_rir_extended("arin", [{"cc": "US", "type": "asn", "start": "1", "value": 1, "date": "20000101",
                                                "status": "assigned", "opaque_id": "x"}], d / "delegated-arin-extended-20250101", "20250101"),
        "vrp": vrp.write_vrps_csv([{"asn": 1, "prefix": "1.0.0.0/24", "max_length": 24, "ta": "apnic"}], d / "vrps.csv"),
        "vrp-json": vrp.write_vrps_json([{"asn": 1, "prefix": "1.0.0.0/24", "max_length": 24, "ta": "apnic"}], d / "vrps.json"),
        "geo": geo.write_geo_csv([{"prefix": "1.0.0.0/24", "cc": "AU"}], d / "prefix-country.csv"),
        "vantage-points": vantage.write_vantage_points_jsonl(
            [{"collector": "rrc00", "peer_ip": "192.0.2.1", "peer_asn": 1, "cc": "NL", "full_feed": True}], d / "vantage-points.jsonl"),
        "state-owned": stateowned.write_state_owned_csv(
            [{"asn": 1, "conglomerate": "X", "org_id": "o", "org_name": "n", "ownership_cc": "CN"}], d / "state_owned_ases.csv"),
    }


def test_each_written_format_is_claimed_by_its_loader_only(tmp_path):
    mods = [importlib.import_module(m) for m in LOADER_MODULES[1:]]
    for kind, path in _written(tmp_path).items():
        kind = kind.split("-json")[0]
        head = read_head(path)
        claims = [m.KIND for m in mods if m.detect(head, path.name)]
        assert claims == [kind], (path.name, claims)
        assert detect_kind(path) == kind


REAL = {
    "caida/20250101.as-rel2.txt.bz2": "as-rel", "caida/20170101.as-rel.txt": "as-rel",
    "caida/20211001.as-org2info.jsonl.gz": "as-org", "rir/2019-09/delegated-iana-latest": "rir",
    "rir/2019-09/delegated-afrinic-extended-latest": "rir", "rpki/roas.csv": "vrp",
    "peeringdb/api-sample-truncated/beta-ixpfx/page-1.json": "peeringdb",
    "reference/cti-pam2022/collector-peers-geo.20180301.jsonl": "vantage-points",
    "reference/state-owned-ases-imc2021/state_owned_ases.csv": "state-owned",
    "reference/cti-pam2022/joint-cti-hegemony.csv": None, "rir/2019-09/README.md": None,
    "rir/2019-09/delegated-apnic-latest.md5": None,
}


@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_files_are_claimed_by_their_loader_only(rel):
    if SHARED_DATA is None or not (SHARED_DATA / rel).exists():
        pytest.skip(f"../shared/data/{rel} is not here")
    path = SHARED_DATA / rel
    mods = [importlib.import_module(m) for m in LOADER_MODULES[1:]]
    head = read_head(path)
    claims = [m.KIND for m in mods if m.detect(head, path.name)]
    assert claims == ([REAL[rel]] if REAL[rel] else [])
