#!/usr/bin/env bash
# GPU benchmark, as ONE prepared script for a machine with an NVIDIA GPU, the CUDA 12 runtime, cuDNN 9,
# a JDK 17 and Maven (ONNX Runtime GPU 1.23 needs CUDA 12 + cuDNN 9). Not run on the project's own machines:
# the GPU machine lent there has CUDA 13 and no JDK. Writes everything to $OUT (default ./gpu-results).
#   deploy/gpu/bench-gpu.sh [OUT]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$PWD/gpu-results}"
mkdir -p "$OUT"
{
  echo "date: $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
  ls /usr/local/cuda/lib64/libcudart.so.12* /usr/lib/x86_64-linux-gnu/libcudnn.so.9* 2>/dev/null || echo "CUDA 12 / cuDNN 9 libraries not found"
  java -version 2>&1 | head -1
} > "$OUT/host.txt"
# 1. the GPU build, and the test that registers the CUDA provider for real
mvn -q -B -f "$ROOT/pom.xml" -Pgpu -DskipTests install
mvn -B -f "$ROOT/pom.xml" -Pgpu -pl models surefire:test -Dtest=CudaProviderTest > "$OUT/cuda-provider-test.txt" 2>&1 || true
# 2. the detector on CUDA against CPU, same frames
CP="$ROOT/deploy/target/classes:$(mvn -q -B -f "$ROOT/deploy/pom.xml" -Pgpu dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
run() { java --add-modules jdk.incubator.vector -Dvigil.shared="${VIGIL_SHARED:-$ROOT/../shared}" -cp "$CP" io.vigil.deploy.cli.VigilCli "$@"; }
run bench detect --provider cuda:0 --batch 1,8 --csv "$OUT/detect-cuda.csv" > "$OUT/detect-cuda.txt" 2>&1
run bench detect --provider cpu --batch 1,8 --csv "$OUT/detect-cpu.csv" > "$OUT/detect-cpu.txt" 2>&1
echo "results in $OUT"
