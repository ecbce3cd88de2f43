package io.torchlight.logger.tensorboard;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.ByteString;

import io.torchlight.api.logger.FolderLogger;
import io.torchlight.logger.tensorboard.proto.DataType;
import io.torchlight.logger.tensorboard.proto.Event;
import io.torchlight.logger.tensorboard.proto.Summary;
import io.torchlight.logger.tensorboard.proto.SummaryMetadata;
import io.torchlight.logger.tensorboard.proto.TensorProto;
import io.torchlight.logger.tensorboard.proto.TensorShapeProto;

/**
 * Logger {@code tensorboard}: writes {@code events.out.tfevents.<time>.<host>.<pid>} into the run folder,
 * the file version record first, then one scalar summary per metric and step, and the hyperparameters as
 * a text summary (a markdown table under the tag {@code hparams}). Flushed on every save.
 */
public class TensorBoardLogger extends FolderLogger {

    /** The logger's name. */
    public static final String NAME = "tensorboard";

    private EventWriter writer;
    private TensorBoardExperiment experiment;
    /** The hparams plugin session was started and its end is still to be written. */
    private boolean sessionOpen;

    /** The metric TensorBoard's HPARAMS tab shows for a run, as Lightning's default {@code hp_metric}. */
    public static final String HP_METRIC = "hp_metric";

    public TensorBoardLogger() {
    }

    public TensorBoardLogger(Path dir) {
        super(dir);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The event file, once created. */
    public Optional<Path> eventFile() {
        return writer == null ? Optional.empty() : writer.file();
    }

    /**
     * The writer behind this logger, as Lightning's {@code logger.experiment} (a SummaryWriter): images, histograms,
     * text and {@code add_scalars} go into the same run folder.
     */
    @Override
    public TensorBoardExperiment experiment() {
        if (experiment == null) {
            experiment = new TensorBoardExperiment(this::write, this::folder);
        }
        return experiment;
    }

    @Override
    public void logHyperparams(Map<String, Object> params) {
        StringBuilder table = new StringBuilder("|parameter|value|\n|---|---|\n");
        params.forEach((k, v) -> table.append('|').append(k).append('|').append(v).append("|\n"));
        TensorProto text = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addStringVal(ByteString.copyFrom(table.toString(), StandardCharsets.UTF_8)).build();
        Summary.Value value = Summary.Value.newBuilder().setTag("hparams/text_summary").setTensor(text)
                .setMetadata(SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text")))
                .build();
        double wallTime = now();
        write(Event.newBuilder().setWallTime(wallTime).setStep(0).setSummary(Summary.newBuilder().addValue(value)).build());
        // Lightning 1.6's default_hp_metric: hp_metric = -1 at step 0, listed as the experiment's metric
        logMetrics(Map.of(HP_METRIC, -1.0), 0);
        write(Event.newBuilder().setWallTime(wallTime).setStep(0)
                .setSummary(HParamsSummaries.experiment(params, List.of(HP_METRIC), wallTime)).build());
        write(Event.newBuilder().setWallTime(wallTime).setStep(0).setSummary(HParamsSummaries.sessionStart(params, wallTime)).build());
        sessionOpen = true;
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        Summary.Builder summary = Summary.newBuilder();
        metrics.forEach((tag, v) -> summary.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(v.floatValue())));
        write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
    }

    @Override
    public void save() {
        if (writer != null) {
            writer.flush();
        }
        if (experiment != null) {
            experiment.flush();
        }
    }

    @Override
    public void finalize(String status) {
        if (sessionOpen) {
            sessionOpen = false;
            write(Event.newBuilder().setWallTime(now()).setSummary(HParamsSummaries.sessionEnd(status, now())).build());
        }
        if (experiment != null) {
            experiment.close();
        }
        if (writer != null) {
            writer.close();
        }
    }

    private void write(Event event) {
        if (writer == null) {
            writer = new EventWriter(folder());
        }
        writer.write(event);
    }

    private static double now() {
        return EventWriter.now();
    }
}
