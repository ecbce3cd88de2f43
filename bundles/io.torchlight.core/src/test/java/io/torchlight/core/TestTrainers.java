package io.torchlight.core;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.strategy.single.SingleDeviceStrategy;

/** Trainers for tests: real CPU plug-ins, no progress bar, checkpointing or summary. */
final class TestTrainers {

    private TestTrainers() {
    }

    static TrainerConfig.Builder cpu() {
        return TrainerConfig.builder().enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false);
    }

    static TrainerPlugins plugins() {
        return TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy());
    }
}
