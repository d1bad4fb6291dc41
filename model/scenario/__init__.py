"""A scenario: the field table (every assumption once, bound to a plan), the Scenario built from it, and the
presets a plan defines."""
import importlib
import sys
import types

# Public names, imported on first use (PEP 562). A package that imports its own submodules while they import it back
# (a submodule's import first needs its package) is a lock cycle: two sessions starting at once could each hold one
# lock and be handed the other's half-initialised module. Importing the package now runs nothing else.
_PUBLIC = {
    **dict.fromkeys(("BASES", "CEILING_MIN", "DELAY_MAX", "FIELDS", "N_PATHS_MAX", "N_PATHS_MIN", "OVERRUN_MAX",
                     "OVERRUN_MIN", "PROFILES", "RATE_MAX", "RATE_MIN", "SD_MAX", "Field", "field_of", "fields_for"),
                    ".fields"),
    "FrozenMap": ".frozen",
    **dict.fromkeys(("CUSTOM", "data_baselines", "presets", "PRESET_NAMES"), ".presets"),
    **dict.fromkeys(("Scenario", "ScenarioError", "clean_name", "required_rate"), ".scenario"),
    # names from before the regroup (model/scenario.py)
    **dict.fromkeys(("decimal_text", "pct_to_rate", "rate_text"), "..numbers"),
    **dict.fromkeys(("ASSUMPTION_HEADER", "MAX_ASSUMPTION_ROWS", "MAX_ASSUMPTIONS_BYTES", "from_assumptions_csv",
                     "scenario_id", "to_assumption_rows", "to_assumptions_csv"), "..io.assumptions"),
}
_RENAMED = {"pct_text_to_rate": ("..numbers", "percent"), "rate_to_pct_text": ("..numbers", "rate_text")}


def __getattr__(name):
    if name in _PUBLIC or name in _RENAMED:
        module, attr = _RENAMED.get(name, (_PUBLIC.get(name), name))
        value = getattr(importlib.import_module(module, __name__), attr)
        globals()[name] = value
        return value
    if name in ("AREAS", "CATEGORIES"):  # the default plan's enumerations
        from ..plan import enums

        return enums.values("area" if name == "AREAS" else "category")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """``model.scenario.presets`` stays the function, as it always was: importing the submodule of the same name
    (which binds it on its package) does not replace it."""

    def __setattr__(self, name, value):
        if name == "presets" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = ["Scenario", "ScenarioError", "FrozenMap", "Field", "FIELDS", "field_of", "fields_for", "presets",
           "CUSTOM", "data_baselines", "required_rate", "clean_name", "BASES", "PROFILES", "RATE_MIN", "RATE_MAX",
           "DELAY_MAX", "OVERRUN_MIN", "OVERRUN_MAX", "CEILING_MIN", "SD_MAX", "N_PATHS_MIN", "N_PATHS_MAX",
           "decimal_text", "pct_to_rate", "rate_text", "from_assumptions_csv", "to_assumptions_csv",
           "to_assumption_rows", "scenario_id", "ASSUMPTION_HEADER", "MAX_ASSUMPTIONS_BYTES", "MAX_ASSUMPTION_ROWS",
           "pct_text_to_rate", "rate_to_pct_text"]
