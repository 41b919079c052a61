package io.vigil.spatiotemporal.track;

import java.util.Arrays;

/**
 * Constant-velocity Kalman filter on a box (ByteTrack's formulation): state x = (cx, cy, a, h, vcx, vcy, va, vh)
 * with a = w/h, measurement z = (cx, cy, a, h); process and measurement noise scale with the box height.
 * Plain double arrays: mean [8], covariance [8][8] row-major.
 */
final class KalmanBox {
    static final double W_POS = 1.0 / 20;
    static final double W_VEL = 1.0 / 160;

    private KalmanBox() {}

    static void initiate(double[] z, double[] mean, double[] cov) {
        System.arraycopy(z, 0, mean, 0, 4);
        for (int i = 4; i < 8; i++) mean[i] = 0;
        double h = z[3];
        double[] std = {2 * W_POS * h, 2 * W_POS * h, 1e-2, 2 * W_POS * h, 10 * W_VEL * h, 10 * W_VEL * h, 1e-5, 10 * W_VEL * h};
        Arrays.fill(cov, 0);
        for (int i = 0; i < 8; i++) cov[i * 8 + i] = std[i] * std[i];
    }

    static void predict(double[] mean, double[] cov) {
        double h = mean[3];
        double[] q = {W_POS * h, W_POS * h, 1e-2, W_POS * h, W_VEL * h, W_VEL * h, 1e-5, W_VEL * h};
        for (int i = 0; i < 4; i++) mean[i] += mean[i + 4];
        // cov = F cov F^T with F = [[I, I], [0, I]]
        double[] c = cov.clone();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double v = c[i * 8 + j];
                if (i < 4) v += c[(i + 4) * 8 + j];
                if (j < 4) v += c[i * 8 + j + 4];
                if (i < 4 && j < 4) v += c[(i + 4) * 8 + j + 4];
                cov[i * 8 + j] = v;
            }
        }
        for (int i = 0; i < 8; i++) cov[i * 8 + i] += q[i] * q[i];
    }

    static void update(double[] mean, double[] cov, double[] z) {
        double h = mean[3];
        double[] r = {W_POS * h, W_POS * h, 1e-1, W_POS * h};
        double[] s = new double[16]; // H cov H^T + R
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) s[i * 4 + j] = cov[i * 8 + j] + (i == j ? r[i] * r[i] : 0);
        double[] sInv = invert4(s);
        double[] k = new double[32]; // cov H^T S^-1: [8][4]
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 4; j++) {
                double v = 0;
                for (int m = 0; m < 4; m++) v += cov[i * 8 + m] * sInv[m * 4 + j];
                k[i * 4 + j] = v;
            }
        }
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) y[i] = z[i] - mean[i];
        for (int i = 0; i < 8; i++) for (int j = 0; j < 4; j++) mean[i] += k[i * 4 + j] * y[j];
        // cov -= K S K^T  ==  cov -= K (H cov)
        double[] hc = new double[32]; // H cov: [4][8]
        for (int i = 0; i < 4; i++) System.arraycopy(cov, i * 8, hc, i * 8, 8);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double v = 0;
                for (int m = 0; m < 4; m++) v += k[i * 4 + m] * hc[m * 8 + j];
                cov[i * 8 + j] -= v;
            }
        }
    }

    /** Inverse of a 4x4 matrix by Gauss-Jordan elimination with partial pivoting. */
    static double[] invert4(double[] m) {
        double[] a = m.clone();
        double[] inv = new double[16];
        for (int i = 0; i < 4; i++) inv[i * 4 + i] = 1;
        for (int c = 0; c < 4; c++) {
            int p = c;
            for (int r = c + 1; r < 4; r++) if (Math.abs(a[r * 4 + c]) > Math.abs(a[p * 4 + c])) p = r;
            if (Math.abs(a[p * 4 + c]) < 1e-12) throw new ArithmeticException("singular innovation covariance");
            if (p != c) {
                for (int j = 0; j < 4; j++) {
                    double t = a[c * 4 + j]; a[c * 4 + j] = a[p * 4 + j]; a[p * 4 + j] = t;
                    t = inv[c * 4 + j]; inv[c * 4 + j] = inv[p * 4 + j]; inv[p * 4 + j] = t;
                }
            }
            double d = a[c * 4 + c];
            for (int j = 0; j < 4; j++) {
                a[c * 4 + j] /= d;
                inv[c * 4 + j] /= d;
            }
            for (int r = 0; r < 4; r++) {
                if (r == c) continue;
                double f = a[r * 4 + c];
                if (f == 0) continue;
                for (int j = 0; j < 4; j++) {
                    a[r * 4 + j] -= f * a[c * 4 + j];
                    inv[r * 4 + j] -= f * inv[c * 4 + j];
                }
            }
        }
        return inv;
    }
}
