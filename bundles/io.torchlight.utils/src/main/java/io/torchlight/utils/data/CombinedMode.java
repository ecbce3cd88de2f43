package io.torchlight.utils.data;

/** How a combined loader ({@link DataLoader#combined}) ends an epoch, as Lightning's {@code multiple_trainloader_mode}. */
public enum CombinedMode {
    /** As long as the longest loader; the shorter ones start over when they run out. */
    MAX_SIZE_CYCLE,
    /** As long as the shortest loader. */
    MIN_SIZE;

    /** {@code max_size_cycle} or {@code min_size}. */
    public static CombinedMode parse(String text) {
        for (CombinedMode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected max_size_cycle or min_size, got '" + text + "'");
    }
}
