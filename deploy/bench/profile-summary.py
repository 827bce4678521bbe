#!/usr/bin/env python3
"""Summarises async-profiler's collapsed stacks (one file per process and path, from request-path.sh --profile).

For each file: the samples, then the share of samples whose stack contains each concern below (a stack may count
for several: the shares are "in stacks that contain", as a flame graph's widths), then the top self frames.

    deploy/bench/profile-summary.py DIR [--top 12]
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


def summarise(path, top):
    total = 0
    containing = collections.Counter()
    selves = collections.Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
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


def main():
    args = sys.argv[1:]
    top = 12
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    for path in sorted(pathlib.Path(args[0]).glob("*.collapsed")):
        summarise(path, top)


if __name__ == "__main__":
    main()
