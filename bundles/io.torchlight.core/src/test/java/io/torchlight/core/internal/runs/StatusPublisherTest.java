package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.Stage;
import io.torchlight.api.TrainerView;
import io.torchlight.api.run.RunRequest;

/** What a run's status shows while it trains. */
public class StatusPublisherTest {

    /** A view in or after the sanity check, with one validation metric. */
    private static TrainerView view(boolean sanityChecking) {
        return (TrainerView) Proxy.newProxyInstance(TrainerView.class.getClassLoader(), new Class<?>[] {TrainerView.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "sanityChecking" -> sanityChecking;
                    case "callbackMetrics" -> Map.of("val_loss", 0.5);
                    case "currentEpoch" -> 0;
                    case "globalStep" -> 0L;
                    case "accelerator", "strategy" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Lightning 1.6.5: Trainer._run_sanity_check resets the logger connector's results and metrics afterwards. */
    @Test
    public void theSanityChecksMetricsAreNotShownAsTheRuns() {
        Run run = new Run("1", RunRequest.of("boring", Stage.FIT, "test"));
        StatusPublisher publisher = new StatusPublisher(run);

        publisher.onValidationEnd(view(true), null);
        assertEquals(Map.of(), run.snapshot().metrics());

        publisher.onValidationEnd(view(false), null);
        assertEquals(Map.of("val_loss", 0.5), run.snapshot().metrics());
    }
}
