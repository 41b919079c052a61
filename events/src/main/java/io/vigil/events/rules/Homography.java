package io.vigil.events.rules;

/**
 * The plane-to-plane map of a camera calibration: four image points (0..1 of the frame) and where they lie on the
 * ground (metres). Solved once by direct linear transformation (h33 = 1, an 8 x 8 system, Gaussian elimination with
 * partial pivoting); {@link #apply} maps an image point to the ground. Four points of which three are collinear
 * give no map and are refused.
 */
public final class Homography {
    private final double[] h; // [9] row-major 3 x 3, h[8] = 1

    private Homography(double[] h) {
        this.h = h;
    }

    /** image [4][2] (frame 0..1), ground [4][2] (metres). */
    public static Homography fit(double[][] image, double[][] ground) {
        if (image.length != 4 || ground.length != 4) throw new IllegalArgumentException("a calibration needs exactly 4 image and 4 ground points");
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                for (int k = j + 1; k < 4; k++) {
                    if (collinear(image[i], image[j], image[k])) throw new IllegalArgumentException("three of the image points are on one line");
                    if (collinear(ground[i], ground[j], ground[k])) throw new IllegalArgumentException("three of the ground points are on one line");
                }
            }
        }
        double[][] a = new double[8][9]; // [8 equations][8 unknowns | right-hand side]
        for (int i = 0; i < 4; i++) {
            double x = image[i][0], y = image[i][1], u = ground[i][0], v = ground[i][1];
            a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int c = 0; c < 8; c++) {
            int p = c;
            for (int r = c + 1; r < 8; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
            if (Math.abs(a[p][c]) < 1e-12) throw new IllegalArgumentException("the calibration points do not define a plane-to-plane map");
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            for (int r = 0; r < 8; r++) {
                if (r == c) continue;
                double f = a[r][c] / a[c][c];
                for (int k = c; k < 9; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] h = new double[9];
        for (int i = 0; i < 8; i++) h[i] = a[i][8] / a[i][i];
        h[8] = 1;
        return new Homography(h);
    }

    private static boolean collinear(double[] a, double[] b, double[] c) {
        return Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) < 1e-9;
    }

    /** The ground point (metres) of image point (x, y) (0..1), written to {@code out[0..1]}. */
    public void apply(double x, double y, double[] out) {
        double w = h[6] * x + h[7] * y + h[8];
        out[0] = (h[0] * x + h[1] * y + h[2]) / w;
        out[1] = (h[3] * x + h[4] * y + h[5]) / w;
    }
}
