"""The lifespan board: a row per lifespan (name, phase, uptime, recent log lines, its Stop button)
and Stop-all; ``text`` is its text and HTML form, ``widget`` the live :class:`LifespanBoard`."""
