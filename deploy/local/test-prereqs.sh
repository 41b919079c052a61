#!/usr/bin/env bash
# What `./vigil test` needs on the machine besides Java 17 and Maven, checked (and installed when it can) before the
# build: Debian packages for the tests' real components, and the sample media from Debian's opencv-doc package.
#   libpulse0                       FFmpeg's libavdevice (the lavfi testsrc source) links against it
#   python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-{rtsp,plugins-base,plugins-good,plugins-bad}
#                                   the real RTSP server of RtspReconnectITCase
#   chromium                        the headless browser of DashboardITCase
# As root with apt-get, missing packages are installed (one `apt-get update`, one line said); otherwise it stops before
# the build and prints the command to run. VIGIL_SKIP_PREREQS=1 skips the package check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PACKAGES=(libpulse0 python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad chromium)
MEDIA=(vtest.avi messi5.jpg basketball1.png Megamind_bugy.avi Megamind.avi)

if [ "${VIGIL_SKIP_PREREQS:-}" != 1 ]; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "vigil test: installing the system packages the tests need: ${missing[*]} (apt-get)"
      export DEBIAN_FRONTEND=noninteractive
      log=$(mktemp)
      if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
        echo "vigil test: apt-get could not install ${missing[*]}:" >&2
        tail -5 "$log" >&2
        exit 2
      fi
      rm -f "$log"
    else
      echo "vigil test: the tests need these system packages, which are missing: ${missing[*]}" >&2
      echo "  run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      echo "  (or VIGIL_SKIP_PREREQS=1 ./vigil test to try without them; the tests that need them will fail)" >&2
      exit 2
    fi
  fi
fi

out=$(bash "$ROOT/deploy/src/main/resources/io/vigil/deploy/fetch-media.sh" "${VIGIL_MEDIA:-$HOME/.cache/vigil/media}" "${MEDIA[@]}") || {
  echo "vigil test: the sample media (${MEDIA[*]}) could not be fetched from Debian's opencv-doc package;" >&2
  echo "  run: bash deploy/src/main/resources/io/vigil/deploy/fetch-media.sh ~/.cache/vigil/media ${MEDIA[*]}" >&2
  exit 2
}
case "$out" in fetched*) echo "vigil test: $out (Debian's opencv-doc)";; esac
