"""gunicorn's settings for Aftercheck: read from the working directory, so the README's
`gunicorn -w 2 -b 127.0.0.1:8000 'app:create_app()'` uses them; the command line still wins.

Threaded workers (gthread): a worker process serves `threads` requests at once, so a URL import
waiting on a slow site, or a photo waiting on Tesseract, holds one thread rather than the whole
process. At most AFTERCHECK_SLOW_WORK_SLOTS of those run per process (web/slow_work.py), and
start-up stops unless every worker keeps at least one thread beyond them for patients' checks.
Each worker also switches threads more often than Python's default (post_fork). Why this and not
more sync workers: docs/deploying.md.

A result's link carries its label (web/result_links.py), so request lines may be as long as gunicorn
allows, and the access log (when one is asked for) writes the path without its query string: a
link's query is a patient's label (docs/web.md, "Result links").
"""

worker_class = "gthread"
threads = 4
limit_request_line = 8190  # gunicorn's largest; its default 4094 would refuse longer result links
# gunicorn's default format with %(U)s (the path) instead of %(r)s (the request line with its query)
# and without the referrer (a page that links to a result may carry the result's link in its own).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'


def threads_per_worker(cfg) -> int:
    """Requests one worker process serves at once: its threads, or 1 for a sync worker."""
    return cfg.threads if cfg.worker_class_str == "gthread" else 1


def on_starting(server):
    """Stop before any worker starts when slow work could take every thread of a worker."""
    from config import settings  # imported here: gunicorn has put the app's directory on sys.path by now

    slots = settings()["AFTERCHECK_SLOW_WORK_SLOTS"]
    if server.cfg.worker_class_str in ("sync", "gthread") and threads_per_worker(server.cfg) <= slots:
        message = (
            f"gunicorn would run {threads_per_worker(server.cfg)} request(s) per worker, and "
            f"AFTERCHECK_SLOW_WORK_SLOTS={slots} URL imports or photos may hold all of them, leaving no "
            f"thread for patients' checks: use the gthread worker with more threads than that, say "
            f"--threads {slots + 2} (gunicorn.conf.py, docs/deploying.md)"
        )
        server.log.error(message)
        raise SystemExit(message)


def post_fork(server, worker):
    """A worker's connection loop needs the interpreter lock for every request it accepts or
    answers; with the default 5 ms switch interval it waits that long behind a thread that
    computes, which caps the requests a worker can take in (docs/measurements.md#load-and-soak)."""
    import sys

    sys.setswitchinterval(0.001)
