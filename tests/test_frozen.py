"""model/scenario/frozen.py: an immutable mapping that can key caches."""
from model.scenario.frozen import FrozenMap


def test_equal_maps_hash_alike_and_compare_with_dicts():
    a, b = FrozenMap({"x": 1, "y": 2}), FrozenMap({"y": 2, "x": 1})
    assert a == b == {"x": 1, "y": 2} and hash(a) == hash(b) and len({a, b}) == 1
    assert FrozenMap({(1, 2): 3}) == {(1, 2): 3}
