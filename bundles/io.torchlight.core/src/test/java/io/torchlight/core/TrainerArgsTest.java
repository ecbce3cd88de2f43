package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.GradientClipAlgorithm;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.core.internal.TrainerArgs;

public class TrainerArgsTest {

    private static TrainerConfig parse(Map<String, String> args) {
        return TrainerArgs.apply(args, TrainerConfig.builder()).build();
    }

    @Test
    public void snakeAndCamelCaseKeysWithTypedValues() {
        TrainerConfig c = parse(Map.of("max_epochs", "3", "limitTrainBatches", "0.25", "limit_val_batches", "10",
                "gradient_clip_algorithm", "value", "fast_dev_run", "false", "max_time", "00:01:30:00",
                "check_val_every_n_epoch", "none", "loggers", "csv,tensorboard", "deterministic", "true"));

        assertEquals(3, c.maxEpochs());
        assertEquals(Limit.fraction(0.25), c.limitTrainBatches());
        assertEquals(Limit.count(10), c.limitValBatches());
        assertEquals(GradientClipAlgorithm.VALUE, c.gradientClipAlgorithm());
        assertEquals(Duration.ofMinutes(90), c.maxTime());
        assertNull(c.checkValEveryNEpoch());
        assertEquals("csv,tensorboard", c.loggerSelection());
        assertTrue(c.deterministic());
    }

    @Test
    public void aBadValueNamesTheKeyAndTheExpectedType() {
        TorchlightException e = assertThrows(TorchlightException.class, () -> parse(Map.of("max_epochs", "abc")));
        assertEquals("max_epochs: expected an integer (-1 = unbounded), got 'abc'", e.getMessage());
        TorchlightException range = assertThrows(TorchlightException.class, () -> parse(Map.of("accumulate_grad_batches", "0")));
        assertTrue(range.getMessage(), range.getMessage().startsWith("accumulate_grad_batches: accumulateGradBatches must be >= 1"));
    }

    @Test
    public void anUnknownKeySuggestsTheNearestOne() {
        TorchlightException e = assertThrows(TorchlightException.class, () -> parse(Map.of("max_epoch", "3")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unknown trainer argument 'max_epoch' (did you mean max_epochs?)"));
        assertTrue(e.getMessage(), e.getMessage().contains("check_val_every_n_epoch") && e.getMessage().contains("log_every_n_steps"));
    }
}
