"""A scenario: the field table (every assumption once, bound to a plan), the Scenario built from it, and the
presets a plan defines."""
from ..numbers import decimal_text, pct_to_rate, rate_text
from .fields import (BASES, CEILING_MIN, DELAY_MAX, FIELDS, N_PATHS_MAX, N_PATHS_MIN, OVERRUN_MAX, OVERRUN_MIN,
                     PROFILES, RATE_MAX, RATE_MIN, SD_MAX, Field, field_of, fields_for)
from .frozen import FrozenMap
from .presets import CUSTOM, data_baselines, presets
from .scenario import Scenario, ScenarioError, clean_name, required_rate

from ..numbers import percent as pct_text_to_rate  # noqa: E402  (names from before the regroup)
from ..numbers import rate_text as rate_to_pct_text  # noqa: E402

# Names this module had before the regroup (model/scenario.py), imported on first use: importing them here eagerly
# would make an import cycle (io.assumptions reads this package).
_LEGACY_IO = ("ASSUMPTION_HEADER", "MAX_ASSUMPTION_ROWS", "MAX_ASSUMPTIONS_BYTES", "from_assumptions_csv",
              "scenario_id", "to_assumption_rows", "to_assumptions_csv")


def __getattr__(name):
    if name in _LEGACY_IO:
        from ..io import assumptions

        return getattr(assumptions, name)
    if name == "PRESET_NAMES":  # the default plan's preset slugs
        import importlib

        return importlib.import_module(__name__ + ".presets").PRESET_NAMES
    if name in ("AREAS", "CATEGORIES"):  # the default plan's enumerations
        from ..plan import enums

        return enums.values("area" if name == "AREAS" else "category")
    raise AttributeError(name)


__all__ = ["Scenario", "ScenarioError", "FrozenMap", "Field", "FIELDS", "field_of", "fields_for", "presets",
           "CUSTOM", "data_baselines", "required_rate", "clean_name", "BASES", "PROFILES", "RATE_MIN", "RATE_MAX",
           "DELAY_MAX", "OVERRUN_MIN", "OVERRUN_MAX", "CEILING_MIN", "SD_MAX", "N_PATHS_MIN", "N_PATHS_MAX",
           "decimal_text", "pct_to_rate", "rate_text", "from_assumptions_csv", "to_assumptions_csv",
           "to_assumption_rows", "scenario_id", "ASSUMPTION_HEADER", "MAX_ASSUMPTIONS_BYTES", "MAX_ASSUMPTION_ROWS",
           "pct_text_to_rate", "rate_to_pct_text"]
