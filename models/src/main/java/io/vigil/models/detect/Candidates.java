package io.vigil.models.detect;

import java.util.Arrays;

/**
 * A growable struct-of-arrays of candidate boxes (before NMS), reused across frames so decoding does not
 * allocate per candidate.
 */
public final class Candidates {
    int size;
    int[] classId = new int[64];
    float[] score = new float[64];
    float[] x1 = new float[64];
    float[] y1 = new float[64];
    float[] x2 = new float[64];
    float[] y2 = new float[64];

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public void add(int cls, float s, float ax1, float ay1, float ax2, float ay2) {
        if (size == classId.length) {
            int n = size * 2;
            classId = Arrays.copyOf(classId, n);
            score = Arrays.copyOf(score, n);
            x1 = Arrays.copyOf(x1, n);
            y1 = Arrays.copyOf(y1, n);
            x2 = Arrays.copyOf(x2, n);
            y2 = Arrays.copyOf(y2, n);
        }
        classId[size] = cls;
        score[size] = s;
        x1[size] = ax1;
        y1[size] = ay1;
        x2[size] = ax2;
        y2[size] = ay2;
        size++;
    }
}
