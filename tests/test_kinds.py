"""model/scenario/kinds.py: each kind's codec, on its own."""
from __future__ import annotations

import pytest

from model.scenario.fields import field_of
from model.scenario.kinds import CodecError


def test_year_maps_read_any_spelling_of_a_year_as_the_same_key():
    f = field_of("overrides")
    assert f.kind.csv_key(f, "override.rail_transit.02022") == f.kind.csv_key(f, "override.rail_transit.2022")
    with pytest.raises(CodecError):
        f.kind.csv_key(f, "override.nope.2022")


def test_maps_decode_their_codes_and_refuse_others():
    f = field_of("delay_area")
    assert dict(f.kind.url_decode(f, "da", "tx:2,qst:1", {})) == {"田心片区": 2, "清水塘片区": 1}
    with pytest.raises(CodecError):
        f.kind.url_decode(f, "da", "zz:1", {})
    g = field_of("shares")
    with pytest.raises(CodecError):
        g.kind.url_decode(g, "sh", "10,20", {})
