"""The call view: what one hook call did, extension by extension, wrappers as nesting.

- ``model``: the view's model, built from a call's trace (or a recorded call);
- ``text`` / ``html`` / ``timeline``: its text form, its HTML form and the timeline both draw;
- ``widget``: :class:`HookCallView`; ``capture``: :func:`call_view`, which makes a call and
  catches what its code prints and logs at the step that made it.
"""
