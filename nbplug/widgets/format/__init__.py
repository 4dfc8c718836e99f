"""The views' one home for formatting: short reprs, durations, uptimes and phase words (``text``)
and the colours, from JupyterLab's theme variables (``theme``). Escaping and guarded reads of user
objects are ``nbplug._base.safetext``, which the layers below the views use too."""
