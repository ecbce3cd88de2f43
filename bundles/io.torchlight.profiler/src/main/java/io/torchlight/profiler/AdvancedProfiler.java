package io.torchlight.profiler;

import java.time.Duration;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.profiler.Profiler;

/**
 * Lightning's {@code profiler="advanced"}, where cProfile becomes Java Flight Recorder: the simple profiler's table of
 * actions, then the Java methods the training thread was found in by JFR's sampler, most frequent first: the share of
 * samples in which the method itself ran (libtorch's work shows as the native method that called it, such as
 * {@code org.bytedeco.pytorch.Tensor.backward}) and in which it was anywhere on the stack (a hook's whole cost).
 * Sampling costs little; each stage records to a temporary file that is read and deleted at the end.
 */
public class AdvancedProfiler implements Profiler {

    /** The profiler's name. */
    public static final String NAME = "advanced";

    /** How often the training thread is sampled. */
    static final Duration PERIOD = Duration.ofMillis(5);

    private static final int ROWS = 40;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Recording start(Stage stage) {
        Recording actions = new SimpleProfiler().start(stage);
        MethodSampler sampler;
        try {
            sampler = MethodSampler.start(Thread.currentThread(), PERIOD);
        } catch (RuntimeException | LinkageError e) {
            throw new TorchlightException("profiler=advanced: Java Flight Recorder cannot record in this JVM (" + e
                    + "); use profiler=simple, or a JDK with the jdk.jfr module", e);
        }
        return new Recording() {
            @Override
            public void record(String action, long nanos) {
                actions.record(action, nanos);
            }

            @Override
            public String report() {
                return actions.report() + "\n" + sampler.finish().render(ROWS, PERIOD);
            }
        };
    }
}
