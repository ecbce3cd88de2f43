package io.torchlight.api;

/** How {@code gradientClipVal} is applied. */
public enum GradientClipAlgorithm {
    /** Scale all gradients so that their total 2-norm is at most the value. */
    NORM,
    /** Clamp every gradient element into [-value, value]. */
    VALUE
}
