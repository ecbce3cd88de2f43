package io.torchlight.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.utils.data.DataLoader;

/**
 * Everything about the data, like Lightning's {@code LightningDataModule}: downloading or checking files
 * ({@link #prepareData}), splitting ({@link #setup}), and the dataloader of each stage. In the container
 * it is a prototype-scope service with {@code torchlight.datamodule.name}.
 */
@ConsumerType
public abstract class LightningDataModule {

    /** Service property: the name runs select this data module by ({@link String}). */
    public static final String PROPERTY_NAME = "torchlight.datamodule.name";

    /** Called once per run, before setup: check, download or unpack data. */
    public void prepareData() {
    }

    /** Called at the start of each stage: load and split. */
    public void setup(Stage stage) {
    }

    /** The training data; null when there is none. */
    public DataLoader trainDataloader() {
        return null;
    }

    /** The validation data; null when there is none. */
    public DataLoader valDataloader() {
        return null;
    }

    /** The test data; null when there is none. */
    public DataLoader testDataloader() {
        return null;
    }

    /** The prediction data; null when there is none. */
    public DataLoader predictDataloader() {
        return null;
    }

    /** Several validation loaders (see {@link DataHooks#valDataloaders()}); by default {@link #valDataloader()}, or none. */
    public List<DataLoader> valDataloaders() {
        return DataLoaders.listOf(valDataloader());
    }

    /** Several test loaders; by default {@link #testDataloader()}, or none. */
    public List<DataLoader> testDataloaders() {
        return DataLoaders.listOf(testDataloader());
    }

    /** Several prediction loaders; by default {@link #predictDataloader()}, or none. */
    public List<DataLoader> predictDataloaders() {
        return DataLoaders.listOf(predictDataloader());
    }

    /** Called at the end of each stage. */
    public void teardown(Stage stage) {
    }

    /**
     * State to save in checkpoints, under the data module's class name (Lightning's {@code __qualname__}: the name
     * without its package, nested classes joined with a dot); an empty state is not saved.
     */
    public Map<String, Object> stateDict() {
        return Map.of();
    }

    /** Restores {@link #stateDict()}, after {@link #onLoadCheckpoint}, when the checkpoint holds this class's entry. */
    public void loadStateDict(Map<String, Object> state) {
    }

    /** Called when a checkpoint is saved, after the module's {@code onSaveCheckpoint}; may change the checkpoint. */
    public void onSaveCheckpoint(Map<String, Object> checkpoint) {
    }

    /** Called when a checkpoint is loaded, before {@link #loadStateDict}. */
    public void onLoadCheckpoint(Map<String, Object> checkpoint) {
    }

    /** The checkpoint key of this data module's state: Lightning's {@code __class__.__qualname__}. */
    public final String stateKey() {
        String name = getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }
}
