#!/usr/bin/python3
"""A real RTSP server for Vigil's tests: GStreamer's RTSP server streaming an H.264 mp4 (clients use TCP).
Each client session plays the file from its start (vtest.avi converted: 79.5 s). Run with Debian's
/usr/bin/python3 (python3-gi, gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-{base,good,bad}).

usage: rtsp_server.py PORT FILE.mp4 [MOUNT]     (default mount /cam)
Prints "READY rtsp://127.0.0.1:PORT/MOUNT" once it listens."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    port, path = sys.argv[1], sys.argv[2]
    mount = sys.argv[3] if len(sys.argv) > 3 else "/cam"
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( filesrc location=%s ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )" % path)
    server.get_mount_points().add_factory(mount, factory)
    if server.attach(None) == 0:
        print("FAILED to listen on port %s" % port, flush=True)
        sys.exit(2)
    print("READY rtsp://127.0.0.1:%s%s" % (port, mount), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
