#!/usr/bin/env bash
# A local standalone Flink cluster from the project's jars (no Flink distribution needed):
#   deploy/local/cluster.sh start [--taskmanagers 2] [--rest-port 8081] [--dir ~/.vigil/cluster]
#   deploy/local/cluster.sh submit -- --config vigil.yaml      (flink run -d with flink-jobs/target/vigil-job.jar)
#   deploy/local/cluster.sh status | add-taskmanager | stop
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/vigil" cluster "$@"
