#!/usr/bin/env bash
# Builds the JMH benchmarks of the spatiotemporal module and runs them (single thread).
#   spatiotemporal/jmh.sh                       every benchmark
#   spatiotemporal/jmh.sh SelectiveScan         those whose name matches
# Extra JMH flags pass through, e.g. -f 1 -wi 2 -i 3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn -q -B -f "$ROOT/pom.xml" -Pjmh -pl spatiotemporal -am -DskipTests package >&2
M="$ROOT/spatiotemporal/target"
exec java --add-modules jdk.incubator.vector -cp "$M/classes:$(cat "$M/jmh-classpath.txt")" org.openjdk.jmh.Main "$@"
