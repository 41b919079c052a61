package io.vigil.video.motion;

/**
 * Counts the 4-connected regions of moving pixels that cover at least a given number of pixels. Both motion models
 * turn their per-pixel verdicts into regions this way. Not thread-safe; its scratch grows to the largest frame seen and
 * is then reused, so counting allocates nothing.
 */
final class MotionRegions {
    private int[] stack = new int[0]; // [h*w] flood-fill work list

    /**
     * @param moving [h*w] 1 = moving, anything else = not; consumed (visited pixels become 2)
     * @return the regions with at least {@code minPixels} pixels
     */
    int count(byte[] moving, int w, int h, int minPixels) {
        int n = w * h;
        if (stack.length < n) stack = new int[n];
        int count = 0;
        for (int start = 0; start < n; start++) {
            if (moving[start] != 1) continue;
            int size = 0;
            int top = 0;
            stack[top++] = start;
            moving[start] = 2;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int x = p % w;
                if (x > 0 && moving[p - 1] == 1) { moving[p - 1] = 2; stack[top++] = p - 1; }
                if (x < w - 1 && moving[p + 1] == 1) { moving[p + 1] = 2; stack[top++] = p + 1; }
                if (p >= w && moving[p - w] == 1) { moving[p - w] = 2; stack[top++] = p - w; }
                if (p + w < n && moving[p + w] == 1) { moving[p + w] = 2; stack[top++] = p + w; }
            }
            if (size >= minPixels) count++;
        }
        return count;
    }
}
