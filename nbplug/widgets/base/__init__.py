"""What every view is built on: the base :class:`~.view.View` (text and HTML forms always, a live
widget where one can show), the structural types the views read (``shapes``) and the redraw
throttle (``throttle``)."""
