"""Misuses mypy --strict must report against the stubs (the check can fail)."""
import ndview

v = ndview.View(b"abc")
n: str = v.nbytes
v.cast(3)
v.astype("f", casting=1)
v.no_such_method()
