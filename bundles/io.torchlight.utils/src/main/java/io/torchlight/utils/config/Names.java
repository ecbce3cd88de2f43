package io.torchlight.utils.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggestions for misspelt names ("did you mean max_epochs?"), by edit distance. */
public final class Names {

    private Names() {
    }

    /** The candidate closest to {@code wanted} (case-insensitive), if one is within {@code maxDistance} edits. */
    public static Optional<String> closest(String wanted, Collection<String> candidates, int maxDistance) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = maxDistance + 1;
        for (String candidate : candidates) {
            int d = distance(w, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
