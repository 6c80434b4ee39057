"""The scenario editor (``nomonhan edit``).

Two layers.  The headless model (:mod:`.document`, :mod:`.edits`, :mod:`.checking`,
:mod:`.preview`) edits the ruamel round-trip tree of a scenario file, so that saving keeps the
author's comments and writes the canonical text of :mod:`nomonhan.scenario.write`; every edit is
undoable, and the draft is checked with the same checks as ``nomonhan validate``.  The pygame
window (:mod:`.screen`, :mod:`.app`) sits on top and only turns gestures into those edits.
Entry point: :func:`nomonhan.editor.app.run_editor`.
"""
