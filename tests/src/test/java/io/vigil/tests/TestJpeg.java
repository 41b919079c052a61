package io.vigil.tests;

import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;

/** A real JPEG frame for tests that build records by hand. */
final class TestJpeg {
    private TestJpeg() {}

    static byte[] vtestFrame0() {
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            src.next();
            return src.encodeJpeg(80, 0, 0).bytes();
        }
    }
}
