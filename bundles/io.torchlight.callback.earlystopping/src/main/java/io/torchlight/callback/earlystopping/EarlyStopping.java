package io.torchlight.callback.earlystopping;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerView;

/**
 * Lightning's EarlyStopping: after each validation (or training epoch, with {@code checkOnTrainEpochEnd}),
 * reads the monitored metric; asks the trainer to stop once it has not improved by more than
 * {@code minDelta} for {@code patience} checks, is not finite, reaches {@code stoppingThreshold}, or passes
 * {@code divergenceThreshold}. The trainer honours the request once minEpochs and minSteps are met. Its
 * state survives resume.
 */
public class EarlyStopping implements Callback {

    /** The callback's name in the container. */
    public static final String NAME = "early_stopping";

    /** Whether smaller or larger values are better. */
    public enum Mode { MIN, MAX }

    /** EarlyStopping's settings, with Lightning's defaults (patience 3, minDelta 0, strict, checkFinite). */
    public record Settings(String monitor, double minDelta, int patience, Mode mode, boolean strict, boolean checkFinite,
            Double stoppingThreshold, Double divergenceThreshold, Boolean checkOnTrainEpochEnd) {

        public Settings {
            if (monitor == null || monitor.isBlank()) {
                throw new IllegalArgumentException("EarlyStopping needs a monitor (e.g. val_loss)");
            }
            if (patience < 0) {
                throw new IllegalArgumentException("EarlyStopping patience must be >= 0, got " + patience);
            }
            minDelta = Math.abs(minDelta);
            mode = mode == null ? Mode.MIN : mode;
        }

        public static Settings of(String monitor) {
            return new Settings(monitor, 0, 3, Mode.MIN, true, true, null, null, null);
        }

        public Settings patience(int value, double delta) {
            return new Settings(monitor, delta, value, mode, strict, checkFinite, stoppingThreshold, divergenceThreshold,
                    checkOnTrainEpochEnd);
        }

        public Settings mode(Mode value) {
            return new Settings(monitor, minDelta, patience, value, strict, checkFinite, stoppingThreshold, divergenceThreshold,
                    checkOnTrainEpochEnd);
        }

        public Settings thresholds(Double stopping, Double divergence) {
            return new Settings(monitor, minDelta, patience, mode, strict, checkFinite, stopping, divergence, checkOnTrainEpochEnd);
        }

        public Settings strict(boolean value) {
            return new Settings(monitor, minDelta, patience, mode, value, checkFinite, stoppingThreshold, divergenceThreshold,
                    checkOnTrainEpochEnd);
        }

        public Settings onTrainEpochEnd(Boolean value) {
            return new Settings(monitor, minDelta, patience, mode, strict, checkFinite, stoppingThreshold, divergenceThreshold,
                    value);
        }
    }

    private final Settings settings;
    private int wait;
    private double best;
    private int stoppedEpoch;
    private String stopReason;

    public EarlyStopping(Settings settings) {
        this.settings = settings;
        this.best = settings.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void onValidationEnd(TrainerView trainer, LightningModule module) {
        if (!trainer.sanityChecking() && trainer.stage() == Stage.FIT && !onTrainEpochEnd(trainer)) {
            check(trainer);
        }
    }

    @Override
    public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
        if (onTrainEpochEnd(trainer)) {
            check(trainer);
        }
    }

    /**
     * Where the check runs, as Lightning 1.6.5's EarlyStopping.setup decides it: at the training epoch's end when
     * validation runs once every epoch, else after each validation.
     */
    private boolean onTrainEpochEnd(TrainerView trainer) {
        if (settings.checkOnTrainEpochEnd() != null) {
            return settings.checkOnTrainEpochEnd();
        }
        return trainer.config().valCheckInterval().equals(Limit.ALL) && trainer.config().checkValEveryNEpoch() == 1;
    }

    private void check(TrainerView trainer) {
        if (trainer.config().fastDevRun() > 0) {
            return; // a smoke test never stops early: Lightning 1.6.5's EarlyStopping._should_skip_check (fast_dev_run)
        }
        Double value = trainer.callbackMetrics().get(settings.monitor());
        if (value == null) {
            if (settings.strict()) {
                throw new TorchlightException("EarlyStopping monitors '" + settings.monitor() + "', which was not logged; logged: "
                        + trainer.callbackMetrics().keySet() + " (log it, change monitor, or set strict=false)");
            }
            return;
        }
        String reason = evaluate(value);
        if (reason != null) {
            stopReason = reason;
            stoppedEpoch = trainer.currentEpoch();
            trainer.setShouldStop(true);
        }
    }

    /** Updates the state with a new value; returns why training should stop, or null. */
    String evaluate(double value) {
        if (settings.checkFinite() && !Double.isFinite(value)) {
            return "monitored metric " + settings.monitor() + " = " + value + " is not finite";
        }
        if (settings.stoppingThreshold() != null && better(value, settings.stoppingThreshold(), 0)
                || settings.stoppingThreshold() != null && value == settings.stoppingThreshold()) {
            return "monitored metric " + settings.monitor() + " = " + value + " reached the stopping threshold "
                    + settings.stoppingThreshold();
        }
        if (settings.divergenceThreshold() != null && better(settings.divergenceThreshold(), value, 0)) {
            return "monitored metric " + settings.monitor() + " = " + value + " is past the divergence threshold "
                    + settings.divergenceThreshold();
        }
        if (better(value, best, settings.minDelta())) {
            best = value;
            wait = 0;
            return null;
        }
        wait++;
        if (wait >= settings.patience()) {
            return "monitored metric " + settings.monitor() + " did not improve in the last " + wait + " checks; best "
                    + String.format(Locale.ROOT, "%.6g", best);
        }
        return null;
    }

    private boolean better(double a, double b, double delta) {
        return settings.mode() == Mode.MIN ? a < b - delta : a > b + delta;
    }

    /** Why training stopped, if this callback stopped it. */
    public String stopReason() {
        return stopReason;
    }

    public int waitCount() {
        return wait;
    }

    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    public double bestScore() {
        return best;
    }

    @Override
    public String stateKey() {
        return "EarlyStopping{'monitor': '" + settings.monitor() + "', 'mode': '" + settings.mode().name().toLowerCase(Locale.ROOT) + "'}";
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("wait_count", wait);
        state.put("stopped_epoch", stoppedEpoch);
        state.put("best_score", best);
        state.put("patience", settings.patience());
        return state;
    }

    @Override
    public void loadStateDict(Map<String, Object> state) {
        wait = ((Number) state.get("wait_count")).intValue();
        stoppedEpoch = ((Number) state.get("stopped_epoch")).intValue();
        best = ((Number) state.get("best_score")).doubleValue();
    }
}
