package io.torchlight.callback.checkpoint.internal;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

import io.torchlight.callback.checkpoint.ModelCheckpoint;
import io.torchlight.utils.config.ConfigurationException;

/** The checkpoint callback's configuration as users write it in etc/: every spelling works, every mistake is named. */
public class ModelCheckpointComponentTest {

    @Test
    public void theReadmesSnakeCaseKeysTheDottedOnesAndCamelCaseAllApply() {
        for (Map<String, Object> config : List.of(Map.<String, Object>of("every_n_train_steps", "50", "save_top_k", "-1",
                "save_last", "true"), Map.<String, Object>of("every.n.train.steps", "50", "save.top.k", "-1", "save.last", "true"),
                Map.<String, Object>of("everyNTrainSteps", "50", "saveTopK", "-1", "saveLast", "true"))) {
            ModelCheckpoint.Settings s = new ModelCheckpointComponent(config).settings();

            assertEquals(config.toString(), Optional.empty(), new ModelCheckpointComponent(config).configurationProblem());
            assertEquals(config.toString(), 50, s.everyNTrainSteps());
            assertEquals(-1, s.saveTopK());
            assertEquals(true, s.saveLast());
        }
    }

    /** A configuration and a part of the error it must get. */
    private record Row(Map<String, Object> config, String expected) {
    }

    @Test
    public void everyBadConfigurationFailsTheRunsThatUseItNamingTheKey() {
        List<Row> table = List.of(
                new Row(Map.of("every.n.train.steps", "abc"), "every.n.train.steps: expected an integer, got 'abc'"),
                new Row(Map.of("every_n_train_steps", "-3"), "everyNTrainSteps and everyNEpochs must be >= 0"),
                new Row(Map.of("every_n_epochs", "1.5"), "every_n_epochs: expected an integer, got '1.5'"),
                new Row(Map.of("save_top_k", "-5"), "saveTopK must be -1 (all), 0 (none) or a positive count, got -5"),
                new Row(Map.of("save_top_k", "3"), "saveTopK=3 needs a monitor"),
                new Row(Map.of("mode", "median"), "mode: expected one of min, max, got 'median'"),
                new Row(Map.of("save_last", "yes"), "save_last: expected true or false, got 'yes'"),
                new Row(Map.of("save_weights_only", "1"), "save_weights_only: expected true or false, got '1'"),
                new Row(Map.of("train_time_interval", "soon"), "train_time_interval: expected an integer, got 'soon'"),
                new Row(Map.of("save_tok_k", "2"), "unknown key 'save_tok_k'; did you mean save_top_k?"),
                new Row(Map.of("monitr", "val_loss"), "unknown key 'monitr'; did you mean monitor?"),
                new Row(Map.of("every_n_train_step", "5"), "unknown key 'every_n_train_step'; did you mean every_n_train_steps?"));
        List<String> unclear = new ArrayList<>();
        for (Row row : table) {
            ConfigurationException e = new ModelCheckpointComponent(row.config()).configurationProblem().orElseThrow();
            if (!e.getMessage().contains(row.expected()) || !e.getMessage().contains("io.torchlight.callback.checkpoint")) {
                unclear.add(row.config() + " -> " + e.getMessage());
            }
        }
        System.out.println("bad checkpoint configurations: " + table.size() + " tried, " + (table.size() - unclear.size())
                + " failed the run naming the key");
        assertEquals(List.of(), unclear);
    }
}
