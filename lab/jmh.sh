#!/usr/bin/env bash
# Builds Vigil's JMH benchmarks (lab/src/jmh/java) and runs them (single thread).
#   lab/jmh.sh                       every benchmark
#   lab/jmh.sh SelectiveScan         those whose name matches
#   lab/jmh.sh StreamingBatch -prof gc   bytes allocated per call (gc.alloc.rate.norm)
# Extra JMH flags pass through, e.g. -f 1 -wi 2 -i 3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -q -B -f "$ROOT/pom.xml" -Pjmh -pl lab -am -DskipTests package >&2
M="$ROOT/lab/target"
exec java --add-modules jdk.incubator.vector -cp "$M/classes:$(cat "$M/jmh-classpath.txt")" org.openjdk.jmh.Main "$@"
