package io.torchlight.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.strategy.Strategy;

/**
 * The trainer's flags, immutable, named as Lightning 1.6's {@code Trainer} arguments in camelCase. Build
 * with {@link #builder()}; every flag has Lightning's default.
 */
public final class TrainerConfig {

    private final Integer maxEpochs;
    private final int minEpochs;
    private final long maxSteps;
    private final long minSteps;
    private final Duration maxTime;
    private final Limit limitTrainBatches;
    private final Limit limitValBatches;
    private final Limit limitTestBatches;
    private final Limit limitPredictBatches;
    private final Limit valCheckInterval;
    private final Integer checkValEveryNEpoch;
    private final int numSanityValSteps;
    private final int accumulateGradBatches;
    private final Double gradientClipVal;
    private final GradientClipAlgorithm gradientClipAlgorithm;
    private final boolean deterministic;
    private final Long seed;
    private final int fastDevRun;
    private final Limit overfitBatches;
    private final int logEveryNSteps;
    private final Path defaultRootDir;
    private final boolean detectAnomaly;
    private final boolean enableProgressBar;
    private final boolean enableModelSummary;
    private final boolean enableCheckpointing;
    private final List<Callback> callbacks;
    private final List<Logger> loggers;
    private final String accelerator;
    private final Accelerator acceleratorInstance;
    private final String devices;
    private final String strategy;
    private final Strategy strategyInstance;
    private final String precision;
    private final Path runDir;
    private final String loggerSelection;
    private final String callbackSelection;

    private TrainerConfig(Builder b) {
        maxEpochs = b.maxEpochs;
        minEpochs = b.minEpochs;
        maxSteps = b.maxSteps;
        minSteps = b.minSteps;
        maxTime = b.maxTime;
        limitTrainBatches = b.limitTrainBatches;
        limitValBatches = b.limitValBatches;
        limitTestBatches = b.limitTestBatches;
        limitPredictBatches = b.limitPredictBatches;
        valCheckInterval = b.valCheckInterval;
        checkValEveryNEpoch = b.checkValEveryNEpoch;
        numSanityValSteps = b.numSanityValSteps;
        accumulateGradBatches = b.accumulateGradBatches;
        gradientClipVal = b.gradientClipVal;
        gradientClipAlgorithm = b.gradientClipAlgorithm;
        deterministic = b.deterministic;
        seed = b.seed;
        fastDevRun = b.fastDevRun;
        overfitBatches = b.overfitBatches;
        logEveryNSteps = b.logEveryNSteps;
        defaultRootDir = b.defaultRootDir;
        detectAnomaly = b.detectAnomaly;
        enableProgressBar = b.enableProgressBar;
        enableModelSummary = b.enableModelSummary;
        enableCheckpointing = b.enableCheckpointing;
        callbacks = List.copyOf(b.callbacks);
        loggers = List.copyOf(b.loggers);
        accelerator = b.accelerator;
        acceleratorInstance = b.acceleratorInstance;
        devices = b.devices;
        strategy = b.strategy;
        strategyInstance = b.strategyInstance;
        precision = b.precision;
        runDir = b.runDir;
        loggerSelection = b.loggerSelection;
        callbackSelection = b.callbackSelection;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxEpochs = maxEpochs;
        b.minEpochs = minEpochs;
        b.maxSteps = maxSteps;
        b.minSteps = minSteps;
        b.maxTime = maxTime;
        b.limitTrainBatches = limitTrainBatches;
        b.limitValBatches = limitValBatches;
        b.limitTestBatches = limitTestBatches;
        b.limitPredictBatches = limitPredictBatches;
        b.valCheckInterval = valCheckInterval;
        b.checkValEveryNEpoch = checkValEveryNEpoch;
        b.numSanityValSteps = numSanityValSteps;
        b.accumulateGradBatches = accumulateGradBatches;
        b.gradientClipVal = gradientClipVal;
        b.gradientClipAlgorithm = gradientClipAlgorithm;
        b.deterministic = deterministic;
        b.seed = seed;
        b.fastDevRun = fastDevRun;
        b.overfitBatches = overfitBatches;
        b.logEveryNSteps = logEveryNSteps;
        b.defaultRootDir = defaultRootDir;
        b.detectAnomaly = detectAnomaly;
        b.enableProgressBar = enableProgressBar;
        b.enableModelSummary = enableModelSummary;
        b.enableCheckpointing = enableCheckpointing;
        b.callbacks = new ArrayList<>(callbacks);
        b.loggers = new ArrayList<>(loggers);
        b.accelerator = accelerator;
        b.acceleratorInstance = acceleratorInstance;
        b.devices = devices;
        b.strategy = strategy;
        b.strategyInstance = strategyInstance;
        b.precision = precision;
        b.runDir = runDir;
        b.loggerSelection = loggerSelection;
        b.callbackSelection = callbackSelection;
        return b;
    }

    /** Epochs to train at most; Lightning's default: 1000 unless maxSteps is set, then unbounded (-1). */
    public int maxEpochs() {
        if (fastDevRun > 0) {
            return 1;
        }
        if (maxEpochs != null) {
            return maxEpochs;
        }
        return maxSteps == -1 && maxTime == null ? 1000 : -1;
    }

    public int minEpochs() {
        return minEpochs;
    }

    /** Optimizer steps to train at most; -1 = no limit. */
    public long maxSteps() {
        return fastDevRun > 0 ? fastDevRun : maxSteps;
    }

    public long minSteps() {
        return minSteps;
    }

    /** Wall time to train at most, or null. */
    public Duration maxTime() {
        return maxTime;
    }

    public Limit limitTrainBatches() {
        return fastDevRun > 0 ? Limit.count(fastDevRun) : overfitBatches.disables() ? limitTrainBatches : overfitBatches;
    }

    public Limit limitValBatches() {
        return fastDevRun > 0 ? Limit.count(fastDevRun) : overfitBatches.disables() ? limitValBatches : overfitBatches;
    }

    public Limit limitTestBatches() {
        return fastDevRun > 0 ? Limit.count(fastDevRun) : limitTestBatches;
    }

    public Limit limitPredictBatches() {
        return fastDevRun > 0 ? Limit.count(fastDevRun) : limitPredictBatches;
    }

    /** How often validation runs within a training epoch: a fraction of the epoch or a batch count. */
    public Limit valCheckInterval() {
        return fastDevRun > 0 ? Limit.ALL : valCheckInterval;
    }

    /** Validate every n training epochs; null = only by valCheckInterval as a batch count. */
    public Integer checkValEveryNEpoch() {
        return checkValEveryNEpoch;
    }

    /** Validation batches run as a sanity check before training; -1 = all. */
    public int numSanityValSteps() {
        return fastDevRun > 0 ? 0 : numSanityValSteps;
    }

    public int accumulateGradBatches() {
        return accumulateGradBatches;
    }

    /** The clipping threshold, or null for no clipping. */
    public Double gradientClipVal() {
        return gradientClipVal;
    }

    public GradientClipAlgorithm gradientClipAlgorithm() {
        return gradientClipAlgorithm;
    }

    public boolean deterministic() {
        return deterministic;
    }

    /** The global seed set before a run, or null. */
    public Long seed() {
        return seed;
    }

    /** 0 = off; n = run n batches of each loop once, without loggers' side effects, as a smoke test. */
    public int fastDevRun() {
        return fastDevRun;
    }

    /** Train (and validate) on the same first batches every epoch; {@link Limit#NONE} = off. */
    public Limit overfitBatches() {
        return overfitBatches;
    }

    public int logEveryNSteps() {
        return logEveryNSteps;
    }

    /** Where runs write by default (logs, checkpoints). */
    public Path defaultRootDir() {
        return defaultRootDir;
    }

    /** Fail on a NaN or infinite loss, naming epoch and batch. */
    public boolean detectAnomaly() {
        return detectAnomaly;
    }

    public boolean enableProgressBar() {
        return enableProgressBar;
    }

    public boolean enableModelSummary() {
        return enableModelSummary;
    }

    public boolean enableCheckpointing() {
        return enableCheckpointing;
    }

    public List<Callback> callbacks() {
        return callbacks;
    }

    public List<Logger> loggers() {
        return loggers;
    }

    /** The accelerator's name: {@code auto}, {@code cpu}, {@code cuda}. */
    public String accelerator() {
        return accelerator;
    }

    /** An accelerator given as an instance (plain Java), or null. */
    public Accelerator acceleratorInstance() {
        return acceleratorInstance;
    }

    /** Devices: {@code auto}, a count ({@code 2}), a list ({@code [0,2]}) or {@code -1} for all. */
    public String devices() {
        return devices;
    }

    /** The strategy's name, e.g. {@code auto}, {@code single_device}, {@code ddp}. */
    public String strategy() {
        return strategy;
    }

    /** A strategy given as an instance (plain Java), or null. */
    public Strategy strategyInstance() {
        return strategyInstance;
    }

    /** {@code 32}, {@code 64}, {@code bf16-mixed} or {@code 16-mixed}. */
    public String precision() {
        return precision;
    }

    /**
     * The run's output folder (metrics, hyperparameters, checkpoints), or null: then
     * {@code defaultRootDir/lightning_logs/version_<n>} with the next free n, as Lightning.
     */
    public Path runDir() {
        return runDir;
    }

    /** In the container: which logger services a run uses, by name ({@code csv,tensorboard}); {@code *} = all. */
    public String loggerSelection() {
        return loggerSelection;
    }

    /** In the container: which callback services a run uses, by name; {@code *} = all. */
    public String callbackSelection() {
        return callbackSelection;
    }

    /** Builds a {@link TrainerConfig}; each setter validates its value and names the flag when it refuses. */
    public static final class Builder {

        private Integer maxEpochs;
        private int minEpochs;
        private long maxSteps = -1;
        private long minSteps;
        private Duration maxTime;
        private Limit limitTrainBatches = Limit.ALL;
        private Limit limitValBatches = Limit.ALL;
        private Limit limitTestBatches = Limit.ALL;
        private Limit limitPredictBatches = Limit.ALL;
        private Limit valCheckInterval = Limit.ALL;
        private Integer checkValEveryNEpoch = 1;
        private int numSanityValSteps = 2;
        private int accumulateGradBatches = 1;
        private Double gradientClipVal;
        private GradientClipAlgorithm gradientClipAlgorithm = GradientClipAlgorithm.NORM;
        private boolean deterministic;
        private Long seed;
        private int fastDevRun;
        private Limit overfitBatches = Limit.NONE;
        private int logEveryNSteps = 50;
        private Path defaultRootDir = Path.of("").toAbsolutePath();
        private boolean detectAnomaly;
        private boolean enableProgressBar = true;
        private boolean enableModelSummary = true;
        private boolean enableCheckpointing = true;
        private List<Callback> callbacks = new ArrayList<>();
        private List<Logger> loggers = new ArrayList<>();
        private String accelerator = "auto";
        private Accelerator acceleratorInstance;
        private String devices = "auto";
        private String strategy = "auto";
        private Strategy strategyInstance;
        private String precision = "32";
        private Path runDir;
        private String loggerSelection = "*";
        private String callbackSelection = "*";

        private Builder() {
        }

        private static void require(boolean ok, String flag, String expected, Object got) {
            if (!ok) {
                throw new IllegalArgumentException(flag + " must be " + expected + ", got " + got);
            }
        }

        public Builder maxEpochs(int value) {
            require(value >= -1, "maxEpochs", ">= -1 (-1 = unbounded)", value);
            maxEpochs = value;
            return this;
        }

        public Builder minEpochs(int value) {
            require(value >= 0, "minEpochs", ">= 0", value);
            minEpochs = value;
            return this;
        }

        public Builder maxSteps(long value) {
            require(value >= -1, "maxSteps", ">= -1 (-1 = unbounded)", value);
            maxSteps = value;
            return this;
        }

        public Builder minSteps(long value) {
            require(value >= 0, "minSteps", ">= 0", value);
            minSteps = value;
            return this;
        }

        public Builder maxTime(Duration value) {
            require(value == null || !value.isNegative(), "maxTime", "a positive duration", value);
            maxTime = value;
            return this;
        }

        public Builder limitTrainBatches(Limit value) {
            limitTrainBatches = Objects.requireNonNull(value, "limitTrainBatches");
            return this;
        }

        public Builder limitValBatches(Limit value) {
            limitValBatches = Objects.requireNonNull(value, "limitValBatches");
            return this;
        }

        public Builder limitTestBatches(Limit value) {
            limitTestBatches = Objects.requireNonNull(value, "limitTestBatches");
            return this;
        }

        public Builder limitPredictBatches(Limit value) {
            limitPredictBatches = Objects.requireNonNull(value, "limitPredictBatches");
            return this;
        }

        public Builder valCheckInterval(Limit value) {
            require(value != null && !value.disables(), "valCheckInterval", "a fraction in (0, 1] or a batch count >= 1", value);
            valCheckInterval = value;
            return this;
        }

        /** Validate every n epochs; null validates only by a batch-count valCheckInterval. */
        public Builder checkValEveryNEpoch(Integer value) {
            require(value == null || value >= 1, "checkValEveryNEpoch", ">= 1 or null", value);
            checkValEveryNEpoch = value;
            return this;
        }

        public Builder numSanityValSteps(int value) {
            require(value >= -1, "numSanityValSteps", ">= -1 (-1 = all)", value);
            numSanityValSteps = value;
            return this;
        }

        public Builder accumulateGradBatches(int value) {
            require(value >= 1, "accumulateGradBatches", ">= 1", value);
            accumulateGradBatches = value;
            return this;
        }

        public Builder gradientClipVal(Double value) {
            require(value == null || value >= 0, "gradientClipVal", ">= 0", value);
            gradientClipVal = value;
            return this;
        }

        public Builder gradientClipAlgorithm(GradientClipAlgorithm value) {
            gradientClipAlgorithm = Objects.requireNonNull(value, "gradientClipAlgorithm");
            return this;
        }

        public Builder deterministic(boolean value) {
            deterministic = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder fastDevRun(int value) {
            require(value >= 0, "fastDevRun", ">= 0", value);
            fastDevRun = value;
            return this;
        }

        public Builder overfitBatches(Limit value) {
            overfitBatches = Objects.requireNonNull(value, "overfitBatches");
            return this;
        }

        public Builder logEveryNSteps(int value) {
            require(value >= 1, "logEveryNSteps", ">= 1", value);
            logEveryNSteps = value;
            return this;
        }

        public Builder defaultRootDir(Path value) {
            defaultRootDir = Objects.requireNonNull(value, "defaultRootDir").toAbsolutePath();
            return this;
        }

        public Builder detectAnomaly(boolean value) {
            detectAnomaly = value;
            return this;
        }

        public Builder enableProgressBar(boolean value) {
            enableProgressBar = value;
            return this;
        }

        public Builder enableModelSummary(boolean value) {
            enableModelSummary = value;
            return this;
        }

        public Builder enableCheckpointing(boolean value) {
            enableCheckpointing = value;
            return this;
        }

        public Builder callbacks(List<? extends Callback> value) {
            callbacks = new ArrayList<>(value);
            return this;
        }

        public Builder callback(Callback value) {
            callbacks.add(Objects.requireNonNull(value, "callback"));
            return this;
        }

        public Builder loggers(List<? extends Logger> value) {
            loggers = new ArrayList<>(value);
            return this;
        }

        public Builder logger(Logger value) {
            loggers.add(Objects.requireNonNull(value, "logger"));
            return this;
        }

        public Builder accelerator(String value) {
            require(value != null && !value.isBlank(), "accelerator", "a name (auto, cpu, cuda)", value);
            accelerator = value;
            return this;
        }

        public Builder accelerator(Accelerator value) {
            acceleratorInstance = Objects.requireNonNull(value, "accelerator");
            accelerator = value.name();
            return this;
        }

        public Builder devices(String value) {
            require(value != null && !value.isBlank(), "devices", "auto, a count, a list like [0,2] or -1", value);
            devices = value;
            return this;
        }

        public Builder strategy(String value) {
            require(value != null && !value.isBlank(), "strategy", "a name", value);
            strategy = value;
            return this;
        }

        public Builder strategy(Strategy value) {
            strategyInstance = Objects.requireNonNull(value, "strategy");
            strategy = value.name();
            return this;
        }

        public Builder precision(String value) {
            require(List.of("32", "64", "bf16-mixed", "16-mixed").contains(value), "precision",
                    "one of 32, 64, bf16-mixed, 16-mixed", value);
            precision = value;
            return this;
        }

        public Builder runDir(Path value) {
            runDir = value == null ? null : value.toAbsolutePath();
            return this;
        }

        /** Logger services by name, comma-separated; {@code *} = all; empty = none. */
        public Builder loggerSelection(String value) {
            loggerSelection = Objects.requireNonNull(value, "loggers").trim();
            return this;
        }

        /** Callback services by name, comma-separated; {@code *} = all; empty = none. */
        public Builder callbackSelection(String value) {
            callbackSelection = Objects.requireNonNull(value, "callbacks").trim();
            return this;
        }

        public TrainerConfig build() {
            require(maxEpochs == null || maxEpochs == -1 || minEpochs <= maxEpochs, "minEpochs", "<= maxEpochs (" + maxEpochs + ")", minEpochs);
            return new TrainerConfig(this);
        }
    }
}
