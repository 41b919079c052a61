#!/usr/bin/env bash
# Builds Vigil's JMH benchmarks (deploy/src/jmh/java) and runs them (single thread).
#   deploy/jmh.sh                       every benchmark
#   deploy/jmh.sh SelectiveScan         those whose name matches
#   deploy/jmh.sh StreamingBatch -prof gc   bytes allocated per call (gc.alloc.rate.norm)
# Extra JMH flags pass through, e.g. -f 1 -wi 2 -i 3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -q -B -f "$ROOT/pom.xml" -Pjmh -pl deploy -am -DskipTests package >&2
M="$ROOT/deploy/target"
exec java --add-modules jdk.incubator.vector -cp "$M/classes:$(cat "$M/jmh-classpath.txt")" org.openjdk.jmh.Main "$@"
