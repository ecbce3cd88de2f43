package io.torchlight.api.optim;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.utils.optim.LrScheduler;

/**
 * A scheduler and when it steps, like Lightning's {@code lr_scheduler} dict: {@code interval} (epoch or
 * step), {@code frequency}, {@code monitor} (the metric a {@link io.torchlight.utils.optim.ReduceLROnPlateau} reads), {@code strict}
 * (a missing monitored metric is an error rather than a skipped step) and {@code name} (for the
 * learning-rate monitor).
 */
@ProviderType
public final class LrSchedulerConfig {

    private final LrScheduler scheduler;
    private final Interval interval;
    private final int frequency;
    private final String monitor;
    private final boolean strict;
    private final String name;

    private LrSchedulerConfig(LrScheduler scheduler, Interval interval, int frequency, String monitor, boolean strict,
            String name) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (frequency < 1) {
            throw new IllegalArgumentException("scheduler frequency must be >= 1, got " + frequency);
        }
        this.frequency = frequency;
        this.monitor = monitor;
        this.strict = strict;
        this.name = name;
    }

    /** The scheduler, stepping once per epoch. */
    public static LrSchedulerConfig of(LrScheduler scheduler) {
        return new LrSchedulerConfig(scheduler, Interval.EPOCH, 1, null, true, null);
    }

    public LrSchedulerConfig interval(Interval value) {
        return new LrSchedulerConfig(scheduler, value, frequency, monitor, strict, name);
    }

    public LrSchedulerConfig frequency(int value) {
        return new LrSchedulerConfig(scheduler, interval, value, monitor, strict, name);
    }

    public LrSchedulerConfig monitor(String value) {
        return new LrSchedulerConfig(scheduler, interval, frequency, value, strict, name);
    }

    public LrSchedulerConfig strict(boolean value) {
        return new LrSchedulerConfig(scheduler, interval, frequency, monitor, value, name);
    }

    public LrSchedulerConfig name(String value) {
        return new LrSchedulerConfig(scheduler, interval, frequency, monitor, strict, value);
    }

    public LrScheduler scheduler() {
        return scheduler;
    }

    public Interval interval() {
        return interval;
    }

    public int frequency() {
        return frequency;
    }

    /** The monitored metric, or null. */
    public String monitor() {
        return monitor;
    }

    public boolean strict() {
        return strict;
    }

    /** The display name, or null. */
    public String name() {
        return name;
    }
}
