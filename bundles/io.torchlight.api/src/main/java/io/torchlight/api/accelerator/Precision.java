package io.torchlight.api.accelerator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The numeric precision of a run, as Lightning's {@code precision} flag. */
public enum Precision {
    /** 32-bit floats throughout. */
    FP32("32"),
    /** 64-bit floats: parameters and floating-point batches are doubles. */
    FP64("64"),
    /** bfloat16 autocast around the steps; parameters stay 32-bit. */
    BF16_MIXED("bf16-mixed"),
    /** float16 autocast with a gradient scaler (CUDA only). */
    FP16_MIXED("16-mixed");

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /** The flag's value as written in a configuration: {@code 32}, {@code 64}, {@code bf16-mixed}, {@code 16-mixed}. */
    public String label() {
        return label;
    }

    /** Reads a label (Lightning's {@code 16} and {@code bf16} too); fails listing the valid ones. */
    public static Precision parse(String text) {
        String value = text.trim();
        for (Precision p : values()) {
            if (p.label.equals(value) || p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        return switch (value) {
            case "16" -> FP16_MIXED;
            case "bf16" -> BF16_MIXED;
            default -> throw new IllegalArgumentException("precision must be one of "
                    + Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", ")) + ", got " + text);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
