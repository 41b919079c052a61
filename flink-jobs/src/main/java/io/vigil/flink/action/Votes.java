package io.vigil.flink.action;

/** Majority smoothing of a track's predictions, as the upstream gesture app does it. */
final class Votes {
    private Votes() {}

    /**
     * The most frequent class among the first {@code n} entries of the ring {@code recent}; a tie goes to
     * {@code newest} (the prediction just recorded), else to the class met first.
     *
     * @return {class, agreeing votes, votes}
     */
    static int[] majority(int[] recent, int n, int newest) {
        int best = newest;
        int bestCount = 0;
        for (int i = 0; i < n; i++) {
            int c = recent[i];
            int cnt = 0;
            for (int j = 0; j < n; j++) if (recent[j] == c) cnt++;
            if (cnt > bestCount || (cnt == bestCount && c == newest)) {
                best = c;
                bestCount = cnt;
            }
        }
        return new int[] {best, bestCount, n};
    }
}
