"""Animated GIF, WebP, APNG (Pillow) and MP4 (imageio-ffmpeg) files, encoded in a thread of their own.

The window renders the frames (Qt paints in the GUI thread only) and hands them, as RGB
arrays, to an `AnimationEncoder`, whose thread compresses them while the next ones are being
drawn; a full queue tells the window to wait a turn (`offer` returns False) instead of
blocking it. The file is written atomically (atomic.py): it appears, whole, only when the last
frame is in; a cancelled or failed export leaves nothing behind, and an old file of that name
stays as it was.

The format is the suffix of the name, like every lrviz export: .gif, .webp, .png (APNG) or
.mp4. GIF streams through Pillow (it keeps the frames as 8-bit palette images until the end);
APNG and WebP need every frame at once, so those are kept until the last arrives. MP4 needs
the optional `imageio-ffmpeg` package (`pip install 'lrviz[video]'`).
"""

from __future__ import annotations

import importlib.util
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from lrviz.core.formats.atomic import atomic_path

ANIMATION_FORMATS = {".gif": "GIF", ".webp": "WebP", ".png": "APNG", ".mp4": "MP4"}
MP4_HINT = "MP4 needs the imageio-ffmpeg package: pip install 'lrviz[video]' (or pip install imageio-ffmpeg)"
_QUEUE_FRAMES = 6  # frames waiting for the encoder: enough to keep it busy, few megabytes


class AnimationCancelled(Exception):
    """The export was cancelled; nothing was written."""


def mp4_available() -> bool:
    """Whether MP4 can be written (imageio-ffmpeg is installed)."""
    return importlib.util.find_spec("imageio_ffmpeg") is not None


def animation_format(path: str | os.PathLike[str]) -> str:
    """'GIF', 'WebP', 'APNG' or 'MP4' from the name's suffix; ValueError (a message to show) otherwise."""
    suffix = Path(path).suffix.lower()
    kind = ANIMATION_FORMATS.get(suffix)
    if kind is None:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise ValueError(f"animations are saved as .gif, .webp, .png (APNG) or .mp4, and this name has {shown}")
    if kind == "MP4" and not mp4_available():
        raise ValueError(MP4_HINT)
    return kind


class AnimationEncoder:
    """Encodes frames into `path` in a background thread; `offer` frames, then `finish` or `cancel`.

    `frame_ms` is each frame's duration. Frames are (height, width, 3) uint8 arrays of one size.
    `error` holds the failure (an OSError or ValueError) once `done` and not written.
    """

    def __init__(self, path: str | os.PathLike[str], frame_ms: float,
                 palette: Sequence[tuple[int, int, int]] | None = None) -> None:
        """`palette`: up to 256 colours a GIF's frames are mapped to (the views' own colours: fast,
        and no colour flickers from frame to frame); None lets Pillow choose per frame."""
        self.path = Path(path)
        self.kind = animation_format(self.path)
        self.frame_ms = float(frame_ms)
        self.palette = None if palette is None else [tuple(int(c) for c in colour) for colour in palette][:256]
        self.encoded = 0  # frames taken by the encoder so far (read by the window for progress)
        self.error: BaseException | None = None
        self.written = False
        self._queue: queue.Queue = queue.Queue(maxsize=_QUEUE_FRAMES)
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._work, name="lrviz-animation", daemon=True)
        self._thread.start()

    # -- the window's side ---------------------------------------------------------------------------
    def offer(self, frame: np.ndarray) -> bool:
        """Queue one frame; False (try again later) while the encoder is behind."""
        try:
            self._queue.put_nowait(np.ascontiguousarray(frame, dtype=np.uint8))
        except queue.Full:
            return False
        return True

    def finish(self) -> bool:
        """No more frames: the file is completed (see `done`); False (try again later) while the queue is full."""
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            return False
        return True

    def cancel(self) -> None:
        """Stop; nothing is written (a partial temp file is removed)."""
        self._cancelled.set()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done

    # -- the thread ----------------------------------------------------------------------------------
    def _frames(self) -> Iterator[np.ndarray]:
        while True:
            while True:
                try:
                    frame = self._queue.get(timeout=0.1)
                    break
                except queue.Empty:
                    if self._cancelled.is_set():
                        raise AnimationCancelled from None
            if self._cancelled.is_set():
                raise AnimationCancelled
            if frame is None:
                return
            self.encoded += 1
            yield frame

    def _work(self) -> None:
        try:
            with atomic_path(self.path) as temp:
                frames = self._frames()
                if self.kind == "MP4":
                    _write_mp4(temp, frames, 1000.0 / self.frame_ms)
                else:
                    _write_pillow(temp, self.kind, frames, self.frame_ms, self.palette)
            self.written = True
        except AnimationCancelled:
            pass
        except (OSError, ValueError, RuntimeError) as error:  # a full disk, a read-only folder, a bad frame
            self.error = error
        finally:
            self._drain()

    def _drain(self) -> None:
        """Empty the queue, so a window still offering frames is never blocked."""
        self._cancelled.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


def _write_pillow(temp: Path, kind: str, frames: Iterator[np.ndarray], frame_ms: float,
                  palette: list[tuple[int, int, int]] | None) -> None:
    from PIL import Image

    images = (Image.fromarray(frame, "RGB") for frame in frames)
    first = next(images, None)
    if first is None:
        raise ValueError("there are no frames to write")
    if kind == "GIF":
        if palette is None:
            def to_gif(image):
                return image.convert("P", palette=Image.Palette.ADAPTIVE)
        else:  # nearest colour of a fixed palette, no dithering: ~40× faster than an adaptive one
            palette_image = Image.new("P", (1, 1))
            flat = [channel for colour in palette for channel in colour]
            palette_image.putpalette(flat + flat[-3:] * (256 - len(palette)))

            def to_gif(image):
                return image.quantize(palette=palette_image, dither=Image.Dither.NONE)
        # Pillow's GIF writer reads the frames one by one (8-bit palette images kept until the end).
        rest: Iterator | list = (to_gif(image) for image in images)
        first = to_gif(first)
        options = {"loop": 0, "duration": round(frame_ms), "disposal": 1}
    else:
        rest = list(images)  # APNG and WebP look at every frame before writing
        options = {"loop": 0, "duration": round(frame_ms)}
        if kind == "WebP":
            options.update(lossless=True, method=0)
        else:
            options.update(compress_level=3)  # a fifth of the default's time, a few % larger
    with open(temp, "wb") as stream:
        first.save(stream, format="PNG" if kind == "APNG" else kind.upper(), save_all=True,
                   append_images=rest, **options)
        stream.flush()
        os.fsync(stream.fileno())


def _write_mp4(temp: Path, frames: Iterator[np.ndarray], fps: float) -> None:
    import imageio_ffmpeg

    first = next(frames, None)
    if first is None:
        raise ValueError("there are no frames to write")
    height, width = first.shape[:2]
    even = (width - width % 2, height - height % 2)  # H.264 in yuv420p needs even sides
    writer = imageio_ffmpeg.write_frames(str(temp), even, fps=fps, codec="libx264", pix_fmt_out="yuv420p",
                                         macro_block_size=1, quality=8, output_params=["-f", "mp4"],
                                         ffmpeg_log_level="error")
    writer.send(None)  # start ffmpeg
    try:
        for frame in _chain(first, frames):
            writer.send(np.ascontiguousarray(frame[: even[1], : even[0]]))
    finally:
        writer.close()


def _chain(first: np.ndarray, rest: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    yield first
    yield from rest


__all__ = ["ANIMATION_FORMATS", "MP4_HINT", "AnimationCancelled", "AnimationEncoder", "animation_format",
           "mp4_available"]
