package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.data.DataLoader;

/** A LightningDataModule's state travels in checkpoints under its class name, with its checkpoint hooks. */
public class DataModuleCheckpointTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Lightning 1.6.5's tests/core/test_datamodules.py::test_dm_checkpoint_save_and_load's CustomBoringDataModule. */
    static final class Custom extends LightningDataModule {
        Map<String, Object> myStateDict;
        Map<String, Object> checkpointState;

        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new RandomDataset(32, 64)).batchSize(2).build();
        }

        @Override
        public Map<String, Object> stateDict() {
            return Map.of("my", "state_dict");
        }

        @Override
        public void loadStateDict(Map<String, Object> state) {
            myStateDict = new HashMap<>(state);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onSaveCheckpoint(Map<String, Object> checkpoint) {
            ((Map<String, Object>) checkpoint.get(stateKey())).put("on_save", "update");
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onLoadCheckpoint(Map<String, Object> checkpoint) {
            Map<String, Object> mine = (Map<String, Object>) checkpoint.get(stateKey());
            checkpointState = new HashMap<>(mine);
            mine.remove("on_save");
        }
    }

    private Trainer trainer(int steps) {
        return Torchlight.trainer(TestTrainers.cpu().maxSteps(steps).limitValBatches(Limit.NONE).build(), TestTrainers.plugins());
    }

    @Test
    public void theStateIsSavedUnderTheClassNameAndRestoredAfterTheLoadHook() {
        Path ckpt = tmp.getRoot().toPath().resolve("dm.ckpt");
        Trainer first = trainer(2);
        first.fit(new BoringModel(), Data.of(new Custom()));
        first.saveCheckpoint(ckpt, false);

        Map<String, Object> saved = CheckpointFile.read(ckpt);
        assertEquals("DataModuleCheckpointTest.Custom", new Custom().stateKey());
        assertEquals(Map.of("my", "state_dict", "on_save", "update"), saved.get("DataModuleCheckpointTest.Custom"));

        Custom resumed = new Custom();
        trainer(3).fit(new BoringModel(), Data.of(resumed), CkptPath.of(ckpt));

        assertEquals(Map.of("my", "state_dict", "on_save", "update"), resumed.checkpointState);
        assertEquals(Map.of("my", "state_dict"), resumed.myStateDict);
    }

    @Test
    public void anEmptyStateIsNotSaved() {
        Path ckpt = tmp.getRoot().toPath().resolve("plain.ckpt");
        LightningDataModule plain = new LightningDataModule() {
            @Override
            public DataLoader trainDataloader() {
                return DataLoader.of(new RandomDataset(32, 8)).batchSize(2).build();
            }
        };
        Trainer trainer = trainer(1);
        trainer.fit(new BoringModel(), Data.of(plain));
        trainer.saveCheckpoint(ckpt, false);

        assertFalse(CheckpointFile.read(ckpt).containsKey(plain.stateKey()));
    }
}
