"""The pygame front end: the game window (``nomonhan play``) and what it is built from.

It draws what :func:`nomonhan.engine.observe` lets a side see (:mod:`.view`), turns clicks and
keys into the actions :func:`nomonhan.engine.legal_actions` offers, and changes the game only
through :class:`nomonhan.replay.Game` (held by :mod:`.session`).  It never decides a rule itself.
Pygame stays on this floor and the editor's above it: :mod:`.describe` and :mod:`.view` (text and
what a viewer may see) import no pygame, so the core and the tools can use them.  Entry point:
:func:`nomonhan.ui.app.run_app`; ``docs/ui.md`` maps the modules.
"""
