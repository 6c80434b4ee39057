"""The scenario editor (``nomonhan edit``).

Two layers.  The headless model edits the ruamel round-trip tree of a scenario file
(:mod:`.document`, with the edits in :mod:`.mapedits` and :mod:`.dataedits`), so that saving keeps
the author's comments and writes the canonical text of :mod:`nomonhan.scenario.write`; every edit
is undoable, and the draft is checked (:mod:`.checking`) with the same checks as
``nomonhan validate``; :mod:`.preview` turns the draft into a map picture.  The pygame window sits
on top and only turns gestures into those edits: :mod:`.app` opens it, :mod:`.screen` keeps the
draft's views in step, :mod:`.gestures` (the map's mouse and keys, panning as the game map does),
:mod:`.commands` (what a command does) and :mod:`.dialogs` (the windows of :mod:`.windows`, the
file chooser) do the rest, beside the :mod:`.sidebar` and the :mod:`.tools`.  Entry point: :func:`nomonhan.editor.app.run_editor`.
"""
