package io.torchlight.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.immutables.value.Value;
import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.accelerator.Precision;

/**
 * The trainer's flags: plain values, immutable, named as Lightning 1.6's {@code Trainer} arguments in camelCase,
 * each with Lightning's default. Each flag is defined once, by its accessor below ({@link Flag}): the builder
 * method, the {@code key=value} keys and the check made by {@link Builder#build()} all come from it. Getters return
 * what was set; what fastDevRun or overfitBatches make of the limits is the trainer's business. Plug-in instances
 * are not flags: plain-Java callers pass them as {@link TrainerPlugins}.
 *
 * <pre>
 * TrainerConfig config = TrainerConfig.builder().maxEpochs(3).precision(Precision.BF16_MIXED).build();
 * TrainerConfig longer = config.toBuilder().maxEpochs(10).build();
 * </pre>
 */
@ProviderType
@Value.Immutable(copy = false)
@Value.Style(visibility = Value.Style.ImplementationVisibility.PACKAGE, overshadowImplementation = true,
        builderVisibility = Value.Style.BuilderVisibility.PACKAGE, typeImmutable = "Immutable*")
public abstract class TrainerConfig {

    TrainerConfig() {
    }

    /** Epochs to train at most, -1 = unbounded; unset = Lightning's default (1000, or unbounded with maxSteps or maxTime). */
    @Flag(min = -1, accepts = "an integer >= -1 (-1 = unbounded)")
    public abstract OptionalInt maxEpochs();

    @Flag(min = 0)
    @Value.Default
    public int minEpochs() {
        return 0;
    }

    /** Optimizer steps to train at most; -1 = no limit. */
    @Flag(min = -1, accepts = "an integer >= -1 (-1 = unbounded)")
    @Value.Default
    public long maxSteps() {
        return -1;
    }

    @Flag(min = 0)
    @Value.Default
    public long minSteps() {
        return 0;
    }

    /** Wall time to train at most ({@code DD:HH:MM:SS} or ISO-8601 such as {@code PT2H} in key=value form). */
    @Flag
    public abstract Optional<Duration> maxTime();

    /** Training batches per epoch: a fraction of the epoch or a batch count. */
    @Flag
    @Value.Default
    public Limit limitTrainBatches() {
        return Limit.ALL;
    }

    @Flag
    @Value.Default
    public Limit limitValBatches() {
        return Limit.ALL;
    }

    @Flag
    @Value.Default
    public Limit limitTestBatches() {
        return Limit.ALL;
    }

    @Flag
    @Value.Default
    public Limit limitPredictBatches() {
        return Limit.ALL;
    }

    /** How often validation runs within a training epoch: a fraction of the epoch or a batch count (not 0). */
    @Flag
    @Value.Default
    public Limit valCheckInterval() {
        return Limit.ALL;
    }

    /**
     * Ask for the training and validation dataloaders again every n epochs (0: once per fit), as Lightning's
     * {@code reload_dataloaders_every_n_epochs}: the training one at the start of such an epoch, the validation one
     * when that epoch validates.
     */
    @Flag(min = 0)
    @Value.Default
    public int reloadDataloadersEveryNEpochs() {
        return 0;
    }

    /**
     * How a combined training loader ({@code DataLoader.combined}, Lightning's dict of train loaders) ends its epoch when
     * it does not say itself: {@code max_size_cycle} (the longest loader; the others start over) or {@code min_size}.
     */
    @Flag(accepts = "max_size_cycle or min_size")
    @Value.Default
    public String multipleTrainloaderMode() {
        return "max_size_cycle";
    }

    /** Validate every n training epochs. */
    @Flag(min = 1)
    @Value.Default
    public int checkValEveryNEpoch() {
        return 1;
    }

    /** Validation batches run as a sanity check before training; -1 = all. */
    @Flag(min = -1, accepts = "an integer >= -1 (-1 = all)")
    @Value.Default
    public int numSanityValSteps() {
        return 2;
    }

    @Flag(min = 1)
    @Value.Default
    public int accumulateGradBatches() {
        return 1;
    }

    /**
     * Accumulation by epoch, as Lightning's {@code accumulate_grad_batches} given a dict; on the command line
     * {@code accumulate_grad_batches=0:1,4:2}. When set it decides, and {@link #accumulateGradBatches()} must stay 1.
     */
    @Flag(accepts = "epoch:factor pairs such as 0:1,4:2")
    public abstract Optional<AccumulationSchedule> accumulationSchedule();

    /** The accumulation factor of an epoch: the schedule's, else {@link #accumulateGradBatches()}. */
    public int accumulation(int epoch) {
        // read per batch by the loops: no lambda, nothing allocated without a schedule
        Optional<AccumulationSchedule> schedule = accumulationSchedule();
        return schedule.isPresent() ? schedule.get().factor(epoch) : accumulateGradBatches();
    }

    /** The gradient clipping threshold; unset = no clipping. */
    @Flag(min = 0)
    public abstract OptionalDouble gradientClipVal();

    @Flag
    @Value.Default
    public GradientClipAlgorithm gradientClipAlgorithm() {
        return GradientClipAlgorithm.NORM;
    }

    @Flag
    @Value.Default
    public boolean deterministic() {
        return false;
    }

    /** The global seed set before a run; unset = none. */
    @Flag
    public abstract OptionalLong seed();

    /** 0 = off; n = run n batches of each loop once, without loggers' side effects, as a smoke test. */
    @Flag(min = 0)
    @Value.Default
    public int fastDevRun() {
        return 0;
    }

    /** Train (and validate) on the same first batches every epoch; {@link Limit#NONE} = off. */
    @Flag
    @Value.Default
    public Limit overfitBatches() {
        return Limit.NONE;
    }

    @Flag(min = 1)
    @Value.Default
    public int logEveryNSteps() {
        return 50;
    }

    /** Where runs write by default: {@code defaultRootDir/lightning_logs/version_<n>}. */
    @Flag
    @Value.Default
    public Path defaultRootDir() {
        return Path.of("").toAbsolutePath();
    }

    /**
     * Fail on a NaN or infinite loss, naming epoch and batch, and train under libtorch's autograd anomaly mode, which
     * names a backward function that returns NaN.
     */
    @Flag
    @Value.Default
    public boolean detectAnomaly() {
        return false;
    }

    /**
     * The p of the gradient norms logged at each logging step, as Lightning's {@code track_grad_norm}: one
     * {@code grad_<p>_norm/<parameter>} per parameter and {@code grad_<p>_norm_total}; -1 (default) logs none.
     */
    @Flag
    @Value.Default
    public double trackGradNorm() {
        return -1;
    }

    @Flag
    @Value.Default
    public boolean enableProgressBar() {
        return true;
    }

    @Flag
    @Value.Default
    public boolean enableModelSummary() {
        return true;
    }

    /**
     * Lightning's {@code replace_sampler_ddp}: with several processes each trains and evaluates on its own shard of
     * every dataloader (DistributedSampler's semantics: padded to equal length, shuffled per epoch alike on every
     * rank); false leaves the loaders as they are given.
     */
    @Flag
    @Value.Default
    public boolean replaceSamplerDdp() {
        return true;
    }

    @Flag
    @Value.Default
    public boolean enableCheckpointing() {
        return true;
    }

    /**
     * Whether the run logs at all (Lightning's {@code logger=False} turns every logger off). Outside the container,
     * with no logger given, the trainer then uses the default one found on the class path: TensorBoard, else CSV.
     */
    @Flag
    @Value.Default
    public boolean logger() {
        return true;
    }

    /**
     * Lightning's {@code profiler}: the name of a {@link io.torchlight.api.profiler.Profiler} plug-in, which times
     * every hook and the training loops and writes {@code <stage>-profiler.txt} into the run folder after each stage:
     * {@code simple} (per action) or {@code advanced} (per action and per Java method); empty (the default) or
     * {@code none}: off.
     */
    @Flag(accepts = "simple, advanced (or another installed profiler) or none")
    @Value.Default
    public String profiler() {
        return "";
    }

    /** The accelerator: {@code auto} (the highest-ranked available one) or a device type such as {@code cpu}, {@code cuda}. */
    @Flag
    @Value.Default
    public String accelerator() {
        return "auto";
    }

    /** Devices: {@code auto}, a count ({@code 2}), a list ({@code [0,2]}) or {@code -1} for all. */
    @Flag
    @Value.Default
    public String devices() {
        return "auto";
    }

    /**
     * Machines a distributed run spans (Lightning's {@code num_nodes}): with {@code strategy=ddp} the world is
     * {@code devices × num_nodes} processes, the same command running on each machine with {@code NODE_RANK} set.
     */
    @Flag(min = 1)
    @Value.Default
    public int numNodes() {
        return 1;
    }

    /** The strategy's name, e.g. {@code auto}, {@code single_device}, {@code ddp}. */
    @Flag
    @Value.Default
    public String strategy() {
        return "auto";
    }

    @Flag
    @Value.Default
    public Precision precision() {
        return Precision.FP32;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /** Every {@link Flag}'s bound, and the rules between flags. */
    @Value.Check
    void check() {
        for (Method flag : TrainerConfig.class.getDeclaredMethods()) {
            Flag rule = flag.getAnnotation(Flag.class);
            if (rule != null && rule.min() != Long.MIN_VALUE) {
                Object value = read(flag);
                if (value instanceof Number n && n.doubleValue() < rule.min()) {
                    throw new IllegalArgumentException(flag.getName() + " must be "
                            + (rule.accepts().isEmpty() ? ">= " + rule.min() : rule.accepts()) + ", got " + value);
                }
            }
        }
        require(trackGradNorm() == -1 || trackGradNorm() > 0, "trackGradNorm", "-1 (off) or a norm order > 0 (2 for the "
                + "Euclidean norm, Infinity for the largest entry)", trackGradNorm());
        require(!valCheckInterval().disables(), "valCheckInterval", "a fraction in (0, 1] or a batch count >= 1", valCheckInterval());
        require(maxTime().map(t -> !t.isNegative()).orElse(true), "maxTime", "a positive duration", maxTime().orElse(null));
        require(accumulationSchedule().isEmpty() || accumulateGradBatches() == 1, "accumulateGradBatches",
                "1 when an accumulation schedule is given (set one or the other)", accumulateGradBatches());
        require(multipleTrainloaderMode().equals("max_size_cycle") || multipleTrainloaderMode().equals("min_size"),
                "multipleTrainloaderMode", "max_size_cycle or min_size", "'" + multipleTrainloaderMode() + "'");
        require(profiler().isEmpty() || profiler().matches("[a-z][a-z0-9_]*"), "profiler",
                "a profiler's name (simple, advanced) or none", "'" + profiler() + "'");
        for (String name : new String[] {accelerator(), devices(), strategy()}) {
            require(!name.isBlank(), "accelerator, devices and strategy", "names, not blank", "'" + name + "'");
        }
        int maxEpochs = maxEpochs().orElse(-1);
        require(maxEpochs == -1 || minEpochs() <= maxEpochs, "minEpochs", "<= maxEpochs (" + maxEpochs + ")", minEpochs());
    }

    private Object read(Method flag) {
        try {
            Object value = flag.invoke(this);
            if (value instanceof OptionalInt o) {
                return o.isPresent() ? o.getAsInt() : null;
            } else if (value instanceof OptionalLong o) {
                return o.isPresent() ? o.getAsLong() : null;
            } else if (value instanceof OptionalDouble o) {
                return o.isPresent() ? o.getAsDouble() : null;
            }
            return value;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read flag " + flag.getName(), e);
        }
    }

    private static void require(boolean ok, String flag, String expected, Object got) {
        if (!ok) {
            throw new IllegalArgumentException(flag + " must be " + expected + ", got " + got);
        }
    }

    /** Builds a {@link TrainerConfig}: one method per flag; {@link #build()} checks every value and names the flag it refuses. */
    public static final class Builder extends ImmutableTrainerConfig.Builder {
    }
}
