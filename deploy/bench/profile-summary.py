#!/usr/bin/env python3
"""Summarises async-profiler's collapsed stacks (one file per process and path, from request-path.sh --profile).

First, with --interval-ms and --requests, a table of CPU time per request of each process on each path (samples
times the sampling interval, over the requests the path served while it was sampled). Then for each file: the
samples, the share of samples whose stack contains each concern below (a stack may count for several: the shares are
"in stacks that contain", as a flame graph's widths), and the top self frames.

    deploy/bench/profile-summary.py DIR [--top 12] [--interval-ms 5 --requests allowed=35000,firewall=38000,...]
    deploy/bench/profile-summary.py FILE.collapsed --below REGEX [--depth 3] [--min-share 0.5]

The second form prints, for one file, the frames called below the first frame of each stack that matches REGEX, as
an indented tree to DEPTH levels, each with its share of all the file's samples (those of at least MIN-SHARE %).
"""
import collections
import pathlib
import re
import sys

# (label, pattern on a frame): what a request on the data plane spends its time on
CONCERNS = [
    ("TLS", r"sun/security/ssl|SSLEngine|SslHandler|com/sun/crypto/provider/GaloisCounterMode"),
    ("HTTP framework (Vert.x, Netty, RESTEasy)", r"io/vertx|io/netty/handler/codec/http|org/jboss/resteasy"),
    ("token verification", r"dev/moat/token|org/jose4j"),
    ("gRPC Check", r"io/grpc|dev/moat/vault/firewall/.*Policy|PolicyDecision"),
    ("decision-event spool", r"Spool"),
    ("fsync", r"force0|fdatasync|fsync"),
    ("Kafka client", r"org/apache/kafka"),
    ("H2", r"org/h2/"),
    ("PostgreSQL driver", r"org/postgresql"),
    ("JSON (Jackson)", r"com/fasterxml/jackson"),
    ("logging", r"org/jboss/logmanager|org/jboss/logging"),
    ("secret decryption", r"dev/moat/vault/crypto"),
    ("policy evaluation", r"dev/moat/policy/decision"),
    ("protobuf", r"com/google/protobuf"),
    ("GC and JIT threads", r"^\[?(GC|G1|C1|C2|VM Thread|CompilerThread)|G1.*::|CompileBroker"),
]


def stacks(path):
    """The file's stacks: (frames, root first; samples), one per line "frame;frame;... count"."""
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit():
            yield stack.split(";"), int(count)


def summarise(path, top):
    total = 0
    containing = collections.Counter()
    selves = collections.Counter()
    for frames, n in stacks(path):
        total += n
        for label, pattern in CONCERNS:
            if any(re.search(pattern, f) for f in frames):
                containing[label] += n
        selves[frames[-1]] += n
    print(f"### {path.stem}: {total} samples\n")
    if not total:
        return
    print("| in stacks that contain | share |\n|---|---:|")
    for label, _ in CONCERNS:
        if containing[label]:
            print(f"| {label} | {100 * containing[label] / total:.0f} % |")
    print("\n| top self frames | share |\n|---|---:|")
    for frame, n in selves.most_common(top):
        print(f"| `{frame[:110]}` | {100 * n / total:.1f} % |")
    print()


def samples(path):
    return sum(n for _, n in stacks(path))


def cpu_per_request(directory, interval_ms, requests):
    """Per path, per process: CPU microseconds per request served while sampled."""
    files = sorted(directory.glob("*.collapsed"))
    # <path>-<process>.collapsed, where a path's name may hold a hyphen and a process's is one of these
    processes = sorted({m.group(1) for f in files
                        if (m := re.search(r"-(kafka|policy-service|vault-service|audit-service)$", f.stem))})
    print("| path | requests | " + " | ".join(f"{p} µs CPU/request" for p in processes) + " | all four |")
    print("|---|---:|" + "---:|" * (len(processes) + 1))
    for name, count in requests.items():
        row, total = [], 0.0
        for process in processes:
            f = directory / f"{name}-{process}.collapsed"
            micros = samples(f) * interval_ms * 1000 / count if f.exists() and count else 0.0
            total += micros
            row.append(f"{micros:.0f}")
        print(f"| {name} | {count:,} | " + " | ".join(row) + f" | {total:.0f} |")
    print()


def below(path, pattern, depth, min_share):
    """The call tree under the first frame matching pattern, each node's share of all samples in the file."""
    parsed = list(stacks(path))
    total = sum(n for _, n in parsed)
    nodes = collections.Counter()
    for frames, n in parsed:
        at = next((i for i, f in enumerate(frames) if re.search(pattern, f)), None)
        if at is None:
            continue
        branch = tuple(frames[at:at + depth + 1])
        for d in range(1, len(branch) + 1):
            nodes[branch[:d]] += n
    print(f"| below `{pattern}` in {path.name} ({total} samples) | share |\n|---|---:|")
    for branch, n in sorted(nodes.items()):
        if total and 100 * n / total >= min_share:
            indent = "&nbsp;&nbsp;" * (len(branch) - 1)
            print(f"| {indent}`{branch[-1].rsplit('/', 1)[-1][:100]}` | {100 * n / total:.1f} % |")
    print()


def option(args, name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def main():
    args = sys.argv[1:]
    top = int(option(args, "--top", "12"))
    interval_ms = float(option(args, "--interval-ms", "0"))
    requests = option(args, "--requests", "")
    pattern = option(args, "--below", "")
    depth = int(option(args, "--depth", "3"))
    min_share = float(option(args, "--min-share", "0.5"))
    if len(args) != 1:
        sys.exit(__doc__)
    if pattern:
        below(pathlib.Path(args[0]), pattern, depth, min_share)
        return
    directory = pathlib.Path(args[0])
    if interval_ms and requests:
        cpu_per_request(directory, interval_ms,
                        {k: int(float(v)) for k, v in (pair.split("=") for pair in requests.split(","))})
    for path in sorted(directory.glob("*.collapsed")):
        summarise(path, top)


if __name__ == "__main__":
    main()
