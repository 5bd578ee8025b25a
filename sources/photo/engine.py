"""OCR engines, each run under a hard time limit that ends the engine's own process.

In:  a prepared picture (numpy array or PIL image) and a time limit in seconds.
Out: `ppocr(rgb, seconds) -> list[Box]`: PP-OCR (the models inside the `rapidocr` wheel, run by
     ONNX Runtime): the text of each line piece it found, its confidence and its corner points.
     `tesseract(gray, seconds) -> list[list[(word, confidence)]]`: Tesseract's lines, read order.
     `OCRTimeout` when the limit passed (the engine's process was killed), `OCRUnavailable`
     (`TesseractMissing`) when an engine is not installed.
     `Budget`: the time and the number of engine runs one photo may take, with an injectable clock.

PP-OCR runs in a child process that stays up between photos (loading the models takes seconds):
a run that passes its limit kills that child, and the next run starts a new one. Tesseract is a
child process already (pytesseract kills it at the limit). Nothing is downloaded: the models come
with the package, and the engine is only ever given the files inside it.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# Tesseract's OpenMP threads spin-wait for each other: on a busy server (several requests, two
# cores) one thread per page is several times faster (docs/measurements.md). Only the tesseract
# child process reads it.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# Both engines run in child processes at a lower priority: on a server's shared cores a patient's
# check (a millisecond) must not wait behind seconds of OCR.
OCR_NICENESS = 10

TESSERACT_CONFIG = "--oem 1 --psm 3"  # LSTM engine, automatic page layout (finds columns)
STARTUP_SECONDS = 60.0  # loading PP-OCR's models in a new child process (once per server process)
PPOCR_THREADS = 2  # ONNX Runtime threads in the child


class OCRUnavailable(RuntimeError):
    """No OCR engine can run on this server."""


class TesseractMissing(OCRUnavailable):
    """The tesseract program is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)."""


class OCRTimeout(RuntimeError):
    """An engine run passed its time limit; its process was ended."""


@dataclass(frozen=True)
class Box:
    """A piece of a line read by PP-OCR: its text, confidence 0-1 and four corners (x, y)."""

    text: str
    confidence: float
    corners: tuple[tuple[float, float], ...]


class Budget:
    """How long and how many engine runs one photo may take.

    `take()` gives the time limit of the next run (the per-run limit, or what is left of the
    photo's total if less) and counts the run; None when the runs or the time are spent.
    """

    def __init__(
        self, seconds: float = 12.0, runs: int = 4, run_seconds: float = 8.0, clock: Callable = time.monotonic
    ):
        self.clock = clock
        self.deadline = clock() + seconds
        self.runs_left = runs
        self.run_seconds = run_seconds
        self.runs = 0

    def take(self) -> float | None:
        left = self.deadline - self.clock()
        if self.runs_left <= 0 or left <= 0.5:
            return None
        self.runs_left -= 1
        self.runs += 1
        return min(self.run_seconds, left)


# --- Tesseract ----------------------------------------------------------------------------------


def _pytesseract():
    import pytesseract  # imported late: the checker works without it for pasted text

    return pytesseract


def tesseract_available() -> bool:
    try:
        _pytesseract().get_tesseract_version()
        return True
    except Exception:  # ImportError, TesseractNotFoundError, a broken install
        return False


def tesseract(gray, seconds: float) -> list[list[tuple[str, float]]]:
    """Tesseract on a prepared grey image -> its lines of (word, confidence 0-1), in reading order.

    One line per printed line: Tesseract starts a new block wherever the spacing changes, often
    mid-name, so blocks and paragraphs are not kept apart."""
    pytesseract = _pytesseract()
    try:
        data = pytesseract.image_to_data(
            gray,
            lang="eng",
            config=TESSERACT_CONFIG,
            output_type=pytesseract.Output.DICT,
            timeout=seconds,
            nice=OCR_NICENESS,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractMissing(str(exc)) from None
    except RuntimeError as exc:  # pytesseract's 'Tesseract process timeout', after killing it
        if "timeout" in str(exc).lower():
            raise OCRTimeout(f"tesseract passed {seconds:.1f} s") from None
        raise
    lines: list[list[tuple[str, float]]] = []
    keys: list[tuple[int, int, int]] = []
    for i, word in enumerate(data["text"]):
        word = word.strip()
        confidence = float(data["conf"][i])
        if not word or confidence < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if not keys or keys[-1] != key:
            keys.append(key)
            lines.append([])
        lines[-1].append((word, confidence / 100.0))
    return lines


# --- PP-OCR in a child process ------------------------------------------------------------------


def ppocr_available() -> bool:
    return all(importlib.util.find_spec(name) for name in ("rapidocr", "onnxruntime"))


def _ppocr_engine(threads: int):
    """The rapidocr engine with the models shipped in its wheel (no download, quiet)."""
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def _ppocr_serve(connection, threads: int) -> None:
    """The child's loop: picture in, [(text, confidence, corners)] out, until the pipe closes."""
    engine = _ppocr_engine(threads)
    engine(np.full((48, 160, 3), 255, np.uint8))  # the first run sets ONNX Runtime up: not on a photo's time
    connection.send(("ready", None))
    while True:
        try:
            picture = connection.recv()
        except EOFError:
            return
        try:
            out = engine(picture)
            boxes = [] if out.boxes is None else out.boxes
            found = [
                (str(text), float(score), tuple((float(x), float(y)) for x, y in corners))
                for corners, text, score in zip(boxes, out.txts or (), out.scores or (), strict=False)
            ]
            connection.send(("ok", found))
        except Exception as exc:  # a picture the engine cannot take: say so, stay up
            connection.send(("error", f"{exc.__class__.__name__}: {exc}"))


class Worker:
    """A child process that serves one request at a time; killed when a request passes its limit.

    `target(connection, *args)` runs in the child: it sends ("ready", None) once, then answers each
    request with ("ok", result) or ("error", message)."""

    def __init__(self, target: Callable, *args):
        self.target, self.args = target, args
        self.process = None
        self.connection = None
        self.owner = None  # the process that started the child: a forked copy must start its own
        self.lock = threading.Lock()  # one request at a time per worker

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> None:
        """Start the child unless it is running (loading takes up to STARTUP_SECONDS)."""
        with self.lock:
            if self.process is not None and self.owner != os.getpid():
                self.process = self.connection = None  # the parent's child, inherited by a fork
            if self.process is None or not self.process.is_alive():
                self._start()

    def call(self, request, seconds: float):
        self.start()
        with self.lock:
            if self.process is None:
                raise OCRUnavailable("the OCR engine stopped")
            self.connection.send(request)
            if not self.connection.poll(seconds):
                self.stop()
                raise OCRTimeout(f"the OCR engine passed {seconds:.1f} s")
            try:
                status, result = self.connection.recv()
            except EOFError:  # the child died (out of memory, a crash): a new one next time
                self.stop()
                raise OCRUnavailable("the OCR engine stopped") from None
        if status != "ok":
            raise OCRUnavailable(result)
        return result

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        ours, theirs = context.Pipe()
        self.process = context.Process(target=self.target, args=(theirs, *self.args), daemon=True)
        self.process.start()
        # lowered from here at once: loading the engine's libraries is seconds of CPU too
        os.setpriority(os.PRIO_PROCESS, self.process.pid, OCR_NICENESS)
        self.owner = os.getpid()
        theirs.close()
        self.connection = ours
        try:
            ready = ours.poll(STARTUP_SECONDS) and ours.recv()[0] == "ready"
        except EOFError:  # the child died while loading
            ready = False
        if not ready:
            self.stop()
            raise OCRUnavailable("the OCR engine did not start")

    def stop(self) -> None:
        """End the child (SIGKILL) and wait for it, so no engine outlives its request."""
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None
        if self.connection is not None:
            self.connection.close()
            self.connection = None


_PPOCR = Worker(_ppocr_serve, PPOCR_THREADS)


def warm() -> None:
    """Start the PP-OCR child now, if it is not running; read_image calls it before PP-OCR's run,
    so that loading the models is not on the photo's budget."""
    if ppocr_available():
        _PPOCR.start()


def warm_in_background() -> threading.Thread | None:
    """Start loading PP-OCR's models without waiting for them (a server at start-up): the first
    photo that needs PP-OCR then does not wait for the whole load. None when PP-OCR is missing."""
    if not ppocr_available():
        return None

    def load():
        try:
            warm()
        except OCRUnavailable:
            pass  # said again, and Tesseract used, when a photo needs it

    thread = threading.Thread(target=load, name="ppocr-warm", daemon=True)
    thread.start()
    return thread


def ppocr(rgb: np.ndarray, seconds: float, worker: Worker | None = None) -> list[Box]:
    """PP-OCR on an RGB picture -> the line pieces it read (any order, any angle)."""
    if worker is None and not ppocr_available():
        raise OCRUnavailable("rapidocr and onnxruntime are not installed")
    found = (worker or _PPOCR).call(np.ascontiguousarray(rgb), seconds)
    return [Box(text, confidence, corners) for text, confidence, corners in found if text.strip()]
