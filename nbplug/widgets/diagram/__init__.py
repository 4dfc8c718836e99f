"""The design diagram: a host, the extension points it calls, and the plugins implementing them.

- ``layout``: where each box and line goes (plain numbers, no drawing);
- ``draw``: the SVG (themed with JupyterLab's variables) and the text form;
- ``widget``: :class:`DesignDiagram` (also ``ManagerInspector(...).diagram()``).
"""
