"""Can Qt's xcb platform start here? Asked of libxcb itself (through ctypes), before Qt is imported.

Qt aborts (exit 134) when it cannot connect to the X server, and its last words blame a
missing libxcb-cursor0 even when that library is installed. Connecting once with libxcb,
the library Qt would use, tells for certain whether the display answers: a socket file
left behind by a dead server, a TCP display nobody listens on and a refused connection
(no access) all fail here as they would in Qt. It costs about a millisecond.
"""

from __future__ import annotations

import ctypes

_XCB = "libxcb.so.1"
# What Qt's xcb plugin (libqxcb.so) loads, by the Debian package of the README's apt line:
# libxcb-cursor0 is the one most often missing (Qt ≥ 6.5 needs it), the others can be too.
XCB_PLUGIN_LIBRARIES = {
    "libxcb1": _XCB, "libxcb-cursor0": "libxcb-cursor.so.0", "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-image0": "libxcb-image.so.0", "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-randr0": "libxcb-randr.so.0", "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-shape0": "libxcb-shape.so.0", "libxcb-xkb1": "libxcb-xkb.so.1",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0", "libx11-xcb1": "libX11-xcb.so.1",
}


def _library(name: str) -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def x_server_answers(display: str) -> bool | None:
    """True when the X server of `display` (like ":0" or "host:1.0") accepts a connection,
    False when it does not, None when libxcb is not there to ask (Qt's xcb plugin could
    not start either; the caller says what is missing)."""
    xcb = _library(_XCB)
    if xcb is None:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)  # never NULL: an error object at worst
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def missing_xcb_libraries() -> list[str]:
    """The Debian names of the libraries Qt's xcb plugin needs that cannot be loaded here."""
    return [package for package, soname in XCB_PLUGIN_LIBRARIES.items() if _library(soname) is None]


__all__ = ["XCB_PLUGIN_LIBRARIES", "missing_xcb_libraries", "x_server_answers"]
