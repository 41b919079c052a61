package io.vigil.video.source;

/** An encoded picture with its pixel size. */
public record EncodedImage(byte[] bytes, int width, int height) {}
