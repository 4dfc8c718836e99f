"""nbplug: a fast, pluggy-style plugin kit with an async manager and lifespan plugins, live in Jupyter."""
