"""Calculations: output growth, investment phasing, analysis (uncertainty, goal seek, land …) and run()."""
