"""Nomonhan: a hex-and-counter wargame of the Soviet-Japanese border wars of 1938-39.

The rules core (everything but :mod:`nomonhan.ui`) is headless and never imports pygame.
"""

__version__ = "0.3.0.dev0"
