package io.torchlight.callback.progress;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.torchlight.api.LightningModule;
import io.torchlight.api.ProgressBarCallback;
import io.torchlight.api.Stage;
import io.torchlight.api.TrainerView;
import io.torchlight.api.logger.Logger;
import io.torchlight.utils.data.Batch;

/**
 * Lightning's progress bar. On a terminal one line per stage is redrawn in place: epoch, batch/total,
 * elapsed&lt;remaining, it/s, {@code loss} (the running mean of the last 20 training losses), {@code v_num} and every
 * metric logged with {@code progBar(true)}. Elsewhere (CI logs, files) the same line is printed as plain text
 * every {@code refreshRate} batches (by default ten times an epoch) and at each stage's end, without control
 * characters. Turned off by {@code enableProgressBar=false}.
 */
public class ProgressBar implements ProgressBarCallback {

    /** The callback's service name. */
    public static final String NAME = "progress_bar";

    /** Where output goes and how it looks. */
    public enum Mode {
        /** In place on a terminal (System.console() present), plain lines otherwise. */
        AUTO,
        /** Redrawn in place with a carriage return. */
        TERMINAL,
        /** Plain lines. */
        LINES
    }

    /**
     * @param refreshRate batches between updates; 0: every batch on a terminal (at most ten redraws a second),
     *                    ten lines an epoch otherwise
     */
    /**
     * @param width the terminal's columns: a redrawn line is cut to fit, since a wrapped line cannot be redrawn
     *              ({@code COLUMNS} from the environment, which {@code bin/torchlight} sets, else 120)
     */
    public record Settings(int refreshRate, Mode mode, PrintStream out, int width) {
        public Settings {
            if (refreshRate < 0) {
                throw new IllegalArgumentException("progress bar refresh_rate must be 0 (automatic) or more, not " + refreshRate);
            }
        }

        public Settings(int refreshRate, Mode mode, PrintStream out) {
            this(refreshRate, mode, out, terminalWidth());
        }

        public static Settings defaults() {
            return new Settings(0, Mode.AUTO, System.out);
        }

        private static int terminalWidth() {
            try {
                int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
                return columns >= 20 ? columns : 120;
            } catch (NumberFormatException e) {
                return 120;
            }
        }
    }

    private static final int LOSS_WINDOW = 20;
    private static final long REDRAW_NS = 100_000_000L;
    /** Clears to the end of the line; with a carriage return and cursor-up, removes a finished nested bar. */
    private static final String CLEAR = "\u001b[K";
    private static final String UP = "\u001b[A";

    /** One bar: when its stage began, batches done, when it was last drawn. */
    private final class Bar {
        long start;
        long done;
        long lastDraw;

        void begin() {
            start = clock.getAsLong();
            done = 0;
            lastDraw = Long.MIN_VALUE / 2;
        }

        long elapsed() {
            return clock.getAsLong() - start;
        }
    }

    private final Settings settings;
    private final boolean terminal;
    private final LongSupplier clock;
    /** The training losses a line may show (those of the last {@link #LOSS_WINDOW} batches), read when it is drawn. */
    private final LossWindow losses = new LossWindow(LOSS_WINDOW);
    /** Training batches seen in this stage, across epochs: the running loss's clock. */
    private long seen;
    /** When the last training batch ended, and the time a training batch takes (a running mean), for the terminal. */
    private long lastBatchEnd;
    private long batchNanos;
    private final Bar train = new Bar();
    private final Bar eval = new Bar();
    /** A nested (validation) bar is drawn below the training bar, which is on the line above. */
    private boolean nested;

    public ProgressBar() {
        this(Settings.defaults());
    }

    public ProgressBar(Settings settings) {
        this(settings, System::nanoTime);
    }

    ProgressBar(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.terminal = settings.mode() == Mode.TERMINAL || settings.mode() == Mode.AUTO && System.console() != null;
        this.clock = clock;
    }

    /** The mode named {@code auto}, {@code terminal} or {@code lines} (any case). */
    public static Mode mode(String name) {
        for (Mode m : Mode.values()) {
            if (m.name().equalsIgnoreCase(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("progress bar mode must be auto, terminal or lines, not '" + name + "'");
    }

    /** Whether lines are redrawn in place. */
    public boolean terminal() {
        return terminal;
    }

    /** The losses kept for the bar are freed with the stage (a later fit starts its running loss afresh). */
    @Override
    public void teardown(TrainerView trainer, LightningModule module, Stage stage) {
        losses.close();
        seen = 0;
        lastBatchEnd = 0;
        batchNanos = 0;
    }

    @Override
    public void onTrainEpochStart(TrainerView trainer, LightningModule module) {
        train.begin();
    }

    @Override
    public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
        train.done++;
        seen++;
        long total = trainer.numTrainingBatches();
        long now = terminal ? clock.getAsLong() : 0;
        if (terminal) {
            long took = lastBatchEnd == 0 ? 0 : now - lastBatchEnd;
            batchNanos = batchNanos == 0 ? took : (batchNanos * 7 + took) / 8;
            lastBatchEnd = now;
        }
        boolean due = due(train, total, now);
        if (due || mayShowSoon(train, total, now)) {
            // a loss no line can show is not kept: most batches of a fast model keep nothing, touch no tensor
            losses.add(seen, outputs instanceof Map<?, ?> map ? map.get("loss") : outputs);
        }
        if (due) {
            draw(trainLine(trainer).get().toString(), false);
        }
    }

    @Override
    public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
        finish(train, trainLine(trainer));
    }

    @Override
    public void onValidationEpochStart(TrainerView trainer, LightningModule module) {
        if (!trainer.sanityChecking()) {
            eval.begin();
            if (terminal && trainer.stage() == Stage.FIT && train.done > 0) {
                settings.out().println();
                nested = true;
            }
        }
    }

    @Override
    public void onValidationBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
        if (!trainer.sanityChecking()) {
            advance(eval, evalLine("Validation", valTotal(trainer)), valTotal(trainer));
        }
    }

    @Override
    public void onValidationEpochEnd(TrainerView trainer, LightningModule module) {
        if (trainer.sanityChecking()) {
            return;
        }
        if (nested) {
            // the validation bar goes; the cursor returns to the training bar, redrawn at the epoch's end
            settings.out().print("\r" + CLEAR + UP);
            settings.out().flush();
            nested = false;
            eval.done = 0;
        } else {
            finish(eval, evalLine("Validation", valTotal(trainer)));
        }
    }

    @Override
    public void onTestEpochStart(TrainerView trainer, LightningModule module) {
        eval.begin();
    }

    @Override
    public void onTestBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
        advance(eval, evalLine("Testing", 0), 0);
    }

    @Override
    public void onTestEpochEnd(TrainerView trainer, LightningModule module) {
        finish(eval, evalLine("Testing", 0));
    }

    @Override
    public void onPredictEpochStart(TrainerView trainer, LightningModule module) {
        eval.begin();
    }

    @Override
    public void onPredictBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx,
            int dataloaderIdx) {
        advance(eval, evalLine("Predicting", 0), 0);
    }

    @Override
    public void onPredictEpochEnd(TrainerView trainer, LightningModule module, List<List<Object>> outputs) {
        finish(eval, evalLine("Predicting", 0));
    }

    private void advance(Bar bar, Supplier<ProgressLine> line, long total) {
        bar.done++;
        if (due(bar, total)) {
            draw(line.get().toString(), false);
        }
    }

    /**
     * Whether a line may be drawn within the running loss's window from this batch on, so that its loss counts: in
     * plain lines by the schedule, on a terminal by the time since the last redraw against twice the batches' pace
     * (a batch suddenly more than twice as slow can bring a redraw that shows fewer of the last losses).
     */
    private boolean mayShowSoon(Bar bar, long total, long now) {
        long ahead = losses.size() - 1;
        if (total <= 0 || bar.done + ahead >= total) {
            return true; // no schedule to foresee, or the epoch's last line is near
        }
        long rate = settings.refreshRate() > 0 ? settings.refreshRate() : terminal ? 1 : linesRate(total);
        if ((rate - bar.done % rate) % rate > ahead) {
            return false;
        }
        return !terminal || now - bar.lastDraw + 2 * ahead * batchNanos >= REDRAW_NS;
    }

    /** Batches between plain lines where no refresh rate is set: ten lines an epoch. */
    private static long linesRate(long total) {
        return total > 0 ? Math.max(1, (total + 9) / 10) : 100;
    }

    private boolean due(Bar bar, long total) {
        return due(bar, total, terminal ? clock.getAsLong() : 0);
    }

    private boolean due(Bar bar, long total, long now) {
        if (terminal) {
            boolean every = settings.refreshRate() == 0 || bar.done % settings.refreshRate() == 0;
            if (every && (now - bar.lastDraw >= REDRAW_NS || bar.done == total)) {
                bar.lastDraw = now;
                return true;
            }
            return false;
        }
        long rate = settings.refreshRate() > 0 ? settings.refreshRate() : linesRate(total);
        return bar.done % rate == 0 && bar.done != total;
    }

    private void finish(Bar bar, Supplier<ProgressLine> line) {
        if (bar.done > 0) {
            draw(line.get().toString(), true);
        }
        bar.done = 0;
    }

    private void draw(String text, boolean last) {
        PrintStream out = settings.out();
        if (terminal) {
            String fitted = text.length() < settings.width() ? text : text.substring(0, settings.width() - 1);
            out.print("\r" + fitted + CLEAR + (last ? System.lineSeparator() : ""));
            out.flush();
        } else {
            out.println(text);
        }
    }

    private Supplier<ProgressLine> trainLine(TrainerView trainer) {
        return () -> {
            Map<String, Object> metrics = new LinkedHashMap<>();
            losses.mean(seen).ifPresent(mean -> metrics.put("loss", mean));
            version(trainer).ifPresent(v -> metrics.put("v_num", v));
            metrics.putAll(trainer.progressBarMetrics());
            return new ProgressLine("Epoch " + trainer.currentEpoch(), train.done, trainer.numTrainingBatches(),
                    train.elapsed(), metrics);
        };
    }

    private Supplier<ProgressLine> evalLine(String label, long total) {
        return () -> new ProgressLine(label, eval.done, total, eval.elapsed(), Map.of());
    }

    private static long valTotal(TrainerView trainer) {
        return trainer.numValBatches().stream().mapToLong(Integer::longValue).sum();
    }

    private static Optional<String> version(TrainerView trainer) {
        Logger logger = trainer.logger();
        if (logger == null || logger.version().isEmpty()) {
            return Optional.empty();
        }
        String v = logger.version();
        return Optional.of(v.startsWith("version_") ? v.substring("version_".length()) : v);
    }
}
