"""Files and links: the assumptions CSV, the URL codec, exports (CSV), atomic folder writes, the scenario library."""
