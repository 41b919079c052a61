package io.vigil.video.image;

/**
 * A JPEG's frame header (SOF): its size and number of components, read from the markers without decoding anything,
 * so a decoder can choose its scale, and refuse a picture that is too large, before it allocates.
 */
public record JpegHeader(int width, int height, int components) {
    /** @throws ImageCodecException when the bytes hold no frame header before the scan data */
    public static JpegHeader read(byte[] jpeg) {
        if (jpeg == null || jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new ImageCodecException("not a JPEG (" + (jpeg == null ? 0 : jpeg.length) + " bytes, no start-of-image marker)");
        }
        int i = 2;
        while (i + 3 < jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xff) throw new ImageCodecException("corrupt JPEG: no marker at byte " + i);
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xff) { // fill bytes before a marker
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { // markers without a length
                i += 2;
                continue;
            }
            if (marker == 0xd9 || marker == 0xda) break; // end of image, or the scan began without a frame header
            int len = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (len < 2 || i + 2 + len > jpeg.length) throw new ImageCodecException("corrupt JPEG: segment 0x" + Integer.toHexString(marker) + " runs past the end");
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof) {
                if (len < 8) throw new ImageCodecException("corrupt JPEG: frame header of " + len + " bytes");
                int height = ((jpeg[i + 5] & 0xff) << 8) | (jpeg[i + 6] & 0xff);
                int width = ((jpeg[i + 7] & 0xff) << 8) | (jpeg[i + 8] & 0xff);
                int components = jpeg[i + 9] & 0xff;
                if (width == 0 || height == 0) throw new ImageCodecException("JPEG frame header says " + width + "x" + height);
                return new JpegHeader(width, height, components);
            }
            i += 2 + len;
        }
        throw new ImageCodecException("corrupt JPEG: no frame header (" + jpeg.length + " bytes)");
    }

    /**
     * Whether {@code jpeg} is a whole JPEG that any decoder can read on its own: start-of-image, a frame header, Huffman
     * tables before the first scan when it is Huffman-coded (Motion-JPEG in AVI may leave them out and rely on the
     * standard tables, which browsers do not), and an end-of-image marker (a few pad bytes after it are allowed).
     * Reads the markers only.
     */
    public static boolean isComplete(byte[] jpeg) {
        if (jpeg == null || jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) return false;
        int end = jpeg.length - 1;
        while (end > 1 && jpeg.length - end <= 32 && jpeg[end] == 0) end--; // AVI pads a chunk to an even size
        if ((jpeg[end] & 0xff) != 0xd9 || (jpeg[end - 1] & 0xff) != 0xff) return false;
        boolean frame = false, huffman = false, tables = false;
        int i = 2;
        while (i + 3 < jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xff) return false;
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                i += 2;
                continue;
            }
            if (marker == 0xd9) return false; // ended before any scan
            if (marker == 0xda) return frame && (tables || !huffman);
            int len = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (len < 2 || i + 2 + len > jpeg.length) return false;
            if (marker == 0xc4) tables = true;
            else if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc8 && marker != 0xcc) {
                frame = true;
                huffman = marker <= 0xc7; // 0xc9..0xcf are arithmetic-coded
            }
            i += 2 + len;
        }
        return false;
    }

    public long pixels() {
        return (long) width * height;
    }
}
