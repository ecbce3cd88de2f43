package io.torchlight.core;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.TrainerConfig;
import io.torchlight.strategy.single.SingleDeviceStrategy;

/** Trainer configurations for tests: real CPU plug-ins, no progress bar, checkpointing or summary. */
final class TestTrainers {

    private TestTrainers() {
    }

    static TrainerConfig.Builder cpu() {
        return TrainerConfig.builder().accelerator(new CpuAccelerator()).strategy(new SingleDeviceStrategy())
                .enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false);
    }
}
