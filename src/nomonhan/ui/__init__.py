"""The pygame front end: the only package of Nomonhan that imports pygame.

It draws what :func:`nomonhan.engine.observe` lets a side see, turns clicks and keys into the
actions :func:`nomonhan.engine.legal_actions` offers, and changes the game only through
:class:`nomonhan.replay.Game`.  It never decides a rule itself.  Entry point:
:func:`nomonhan.ui.app.run_app`.
"""
