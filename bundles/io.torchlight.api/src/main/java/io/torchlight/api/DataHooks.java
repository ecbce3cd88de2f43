package io.torchlight.api;

import java.util.List;

import org.bytedeco.pytorch.Device;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * Where a {@link LightningModule}'s data comes from and how batches reach the device, as Lightning's
 * {@code DataHooks}.
 */
@ConsumerType
public interface DataHooks {

    /** Called once per run before setup: check, download or unpack data. */
    default void prepareData() {
    }

    /** Called at the start of every stage: build layers that depend on the data, split data. */
    default void setup(Stage stage) {
    }

    /** Called at the end of every stage. */
    default void teardown(Stage stage) {
    }

    /** Called right before {@link #trainDataloader()}, as Lightning 1.6 still does (deprecated there). */
    default void onTrainDataloader() {
    }

    /** Called right before {@link #valDataloader()} (deprecated in Lightning 1.6, still called). */
    default void onValDataloader() {
    }

    /** Called right before {@link #testDataloader()} (deprecated in Lightning 1.6, still called). */
    default void onTestDataloader() {
    }

    /** Called right before {@link #predictDataloader()} (deprecated in Lightning 1.6, still called). */
    default void onPredictDataloader() {
    }

    /** The training data; null when it comes from elsewhere. */
    default DataLoader trainDataloader() {
        return null;
    }

    /** The validation data; null when there is none. */
    default DataLoader valDataloader() {
        return null;
    }

    /** The test data; null when there is none. */
    default DataLoader testDataloader() {
        return null;
    }

    /** The prediction data; null when there is none. */
    default DataLoader predictDataloader() {
        return null;
    }

    /**
     * Several validation loaders, as Lightning's {@code val_dataloader} returning a list: each is run in turn, the step
     * gets its index ({@code validationStep(batch, batchIdx, dataloaderIdx)}), logged names get
     * {@code /dataloader_idx_<n>}, limits apply per loader. By default the one {@link #valDataloader()}, or none.
     */
    default List<DataLoader> valDataloaders() {
        return DataLoaders.listOf(valDataloader());
    }

    /** Several test loaders, as {@link #valDataloaders()}; by default the one {@link #testDataloader()}, or none. */
    default List<DataLoader> testDataloaders() {
        return DataLoaders.listOf(testDataloader());
    }

    /**
     * Several prediction loaders; {@code predict} then returns a list of predictions per loader. By default the one
     * {@link #predictDataloader()}, or none.
     */
    default List<DataLoader> predictDataloaders() {
        return DataLoaders.listOf(predictDataloader());
    }

    /** Alters a batch before it moves to the device; identity by default. */
    default Batch onBeforeBatchTransfer(Batch batch, int dataloaderIdx) {
        return batch;
    }

    /** Moves a batch to the device: {@code batch.to(device)} by default. */
    default Batch transferBatchToDevice(Batch batch, Device device, int dataloaderIdx) {
        return batch.to(device);
    }

    /** Alters a batch after it moved to the device (e.g. GPU augmentation); identity by default. */
    default Batch onAfterBatchTransfer(Batch batch, int dataloaderIdx) {
        return batch;
    }
}
