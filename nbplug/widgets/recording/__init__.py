"""The recording view: recorded hook calls as a call tree and timeline (``widget``:
:class:`RecordingView`; ``text``: its text and HTML forms; ``pytest``: the view of a recorded
pytest run that ``%pytest`` shows)."""
