"""Load test: the production server (gunicorn, as in docs/deploying.md) under a realistic mix, from a second process.

Starts `gunicorn -w N -b 127.0.0.1:<free port> 'app:create_app()'` (127.0.0.1 only), waits for
/api/health, then drives it from this process with C concurrent clients (asyncio, one plain
HTTP/1.1 request per connection: gunicorn's sync workers close every connection anyway) until the
request count or the time cap is reached, whichever comes first. Then it stops the server.

Scenario (weights change with --mix):
  80%  POST /api/check      JSON {"text", "day"} with real labels from ../shared/data
  10%  POST /               the result page (the patient's form POST)
  10%  POST /api/extract    the saved Sephora pages in ../shared/data/html_sephora_2020/
Only labels and pages that the checker reads (a 200 answer) are sent, so every other status is an
error. Rate limits are switched off on the server (RATELIMIT_ENABLED=0): from one address the
HTML imports alone would pass the per-minute limit within a second.

Attack mix (--attack, issue 16): rate limits ON, and from one attacker address (127.0.0.1), each
endpoint's worst input at 95% of the rate that address is allowed by the RATELIMIT_* settings
(benchmarks/attack.py): labels of random words as large as AFTERCHECK_MAX_BYTES allows to
/api/check, a pathological page to /api/extract, imports of a dripping page and of a redirect chain
served on 127.0.0.1 (sharing the URL-import allowance; the server runs with
AFTERCHECK_IMPORT_ALLOW_PRIVATE=1 for this), a dense photo to /api/photo. The
patients' requests come from rotating addresses in 127.1.0.0/16, one per request (a waiting room,
not one client), so no patient reaches a limit. Target: patients' checks p99 <= 100 ms, no patient
request answered with anything but 200, no request of either side left without an answer.
--attack-kinds picks a subset (e.g. without bad_page while page reading is not yet linear).

Prints requests/s, checks/s, p50/p95/p99 latency (all requests and per kind), the error count,
and the server's peak RSS (gunicorn master + workers, summed, sampled every 0.2 s from /proc).

    python3 benchmarks/load_test.py                       # 2 workers, 32 clients, 20,000 requests, 60 s cap
    python3 benchmarks/load_test.py --rate 500             # open loop: 500 requests/s offered (400 checks/s)
    python3 benchmarks/load_test.py --workers 3 --threads 4 --clients 32 --requests 30000
    python3 benchmarks/load_test.py --soak 300            # 5 minutes; RSS growth after warm-up must stay < 10%
    python3 benchmarks/load_test.py --attack --rate 200 --duration 90   # patients at 200 requests/s under attack

Exit status 1 when a target is missed (checks/s, p99, errors; in soak mode RSS growth), so the
script can gate a release. Traffic goes to 127.0.0.1 only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import attack  # noqa: E402
from benchmarks.labels import SHARED_DATA, load_labels  # noqa: E402

try:
    import uvloop
except ImportError:  # optional: the generator then runs on asyncio's own loop
    uvloop = None

PAGES = SHARED_DATA / "html_sephora_2020"
TARGET_CHECKS_PER_S, TARGET_P99_MS, TARGET_RSS_GROWTH = 400, 100, 0.10
# An attack request not answered in this time counts as dropped (the server may still be working on it).
ATTACK_TIMEOUT_S = 120


# --- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    port: int, workers: int, threads: int | None, worker_class: str | None, attack: bool = False
) -> subprocess.Popen:
    """gunicorn as deployed (gunicorn.conf.py's worker class and threads unless given)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if worker_class:
        command += ["-k", worker_class]
    if threads:
        command += ["--threads", str(threads)]
    command.append("app:create_app()")
    env = {**os.environ, "RATELIMIT_ENABLED": "0"}
    if attack:  # limits as deployed; the hostile sites live on 127.0.0.1
        env.update(RATELIMIT_ENABLED="1", AFTERCHECK_IMPORT_ALLOW_PRIVATE="1")
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /api/health within a minute")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def family(pid: int, depth: int | None = None) -> set[int]:
    """`pid` and its descendants (gunicorn master + workers + their OCR children), from /proc;
    with `depth`, only that many generations below `pid` (1: the master and its workers)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    members, frontier = {pid}, [(pid, 0)]
    while frontier:
        parent, generation = frontier.pop()
        if depth is not None and generation >= depth:
            continue
        for child, ppid in parents.items():
            if ppid == parent and child not in members:
                members.add(child)
                frontier.append((child, generation + 1))
    return members


def cpu_seconds(pids: set[int]) -> float:
    """User + system CPU seconds used so far by these processes."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            pass
    return total


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and its children (gunicorn master + workers), from /proc."""
    total = 0
    for member in family(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


class RssSampler(threading.Thread):
    """Samples the server's RSS every `every` seconds: (seconds since start, bytes)."""

    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self._halt = pid, every, [], threading.Event()
        self.started_at = time.monotonic()

    def run(self):
        while not self._halt.is_set():
            self.samples.append((time.monotonic() - self.started_at, tree_rss(self.pid)))
            self._halt.wait(self.every)

    def stop(self):
        self._halt.set()
        self.join()

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)


# --- the requests ------------------------------------------------------------------------------------


def http_request(method: str, path: str, body: bytes, content_type: str) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode("ascii") + body


def build_requests(sample: int, seed: int) -> dict[str, list[bytes]]:
    """Pre-encoded requests per kind, from labels and pages the checker reads (answer 200)."""
    from checker import InputError, get_checker
    from sources.page import NoIngredientList, extract

    rng = random.Random(seed)
    checker = get_checker()
    labels = [text for _, text in load_labels()]
    if not labels:
        raise SystemExit(f"no labels found under {SHARED_DATA} (set AFTERCHECK_SHARED_DATA)")
    rng.shuffle(labels)
    readable = []
    for text in labels:
        try:
            if checker.check(text).recognised:
                readable.append(text)
        except InputError:
            continue
        if len(readable) >= sample:
            break
    pages = []
    for path in sorted(PAGES.glob("*.html")):
        html = path.read_text(encoding="utf-8", errors="replace")
        try:
            extract(html, checker=checker)
        except NoIngredientList:
            continue
        pages.append(json.dumps({"html": html, "url": f"https://www.sephora.com/{path.stem}", "day": 3}).encode())
    if not pages:
        raise SystemExit(f"no saved pages found under {PAGES}")
    checks = [
        http_request(
            "POST", "/api/check", json.dumps({"text": t, "day": rng.randint(0, 14)}).encode(), "application/json"
        )
        for t in readable
    ]
    forms = [
        http_request(
            "POST",
            "/",
            urlencode({"text": t, "day": str(rng.randint(0, 14))}).encode(),
            "application/x-www-form-urlencoded",
        )
        for t in readable[:500]
    ]
    extracts = [http_request("POST", "/api/extract", page, "application/json") for page in pages]
    return {"check": checks, "page": forms, "extract": extracts}


def patient_addresses():
    """127.1.0.1, 127.1.0.2, ...: one source address per patient request (all loopback on Linux)."""
    number = 0
    while True:
        number += 1
        yield f"127.1.{number // 250 % 250}.{number % 250 + 1}"


async def send(port: int, raw: bytes, timeout: float, source: str | None = None) -> int:
    """One request on its own connection; returns the HTTP status (0 for a broken answer)."""
    local = (source, 0) if source else None
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port, local_addr=local), timeout)
    try:
        writer.write(raw)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)  # the server closes the connection
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            return 0  # a truncated answer counts as an error
    return status


async def drive(
    port: int,
    requests: dict[str, list[bytes]],
    mix: dict[str, float],
    clients: int,
    total: int,
    cap_s: float,
    seed: int,
    timeout: float,
    rate: float = 0.0,
    attacks: dict[str, list[bytes]] | None = None,
) -> tuple[list, float]:
    """`clients` coroutines send until `total` requests or `cap_s` seconds.

    rate 0: closed loop, each client sends its next request as soon as the last one is answered
    (the server's saturation throughput; latency is then mostly queueing: clients / throughput).
    rate > 0: open loop, request k is due at k / rate seconds; a free client sends it then, and its
    latency counts from when it was due, so time spent waiting for a free client is included.
    attacks: also run the attack mix (kind -> requests) for the same time; its results are in the
    list too, under their own kinds.
    """
    rng = random.Random(seed)
    kinds, weights = list(mix), list(mix.values())
    plan = [(kind, rng.choice(requests[kind])) for kind in rng.choices(kinds, weights, k=total)]
    results: list[tuple[str, float, float, int, str]] = []  # kind, start, seconds, status, error
    cursor = enumerate(plan)
    started = time.perf_counter()
    deadline = started + cap_s
    sources = patient_addresses() if attacks else None

    async def client():
        for number, (kind, raw) in cursor:
            if time.perf_counter() >= deadline:
                return
            begin = time.perf_counter()
            if rate:
                due = started + number / rate
                if due > begin:
                    await asyncio.sleep(due - begin)
                begin = due
            try:
                status, error = await send(port, raw, timeout, next(sources) if sources else None), ""
            except (TimeoutError, OSError) as exc:
                status, error = 0, type(exc).__name__
            results.append((kind, begin - started, time.perf_counter() - begin, status, error))

    attackers = asyncio.gather(
        *(attacker(port, kinds, results, started, deadline) for kinds in attack_schedule(attacks or {}))
    )
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started  # the patients' time: attacks still under way may end later
    await attackers
    return results, elapsed


def attack_schedule(attacks: dict[str, list[bytes]]) -> list[list[tuple[str, list[bytes], float]]]:
    """One sender per rate-limit allowance: [(kind, requests, seconds between sends), ...] each.
    Sends at 95% of the allowance, so the limiter never has to refuse the attacker."""
    every = {kind: 60 / allowed / 0.95 for kind, allowed in attack.per_minute().items()}
    senders = []
    for kind in ("big_check", "bad_page", "photo"):
        if kind in attacks:
            senders.append([(kind, attacks[kind], every[kind])])
    imports = [kind for kind in ("drip", "redirect") if kind in attacks]
    if imports:  # the two kinds of import share one allowance: they take turns
        senders.append([(kind, attacks[kind], every["import"] * len(imports)) for kind in imports])
    return senders


async def attacker(port: int, kinds, results: list, started: float, deadline: float) -> None:
    """Send each kind of `kinds` on its own schedule from 127.0.0.1, never waiting for an answer."""
    pending = set()

    async def one(kind: str, raw: bytes, due: float):
        try:
            status, error = await send(port, raw, ATTACK_TIMEOUT_S, "127.0.0.1"), ""
        except (TimeoutError, OSError) as exc:
            status, error = 0, type(exc).__name__
        results.append((kind, due - started, time.perf_counter() - due, status, error))

    plan = []
    for offset, (kind, requests, every) in enumerate(kinds):
        number, due = 0, started + offset * every / len(kinds)
        while due < deadline:
            plan.append((due, kind, requests[number % len(requests)]))
            number, due = number + 1, due + every
    for due, kind, raw in sorted(plan, key=lambda step: step[0]):
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        pending.add(asyncio.ensure_future(one(kind, raw, due)))
    if pending:
        await asyncio.gather(*pending)


def run_loop(coroutine):
    """Run on uvloop when installed (requirements-test.txt): the generator shares the server's two
    cores, and uvloop spends about a third less CPU per request than asyncio's own loop."""
    return (uvloop.run if uvloop else asyncio.run)(coroutine)


# --- the report ---------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summarise(results: list, elapsed: float, skip_s: float = 0.0) -> dict:
    measured = [r for r in results if r[1] >= skip_s]
    span = max(elapsed - skip_s, 1e-9)
    out = {
        "requests": len(measured),
        "seconds": round(span, 1),
        "requests_per_s": round(len(measured) / span, 1),
        "errors": sum(1 for r in measured if r[3] != 200),
    }
    for kind in sorted({r[0] for r in measured}) + ["all"]:
        times = [r[2] * 1000 for r in measured if kind in ("all", r[0])]
        out[kind] = {
            "count": len(times),
            "per_s": round(len(times) / span, 1),
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times), 1),
        }
    failures: dict[str, int] = {}
    for r in measured:
        if r[3] != 200:
            failures[f"{r[0]} {r[3] or r[4]}"] = failures.get(f"{r[0]} {r[3] or r[4]}", 0) + 1
    out["error_kinds"] = failures
    return out


def summarise_attack(results: list) -> dict:
    """Per attack kind: how many were sent, the statuses they got, how long they took."""
    out = {}
    for kind in sorted({r[0] for r in results}):
        rows = [r for r in results if r[0] == kind]
        statuses: dict[str, int] = {}
        for r in rows:
            statuses[str(r[3] or r[4])] = statuses.get(str(r[3] or r[4]), 0) + 1
        seconds = [r[2] for r in rows]
        out[kind] = {
            "sent": len(rows),
            "statuses": statuses,
            "unanswered": sum(1 for r in rows if not r[3]),
            "p50_s": round(percentile(seconds, 50), 2),
            "max_s": round(max(seconds), 2),
        }
    return out


def print_attack(attacks: dict) -> None:
    print(f"{'attack':<10} {'sent':>5} {'p50 s':>7} {'max s':>7}  statuses")
    for kind, row in attacks.items():
        print(f"{kind:<10} {row['sent']:>5} {row['p50_s']:>7} {row['max_s']:>7}  {row['statuses']}")


def print_summary(summary: dict, peak_rss: int, config: str) -> None:
    print(f"\n{config}")
    print(
        f"{summary['requests']:,} requests in {summary['seconds']} s: {summary['requests_per_s']:,} requests/s, "
        f"{summary.get('check', {}).get('per_s', 0):,} checks/s, {summary['errors']} errors "
        f"{summary['error_kinds'] or ''}"
    )
    print(f"{'kind':<8} {'count':>7} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in ("check", "page", "extract", "all"):
        row = summary.get(kind)
        if row:
            print(
                f"{kind:<8} {row['count']:>7,} {row['per_s']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
                f"{row['p99_ms']:>8} {row['max_ms']:>8}"
            )
    print(f"server peak RSS (master + workers): {peak_rss / 1e6:,.0f} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: gunicorn.conf.py's)")
    parser.add_argument("--worker-class", default=None, help="gunicorn worker class (default: gunicorn.conf.py's)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="open loop at this many requests/s in total (default 0: closed loop, as fast as answered)",
    )
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many requests (default 20,000)")
    parser.add_argument("--duration", type=float, default=60.0, help="time cap in seconds (default 60)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds left out of the figures (default 2)")
    parser.add_argument("--mix", default="check=80,page=10,extract=10", help="weights per kind")
    parser.add_argument(
        "--soak",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="soak mode: run this long (e.g. 300) and report RSS growth after the first minute",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--attack", action="store_true", help="add the attack mix (rate limits on; see above)")
    parser.add_argument(
        "--attack-kinds", default="big_check,bad_page,drip,redirect,photo", help="the attack kinds to send"
    )
    args = parser.parse_args(argv)
    mix = {kind: float(weight) for kind, weight in (part.split("=") for part in args.mix.split(","))}
    if args.soak:
        args.duration, args.requests = args.soak, max(args.requests, int(args.soak * 2000))

    print("preparing requests from real labels and saved pages ...", flush=True)
    requests = build_requests(sample=3000, seed=args.seed)
    print(f"{len(requests['check']):,} labels, {len(requests['extract'])} pages", flush=True)
    port = free_port()
    hostile = attack.HostileSite() if args.attack else None
    attacks = None
    if hostile:
        print("preparing the attack mix ...", flush=True)
        wanted = args.attack_kinds.split(",")
        every_s = 60 / attack.per_minute()["big_check"]
        made = attack.attack_requests(args.seed, hostile.port, big_checks=int(args.duration / every_s) + 2)
        attacks = {kind: made[kind] for kind in wanted}
        hostile.__enter__()
    server = start_server(port, args.workers, args.threads, args.worker_class, attack=args.attack)
    try:
        wait_healthy(port, server)
        sampler = RssSampler(server.pid, every=0.2 if not args.soak else 1.0)
        server_pids = family(server.pid)
        worker_pids = family(server.pid, depth=1)
        server_cpu, own_cpu = cpu_seconds(server_pids), time.process_time()
        sampler.start()
        results, elapsed = run_loop(
            drive(
                port,
                requests,
                mix,
                args.clients,
                args.requests,
                args.duration,
                args.seed,
                args.timeout,
                args.rate,
                attacks,
            )
        )
        sampler.stop()
        server_cpu, own_cpu = cpu_seconds(server_pids) - server_cpu, time.process_time() - own_cpu
        # workers gunicorn killed (timeout) or lost; OCR children the app kills on purpose do not count
        restarted = len(worker_pids - family(server.pid, depth=1))
    finally:
        stop_server(server)
        if hostile:
            hostile.__exit__(None, None, None)

    config = (
        f"gunicorn -w {args.workers}"
        + (f" -k {args.worker_class}" if args.worker_class else "")
        + (f" --threads {args.threads}" if args.threads else "")
        + " (and gunicorn.conf.py)"
        + f", {args.clients} clients"
        + (f", open loop at {args.rate:g} requests/s" if args.rate else ", closed loop")
        + f", mix {args.mix}, {os.cpu_count()} CPUs shared with this load generator"
        + f" ({'uvloop' if uvloop else 'asyncio loop'})"
    )
    if args.attack:
        config += f", attack mix {args.attack_kinds} (rate limits on)"
    attack_results = [r for r in results if r[0] not in mix]
    summary = summarise([r for r in results if r[0] in mix], elapsed, skip_s=args.warmup)
    print_summary(summary, sampler.peak, config)
    if args.attack:
        summary["attack"] = summarise_attack(attack_results)
        print_attack(summary["attack"])
    if restarted:
        print(f"WARNING: {restarted} worker process(es) were replaced during the run (worker timeout?)")
    summary["workers_replaced"] = restarted
    summary["cpu"] = {
        "server_s": round(server_cpu, 1),
        "load_generator_s": round(own_cpu, 1),
        "wall_s": round(elapsed, 1),
    }
    print(
        f"CPU over {elapsed:.1f} s: server {server_cpu:.1f} s, this load generator {own_cpu:.1f} s "
        f"(of {os.cpu_count() * elapsed:.0f} core-seconds; the rest went to other work on the machine)"
    )
    ok = summary["errors"] == 0 and not restarted
    if args.attack:
        dropped = sum(row["unanswered"] for row in summary["attack"].values())
        met = summary.get("check", {}).get("p99_ms", float("inf")) <= TARGET_P99_MS and dropped == 0
        print(
            f"attack targets: patients' checks p99 <= {TARGET_P99_MS} ms, every patient request 200, "
            f"every request answered: {'met' if met and ok else 'NOT met'}"
        )
        ok = ok and met
    elif args.soak:
        baseline_at = min(60.0, args.soak / 5)
        after = [rss for t, rss in sampler.samples if t >= baseline_at]
        baseline, final = (after[0], statistics.median(after[-10:])) if after else (0, 0)
        growth = (final - baseline) / baseline if baseline else float("nan")
        summary["rss"] = {
            "baseline_after_s": baseline_at,
            "baseline_mb": round(baseline / 1e6),
            "final_mb": round(final / 1e6),
            "peak_mb": round(sampler.peak / 1e6),
            "growth": round(growth, 4),
            "start_mb": round(sampler.samples[0][1] / 1e6) if sampler.samples else 0,
        }
        print(
            f"RSS: {summary['rss']['start_mb']} MB at start, {baseline / 1e6:.0f} MB after {baseline_at:.0f} s, "
            f"{final / 1e6:.0f} MB at the end: growth {growth:+.1%} (target < {TARGET_RSS_GROWTH:.0%})"
        )
        ok = ok and growth < TARGET_RSS_GROWTH
    else:
        check = summary.get("check", {})
        met = check.get("per_s", 0) >= TARGET_CHECKS_PER_S and summary["all"]["p99_ms"] <= TARGET_P99_MS
        print(
            f"targets: >= {TARGET_CHECKS_PER_S} checks/s and p99 <= {TARGET_P99_MS} ms with 0 errors: "
            f"{'met' if met and ok else 'NOT met'}"
        )
        ok = ok and met
    summary["peak_rss_mb"] = round(sampler.peak / 1e6)
    summary["config"] = config
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
