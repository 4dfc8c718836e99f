"""What every layer shares and that imports nothing of nbplug: text about user objects that those
objects cannot break (``safetext``), where nbplug's own code and the library code live (``where``),
and the running event loop or None (``loops``).

Decision: a room below the kit rather than inside it, because the lifespans, the terminal, the
session and the views use these as much as the kit does, and none of them is about plugins.
"""
